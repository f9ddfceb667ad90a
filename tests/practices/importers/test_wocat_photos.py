"""A WOCAT record's photos come with it from the API (issue 16): captions, photographers and
the WOCAT licence kept, the files cleaned and stored; a photo that cannot be fetched is
reported and the record imported without it; a record read from a file says why it has none."""

import io

from PIL import Image

from practices.importers import wocat_photos
from practices.models import Upload
from practices.upload_store import DatabaseStore
from tests.practices.importers.conftest import sheet_by_source, write_json
from tests.practices.importers.synthetic import database_record, v2_detail, v2_summary
from tests.practices.importers.test_fake_apis import AUTH, patient


def jpeg(colour: str) -> bytes:
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (12.0, 21.0, 36.0)}  # where it was taken
    Image.new("RGB", (500, 300), colour).save(out, "JPEG", exif=exif)
    return out.getvalue()


def with_images(record: dict, *files: str) -> dict:
    record["selected_version"]["images"] = [
        {"id": index, "title": file.split("/")[-1], "file": file,
         "caption": {"en": f"Terraces after the rains, view {index}"},
         "photographer": {"en": "Jane Photographer"}, "renditions": {}}
        for index, file in enumerate(files, 1)]
    return record


def fetcher(client):
    return wocat_photos.PhotoFetcher(client, DatabaseStore())


def test_database_api_record_brings_its_photos_and_reports_the_missing_one(
        session, httpserver, run_wocat):
    record = with_images(database_record(7), "/media/qcat/originals/terraces.jpeg",
                         "/media/qcat/originals/gone.jpeg", "/media/qcat/originals/notes.txt")
    httpserver.expect_request("/api/database/technologies/", headers=AUTH).respond_with_json(
        [{"id": 7, "updated_at": record["selected_version"]["updated_at"]}])
    httpserver.expect_request("/api/database/technologies/7/", headers=AUTH).respond_with_json(
        record)
    httpserver.expect_request("/media/qcat/originals/terraces.jpeg").respond_with_data(
        jpeg("green"), content_type="image/jpeg")
    httpserver.expect_request("/media/qcat/originals/gone.jpeg").respond_with_data(
        "not found", status=404)
    httpserver.expect_request("/media/qcat/originals/notes.txt").respond_with_data(
        "plain text", content_type="image/jpeg")
    client = patient()
    report = run_wocat(httpserver.url_for("/api/database/technologies/"), client=client,
                       photo_fetcher=fetcher(client))

    [result] = report.results
    assert result.outcome == "created"
    assert any("gone.jpeg could not be fetched (HTTP 404)" in note for note in result.notes)
    assert any("notes.txt was left out" in note for note in result.notes)
    sheet = sheet_by_source(session, "wocat:technologies_7")
    assert sheet.cover_photo["alt"] == "Terraces after the rains, view 1"
    [photo] = _current_fields(session, sheet)["photos"]
    assert photo["caption"] == "Terraces after the rains, view 1"
    assert photo["credit"] == "Jane Photographer / WOCAT"
    assert photo["license"] == "cc-by-nc-sa-3.0"
    assert photo["source_url"].endswith("technologies_7/")
    stored = session.exec(Upload.__table__.select().where(
        Upload.stored_name == photo["file"])).first()
    assert stored is not None

    # The same record again, unchanged: the same files, nothing new written.
    client = patient()
    again = run_wocat(httpserver.url_for("/api/database/technologies/"), client=client,
                      photo_fetcher=fetcher(client), force=True)
    assert again.counts["unchanged"] == 1, again.results


def test_qcat_v2_photos_with_their_captions(session, httpserver, run_wocat):
    detail = v2_detail(101)
    groups = detail["section_general_information"]["children"]["tech__1"]["children"][
        "tech__1__1"]["children"]
    groups["qg_photos"] = {"label": "", "children": {
        "image": {"label": "Image", "value": [
            {"value": "/upload/16/b/bund.jpg", "preview_image": "/upload/90/c/small.jpg",
             "content_type": "image/jpeg"}]},
        "image_caption": {"label": "Caption", "value": [
            {"value": "Trenches dug across the slope"}]},
        "image_photographer": {"label": "Name of photographer", "value": [{"value": None}]}}}
    httpserver.expect_request("/en/api/v2/questionnaires/", headers=AUTH).respond_with_json(
        {"count": 1, "next": "", "previous": "", "results": [v2_summary(101)]})
    httpserver.expect_request("/en/api/v2/questionnaires/technologies_101/",
                              headers=AUTH).respond_with_json(detail)
    httpserver.expect_request("/upload/16/b/bund.jpg").respond_with_data(
        jpeg("brown"), content_type="image/jpeg")
    client = patient()
    run_wocat(httpserver.url_for("/en/api/v2/questionnaires/"), client=client,
              photo_fetcher=fetcher(client))
    sheet = sheet_by_source(session, "wocat:technologies_101")
    [photo] = _current_fields(session, sheet)["photos"]
    assert (photo["alt"], photo["caption"], photo["credit"]) == (
        "Trenches dug across the slope", "Trenches dug across the slope", "WOCAT")


def test_a_record_read_from_a_file_says_its_photos_were_not_brought(session, tmp_path,
                                                                    run_wocat):
    record = with_images(database_record(9), "/media/qcat/originals/terraces.jpeg")
    report = run_wocat(write_json(tmp_path / "technology-9.json", record))
    [result] = report.results
    assert result.outcome == "created"
    assert any("1 photo(s) not imported" in note for note in result.notes)
    assert "photos" not in _current_fields(session, sheet_by_source(
        session, "wocat:technologies_9"))


def _current_fields(session, sheet) -> dict:
    from practices import sheets

    return sheets.current_revision(session, sheet).fields
