"""A live server on a free loopback port and Debian's Chromium driven by Playwright.

Never a downloaded browser: without /usr/bin/chromium the browser tests are skipped with a
reason, except where REQUIRE_BROWSER=1 (CI), where that is a failure.
"""

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session
from werkzeug.serving import make_server

from practices import accounts, database
from practices.models import College, Role
from wiki import create_app

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "browser-test-password"
SCREENSHOTS = os.environ.get("SCREENSHOT_DIR")


@contextmanager
def serving(folder: Path, fill: Callable[[Session], Any]) -> Iterator[tuple[str, Any]]:
    """A migrated SQLite wiki in `folder`, filled by `fill(session)`, served on a loopback
    port by its own thread: (its base URL, what `fill` returned)."""
    url = f"sqlite:///{folder / 'live.db'}"
    database.upgrade(url)
    app = create_app({"DATABASE_URL": url, "UPLOAD_DIR": str(folder / "uploads"),
                      "SEARCH_INDEX_DIR": str(folder / "index")})
    with Session(app.extensions["engine"]) as session:
        filled = fill(session)
        session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", filled
    finally:
        server.shutdown()
        thread.join()
        app.extensions["engine"].dispose()


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    def fill(session):
        users = [accounts.create_user(session, email=f"{role}@example.org",
                                      name=f"Test {role}", password=PASSWORD, role=role)
                 for role in (Role.CONTRIBUTOR, Role.MODERATOR, Role.ADMIN)]
        college = College(slug="research", name="Research network")
        session.add(college)
        session.flush()
        for user in users[:2]:  # the contributor and the moderator belong to it
            accounts.set_colleges(session, user, [college.id], actor=None)

    with serving(tmp_path_factory.mktemp("live"), fill) as (base, _):
        yield base


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"REQUIRE_BROWSER is set but there is no Chromium at {CHROMIUM}")
        pytest.skip(f"browser tests skipped: no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    yield page
    context.close()


def save_screenshot(page, name: str) -> None:
    """Save a full-page screenshot when SCREENSHOT_DIR is set (for people to look at)."""
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


@pytest.fixture
def shoot(page):
    """save_screenshot for the test's own `page`."""
    return lambda name: save_screenshot(page, name)
