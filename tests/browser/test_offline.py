"""Offline reading: a saved sheet opens with no connection, the saved ones can be searched,
and nothing a signed-in reader saw is kept (issue 16)."""

import re

import pytest

from tests.browser.conftest import PASSWORD
from tests.browser.test_phone_layout import demo_server  # noqa: F401 - fixture

pytestmark = pytest.mark.browser


def ready(page):
    """Wait until the service worker controls the page (from its next load on)."""
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("() => !!navigator.serviceWorker.controller"):
        page.reload()
    assert page.evaluate("() => !!navigator.serviceWorker.controller")


def test_a_saved_sheet_opens_offline_and_can_be_found(demo_server, browser):  # noqa: F811
    base, slug = demo_server
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{base}/practices/{slug}")
    ready(page)
    title = page.locator("h1").inner_text()
    page.get_by_role("button", name="Save offline").click()
    page.wait_for_selector("[data-saved=true]")
    manifest = page.evaluate("fetch('/manifest.webmanifest').then(r => r.json())")
    assert manifest["display"] == "standalone" and manifest["icons"]
    context.set_offline(True)
    page.goto(f"{base}/practices/{slug}")
    assert page.locator("h1").inner_text() == title
    assert "offline" in page.locator("[data-offline-copy]").inner_text()
    page.goto(f"{base}/offline")
    page.wait_for_selector("[data-offline-list] li")
    page.get_by_placeholder("Search the saved sheets").fill("zzzz-nothing")
    assert page.locator("[data-offline-list] li").count() == 0
    page.get_by_placeholder("Search the saved sheets").fill(title.split()[0])
    assert page.locator("[data-offline-list] li").count() >= 1
    context.close()


def test_nothing_a_signed_in_reader_saw_is_served_from_the_cache(demo_server,  # noqa: F811
                                                                  browser):
    base, slug = demo_server
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill("phone@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/$"))
    ready(page)
    page.goto(f"{base}/practices/{slug}/history")
    page.goto(f"{base}/practices/{slug}")  # read while signed in: not kept
    assert "Phone contributor" in page.content()
    context.set_offline(True)
    page.goto(f"{base}/practices/{slug}")
    assert "Phone contributor" not in page.content()
    assert "csrf_token" not in page.content()
    # Signed out on a shared phone: the next reader, offline, sees nothing of the account.
    context.set_offline(False)
    page.goto(f"{base}/practices/{slug}")
    page.locator("summary.who").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    context.set_offline(True)
    for path in (f"/practices/{slug}", f"/practices/{slug}/history", "/offline"):
        page.goto(f"{base}{path}")
        assert "Phone contributor" not in page.content(), path
        assert "csrf_token" not in page.content(), path
    context.close()
