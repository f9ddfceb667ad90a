"""Measures: validation, the IPCC estimate each one carries, revisions, the publication
workflow and who may do what (issue 14)."""

import pytest
from sqlmodel import func, select

from practices import measure_table, measures, profiles
from practices.models import AuditEvent, Measure, MeasureRevision, Role

NO_TILL = {
    "land_use": "cropland",
    "climate_zone": "cool-temperate-moist",
    "soil_class": "high-activity-clay",
    "baseline": ["long-term-cultivated", "full-tillage", "medium-input"],
    "practice": ["long-term-cultivated", "no-till", "medium-input"],
}


def count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


@pytest.fixture
def partner(session, make_organization, make_user):
    organization = make_organization("Sahel Soils")
    manager = make_user(organization=organization)
    moderator = make_user(Role.MODERATOR)
    profiles.grant_manager(session, organization, manager, actor=moderator)
    session.commit()
    return organization, manager, moderator


def test_a_measure_carries_its_ipcc_estimate(session, partner, make_sheet):
    organization, manager, _moderator = partner
    make_sheet("No-till farming")
    measure = measures.create(
        session,
        organization,
        {
            "title": "No-till in the Beauce",
            "sheets": ["no-till-farming"],
            "area_ha": "100",
            "start_year": "2021",
            "status": "ongoing",
            "country": "FR",
            "locations": [[1.5, 48.3]],
            **NO_TILL,
        },
        author=manager,
    )
    session.commit()
    assert measure.state == "draft"
    assert measure.estimated_per_mille_yr == pytest.approx(4.5)
    assert measure.estimated_t_c_yr == pytest.approx(25.515)
    assert measures.sheet_slugs(session, measure) == ["no-till-farming"]


def test_where_the_tables_are_silent_the_measure_says_no_ipcc_default(session, partner):
    organization, manager, _moderator = partner
    measure = measures.create(
        session,
        organization,
        {"title": "Peat", "area_ha": 10, **NO_TILL, "soil_class": "organic"},
        author=manager,
    )
    assert measure.estimated_t_c_yr is None
    assert measure.estimate_note == "No IPCC default"


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"title": ""}, "title"),
        ({"status": "someday"}, "status"),
        ({"country": "XX"}, "country"),
        ({"area_ha": "lots"}, "area_ha"),
        ({"area_ha": "-3"}, "area_ha"),
        ({"start_year": "2020", "end_year": "2019"}, "end_year"),
        ({"locations": [[200, 10]]}, "locations"),
        ({"sheets": ["no-such-sheet"]}, "sheets"),
    ],
)
def test_wrong_input_is_refused_naming_the_field(session, partner, raw, field):
    organization, manager, _moderator = partner
    with pytest.raises(measures.MeasureError) as refused:
        measures.create(session, organization, {"title": "A measure", **raw}, author=manager)
    assert field in refused.value.errors
    assert count(session, Measure) == 0


def test_another_organisations_manager_cannot_add_or_edit_measures(
    session, partner, make_organization, make_user
):
    organization, manager, moderator = partner
    other = make_organization("Elsewhere")
    outsider = make_user(organization=other)
    profiles.grant_manager(session, other, outsider, actor=moderator)
    measure = measures.create(session, organization, {"title": "Mulch"}, author=manager)
    with pytest.raises(PermissionError):
        measures.create(session, organization, {"title": "Not mine"}, author=outsider)
    with pytest.raises(PermissionError):
        measures.revise(session, measure, {"title": "Taken over"}, author=outsider)
    with pytest.raises(PermissionError):
        measures.submit(session, measure, actor=outsider)
    assert measure.title == "Mulch"


def test_drafts_are_published_by_moderators_only_and_every_step_is_recorded(session, partner):
    organization, manager, moderator = partner
    measure = measures.create(session, organization, {"title": "Mulch"}, author=manager)
    measures.revise(
        session, measure, {"title": "Mulch and compost"}, author=manager, summary="compost too"
    )
    measures.submit(session, measure, actor=manager)
    with pytest.raises(PermissionError):
        measures.publish(session, measure, actor=manager)
    measures.publish(session, measure, actor=moderator)
    session.commit()
    assert measure.state == "published"
    revisions = measures.history(session, measure)
    assert [revision.number for revision in revisions] == [2, 1]
    changes = measures.compare(revisions[1], revisions[0])
    assert [change.name for change in changes] == ["title"]
    actions = list(
        session.exec(
            select(AuditEvent.action)
            .where(AuditEvent.target_type == "measure")
            .order_by(AuditEvent.id)
        )
    )
    assert actions == ["measure.create", "measure.edit", "measure.submit", "measure.publish"]
    assert count(session, MeasureRevision) == 2


def test_drafts_are_visible_only_to_those_entitled(session, partner, make_user):
    organization, manager, moderator = partner
    draft = measures.create(session, organization, {"title": "Draft"}, author=manager)
    shown = measures.create(session, organization, {"title": "Shown"}, author=manager)
    measures.publish(session, shown, actor=moderator)
    session.commit()
    stranger = make_user()
    assert [m.title for m in measures.visible(session, None)] == ["Shown"]
    assert [m.title for m in measures.visible(session, stranger)] == ["Shown"]
    assert {m.id for m in measures.visible(session, manager)} == {draft.id, shown.id}
    assert {m.id for m in measures.visible(session, moderator)} == {draft.id, shown.id}


def test_a_table_imports_with_a_dry_run_and_rejects_bad_rows_whole(session, partner, tmp_path):
    organization, manager, _moderator = partner
    path = tmp_path / "measures.csv"
    path.write_text(
        "title,area_ha,locations,land_use,climate_zone,soil_class,baseline,practice\n"
        'No-till,100,"48.3, 1.5",cropland,cool-temperate-moist,high-activity-clay,'
        "long-term-cultivated;full-tillage;medium-input,"
        "long-term-cultivated;no-till;medium-input\n"
        ",12,,,,,,\n"
        "Huge,-5,,,,,,\n"
    )
    report = measure_table.import_rows(session, organization, path, author=manager, dry_run=True)
    session.rollback()
    assert [row.outcome for row in report.rows] == ["created", "rejected", "rejected"]
    assert count(session, Measure) == 0
    report = measure_table.import_rows(session, organization, path, author=manager)
    session.commit()
    measure = session.get(Measure, report.rows[0].measure_id)
    assert measure.locations == [[1.5, 48.3]]
    assert measure.estimated_per_mille_yr == pytest.approx(4.5)
    exported = measure_table.to_csv(session, [measure])
    again = tmp_path / "again.csv"
    again.write_text(exported)
    second = measure_table.import_rows(session, organization, again, author=manager)
    copy = session.get(Measure, second.rows[0].measure_id)
    assert measures.snapshot(session, copy) == measures.snapshot(session, measure)
