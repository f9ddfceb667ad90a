"""Numbers and units in the reader's locale (Babel): decimal comma, grouping, translated
units, on the sheet, its summary for phones and the result cards."""

import re

import pytest


@pytest.fixture
def measured(make_sheet):
    return make_sheet("Zai pits", soc_change_t_c_ha_yr=0.25, soc_baseline_t_c_ha=1500.5,
                      rainfall_mm_min=300, rainfall_mm_max=800, yield_change_pct=12.5,
                      duration_years=1.5, soc_depth_cm=30, countries=["BF"])


def plain(html: str) -> str:
    """The page's text with every kind of space as one plain space."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.replace("&nbsp;", " ")))


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", ["+0.25 t C/ha/yr", "300–800 mm/yr", "12.5%", "1,500.5 t C/ha", "1.5 years"]),
    ("fr", ["+0,25 t C/ha/an", "300–800 mm/an", "12,5 %", "1 500,5 t C/ha", "1,5 an"]),
    ("es", ["+0,25 t C/ha/año", "300–800 mm/año", "12,5 %", "1.500,5 t C/ha", "1,5 año"]),
])
def test_a_sheet_writes_numbers_and_units_as_its_reader_does(client, measured, lang,
                                                             expected):
    page = plain(client.get(f"/practices/{measured.slug}?lang={lang}").text)
    for text in expected:
        assert text in page, (lang, text)
    assert ("0.25" in page) == (lang == "en")


def test_result_cards_write_the_measured_change_in_the_readers_locale(client, measured):
    card = plain(client.get("/practices/?lang=fr").text)
    assert "Variation du COS mesurée +0,25 t C/ha/an" in card
    card = plain(client.get("/practices/?lang=es").text)
    assert "+0,25 t C/ha/año" in card
