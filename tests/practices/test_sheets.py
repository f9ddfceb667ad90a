"""The revision model: every save is a revision, reverts add one, stale edits are refused."""

import pytest
from sqlmodel import select

from practices import sheets
from practices.fields import InvalidFields
from practices.models import ChangeLogEntry, SheetTerm


def content(title="Alley cropping", body="Rows of trees.", **fields):
    return sheets.Content.checked(title=title, summary="", body=body, fields=fields)


def test_every_save_is_a_revision(session, make_sheet, make_user):
    sheet = make_sheet(body="First.")
    editor = make_user()
    for text in ("Second.", "Third."):
        sheets.revise(session, sheet, content(body=text), author=editor,
                      base_revision_id=sheet.current_revision_id, edit_summary="more")
        session.commit()
    numbers = [revision.number for revision in sheets.history(session, sheet)]
    assert numbers == [3, 2, 1]
    assert sheets.current_revision(session, sheet).body == "Third.\n"


def test_stale_edit_is_refused_and_keeps_the_newer_save(session, make_sheet, make_user):
    sheet = make_sheet()
    first = sheet.current_revision_id
    sheets.revise(session, sheet, content(body="one"), author=make_user(),
                  base_revision_id=first)
    session.commit()
    with pytest.raises(sheets.StaleRevision) as conflict:
        sheets.revise(session, sheet, content(body="two"), author=make_user(),
                      base_revision_id=first)
    session.rollback()
    assert conflict.value.current.number == 2
    assert sheets.current_revision(session, sheet).body == "one\n"
    assert len(sheets.history(session, sheet)) == 2


def test_revert_adds_a_revision_with_the_old_content(session, make_sheet, make_user):
    sheet = make_sheet(body="Original.", agro_climatic_zones=["arid"])
    sheets.revise(session, sheet, content(body="Vandalised.", agro_climatic_zones=["humid"]),
                  author=make_user(), base_revision_id=sheet.current_revision_id)
    session.commit()
    revision = sheets.revert(session, sheet, 1, author=make_user())
    session.commit()
    assert revision.number == 3 and revision.reverted_from == 1
    assert revision.body == "Original.\n"
    assert revision.fields["agro_climatic_zones"] == ["arid"]
    terms = session.exec(select(SheetTerm.code).where(SheetTerm.sheet_id == sheet.id)).all()
    assert set(terms) == {"arid"}


def test_saving_identical_content_stores_nothing(session, make_sheet, make_user):
    sheet = make_sheet(body="Same.")
    with pytest.raises(sheets.NothingChanged):
        sheets.revise(session, sheet, content(body="Same."), author=make_user(),
                      base_revision_id=sheet.current_revision_id)
    assert len(sheets.history(session, sheet)) == 1


def test_rename_keeps_the_old_slug_working(session, make_sheet, make_user):
    sheet = make_sheet(title="Zai pits")
    sheets.revise(session, sheet, content(title="Zaï planting pits", body=""), author=make_user(),
                  base_revision_id=sheet.current_revision_id, new_slug="zai-planting-pits")
    session.commit()
    found, redirected = sheets.find(session, "zai-pits")
    assert found.id == sheet.id and redirected
    assert sheets.find(session, "zai-planting-pits") == (sheet, False)


def test_slug_of_another_sheet_cannot_be_taken(session, make_sheet, make_user):
    make_sheet(title="Biochar")
    other = make_sheet(title="Compost")
    with pytest.raises(sheets.SlugTaken):
        sheets.rename(session, other, "biochar")


def test_soft_delete_hides_and_restore_brings_back(session, make_sheet):
    sheet = make_sheet()
    sheets.soft_delete(session, sheet)
    session.commit()
    assert sheets.find(session, sheet.slug) == (None, False)
    assert sheets.find(session, sheet.slug, include_deleted=True)[0].id == sheet.id
    sheets.restore(session, sheet)
    session.commit()
    assert sheets.find(session, sheet.slug)[0].id == sheet.id
    assert len(sheets.history(session, sheet)) == 1  # nothing was lost


def test_every_change_is_logged_for_the_search_index(session, make_sheet, make_user):
    sheet = make_sheet()
    sheets.revise(session, sheet, content(body="edit"), author=make_user(),
                  base_revision_id=sheet.current_revision_id)
    sheets.soft_delete(session, sheet)
    sheets.restore(session, sheet)
    session.commit()
    kinds = session.exec(select(ChangeLogEntry.kind).where(ChangeLogEntry.sheet_id == sheet.id)
                         .order_by(ChangeLogEntry.id)).all()
    assert kinds == ["revision", "revision", "delete", "restore"]


def test_structured_values_are_copied_for_filters(session, make_sheet):
    sheet = make_sheet(countries=["BF", "NE"], agro_climatic_zones=["semi-arid"],
                       soc_change_t_c_ha_yr=0.4)
    terms = set(session.exec(select(SheetTerm.facet, SheetTerm.code)
                             .where(SheetTerm.sheet_id == sheet.id)).all())
    assert {("countries", "BF"), ("countries", "NE"), ("agro_climatic_zones", "semi-arid"),
            ("regions", "western-africa")} <= terms
    assert sheet.soc_change_t_c_ha_yr == 0.4 and sheet.region == "western-africa"


@pytest.mark.parametrize(("fields", "bad"), [
    ({"agro_climatic_zones": ["tropical-savanna"]}, "agro_climatic_zones"),
    ({"locations": [[200, 10]]}, "locations"),
    ({"yield_change_pct": "lots"}, "yield_change_pct"),
    ({"soc_change_t_c_ha_yr": 99}, "soc_change_t_c_ha_yr"),
    ({"practice_groups": ["agroforestry", "windbreak", "area-closure", "home-gardens"]},
     "practice_groups"),
    ({"impacts": {"soil_organic_matter": 5}}, "impacts"),
    ({"rainfall_mm_min": 900, "rainfall_mm_max": 300}, "rainfall_mm_max"),
    ({"cost_currency": "dollars"}, "cost_currency"),
])
def test_bad_structured_values_are_refused_with_the_field_named(fields, bad):
    with pytest.raises(InvalidFields) as invalid:
        sheets.Content.checked(title="T", fields=fields)
    assert set(invalid.value.errors) == {bad}


def test_empty_title_is_refused():
    with pytest.raises(InvalidFields) as invalid:
        sheets.Content.checked(title="  ", body="text")
    assert "title" in invalid.value.errors
