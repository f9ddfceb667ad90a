"""A practitioner estimates what no-till would store on her land with the carbon calculator,
shares the result, and follows the link to the practices documented for her zone and soil."""

from urllib.parse import parse_qs, urlparse

import pytest

from practices import accounts, sheets
from practices.models import Role
from tests.browser.conftest import PASSWORD, save_screenshot, serving
from tests.browser.test_phone_layout import axe_problems

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def carbon_server(tmp_path_factory):
    """A live wiki with a no-till sheet in cool temperate moist, high-activity clay cropland,
    and one elsewhere that the link must not show."""
    def fill(session):
        author = accounts.create_user(
            session,
            email="author@example.org",
            name="Author",
            password=PASSWORD,
            role=Role.CONTRIBUTOR,
        )
        for title, zone, soil in (
            ("No-till wheat in the Beauce", "cool-temperate-moist", "high-activity-clay"),
            ("Zai pits", "tropical-dry", "sandy"),
        ):
            content = sheets.Content.checked(
                title=title,
                summary="A practice.",
                body="",
                fields={
                    "ipcc_climate_zones": [zone],
                    "ipcc_soil_classes": [soil],
                    "land_use": ["cropland"],
                },
            )
            sheets.create(session, content, author=author)
        session.commit()

    with serving(tmp_path_factory.mktemp("carbon"), fill) as (base, filled):
        yield base


def shoot(page, name: str) -> None:
    save_screenshot(page, f"carbon-{name}")


def estimate_no_till(page, base):
    page.goto(f"{base}/")
    page.get_by_role("link", name="Carbon calculator").click()
    page.wait_for_url(f"{base}/carbon")
    page.get_by_label("IPCC climate zone").select_option(label="Cool temperate moist")
    page.get_by_label("IPCC soil class").select_option("high-activity-clay")
    page.get_by_label("Area (ha, optional)").fill("100")
    today = page.get_by_role("group", name="Today (baseline)")
    today.get_by_label("Tillage").select_option(label="Full tillage")
    practice = page.get_by_role("group", name="With the practice")
    practice.get_by_label("Tillage").select_option(label="No-till")
    page.get_by_role("button", name="Estimate").click()
    page.wait_for_url(f"{base}/carbon?*")


@pytest.mark.parametrize(("width", "height", "name"), [(1280, 900, "desktop"), (390, 844, "phone")])
def test_practitioner_estimates_no_till_and_finds_the_practices(
    carbon_server, browser, width, height, name
):
    # bypass_csp lets axe-core be injected; the page's own policy stays strict otherwise
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-GB",
                                  bypass_csp=True)
    page = context.new_page()
    try:
        estimate_no_till(page, carbon_server)
        result = page.get_by_role("region", name="Estimate")
        assert "+4.5 ‰" in result.inner_text()
        assert "Reaches the 4 per 1000 target" in result.inner_text()
        assert "+0.255 t C/ha/yr" in result.inner_text()
        assert "+25.5 t C/yr" in result.inner_text()  # on 100 ha
        assert "81 × 0.70 × 1.09 × 1.00" in result.inner_text()
        assert page.get_by_role(
            "img", name="Estimated rate against the 4 per 1000 target"
        ).is_visible()
        assert "top 30 cm" in result.inner_text() and "30–40 cm" in result.inner_text()
        assert "pp.5.27-5.28" in result.inner_text()
        assert axe_problems(page) == []
        shoot(page, f"result-{name}")

        # The address holds the whole estimate: opening it again gives the same result.
        shared = page.get_by_role("link", name="Link to this estimate").get_attribute("href")
        assert parse_qs(urlparse(shared).query)["practice"] == [
            "long-term-cultivated",
            "no-till",
            "medium-input",
        ]
        page.goto(carbon_server + shared)
        assert "+4.5 ‰" in page.get_by_role("region", name="Estimate").inner_text()

        page.get_by_role("link", name="Practices documented for this zone and soil").click()
        page.wait_for_url(f"{carbon_server}/practices/?*")
        assert page.get_by_role("link", name="No-till wheat in the Beauce").is_visible()
        assert page.get_by_role("link", name="Zai pits").count() == 0
        shoot(page, f"sheets-{name}")
    finally:
        context.close()


def test_no_default_is_said_and_grassland_levels_follow_the_land_use(carbon_server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB",
                                  bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(f"{carbon_server}/carbon")
        page.get_by_label("IPCC climate zone").select_option("tropical-montane")
        page.get_by_label("IPCC soil class").select_option("sandy")
        page.get_by_role("button", name="Estimate").click()
        page.wait_for_url(f"{carbon_server}/carbon?*")
        answer = page.get_by_role("region", name="No IPCC default")
        assert "Table 5.5" in answer.inner_text()
        assert axe_problems(page) == []
        shoot(page, "no-default-desktop")

        page.get_by_label("Land use").select_option("grazing-land")
        practice = page.get_by_role("group", name="With the practice")
        assert practice.get_by_label("Grassland management").is_visible()
        assert not practice.get_by_label("Tillage").is_visible()
        page.get_by_label("IPCC climate zone").select_option("tropical-dry")
        page.get_by_label("IPCC soil class").select_option("low-activity-clay")
        practice.get_by_label("Input (improved grassland only)").select_option("high-input")
        page.get_by_role("button", name="Estimate").click()
        page.wait_for_url(f"{carbon_server}/carbon?*")
        assert "+42.8 ‰" in page.get_by_role("region", name="Estimate").inner_text()
        shoot(page, "grassland-desktop")
    finally:
        context.close()
