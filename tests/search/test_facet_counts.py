"""Facet counts from the index equal the database's, for any combination of filters."""

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practices import catalog, sheets
from practices.models import Role
from search.schema import FACETS

CHOICES = {
    "agro_climatic_zones": ["humid", "sub-humid", "semi-arid", "arid"],
    "practice_groups": ["agroforestry", "water-harvesting", "improved-ground-cover",
                        "minimal-soil-disturbance"],
    "land_use": ["cropland", "grazing-land", "forest"],
    "measures": ["A1", "A2", "V1"],
    "degradation_addressed": ["Wt", "Cn", "Bc"],
    "ipcc_soil_classes": ["sandy", "low-activity-clay"],
    "ipcc_climate_zones": ["tropical-dry", "warm-temperate-moist"],
    "countries": ["BF", "NE", "KE", "FR", "ES"],
}
# Index facet -> the database browse's name for it (regions and language included).
COMPARED = {facet: field for facet, field in FACETS.items() if field in catalog.FILTERABLE}


@pytest.fixture
def corpus(make_sheet, make_user, session):
    rng = random.Random(4)
    author = make_user()
    for number in range(40):
        fields = {name: rng.sample(codes, rng.randint(0, min(3, len(codes))))
                  for name, codes in CHOICES.items()}
        status = rng.choice(["published"] * 4 + ["draft", "in_review"])
        sheet = make_sheet(f"Practice {number}", author=author, status=status,
                           language=rng.choice(["en", "fr", "es"]),
                           **{name: codes for name, codes in fields.items() if codes})
        if number % 9 == 0:
            sheets.soft_delete(session, sheet)
            session.commit()
    return author


VALUES = {facet: CHOICES.get(field, []) for facet, field in COMPARED.items()}
VALUES["region"] = ["western-africa", "eastern-africa", "southern-europe", "western-europe"]
VALUES["language"] = ["en", "fr", "es"]


@st.composite
def filters_strategy(draw):
    facets = draw(st.lists(st.sampled_from(sorted(COMPARED)), max_size=3, unique=True))
    return {facet: draw(st.lists(st.sampled_from(VALUES[facet]), min_size=1, max_size=3))
            for facet in facets}


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(chosen=filters_strategy())
def test_counts_and_results_equal_the_database_for_random_filters(corpus, find, session, chosen):
    page = find(per_page="100", **chosen)
    database_filters = {COMPARED[facet]: codes for facet, codes in chosen.items()}
    browse = catalog.browse(session, database_filters, per_page=100)
    assert page.total == browse.total
    assert {hit.sheet_id for hit in page.hits} == {sheet.id for sheet in browse.sheets}
    for facet, field in COMPARED.items():
        expected = (browse.facet_counts["language"] if field == "language"
                    else catalog.facet_counts(session, database_filters, field))
        assert page.counts[facet] == {code: n for code, n in expected.items() if n}, facet


def test_a_moderator_counts_drafts_too(corpus, find, make_user):
    readers = find(per_page="100")
    moderators = find(per_page="100", user=make_user(Role.MODERATOR))
    assert moderators.total > readers.total
    assert sum(moderators.counts["status"].values()) == moderators.total
