"""Issue 14 as people live it: an organisation's manager fills in the profile, places the
organisation on the map, records a measure for a published sheet and submits it; a
moderator publishes it; an anonymous visitor filters the map by college, clicks the
organisation, then the measure, then the measure's practice sheet."""

import re

import pytest
from playwright.sync_api import expect

from practices import accounts, profiles, sheets
from practices.models import College, Organization, Role
from tests.browser.conftest import PASSWORD, serving
from tests.browser.test_phone_layout import axe_problems

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def partners_server(tmp_path_factory):
    def fill(session):
        organization = Organization(slug="sahel-soils", name="Sahel Soils")
        session.add_all(
            [
                organization,
                College(slug="research", name="Research network"),
                College(slug="funders", name="Funders"),
            ]
        )
        session.flush()
        manager = accounts.create_user(
            session,
            email="manager@example.org",
            name="Mia Manager",
            password=PASSWORD,
            role=Role.CONTRIBUTOR,
            organization_id=organization.id,
        )
        moderator = accounts.create_user(
            session,
            email="moderator@example.org",
            name="Mo Moderator",
            password=PASSWORD,
            role=Role.MODERATOR,
        )
        profiles.grant_manager(session, organization, manager, actor=moderator)
        content = sheets.Content.checked(
            title="Zai pits",
            summary="Planting pits.",
            body="",
            fields={"locations": [[-1.5, 12.4]]},
        )
        sheets.create(session, content, author=moderator, slug="zai-pits", status="published")
        session.commit()

    with serving(tmp_path_factory.mktemp("partners"), fill) as (base, filled):
        yield base


def sign_in(page, base, email):
    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/$"))


def sign_out(page):
    page.locator("summary.who").click()
    page.get_by_role("button", name="Sign out").click()


def click_map(page, selector: str, x: float = 0.5, y: float = 0.5) -> None:
    target = page.locator(selector)
    target.scroll_into_view_if_needed()
    box = target.bounding_box()
    page.mouse.click(box["x"] + box["width"] * x, box["y"] + box["height"] * y)


@pytest.fixture
def page(browser):
    """bypass_csp lets the story inject axe-core; the pages' own policy stays strict."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB",
                                  bypass_csp=True)
    yield context.new_page()
    context.close()


def test_manager_profile_measure_moderator_publishes_visitor_finds_it(partners_server, page, shoot):
    base = partners_server
    problems = []
    sign_in(page, base, "manager@example.org")
    page.goto(f"{base}/organizations/sahel-soils")
    page.get_by_role("link", name="Edit the profile").click()
    page.get_by_label("Standing in the Initiative").select_option("member-of-the-consortium")
    page.get_by_label("Research network").check()
    page.get_by_label("Country").select_option("BF")
    page.locator("[data-picker-map][data-ready]").wait_for()
    click_map(page, "[data-picker-map]")  # places the organisation on the map
    expect(page.get_by_label("Locations")).to_have_value(re.compile(r"^-?\d+(\.\d+)?, -?\d"))
    page.get_by_label("Description").fill("We **restore** crusted soils.")
    shoot("partners-story-profile-form")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".badge--standing")).to_have_text("Member of the Consortium")

    page.get_by_role("link", name="Record a measure").click()
    page.get_by_label("Name of the measure").fill("Zai pits in Yatenga")
    page.get_by_label("Practice sheets applied").select_option("zai-pits")
    page.get_by_label("Area (ha)").fill("120")
    page.get_by_label("Start year").fill("2020")
    page.locator("[data-point-picker] [data-picker-map][data-ready]").wait_for()
    click_map(page, "[data-point-picker] [data-picker-map]", 0.45, 0.55)
    area_map = "[data-area-picker] [data-picker-map]"
    for x, y in ((0.40, 0.40), (0.60, 0.40), (0.50, 0.62)):  # three corners: a triangle
        click_map(page, area_map, x, y)
    expect(page.locator(f"{area_map}[data-corners='3'] path.map-area")).to_have_count(1)
    expect(page.get_by_label("Area on the map (optional)")).to_have_value(
        re.compile(r"^(-?[\d.]+, -?[\d.]+\n){2}-?[\d.]+, -?[\d.]+$"))
    problems += axe_problems(page)
    shoot("partners-story-measure-form")
    page.get_by_role("button", name="Save and submit for review").click()
    expect(page.get_by_role("heading", name="Zai pits in Yatenga")).to_contain_text("in review")
    expect(page.locator(".mini-map path.map-area")).to_have_count(1)  # the area on its page
    shoot("partners-story-measure-area")
    measure_url = page.url
    sign_out(page)

    page.goto(measure_url)
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()  # a draft

    sign_in(page, base, "moderator@example.org")
    page.goto(measure_url)
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("The measure is published.")).to_be_visible()
    sign_out(page)

    page.goto(f"{base}/organizations/")
    problems += axe_problems(page)
    page.goto(f"{base}/map")
    page.locator("[data-interactive-map][data-loaded]").wait_for()
    problems += axe_problems(page)
    page.get_by_label("College").select_option("funders")
    page.get_by_role("button", name="Filter organisations").click()
    page.locator("[data-interactive-map][data-loaded]").wait_for()
    expect(page.locator(".leaflet-marker-icon.map-dot--organization")).to_have_count(0)
    page.get_by_label("College").select_option("research")
    page.get_by_role("button", name="Filter organisations").click()
    page.locator("[data-interactive-map][data-loaded]").wait_for()
    shoot("partners-story-map")
    page.locator(".leaflet-marker-icon.map-dot--organization").first.click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Sahel Soils")
    popup.get_by_role("link").click()
    expect(page.get_by_role("heading", name="Sahel Soils")).to_be_visible()
    problems += axe_problems(page)
    page.get_by_role("link", name="Zai pits in Yatenga").click()
    page.locator(".measure-figures").get_by_role("link", name="Zai pits").click()
    expect(page).to_have_url(f"{base}/practices/zai-pits")
    assert problems == []


def test_the_map_works_by_touch_on_a_phone(partners_server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True,
                                  is_mobile=True, locale="fr-FR")
    phone = context.new_page()
    phone.goto(f"{partners_server}/map?lang=fr")
    phone.locator("[data-interactive-map][data-loaded]").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth - innerWidth") == 0
    phone.get_by_text("Légende").click()  # the legend opens (closed, it keeps the lists near)
    expect(phone.locator(".map-legend").get_by_text("Membre du Consortium")).to_be_visible()
    expect(phone.locator(".leaflet-control-zoom-in")).to_have_attribute("title", "Zoomer")
    phone.locator(".leaflet-marker-icon.map-dot--practice").first.tap()
    expect(phone.locator(".leaflet-popup-content")).to_contain_text("Zai pits")
    context.close()
