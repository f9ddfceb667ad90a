"""Two stories as people live them in a browser.

1. A newcomer registers, an admin approves them, they write a draft and submit it; a
   moderator returns it with a comment; they fix it and resubmit; the moderator publishes.
2. A college moderator discusses a contributor's sheet in a members-only thread; the
   contributor is notified and replies; the moderator endorses revision N; an edit then
   shows "changed since endorsement".
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser
NEWCOMER = "newcomer@example.org"


def sign_in(page, base, email, password=PASSWORD):
    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/$"))


def sign_out(page):
    page.locator("summary.who").click()
    page.get_by_role("button", name="Sign out").click()


def test_register_approve_draft_return_resubmit_publish(live_server, browser, shoot, page):
    base = live_server
    page.goto(f"{base}/register")
    page.get_by_label("Name").fill("Nadia Newcomer")
    page.get_by_label("E-mail").fill(NEWCOMER)
    page.get_by_label("Password", exact=True).fill("a long enough passphrase")
    page.get_by_label("Password again").fill("a long enough passphrase")
    page.get_by_label("Research network").check()
    shoot("10-register")
    page.get_by_role("button", name="Register").click()
    expect(page.locator("main")).to_contain_text("approv")
    shoot("11-registered")

    sign_in(page, base, "admin@example.org")
    page.goto(f"{base}/admin/registrations")
    shoot("12-registrations")
    page.get_by_role("button", name="Approve Nadia Newcomer").click()
    sign_out(page)

    sign_in(page, base, NEWCOMER, "a long enough passphrase")
    page.goto(f"{base}/practices/new")
    page.get_by_label("Title").fill("Mulch basins for young trees")
    page.get_by_label("Description").fill("Ring each seedling with straw.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{base}/practices/mulch-basins-for-young-trees")
    expect(page.locator(".status-panel")).to_contain_text(re.compile("draft", re.I))
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".status-panel")).to_contain_text("review")
    shoot("13-submitted")
    sign_out(page)

    sign_in(page, base, "moderator@example.org")
    page.goto(f"{base}/practices/mulch-basins-for-young-trees")
    page.get_by_label("Comment for the authors").fill("Say how thick the mulch should be.")
    page.get_by_role("button", name="Return to authors").click()
    expect(page.locator(".status-panel")).to_contain_text(re.compile("draft", re.I))
    sign_out(page)

    sign_in(page, base, NEWCOMER, "a long enough passphrase")
    page.goto(f"{base}/notifications")
    expect(page.locator("main")).to_contain_text("returned “Mulch basins for young trees”")
    expect(page.locator("main")).to_contain_text("Say how thick the mulch should be.")
    shoot("14-returned-notification")
    page.goto(f"{base}/practices/mulch-basins-for-young-trees/edit")
    page.get_by_label("Description").fill("Ring each seedling with 10 cm of straw.")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Submit for review").click()
    sign_out(page)

    sign_in(page, base, "moderator@example.org")
    page.goto(f"{base}/practices/mulch-basins-for-young-trees")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".status-panel")).to_contain_text(re.compile("published", re.I))
    expect(page.locator(".status-panel")).to_contain_text("Test moderator")
    shoot("15-published")


def test_discuss_in_a_college_thread_reply_endorse_and_change(live_server, browser, shoot,
                                                              page):
    base = live_server
    sign_in(page, base, "moderator@example.org")  # moderators publish directly
    page.goto(f"{base}/practices/new")
    page.get_by_label("Title").fill("Stone lines on the contour")
    page.get_by_label("Description").fill("Lay stones along the contour.")
    page.get_by_role("button", name="Save").click()
    slug = "stone-lines-on-the-contour"
    page.wait_for_url(f"{base}/practices/{slug}")
    sign_out(page)

    sign_in(page, base, "contributor@example.org")  # edits it, so now watches it
    page.goto(f"{base}/practices/{slug}/edit")
    page.get_by_label("Description").fill("Lay stones along the contour, 20 m apart.")
    page.get_by_role("button", name="Save").click()
    sign_out(page)

    sign_in(page, base, "moderator@example.org")
    page.goto(f"{base}/practices/{slug}/discussion")
    page.get_by_label("Title").fill("Spacing on steeper slopes")
    page.get_by_label("Comment", exact=True).fill(
        "@contributor is 20 m right on slopes above 5 %?")
    page.get_by_label("Who may read it").select_option(label="Members of Research network only")
    page.get_by_role("button", name="Start the thread").click()
    expect(page.locator("h1")).to_contain_text("Spacing on steeper slopes")
    shoot("20-thread")
    sign_out(page)

    sign_in(page, base, "contributor@example.org")
    expect(page.locator(".bell__count")).to_have_text("1")
    page.goto(f"{base}/notifications")
    page.get_by_role("link", name=re.compile("mentioned you")).click()
    expect(page.locator("h1")).to_contain_text("Spacing on steeper slopes")
    page.locator(".reply-box summary").first.click()
    page.locator(".reply-box textarea").first.fill("Closer: 10 m above 5 % slope.")
    page.locator(".reply-box").get_by_role("button", name="Reply").click()
    expect(page.locator(".comment-replies")).to_contain_text("Closer: 10 m")
    shoot("21-reply")
    sign_out(page)

    sign_in(page, base, "moderator@example.org")
    page.goto(f"{base}/practices/{slug}")
    page.get_by_text("Endorse this revision for your college").click()
    page.get_by_label("Why the college stands behind it").fill("Matches our field trials.")
    page.get_by_role("button", name="Endorse revision 2").click()
    expect(page.locator(".endorsements")).to_contain_text("Endorsed by Research network")
    expect(page.locator(".endorsements")).to_contain_text("revision 2")
    shoot("22-endorsed")
    sign_out(page)

    sign_in(page, base, "contributor@example.org")
    page.goto(f"{base}/practices/{slug}/edit")
    page.get_by_label("Description").fill("Lay stones along the contour, 10 to 20 m apart.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{base}/practices/{slug}")
    expect(page.locator(".endorsements")).to_contain_text("changed since endorsement")
    shoot("23-changed-since")
