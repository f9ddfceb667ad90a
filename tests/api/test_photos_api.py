"""The API and the map list a sheet's photos (issue 16), and an update that says nothing of
them keeps them (the gallery is changed on the sheet's photos page)."""

import io

from PIL import Image

from practices import gallery
from practices.models import Role
from practices.upload_store import DatabaseStore


def jpeg(width=700, height=400) -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "olive").save(out, "JPEG")
    out.seek(0)
    return out


def test_sheet_lists_its_photos_and_an_update_keeps_them(client, session, make_sheet,
                                                         make_user, make_token):
    editor = make_user(Role.MODERATOR)
    sheet = make_sheet("Zai pits", author=editor, locations=[[-1.5, 12.4]])
    gallery.add(session, sheet, DatabaseStore(), jpeg(), {
        "alt": "Pits dug in a crusted field", "caption": "Before the rains",
        "credit": "M. Sawadogo", "license": "cc-by-sa-4.0"},
        original_name="zai.jpg", author=editor, base_revision_id=sheet.current_revision_id)
    session.commit()

    photos = client.get(f"/api/v1/practices/{sheet.slug}").get_json()["photos"]
    assert [(p["alt"], p["caption"], p["credit"], p["license"]) for p in photos] == [
        ("Pits dug in a crusted field", "Before the rains", "M. Sawadogo", "cc-by-sa-4.0")]
    assert (photos[0]["width"], photos[0]["height"]) == (700, 400)
    assert [size["width"] for size in photos[0]["sizes"]] == [320, 640]
    for url in [photos[0]["url"]] + [size["url"] for size in photos[0]["sizes"]]:
        assert client.get(url).mimetype == "image/webp"

    feature = client.get("/api/v1/map/features?layer=practices").get_json()["features"][0]
    assert feature["properties"]["photo_alt"] == "Pits dug in a crusted field"
    thumbnail = client.get(f"/uploads/{feature['properties']['photo']}")  # the map popup's
    assert thumbnail.mimetype == "image/webp" and b"VP8" in thumbnail.data[:40]

    response = client.put(f"/api/v1/practices/{sheet.slug}", headers=make_token(editor), json={
        "title": "Zai pits", "body": "Pits with manure.", "base_revision": 2})
    assert response.status_code == 200, response.text
    assert response.get_json()["revision"]["number"] == 3
    assert [p["alt"] for p in response.get_json()["photos"]] == ["Pits dug in a crusted field"]
    revision = client.get(f"/api/v1/practices/{sheet.slug}/revisions/2").get_json()
    assert revision["photos"][0]["alt"] == "Pits dug in a crusted field"
