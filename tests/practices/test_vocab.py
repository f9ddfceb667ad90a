"""The controlled vocabularies: what forms, facets, the API and WOCAT importers rely on."""

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pycountry
import pytest

from practices.vocab import (
    VOCABULARIES,
    country_from_wocat,
    region_of_country,
    to_dict,
    vocabulary,
)

REPO = Path(__file__).resolve().parents[2]
WOCAT = Path(__file__).resolve().parents[3] / "shared" / "wocat"
needs_wocat = pytest.mark.skipif(
    not WOCAT.is_dir(), reason=f"WOCAT reference files not found at {WOCAT} (not shipped)")

# The codes of the project's vocabulary contract, in display order.
CONTRACT = {
    "agro_climatic_zones": "humid sub-humid semi-arid arid",
    "ipcc_climate_zones": "tropical-montane tropical-wet tropical-moist tropical-dry "
                          "warm-temperate-moist warm-temperate-dry cool-temperate-moist "
                          "cool-temperate-dry boreal-moist boreal-dry polar-moist polar-dry",
    "ipcc_soil_classes": "high-activity-clay low-activity-clay sandy spodic volcanic wetland "
                         "organic",
    "land_use": "cropland grazing-land forest mixed settlements waterways mines unproductive "
                "other",
    "practice_groups": "natural-forest-management forest-plantation-management agroforestry "
                       "windbreak area-closure rotational-systems grazing-land-management "
                       "integrated-crop-livestock improved-ground-cover minimal-soil-disturbance "
                       "integrated-soil-fertility cross-slope-measure integrated-pest-management "
                       "improved-varieties water-harvesting irrigation-management "
                       "water-diversion-drainage surface-water-management groundwater-management "
                       "wetland-management waste-management energy-efficiency "
                       "small-livestock-beekeeping-aquaculture home-gardens ecosystem-based-drr "
                       "post-harvest",
    "measure_types": "agronomic vegetative structural management other",
    "measures": " ".join([*(f"A{i}" for i in range(1, 7)), *(f"V{i}" for i in range(1, 6)),
                          *(f"S{i}" for i in range(1, 12)), *(f"M{i}" for i in range(1, 8))]),
    "degradation_types": "water-erosion wind-erosion chemical physical biological "
                         "water-degradation other",
    "degradation_addressed": "Wt Wg Wm Wr Wc Wo Et Ed Eo Cn Ca Cp Cs Pc Pk Pi Pw Ps Pu "
                             "Bc Bh Bq Bf Bs Bl Bp Ha Hs Hg Hp Hq Hw",
    "purposes": "improve-production reduce-land-degradation protect-watershed "
                "conserve-ecosystem preserve-biodiversity reduce-disaster-risk "
                "climate-adaptation climate-mitigation economic-benefit social-benefit",
    "basis": "field_experience scientific both",
    "altitude": "0-100 101-500 501-1000 1001-1500 1501-2000 2001-2500 2501-3000 3001-4000 "
                "over-4000",
    "slope": "flat gentle moderate rolling hilly steep very-steep",
    "rainfall_classes": "under-250 251-500 501-750 751-1000 1001-1500 1501-2000 2001-3000 "
                        "3001-4000 over-4000",
    "soil_texture": "coarse medium fine",
    "soil_depth": "very-shallow shallow moderately-deep deep very-deep",
    "topsoil_organic_matter": "low medium high",
    "regions": "northern-africa eastern-africa middle-africa southern-africa western-africa "
               "caribbean central-america south-america northern-america central-asia "
               "eastern-asia south-eastern-asia southern-asia western-asia eastern-europe "
               "northern-europe channel-islands southern-europe western-europe "
               "australia-and-new-zealand melanesia micronesia polynesia",
    "licenses": "cc-by-4.0 cc-by-sa-4.0 cc-by-nc-sa-3.0 cc0-1.0",
    # The IPCC Tier 1 management levels a sheet records (issue 13).
    "carbon_land_uses": "cropland grazing-land",
    "carbon_levels": "long-term-cultivated paddy-rice perennial-tree-crop set-aside "
                     "nominally-managed high-intensity-grazing moderately-degraded "
                     "severely-degraded improved full-tillage reduced-tillage no-till "
                     "low-input medium-input high-input high-input-manure",
}
KEBAB = r"[a-z0-9]+(-[a-z0-9]+)*"
CODE_PATTERNS = {  # the documented exceptions to kebab-case
    "measures": r"[AVSM]\d{1,2}",
    "degradation_addressed": r"[WECPBH][a-z]",
    "countries": r"[A-Z]{2}",
    "basis": r"[a-z]+(_[a-z]+)*",
    "languages": r"[a-z]{2}",
    "licenses": r"cc[a-z0-9.-]+",
}
PARENTS = {"measures": "measure_types", "degradation_addressed": "degradation_types",
           "countries": "regions"}


def all_terms():
    return [(name, term) for name, vocab in VOCABULARIES.items() for term in vocab]


def test_the_registry_holds_every_vocabulary_of_the_contract():
    assert set(VOCABULARIES) == set(CONTRACT) | {"countries", "languages"}
    for name, codes in CONTRACT.items():
        assert vocabulary(name).codes == tuple(codes.split()), name


def test_an_unknown_vocabulary_is_a_clear_error():
    with pytest.raises(KeyError, match="unknown vocabulary 'crops'.*practice_groups"):
        vocabulary("crops")


def test_the_26_slm_groups_are_offered_in_three_languages_at_most_three_per_sheet():
    groups = vocabulary("practice_groups")
    assert len(groups) == 26
    assert groups.max_items == 3
    assert groups.label("agroforestry", "fr") == "Agroforesterie"
    assert groups.label("agroforestry", "es") == "Agroforestería"
    assert all(term.labels.keys() >= {"en", "fr", "es"} for term in groups)


@pytest.mark.parametrize("name", sorted(CONTRACT) + ["countries", "languages"])
def test_every_term_has_english_french_and_spanish_labels(name):
    for term in vocabulary(name):
        for lang in ("en", "fr", "es"):
            assert term.labels.get(lang, "").strip(), (name, term.code, lang)


@pytest.mark.parametrize("name", sorted(CONTRACT) + ["countries", "languages"])
def test_codes_are_unique_and_follow_the_documented_form(name):
    codes = vocabulary(name).codes
    assert len(set(codes)) == len(codes)
    pattern = CODE_PATTERNS.get(name, KEBAB)
    assert [code for code in codes if not re.fullmatch(pattern, code)] == []


@pytest.mark.parametrize("name", sorted(CONTRACT) + ["countries", "languages"])
def test_labels_tell_terms_apart_in_each_language(name):
    for lang in ("en", "fr", "es"):
        labels = [term.label(lang) for term in vocabulary(name)]
        assert len(set(labels)) == len(labels), (name, lang)


@pytest.mark.parametrize("name", sorted(CONTRACT) + ["countries", "languages"])
def test_every_label_leads_back_to_its_code(name):
    vocab = vocabulary(name)
    for term in vocab:
        for text in (term.code, *term.labels.values(), term.label("en").upper()):
            assert vocab.from_label(text) == term.code, (name, text)


@pytest.mark.parametrize("name, parent_name", PARENTS.items())
def test_parents_are_terms_of_the_parent_vocabulary(name, parent_name):
    parents = vocabulary(parent_name)
    assert {term.parent for term in vocabulary(name)} - {None} <= set(parents.codes)


def test_children_list_the_measures_of_a_type():
    measures = vocabulary("measures")
    assert [t.code for t in measures.children("structural")] == [f"S{i}" for i in range(1, 12)]
    assert measures.get("A1").parent == "agronomic"
    assert vocabulary("degradation_addressed").get("Wt").parent == "water-erosion"


def test_labels_fall_back_to_english_and_unknown_codes_show_as_themselves():
    zones = vocabulary("agro_climatic_zones")
    assert zones.label("semi-arid", "fr") == "Semi-aride"
    assert zones.label("semi-arid", "fr_FR") == "Semi-aride"
    assert zones.label("semi-arid", "de") == "Semi-arid"
    assert zones.get("semi-arid").label("es") == "Semiárido"
    assert zones.label("retired-zone") == "retired-zone"
    assert "semi-arid" in zones and "Semi-arid" not in zones and None not in zones


def test_choices_feed_a_form_select():
    assert vocabulary("slope").choices("es")[0] == ("flat", "Plana (0-2 %)")
    countries = vocabulary("countries").choices("fr", sort=True)
    assert countries[0] == ("AF", "Afghanistan")
    assert ("DE", "Allemagne") in countries


@pytest.mark.parametrize("name, key, code", [
    ("agro_climatic_zones", "tech_agroclimatic_zone_semiarid", "semi-arid"),
    ("agro_climatic_zones", "SEMIARID", "semi-arid"),
    ("agro_climatic_zones", "semiarid", "semi-arid"),
    ("land_use", "tech_lu_grazingland", "grazing-land"),
    ("land_use", "GRAZINGLAND", "grazing-land"),
    ("land_use", "tech_lu_mixed", "mixed"),
    ("land_use", "Ms", "mixed"),
    ("practice_groups", "tech_slm_group_crossslope", "cross-slope-measure"),
    ("practice_groups", "CROSSSLOPE", "cross-slope-measure"),
    ("practice_groups", "FOREST", "natural-forest-management"),
    ("measure_types", "VEGETATIVE", "vegetative"),
    ("measure_types", "tech_measures_indirect", "other"),
    ("measures", "measures_structural_s2", "S2"),
    ("measures", "S2", "S2"),
    ("measures", "measures_agronomic_a6_residue_management", "A6"),
    ("degradation_types", "EROSION_WATER", "water-erosion"),
    ("degradation_types", "degradation_water", "water-degradation"),
    ("degradation_addressed", "degradation_wt", "Wt"),
    ("degradation_addressed", "Wt", "Wt"),
    ("degradation_addressed", "WT", "Wt"),
    ("purposes", "main_purpose_production", "improve-production"),
    ("purposes", "DEGRADATION", "reduce-land-degradation"),
    ("purposes", "ADAPTION", "climate-adaptation"),
    ("rainfall_classes", "tech_rainfall_251_500", "251-500"),
    ("rainfall_classes", "LESS_250", "under-250"),
    ("rainfall_classes", "4001_PLUS", "over-4000"),
    ("altitude", "tech_altitudinalzone_4000_plus", "over-4000"),
    ("altitude", "100_500", "101-500"),
    ("slope", "tech_slopes_verysteep", "very-steep"),
    ("slope", "STEEP", "steep"),
    ("soil_depth", "tech_soil_depth_moderatelydeep", "moderately-deep"),
    ("soil_depth", "SHALLOW", "shallow"),
    ("soil_texture", "COARSE", "coarse"),
    ("topsoil_organic_matter", "tech_topsoil_organic_low", "low"),
    ("topsoil_organic_matter", "LOW", "low"),
    ("countries", "country_AFG", "AF"),
])
def test_wocat_keywords_and_api_enums_map_to_codes(name, key, code):
    assert vocabulary(name).from_wocat(key) == code


@pytest.mark.parametrize("name, key", [
    ("agro_climatic_zones", "tech_agroclimatic_zone_tropical"),
    ("agro_climatic_zones", "semi-arid"),  # a code, not a WOCAT key
    ("land_use", "CROSSSLOPE"),  # a key of another vocabulary
    ("measures", ""),
    ("measures", None),
])
def test_unknown_wocat_keys_map_to_nothing(name, key):
    assert vocabulary(name).from_wocat(key) is None


@pytest.mark.parametrize("name, text, code", [
    ("agro_climatic_zones", "Semi-aride", "semi-arid"),
    ("agro_climatic_zones", "SEMIÁRIDO", "semi-arid"),
    ("agro_climatic_zones", "semi arid", "semi-arid"),
    ("measures", "S2: Bunds, banks", "S2"),
    ("measures", "Bunds, banks", "S2"),
    ("measures", "bunds/ banks", "S2"),
    ("measures", "S11: Others", "S11"),
    ("measures", "A7: Others", "A6"),
    ("degradation_addressed", "Wo: offsite degradation effects", "Wo"),
    ("degradation_addressed", "Et: loss of topsoil", "Et"),
    ("land_use", "Forest/ woodlands", "forest"),
    ("land_use", "Terres cultivées", "cropland"),
    ("slope", "very steep (>60%)", "very-steep"),
    ("slope", "Vallonnée", "hilly"),
    ("altitude", "1,501-2,000 m a.s.l.", "1501-2000"),
    ("rainfall_classes", "751-1,000 mm", "751-1000"),
    ("topsoil_organic_matter", "low (<1%)", "low"),
    ("practice_groups", "ground water management", "groundwater-management"),
    ("purposes", "protect a watershed/ downstream areas â€“ in combination with other "
                 "Technologies", "protect-watershed"),  # mojibake as the qcat API sends it
    ("licenses", "CC BY-NC-SA 3.0", "cc-by-nc-sa-3.0"),
    ("languages", "Français", "fr"),
    ("countries", "Allemagne", "DE"),
])
def test_labels_in_any_language_map_to_codes(name, text, code):
    assert vocabulary(name).from_label(text) == code


@pytest.mark.parametrize("name, text", [
    ("agro_climatic_zones", "Tropical rainforest"),
    ("agro_climatic_zones", ""),
    ("measures", "Others"),  # four measures are "Others" in WOCAT: never guess
    ("measures", "S2: Terraces"),  # code and label disagree
    ("measures", "X9: Bunds, banks"),
    ("degradation_addressed", "offsite degradation effects"),
    ("countries", "Atlantis"),
])
def test_unknown_or_ambiguous_labels_map_to_nothing(name, text):
    assert vocabulary(name).from_label(text) is None


@pytest.mark.parametrize("alpha2, region", [
    ("BF", "western-africa"), ("BR", "south-america"), ("FR", "western-europe"),
    ("KE", "eastern-africa"), ("MX", "central-america"), ("US", "northern-america"),
    ("IN", "southern-asia"), ("VN", "south-eastern-asia"), ("JE", "channel-islands"),
    ("GB", "northern-europe"), ("NZ", "australia-and-new-zealand"), ("fj", "melanesia"),
])
def test_region_of_country_follows_un_m49(alpha2, region):
    assert region_of_country(alpha2) == region


def test_every_iso_country_has_a_region_except_antarctica():
    regions = vocabulary("regions")
    missing = [c.alpha_2 for c in pycountry.countries if region_of_country(c.alpha_2) is None]
    assert missing == ["AQ"]
    assert {region_of_country(c.alpha_2) for c in pycountry.countries} - {None} == set(
        regions.codes)
    assert region_of_country("XX") is None and region_of_country(None) is None


def test_countries_are_every_iso_country_grouped_by_region():
    countries = vocabulary("countries")
    assert len(countries) == len(pycountry.countries)
    assert countries.get("BF").parent == "western-africa"
    assert "AF" in [t.code for t in countries.children("southern-asia")]
    assert countries.label("CI", "es") == "Costa de Marfil"


@pytest.mark.parametrize("value", ["country_AFG", "AFG", "AF", "af", "Afghanistan",
                                   "Afganistán", " country_AFG "])
def test_country_from_wocat_reads_every_form_wocat_uses(value):
    assert country_from_wocat(value) == "AF"


@pytest.mark.parametrize("value, code", [("Turkey", "TR"), ("Cape Verde", "CV"),
                                         ("Swaziland", "SZ"), ("Bolivia", "BO")])
def test_country_from_wocat_knows_former_names(value, code):
    assert country_from_wocat(value) == code


@pytest.mark.parametrize("value", ["country_XYZ", "Atlantis", "", None])
def test_country_from_wocat_does_not_guess(value):
    assert country_from_wocat(value) is None


def test_to_dict_is_json_for_the_api():
    data = json.loads(json.dumps(to_dict()))
    assert set(data) == set(VOCABULARIES)
    groups = data["practice_groups"]
    assert groups["labels"]["fr"] == "Groupe de pratiques"
    assert groups["multiple"] is True and groups["max_items"] == 3
    assert data["basis"]["multiple"] is False
    first = groups["terms"][0]
    assert set(first) == {"code", "labels", "parent", "descriptions"}
    assert set(first["labels"]) == {"en", "fr", "es"}
    assert data["measures"]["terms"][0]["parent"] == "agronomic"


def test_to_dict_in_one_language():
    zones = to_dict("es")["agro_climatic_zones"]
    assert zones["labels"] == {"es": "Zona agroclimática"}
    assert zones["terms"][2]["labels"] == {"es": "Semiárido"}
    assert zones["terms"][2]["descriptions"] == {"es": "Duración del período de crecimiento "
                                                       "75-179 días"}


def test_terms_cannot_be_changed_by_their_users():
    term = vocabulary("slope").get("flat")
    with pytest.raises(TypeError):
        term.labels["en"] = "Level"


def test_importing_the_vocabularies_does_not_load_pycountry():
    # pycountry is slow to import; the app should pay for it only when countries are needed.
    code = "import sys, practices.vocab; print('pycountry' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                            text=True, check=True)
    assert result.stdout.strip() == "False"


# --- Against WOCAT's own questionnaire and records (reference files, not shipped) ---------

CSV_KEYS = {  # qcat question keyword -> vocabulary
    "tech_agroclimatic_zone": "agro_climatic_zones", "tech_landuse": "land_use",
    "tech_landuse_2018": "land_use", "tech_slm_group": "practice_groups",
    "tech_measures": "measure_types", "tech_degradation": "degradation_types",
    "tech_slopes": "slope", "tech_altitudinalzone": "altitude", "tech_rainfall": "rainfall_classes",
    "tech_soil_depth": "soil_depth", "tech_soil_texture_topsoil": "soil_texture",
    "tech_soil_texture_20cm": "soil_texture", "tech_topsoil_organic": "topsoil_organic_matter",
    "tech_main_purpose": "purposes", "country": "countries",
}


def vocabulary_of_key(key: str) -> str | None:
    if re.fullmatch(r"tech_measures_\w+_sub", key):
        return "measures"
    if re.fullmatch(r"degradation_\w+_sub", key):
        return "degradation_addressed"
    return CSV_KEYS.get(key)


def wocat_values():
    """(vocabulary, value keyword, English label) of every coded value in the two CSVs."""
    folder = WOCAT / "vocabulary"
    sources = [("qcat_technologies_2015_keys_values.csv", "key", "value_label"),
               ("qcat_technologies_2018_edition_new_values.csv", "question_keyword", "label_en")]
    for filename, key_column, label_column in sources:
        with open(folder / filename, encoding="utf-8") as file:
            for row in csv.DictReader(file):
                name = vocabulary_of_key(row[key_column])
                if name and row["value_keyword"]:
                    yield name, row["value_keyword"], row[label_column]


@needs_wocat
def test_every_wocat_classification_value_maps_to_a_code():
    values = list(wocat_values())
    assert {name for name, _, _ in values} == set(CSV_KEYS.values()) | {
        "measures", "degradation_addressed"}
    unmapped = [(name, key) for name, key, _ in values if not vocabulary(name).from_wocat(key)]
    assert unmapped == []


@needs_wocat
def test_every_wocat_english_label_maps_to_the_same_code_as_its_keyword():
    # The qcat API v2 answers with English labels, not keywords.
    wrong = [(name, key, label) for name, key, label in wocat_values()
             if vocabulary(name).from_label(label) != vocabulary(name).from_wocat(key)]
    assert wrong == []


@needs_wocat
def test_a_real_new_api_record_maps_completely():
    record = json.loads((WOCAT / "samples" / "wocat-db-api-technology-7810.json").read_text())
    version = record["selected_version"]
    fields = {"agroclimatic_zone": "agro_climatic_zones", "rainfall": "rainfall_classes",
              "altitudinalzone": "altitude", "slopes": "slope", "soil_depth": "soil_depth",
              "soil_texture_topsoil": "soil_texture", "topsoil_organic": "topsoil_organic_matter",
              "slm_group": "practice_groups", "main_purpose": "purposes"}
    pairs = [(name, value) for field, name in fields.items() for value in version[field]]
    pairs += [("land_use", value) for value in version["landuse"]["value"]]
    pairs += [("measure_types", value) for value in version["slm_measures"]["value"]]
    pairs += [("measures", code) for key in ("agronomic", "vegetative", "structural", "management")
              for code in version["slm_measures"][key]]
    pairs += [("degradation_types", value) for value in version["degradation"]["value"]]
    pairs += [("degradation_addressed", code) for key, codes in version["degradation"].items()
              if key not in ("value", "other") and isinstance(codes, list) for code in codes]
    assert len(pairs) > 20
    assert [(name, value) for name, value in pairs if not vocabulary(name).from_wocat(value)] == []
    assert country_from_wocat(version["country"]) == "SA"


@needs_wocat
def test_a_real_qcat_v2_detail_maps_completely():
    detail = json.loads((WOCAT / "samples" / "qcat-v2-detail-technologies_1724.json").read_text(
        encoding="utf-8"))
    found = []

    def walk(node):
        if isinstance(node, dict):
            for key, child in node.items():
                name = vocabulary_of_key(key)
                if name and isinstance(child, dict) and isinstance(child.get("value"), list):
                    for answer in child["value"]:
                        for value in answer.get("values") or [answer.get("value")]:
                            label = value[0] if isinstance(value, list) else value
                            if label:
                                found.append((name, label))
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(detail)
    assert len(found) > 10
    assert [(name, label) for name, label in found if not vocabulary(name).from_label(label)] == []
