"""The IPCC Tier 1 estimator against cases computed by hand from the tables (ipcc_data)."""

import contextlib
import itertools

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from practices import carbon
from practices.vocab import vocabulary

CROP_BASE = ("long-term-cultivated", "full-tillage", "medium-input")
NO_TILL = ("long-term-cultivated", "no-till", "medium-input")
ZONES = [item.code for item in vocabulary("ipcc_climate_zones").terms]
SOILS = [item.code for item in vocabulary("ipcc_soil_classes").terms]


def crop(zone, soil, baseline=CROP_BASE, practice=NO_TILL, **kwargs):
    return carbon.estimate(
        climate_zone=zone,
        soil_class=soil,
        land_use="cropland",
        baseline=baseline,
        practice=practice,
        **kwargs,
    )


def graze(zone, soil, baseline, practice, **kwargs):
    return carbon.estimate(
        climate_zone=zone,
        soil_class=soil,
        land_use="grazing-land",
        baseline=baseline,
        practice=practice,
        **kwargs,
    )


def test_no_till_in_cool_temperate_moist_clay_2019_reaches_4_per_1000():
    # Table 2.3 (2019): C1 x HAC = 81 ±5 %; Table 5.5 (2019): F_LU long-term cultivated,
    # cool temperate/boreal moist = 0.70 ±12 %; F_MG no-till = 1.09 ±4 %, full tillage 1.00.
    result = crop("cool-temperate-moist", "high-activity-clay", area_ha=100)
    assert result.soc_ref_t_c_ha == 81
    assert result.baseline_stock_t_c_ha == pytest.approx(81 * 0.70)
    assert result.practice_stock_t_c_ha == pytest.approx(81 * 0.70 * 1.09)
    assert result.change_t_c_ha_yr == pytest.approx(81 * 0.70 * 0.09 / 20)  # 0.255
    assert result.per_mille_yr == pytest.approx(4.5)
    assert result.meets_4_per_1000 is True
    assert (result.years, result.depth_cm, result.edition) == (20, 30, "2019")
    assert result.area_change_t_c_yr == pytest.approx(25.515)
    assert result.area_change_t_c_20yr == pytest.approx(510.3)
    # Approach 1: the ‰ carries only the two tillage factors (F_LU cancels): ±1.09 x 4 % x 50.
    low, high = result.uncertainty["per_mille_yr"]
    assert (low, high) == (pytest.approx(4.5 - 2.18), pytest.approx(4.5 + 2.18))
    half = (81 * 0.70 / 20) * ((1.09 * 0.04) ** 2 + (0.09**2) * (0.05**2 + 0.12**2)) ** 0.5
    assert result.uncertainty["change_t_c_ha_yr"] == (
        pytest.approx(0.25515 - half),
        pytest.approx(0.25515 + half),
    )


def test_every_cell_used_is_cited_with_table_page_and_role():
    result = crop("cool-temperate-moist", "high-activity-clay")
    cited = [(c.quantity, c.row, c.value, c.applies_to) for c in result.sources]
    assert cited == [
        ("SOC_REF", "Cool temperate moist (C1)", 81, ""),
        ("F_LU", "long-term cultivated", 0.70, "both"),
        ("F_MG", "full tillage", 1.00, "baseline"),
        ("F_MG", "no-till", 1.09, "practice"),
        ("F_I", "medium", 1.00, "both"),
    ]
    assert result.sources[0].page == "p.2.35" and result.sources[0].uncertainty_pct == 5
    assert result.sources[3].page == "pp.5.27-5.28"
    assert "Table 5.5" in result.sources[3].source and "2019" in result.sources[3].source


def test_no_till_2006_uses_the_2006_rows():
    # 2006: Table 2.3 cold temperate moist x HAC = 95; F_LU temperate/boreal moist 0.69;
    # F_MG no-till temperate/boreal moist 1.15.
    result = crop("cool-temperate-moist", "high-activity-clay", edition="2006")
    assert result.soc_ref_t_c_ha == 95
    assert result.change_t_c_ha_yr == pytest.approx(95 * 0.69 * 0.15 / 20)  # 0.4916
    assert result.per_mille_yr == pytest.approx(7.5)
    assert result.edition == "2006"


def test_more_residues_on_warm_temperate_moist_low_activity_clay():
    # 2019: W1 x LAC = 55; F_LU warm temperate moist 0.69; F_I high without manure
    # (temperate/boreal and tropical, moist/wet) 1.11 against medium 1.00.
    result = crop(
        "warm-temperate-moist",
        "low-activity-clay",
        practice=("long-term-cultivated", "full-tillage", "high-input"),
    )
    assert result.change_t_c_ha_yr == pytest.approx(55 * 0.69 * 0.11 / 20)
    assert result.per_mille_yr == pytest.approx(5.5)


def test_restoring_severely_degraded_tropical_grassland_2019():
    # 2019: T4 x LAC = 19; Table 6.2: severely degraded 0.7, improved (tropical) 1.17,
    # high input 1.11, F_LU 1.0.
    result = graze(
        "tropical-dry", "low-activity-clay", ("severely-degraded",), ("improved", "high-input")
    )
    assert result.baseline_stock_t_c_ha == pytest.approx(19 * 0.7)
    assert result.practice_stock_t_c_ha == pytest.approx(19 * 1.17 * 1.11)
    assert result.change_t_c_ha_yr == pytest.approx(19 * (1.17 * 1.11 - 0.7) / 20)
    assert result.per_mille_yr == pytest.approx(1000 * (1.17 * 1.11 / 0.7 - 1) / 20)
    assert result.meets_4_per_1000


def test_ending_moderate_degradation_2006_stays_below_4_per_1000():
    # 2006: warm temperate dry x HAC = 38; moderately degraded (temperate/boreal) 0.95.
    result = graze(
        "warm-temperate-dry",
        "high-activity-clay",
        ("moderately-degraded",),
        ("nominally-managed",),
        edition="2006",
    )
    assert result.change_t_c_ha_yr == pytest.approx(38 * 0.05 / 20)
    assert result.per_mille_yr == pytest.approx(1000 * (1 / 0.95 - 1) / 20)  # 2.63
    assert not result.meets_4_per_1000
    assert any("UNVERIFIED" in cell.note for cell in result.sources)


@pytest.mark.parametrize(
    ("call", "kind", "words"),
    [
        (
            lambda: crop("tropical-montane", "high-activity-clay"),
            "no_factor_row",
            "long-term cultivated × Tropical montane",
        ),
        (lambda: crop("polar-moist", "high-activity-clay"), "no_zone_row", "Polar moist"),
        (lambda: crop("polar-dry", "sandy", edition="2006"), "no_zone_row", "Table 2.3"),
        (lambda: crop("warm-temperate-dry", "spodic"), "soil_not_in_zone", "does not normally"),
        (lambda: crop("tropical-moist", "spodic"), "soil_no_data", "no data"),
        (
            lambda: crop("boreal-moist", "low-activity-clay", edition="2006"),
            "soil_not_in_zone",
            "Boreal × low activity clay",
        ),
        (lambda: crop("cool-temperate-moist", "organic"), "organic_soil", "emission factors"),
        (
            lambda: graze(
                "tropical-dry", "sandy", ("moderately-degraded",), ("improved", "high-input")
            ),
            "level_not_in_edition",
            "moderately degraded",
        ),
        (
            lambda: graze(
                "tropical-dry",
                "sandy",
                ("high-intensity-grazing",),
                ("nominally-managed",),
                edition="2006",
            ),
            "level_not_in_edition",
            "high intensity grazing",
        ),
        (
            lambda: graze(
                "polar-dry", "high-activity-clay", ("severely-degraded",), ("nominally-managed",)
            ),
            "no_zone_row",
            "Table 6.2",
        ),
    ],
)
def test_no_ipcc_default_says_which_table_and_cell(call, kind, words):
    with pytest.raises(carbon.NoDefault) as answer:
        call()
    assert answer.value.kind == kind
    assert words in answer.value.reason
    assert answer.value.table.startswith("IPCC ") and answer.value.cell


def test_tropical_montane_tillage_has_a_2006_default_but_is_not_borrowed_in_2019():
    assert crop("tropical-montane", "sandy", edition="2006").per_mille_yr == pytest.approx(8.0)
    with pytest.raises(carbon.NoDefault):
        crop("tropical-montane", "sandy")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"climate_zone": "temperate"}, "climate_zone"),
        ({"soil_class": "clay"}, "soil_class"),
        ({"land_use": "forest"}, "land_use"),
        ({"baseline": ("long-term-cultivated", "full-tillage")}, "baseline"),
        (
            {"practice": ("long-term-cultivated", "no-till", "reduced-tillage", "medium-input")},
            "practice",
        ),
        ({"practice": ("long-term-cultivated", "zero-till", "medium-input")}, "practice"),
        ({"edition": "1996"}, "edition"),
        ({"area_ha": -1}, "area_ha"),
        ({"area_ha": float("nan")}, "area_ha"),
        ({"area_ha": "lots"}, "area_ha"),
    ],
)
def test_wrong_input_names_the_field(kwargs, field):
    args = {
        "climate_zone": "cool-temperate-moist",
        "soil_class": "sandy",
        "land_use": "cropland",
        "baseline": CROP_BASE,
        "practice": NO_TILL,
        **kwargs,
    }
    with pytest.raises(carbon.EstimateError) as error:
        carbon.estimate(**args)
    assert error.value.field == field


def test_grassland_input_only_on_improved_grassland_and_required_there():
    with pytest.raises(carbon.EstimateError, match="improved grassland only"):
        graze(
            "tropical-dry", "sandy", ("severely-degraded", "high-input"), ("improved", "high-input")
        )
    with pytest.raises(carbon.EstimateError) as error:
        graze("tropical-dry", "sandy", ("severely-degraded",), ("improved",))
    assert error.value.field == "practice"


def test_levels_in_any_order_or_comma_separated_give_one_management():
    assert carbon.management(
        "cropland", "medium-input,no-till,long-term-cultivated"
    ) == carbon.Management("cropland", NO_TILL)


def test_management_levels_follow_the_edition_with_three_languages():
    groups_2019 = carbon.management_levels("grazing-land", "2019")
    groups_2006 = carbon.management_levels("grazing-land", "2006")
    assert "high-intensity-grazing" in groups_2019[0].codes()
    assert "moderately-degraded" not in groups_2019[0].codes()
    assert "moderately-degraded" in groups_2006[0].codes()
    assert not groups_2019[1].required
    cropland = carbon.management_levels("cropland")
    assert [group.name for group in cropland] == ["land_use", "tillage", "input"]
    assert cropland[1].codes() == ("full-tillage", "reduced-tillage", "no-till")
    for group in (*cropland, *groups_2019):
        for item in group.terms:
            assert {"en", "fr", "es"} <= set(item.labels)
    assert cropland[2].terms[3].label("fr") == "Apports élevés avec fumier"


def test_every_zone_soil_and_level_answers_or_says_no_default():
    """No combination may match two table rows or fail in another way."""
    assert set(ZONES) == set(carbon.tables.zones())
    for edition, zone, soil in itertools.product(carbon.EDITIONS, ZONES, SOILS):
        for levels in itertools.product(
            *(g.codes() for g in carbon.management_levels("cropland", edition))
        ):
            with contextlib.suppress(carbon.NoDefault):
                crop(zone, soil, practice=levels, edition=edition)


def test_to_dict_is_plain_json():
    data = crop("cool-temperate-moist", "high-activity-clay", area_ha=10).to_dict()
    assert data["baseline_stock_t_c_ha"] == 56.7
    assert data["uncertainty"]["per_mille_yr"] == [2.32, 6.68]
    assert data["sources"][0]["table"] == "Table 2.3"
    assert data["area_change_t_c_yr"] == 2.5515


_cropland_levels = st.tuples(
    *(st.sampled_from(g.codes()) for g in carbon.management_levels("cropland"))
)


@given(
    zone=st.sampled_from(ZONES),
    soils=st.tuples(st.sampled_from(SOILS), st.sampled_from(SOILS)),
    baseline=_cropland_levels,
    practice=_cropland_levels,
)
def test_per_mille_does_not_depend_on_the_reference_stock(zone, soils, baseline, practice):
    try:
        first, second = (crop(zone, soil, baseline, practice) for soil in soils)
    except carbon.NoDefault:
        assume(False)
    assert first.per_mille_yr == pytest.approx(second.per_mille_yr)
    assert first.uncertainty["per_mille_yr"] == pytest.approx(second.uncertainty["per_mille_yr"])


@given(
    zone=st.sampled_from(ZONES),
    soil=st.sampled_from(SOILS),
    levels=_cropland_levels,
    edition=st.sampled_from(carbon.EDITIONS),
)
def test_no_change_stores_nothing(zone, soil, levels, edition):
    try:
        result = crop(zone, soil, levels, levels, edition=edition)
    except carbon.NoDefault:
        assume(False)
    assert result.change_t_c_ha_yr == 0 and result.per_mille_yr == 0
    assert result.uncertainty["change_t_c_ha_yr"] == (0, 0)
    assert not result.meets_4_per_1000


@given(
    zone=st.sampled_from(ZONES),
    soil=st.sampled_from(SOILS),
    baseline=_cropland_levels,
    practice=_cropland_levels,
    edition=st.sampled_from(carbon.EDITIONS),
)
def test_swapping_baseline_and_practice_changes_the_sign(zone, soil, baseline, practice, edition):
    try:
        forward = crop(zone, soil, baseline, practice, edition=edition)
        backward = crop(zone, soil, practice, baseline, edition=edition)
    except carbon.NoDefault:
        assume(False)
    assert backward.change_t_c_ha_yr == pytest.approx(-forward.change_t_c_ha_yr)
    assert (forward.per_mille_yr > 0) == (backward.per_mille_yr < 0) or forward.per_mille_yr == 0
    low, high = forward.uncertainty["change_t_c_ha_yr"]
    assert backward.uncertainty["change_t_c_ha_yr"] == (pytest.approx(-high), pytest.approx(-low))
