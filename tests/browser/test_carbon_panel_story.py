"""A reader opens a demo sheet and reads its carbon panel, on a desktop and on a phone."""

from pathlib import Path

import pytest

from practices import demo
from tests.browser.conftest import SCREENSHOTS, serving

pytestmark = pytest.mark.browser
SHOTS = Path(SCREENSHOTS) if SCREENSHOTS else None  # SCREENSHOT_DIR, as the other stories
SLUG = "conservation-agriculture-maize-southern-africa"


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """A live server with the demo data set, on a loopback port."""
    def fill(session):
        demo.load(session)
        session.commit()

    with serving(tmp_path_factory.mktemp("carbon-demo"), fill) as (base, filled):
        yield base


def test_reader_reads_the_carbon_panel_of_a_demo_sheet(demo_server, browser):
    for width, height in ((1280, 900), (390, 844)):
        from playwright.sync_api import expect

        context = browser.new_context(viewport={"width": width, "height": height}, locale="en-GB")
        page = context.new_page()
        page.goto(f"{demo_server}/practices/{SLUG}")
        panel = page.get_by_role("region", name="Carbon")
        expect(panel).to_be_visible()
        panel.scroll_into_view_if_needed()
        # The reader finds the estimate in the zone and soil the sheet lists ...
        tropical = panel.locator(".carbon-cell", has_text="Tropical moist · Sandy soils")
        expect(tropical).to_contain_text("+5.0 ‰")
        expect(tropical).to_contain_text("reaches 4 ‰")
        expect(
            panel.locator(".carbon-cell", has_text="Tropical dry · Sandy soils")
        ).to_contain_text("below 4 ‰")
        # ... a bar with a text alternative, the caveat on depth, the source, the calculator
        bar = tropical.get_by_role("img")
        expect(bar).to_have_attribute(
            "aria-label",
            "Estimated +5.0 ‰ per year (range "
            "+2.2 to +7.8); the 4 per 1000 target is 4 ‰ per year.",
        )
        expect(panel).to_contain_text("0–30 cm")
        expect(panel).to_contain_text("Table 5.5")
        link = tropical.get_by_role("link", name="Open in the carbon calculator")
        assert "practice=long-term-cultivated%2Cno-till%2Cmedium-input" in (
            link.get_attribute("href")
        )
        # nothing of the panel spills out of a phone's screen
        box = panel.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1
        if SHOTS:
            SHOTS.mkdir(parents=True, exist_ok=True)
            panel.screenshot(path=str(SHOTS / f"carbon-panel-{width}.png"))
        context.close()
