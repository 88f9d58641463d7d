"""Fixtures for the Markdown parser tests: pure Python, no database, no Django settings.

The lists under `data/` are read through the `data_dir` fixture only (see data/NOTICE.md).
"""

from pathlib import Path

import pytest

from resources.markdown.document import Document
from resources.markdown.parse import parse_markdown

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _test_settings():
    """Overrides the Django-wide autouse fixture of tests/conftest.py for these tests.

    That one needs pytest-django's `settings`; the parser needs no settings at all, and these
    tests must also run with `-p no:django` (before Django is configured).
    """
    yield


@pytest.fixture(scope="session")
def data_dir() -> Path:
    if not DATA.is_dir():
        pytest.skip(f"test data missing: {DATA}")
    return DATA


def read(data_dir: Path, name: str) -> str:
    path = data_dir / name
    if not path.is_file():
        pytest.skip(f"test data missing: {path}")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_text(data_dir: Path) -> str:
    return read(data_dir, "seed-README.md")


@pytest.fixture(scope="session")
def as_delivered_text(data_dir: Path) -> str:
    return read(data_dir, "seed-README.as-delivered.txt")


@pytest.fixture(scope="session")
def list_2026_text(data_dir: Path) -> str:
    return read(data_dir, "deeplearningtheory-2026-03.md")


@pytest.fixture(scope="session")
def dynamics_text(data_dir: Path) -> str:
    return read(data_dir, "deep-learning-dynamics-paper-list.md")


# Parsed once per session; tests must not change them.
@pytest.fixture(scope="session")
def seed(seed_text: str) -> Document:
    return parse_markdown(seed_text)


@pytest.fixture(scope="session")
def list_2026(list_2026_text: str) -> Document:
    return parse_markdown(list_2026_text)


@pytest.fixture(scope="session")
def dynamics(dynamics_text: str) -> Document:
    return parse_markdown(dynamics_text)
