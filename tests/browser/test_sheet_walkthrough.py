"""A contributor creates a sheet, edits it twice, compares revisions and reverts."""

import re

import pytest

from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser


def sign_in(page, base, email):
    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/$"))


def save_edit(page, base, slug, body, summary):
    page.goto(f"{base}/practices/{slug}/edit")
    page.get_by_label("Description").fill(body)
    page.get_by_label("Edit summary").fill(summary)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{base}/practices/{slug}")


def test_create_edit_diff_revert(live_server, page, shoot):
    base = live_server
    sign_in(page, base, "contributor@example.org")
    page.goto(f"{base}/practices/new")
    page.get_by_label("Title").fill("Half-moons for water harvesting")
    page.get_by_label("Summary", exact=True).fill("Crescent-shaped earth bunds that catch runoff.")
    page.get_by_label("Description").fill("## How to do it\n\nDig half-moons across the slope.")
    page.get_by_label("Semi-arid").check()
    page.get_by_label("Soil organic carbon change").fill("0.25")
    page.get_by_role("button", name="Preview").click()
    expect_text(page, "Preview — not saved yet")
    shoot("01-preview")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{base}/practices/half-moons-for-water-harvesting")
    expect_text(page, "+0.25")
    shoot("02-sheet")

    slug = "half-moons-for-water-harvesting"
    save_edit(page, base, slug, "## How to do it\n\nDig half-moons of 4 m across the slope.",
              "size of the half-moons")
    save_edit(page, base, slug, "## How to do it\n\nDig half-moons of 4 m; add manure.",
              "manure")
    page.goto(f"{base}/practices/{slug}/history")
    expect_text(page, "size of the half-moons")
    shoot("03-history")
    page.get_by_label("Compare from revision 1").check()
    page.get_by_label("Compare to revision 3").check()
    page.get_by_role("button", name="Compare selected revisions").click()
    page.wait_for_url(f"{base}/practices/{slug}/diff/1/3")
    assert page.locator("ins").count() > 0 and page.locator("del").count() > 0
    shoot("04-diff")

    page.get_by_role("button", name="Revert to revision 1").click()
    page.wait_for_url(f"{base}/practices/{slug}")
    expect_text(page, "Reverted to revision 1")
    assert "Dig half-moons across the slope." in page.locator(".prose").inner_text()
    assert "Revision 4" in page.locator(".sheet-foot").inner_text()


def test_conflict_keeps_both_texts(live_server, browser, page, shoot):
    base = live_server
    sign_in(page, base, "contributor@example.org")
    page.goto(f"{base}/practices/new")
    page.get_by_label("Title").fill("Stone bunds")
    page.get_by_label("Description").fill("Lines of stones along the contour.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{base}/practices/stone-bunds")

    page.goto(f"{base}/practices/stone-bunds/edit")  # first tab opens the form...
    other = browser.new_context().new_page()  # ...a moderator saves meanwhile
    sign_in(other, base, "moderator@example.org")
    save_edit(other, base, "stone-bunds", "Lines of stones along the contour, 20 cm high.",
              "height")
    other.context.close()

    page.get_by_label("Description").fill("My own rewrite about stone lines.")
    page.get_by_role("button", name="Save").click()
    expect_text(page, "Someone saved this sheet while you were editing it.")
    assert page.get_by_label("Description").input_value() == "My own rewrite about stone lines."
    expect_text(page, "20 cm high")
    shoot("05-conflict")


def expect_text(page, text):
    from playwright.sync_api import expect

    expect(page.locator("body")).to_contain_text(text)
