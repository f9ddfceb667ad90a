"""A manager corrects a measure, sees what changed in its history, brings the old version
back (a new revision), and downloads the organisation's measures as a spreadsheet that
re-imports (issue 14)."""

import re

import pytest
from playwright.sync_api import expect

from practices import accounts, measure_table, measures, profiles
from practices.models import Organization, Role
from tests.browser.conftest import PASSWORD, serving
from tests.browser.test_partners_story import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def records_server(tmp_path_factory):
    def fill(session):
        organization = Organization(slug="sahel-soils", name="Sahel Soils")
        session.add(organization)
        session.flush()
        manager = accounts.create_user(session, email="manager@example.org", name="Mia Manager",
                                       password=PASSWORD, role=Role.CONTRIBUTOR,
                                       organization_id=organization.id)
        moderator = accounts.create_user(session, email="moderator@example.org",
                                         name="Mo Moderator", password=PASSWORD,
                                         role=Role.MODERATOR)
        profiles.grant_manager(session, organization, manager, actor=moderator)
        measure = measures.create(session, organization, {
            "title": "Zai pits in Yatenga", "status": "ongoing", "country": "BF",
            "area_ha": 120, "start_year": 2020}, author=manager, summary="first record")
        measures.publish(session, measure, actor=moderator)
        session.commit()
        return measure.id

    with serving(tmp_path_factory.mktemp("records"), fill) as (base, measure_id):
        yield base, measure_id


def test_manager_corrects_compares_reverts_and_exports(records_server, page, shoot, tmp_path):
    base, measure_id = records_server
    sign_in(page, base, "manager@example.org")
    page.goto(f"{base}/measures/{measure_id}")
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Area (ha)").fill("1500")
    page.get_by_label("Status").select_option("completed")
    page.get_by_label("Edit summary").fill("area from the survey")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_text("The measure is saved.")).to_be_visible()
    expect(page.locator(".group-meta")).to_contain_text("1,500 ha")

    page.get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", name="History of the measure")).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(2)
    shoot("measure-history")
    page.get_by_role("button", name="Compare selected revisions").click()
    area = page.locator(".diff__field", has_text="Area (ha)")
    expect(area.locator("del")).to_have_text("120")
    expect(area.locator("ins")).to_have_text("1500")
    expect(page.locator(".diff__field", has_text="Status").locator("ins")).to_have_text(
        "Completed")
    shoot("measure-diff")
    page.get_by_role("button", name="Revert to revision 1").click()
    expect(page.get_by_text("Reverted to revision 1 (saved as a new revision).")).to_be_visible()
    expect(page.locator(".group-meta")).to_contain_text("120 ha")
    shoot("measure-page")

    page.goto(f"{base}/organizations/sahel-soils")
    shoot("measure-export-buttons")
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name == "measures-sahel-soils.xlsx"
    rows = [row for _number, row in measure_table.read_rows(path)]
    assert [(row["title"], row["area_ha"], row["status"]) for row in rows] == [
        ("Zai pits in Yatenga", "120", "ongoing")]
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: the table still fits
    page.goto(f"{base}/measures/{measure_id}/history")
    expect(page.locator("tbody tr").first).to_contain_text(re.compile("Reverted to revision 1"))
    shoot("measure-history-phone")
