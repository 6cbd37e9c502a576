"""Browser tests: Debian's chromium, driven by Playwright, against the site served from the test database.

The server is Django's live-server thread on 127.0.0.1 reading the same (already loaded) test database.
Every request the browser makes is recorded; a test fails if one leaves 127.0.0.1. `axe` runs axe-core (from
npm, node_modules/axe-core) in the page with the WCAG 2.0 A/AA and 2.1 AA rules.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.test.testcases import LiveServerThread

CHROMIUM = Path(os.environ.get("MILLENNIUM_CHROMIUM", "/usr/bin/chromium"))
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# Without these, chromium phones home at start; this machine's closed network refuses it, noisily.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Playwright's sync API runs an event loop in the test thread; Django then refuses ORM calls there unless told.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            # Reads the loaded test database; also makes pytest-django set that database up for a browser-only run.
            item.add_marker(pytest.mark.django_db)


@pytest.fixture(scope="session")
def site_url(django_db_setup, django_db_blocker):
    """The site, served by a thread of this process from the loaded test database."""
    with django_db_blocker.unblock():
        server = LiveServerThread("127.0.0.1", StaticFilesHandler)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        yield f"http://127.0.0.1:{server.port}"
        server.terminate()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        raise pytest.UsageError(f"{CHROMIUM} not found: `make test` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, site_url):
    """A fresh browser tab; after the test, no request may have left 127.0.0.1 and no script may have failed."""
    context = browser.new_context(base_url=site_url, locale="sv-SE", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    outside = [url for url in requests if urlsplit(url).hostname not in ("127.0.0.1", None)
               and not url.startswith(("data:", "blob:", "about:"))]
    assert not outside, f"requests left 127.0.0.1: {outside}"
    assert not errors, f"script errors: {errors}"


@pytest.fixture(scope="session")
def axe_source():
    if not AXE.exists():
        raise pytest.UsageError(f"{AXE} not found: `make test` installs the npm packages")
    return AXE.read_text()


@pytest.fixture
def axe(page, axe_source):
    """Runs axe-core on the page as it is now; returns its violations of WCAG 2.0 A/AA and 2.1 AA, described."""

    def run() -> list[str]:
        page.add_script_tag(content=axe_source)
        result = page.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}})")
        return [f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["target"][0] if len(n["target"]) == 1
                else str(n["target"]) for n in v["nodes"][:5]) for v in result["violations"]]

    return run
