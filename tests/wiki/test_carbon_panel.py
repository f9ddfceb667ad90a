"""The "Carbon" panel of a sheet page and the carbon group of the edit form."""

import re

from practices import sheets

NO_TILL = {
    "carbon_land_use": "cropland",
    "carbon_baseline": ["long-term-cultivated", "full-tillage", "medium-input"],
    "carbon_practice": ["long-term-cultivated", "no-till", "medium-input"],
}


def panel_of(page: str) -> str:
    return re.search(r'<section class="carbon-panel".*?</section>', page, re.S).group(0)


def test_panel_shows_the_estimate_per_zone_and_soil_with_bar_and_link(client, make_sheet):
    make_sheet(
        title="No-till maize",
        **dict(
            NO_TILL,
            ipcc_climate_zones=["cool-temperate-moist"],
            ipcc_soil_classes=["high-activity-clay", "organic"],
        ),
    )
    panel = panel_of(client.get("/practices/no-till-maize").text)
    # 81 × 0.70 × 0.09 / 20 = 0.255 t C/ha/yr; 1000 × (1.09 − 1) / 20 = 4.5 ‰/yr
    assert "+0.26" in panel and "+4.5 ‰" in panel and "reaches 4 ‰" in panel
    assert "+5.1</dd>" in panel.replace(" t C/ha", "</dd>", 1) or "+5.1 t C/ha" in panel
    assert 'role="img"' in panel and 'aria-label="Estimated +4.5 ‰ per year' in panel
    assert (
        "/carbon?climate_zone=cool-temperate-moist&amp;soil_class=high-activity-clay"
        "&amp;land_use=cropland&amp;baseline=long-term-cultivated%2Cfull-tillage%2C"
        "medium-input&amp;practice=long-term-cultivated%2Cno-till%2Cmedium-input"
    ) in panel
    link = re.search(r'href="(/carbon\?[^"]+)"', panel).group(1).replace("&amp;", "&")
    calculator = client.get(link)  # the calculator opens with the same change filled in
    assert calculator.status_code == 200 and "+4.5 ‰" in calculator.text
    assert "No IPCC default." in panel and "Organic soils" in panel  # the organic cell
    assert "0–30 cm" in panel and "30–40 cm" in panel
    assert "Table 2.3" in panel and "Table 5.5" in panel


def test_panel_shows_measured_change_as_per_mille_of_the_stock_before(client, make_sheet):
    make_sheet(
        title="Compost",
        **{"soc_change_t_c_ha_yr": 0.5, "soc_baseline_t_c_ha": 50, "soc_depth_cm": 30},
    )
    panel = panel_of(client.get("/practices/compost").text)
    assert "Measured" in panel and "+0.50" in panel and "+10.0 ‰" in panel
    assert "no management change" in panel


def test_panel_says_when_tier_1_does_not_describe_the_practice(client, make_sheet):
    make_sheet(title="Stone lines", **{"carbon_note": "No factor for stone lines."})
    panel = panel_of(client.get("/practices/stone-lines").text)
    assert "No IPCC default." in panel
    assert "No factor for stone lines." in panel


def test_panel_is_translated(client, make_sheet):
    make_sheet(
        title="No-till",
        **dict(
            NO_TILL,
            ipcc_climate_zones=["cool-temperate-moist"],
            ipcc_soil_classes=["high-activity-clay"],
        ),
    )
    panel = panel_of(client.get("/practices/no-till", headers={"Accept-Language": "fr"}).text)
    assert "Carbone" in panel and "+4,5 ‰" in panel and "Semis direct" in panel


def test_form_refuses_a_level_of_the_other_land_use(client, login, make_user):
    login(make_user())
    response = client.post(
        "/practices/new",
        data={
            "title": "Grazing",
            "language": "en",
            "action": "save",
            "carbon_land_use": "grazing-land",
            "carbon_baseline": ["no-till"],
            "carbon_practice": ["improved", "high-input"],
        },
    )
    assert response.status_code == 422
    assert "Carbon (IPCC Tier 1)" in response.text
    assert re.search(r'id="carbon_baseline-error"[^>]*>[^<]*no-till', response.text)


def test_form_saves_the_levels_and_the_diff_shows_them(client, login, make_user, session):
    login(make_user())
    response = client.post(
        "/practices/new",
        data={"title": "No-till wheat", "language": "en", "action": "save", **NO_TILL},
    )
    assert response.status_code == 303
    sheet, _ = sheets.find(session, "no-till-wheat")
    assert sheets.current_revision(session, sheet).fields["carbon_practice"] == [
        "long-term-cultivated",
        "no-till",
        "medium-input",
    ]
    edit = client.get("/practices/no-till-wheat/edit").text
    base = re.search(r'name="base_revision_id" value="(\d+)"', edit).group(1)
    client.post(
        "/practices/no-till-wheat/edit",
        data={
            "title": "No-till wheat",
            "language": "en",
            "action": "save",
            "base_revision_id": base,
            **dict(
                NO_TILL, carbon_practice=["long-term-cultivated", "reduced-tillage", "medium-input"]
            ),
        },
    )
    diff = client.get("/practices/no-till-wheat/diff/1/2").text
    assert "Management with the practice" in diff and "Reduced tillage" in diff
