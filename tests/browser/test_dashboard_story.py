"""Issue 15 as people live it, over the demo data: a visitor reads the "4 per 1000" dashboard
(axe finds nothing serious), on a phone too and in French and Spanish, prints it (one section a
page, no navigation); a contributor sees a gap in the coverage matrix, follows it and finds the
new-sheet form with that zone and practice group already chosen."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from practices import accounts, demo
from practices.models import Role
from tests.browser.conftest import PASSWORD, SCREENSHOTS, save_screenshot, serving
from tests.browser.test_phone_layout import axe_problems, overflow

pytestmark = pytest.mark.browser

DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}
TITLES = {"en": "The “4 per 1000” dashboard", "fr": "Le tableau de bord « 4 pour 1000 »",
          "es": "El panel «4 por 1000»"}


@pytest.fixture(scope="module")
def dashboard_server(tmp_path_factory):
    def fill(session):
        demo.load(session)
        accounts.create_user(session, email="writer@example.org", name="Wanda Writer",
                             password=PASSWORD, role=Role.CONTRIBUTOR)

    with serving(tmp_path_factory.mktemp("dashboard"), fill) as (base, _):
        yield base


def shot(page, name: str) -> None:
    save_screenshot(page, f"dashboard-{name}")


def test_read_print_and_follow_a_gap_to_a_prefilled_form(dashboard_server, browser):
    base = dashboard_server
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", bypass_csp=True)
    page = context.new_page()  # bypass_csp only lets the test inject axe-core

    # A visitor reads it: real numbers from the demo, every section drawn.
    page.goto(f"{base}/dashboard?lang=en")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLES["en"])
    published = page.locator(".dash-number", has_text="Published sheets").locator("dd")
    assert int(published.inner_text()) > 10
    for section in ("Knowledge", "Community", "Action"):
        expect(page.get_by_role("heading", level=2, name=section)).to_be_visible()
    assert page.locator("svg.chart[role=img]").count() >= 10
    page.locator("#figure-sheets-by-source summary").click()  # the numbers behind a chart
    expect(page.locator("#figure-sheets-by-source table")).to_be_visible()
    assert axe_problems(page) == []

    # Printed: no navigation or filters; the headline with the first section, then a page a
    # section (the two coverage matrices make "Knowledge" run onto a second page).
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".dash-filters").is_visible()
    breaks = page.locator(".dash-section").evaluate_all(
        "sections => sections.map(s => getComputedStyle(s).breakBefore)")
    assert breaks == ["auto", "page", "page"]
    pdf = page.pdf(format="A4", print_background=True)
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert 3 <= pages <= 5, pages
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        (Path(SCREENSHOTS) / "dashboard.pdf").write_bytes(pdf)
    page.emulate_media(media="screen")

    # On a phone and on a desktop, in each language: nothing wider than the screen (every
    # combination when screenshots are asked for, to look at them).
    views = [(width, lang) for width in ("1280", "390") for lang in TITLES] if SCREENSHOTS \
        else [("390", "en"), ("390", "fr"), ("1280", "es")]
    for width, lang in views:
        page.set_viewport_size(DESKTOP if width == "1280" else PHONE)
        page.goto(f"{base}/dashboard?lang={lang}")
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLES[lang])
        assert overflow(page) == 0, (lang, width)
        shot(page, f"{lang}-{width}")
    page.goto(f"{base}/dashboard?lang=en")  # the session keeps the last language

    # A contributor follows a gap of the coverage matrix to the new-sheet form.
    page.set_viewport_size(DESKTOP)
    page.goto(f"{base}/login?next=/dashboard")
    page.get_by_label("E-mail").fill("writer@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/dashboard$"))
    gap = page.locator("#figure-coverage-agro-climatic .chart__cells a").first
    href = gap.get_attribute("href")
    group = re.search(r"practice_groups=([\w-]+)", href).group(1)
    zone = re.search(r"agro_climatic_zones=([\w-]+)", href).group(1)
    gap.click()
    page.wait_for_url(re.compile(r".*/practices/new\?"))
    expect(page.locator(f'input[name="practice_groups"][value="{group}"]')).to_be_checked()
    expect(page.locator(f'input[name="agro_climatic_zones"][value="{zone}"]')).to_be_checked()
    assert page.locator('input[name="agro_climatic_zones"]:checked').count() == 1
    shot(page, "gap-new-sheet")

    # The embed stands alone, for a partner's website.
    page.goto(f"{base}/dashboard/sheets-by-country?embed=1")
    assert page.locator(".site-header").count() == 0
    expect(page.locator("svg.chart--choropleth")).to_be_visible()
    assert axe_problems(page) == []
    shot(page, "embed")
    context.close()
