"""The lock files install what the .in files ask for, every package with its hashes."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==([^\s\\;]+)", re.MULTILINE)


def pins(path: Path) -> dict[str, str]:
    return {
        name.lower().replace("_", "-"): version for name, version in PIN.findall(path.read_text())
    }


def locked_blocks(path: Path) -> list[str]:
    return re.split(r"\n(?=[A-Za-z0-9])", path.read_text().split("\n", 2)[2])


def test_every_direct_dependency_is_locked_at_its_pinned_version():
    for source, lock in [
        ("requirements.in", "requirements.txt"),
        ("requirements-dev.in", "requirements-dev.txt"),
    ]:
        wanted, locked = pins(ROOT / source), pins(ROOT / lock)
        assert wanted, source
        assert {name: locked.get(name) for name in wanted} == wanted, lock


def test_runtime_versions_are_the_same_in_both_lock_files():
    runtime, dev = pins(ROOT / "requirements.txt"), pins(ROOT / "requirements-dev.txt")
    assert {name: dev.get(name) for name in runtime} == runtime


def test_every_locked_package_carries_a_hash():
    for lock in ["requirements.txt", "requirements-dev.txt"]:
        blocks = [b for b in locked_blocks(ROOT / lock) if PIN.match(b)]
        assert len(blocks) > 20
        assert [b.split()[0] for b in blocks if "--hash=sha256:" not in b] == [], lock


def test_make_install_refuses_packages_without_hashes():
    makefile = (ROOT / "Makefile").read_text()
    assert "--require-hashes -r requirements.txt" in makefile
    assert "--require-hashes -r requirements-dev.txt" in makefile


def test_the_project_declares_python_311():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.11,<3.12"


def test_unused_django_redis_is_gone():
    assert "django-redis" not in pins(ROOT / "requirements.txt")


def test_env_example_names_every_variable_settings_reads():
    source = (ROOT / "dlt_library" / "settings.py").read_text()
    read = set(re.findall(r"(?:os\.environ\.get|env_bool|env_list)\(\s*\"([A-Z_]+)\"", source))
    example = (ROOT / ".env.example").read_text()
    named = set(re.findall(r"^([A-Z_]+)=", example, re.MULTILINE))
    assert len(read) > 20
    assert read - named == set()
