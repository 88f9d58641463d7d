"""Real-browser tests: Playwright drives Debian's chromium against pytest-django's live_server.

Playwright cannot download its own browsers here; `make browser` installs /usr/bin/chromium and
the CJK fonts. Each test gets a fresh page on the live server (a thread of this process, with
the test database); mark every test `slow` and `browser`.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make to set
# up data are synchronous and safe here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
AXE_SOURCE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian chromium is not installed: run `make browser`")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def page(page, live_server):
    """A page whose relative URLs go to the live server, failing on any CSP violation."""
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.set_default_timeout(10_000)
    page.base = live_server.url
    yield page
    # A route handler still fetching (a favicon, say) when the test ends would fail in the
    # next test's setup once the context is gone; drop the routes while the page is alive.
    page.unroute_all(behavior="ignoreErrors")
    assert not violations, violations


def run_axe(page) -> list[dict]:
    """Serious and critical accessibility violations on the current page (axe-core).

    axe is evaluated through the DevTools protocol, which the page's CSP does not restrict, so
    the page is checked exactly as served.
    """
    page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    results = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "nodes": [node["html"][:160] for node in violation["nodes"][:5]],
        }
        for violation in results
        if violation["impact"] in {"serious", "critical"}
    ]
