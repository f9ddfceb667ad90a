"""A sheet's gallery (issue 16): photos cleaned of their metadata, upright, in several sizes;
every change a revision; refusals leave nothing behind."""

import io

import pytest
from PIL import Image
from sqlmodel import func, select

from practices import sheets
from practices.models import Revision, Role, Upload

GPS = 0x8825
ORIENTATION = 0x0112


def phone_photo(width=1400, height=700, *, orientation=6, fmt="JPEG") -> bytes:
    """A photo as a phone saves it: sideways pixels with an EXIF orientation, and where it was
    taken. Left half red, right half blue, so that "upright" can be checked."""
    image = Image.new("RGB", (width, height), "blue")
    image.paste("red", (0, 0, width // 2, height))
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[GPS] = {1: "N", 2: (12.0, 21.0, 36.0), 3: "W", 4: (1.0, 31.0, 12.0)}
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, fmt, exif=exif)
    return out.getvalue()


def add_photo(client, sheet, data, **form):
    base = form.pop("base", None) or sheet.current_revision_id
    fields = {"base_revision_id": str(base), "alt": "Stone bunds across a bare slope",
              "caption": "After the first rains", "credit": "A. Ouédraogo",
              "license": "cc-by-4.0"} | form
    fields["file"] = (io.BytesIO(data), "IMG_2041.jpg")
    return client.post(f"/practices/{sheet.slug}/photos", data=fields,
                       content_type="multipart/form-data")


@pytest.fixture
def editor(make_user, login):
    return login(make_user(Role.MODERATOR))


def uploads_count(session):
    return session.exec(select(func.count()).select_from(Upload)).one()


def test_photo_is_upright_without_location_in_every_size_and_on_the_card(client, session, editor,
                                                                  make_sheet):
    sheet = make_sheet("Zaï pits")
    response = add_photo(client, sheet, phone_photo())
    assert response.status_code == 303
    page = client.get(f"/practices/{sheet.slug}").text
    assert 'alt="Stone bunds across a bare slope"' in page
    assert "After the first rains" in page and "Photo: A. Ouédraogo" in page
    assert 'srcset="' in page and 'width="700" height="1400"' in page  # upright: tall
    session.expire_all()
    photo = sheets.current_revision(session, session.get(sheets.Sheet, sheet.id)).fields[
        "photos"][0]
    assert photo["widths"] == [320, 640]  # narrower than the 700 px photo
    for name in [photo["file"]] + [f"{photo['file'][:-5]}-{w}.webp" for w in photo["widths"]]:
        served = client.get(f"/uploads/{name}")
        assert served.status_code == 200
        assert served.headers["Content-Type"] == "image/webp"
        assert "immutable" in served.headers["Cache-Control"]
        image = Image.open(io.BytesIO(served.data))
        assert not image.getexif() and "exif" not in image.info and "xmp" not in image.info
        assert GPS not in image.getexif()
        assert b"PhoneMaker" not in served.data
        assert image.height > image.width  # turned upright
        top, bottom = image.convert("RGB").getpixel((image.width // 2, 2)), \
            image.convert("RGB").getpixel((image.width // 2, image.height - 3))
        assert top[0] > 200 and bottom[2] > 200  # the camera's left (red) is now on top
    cards = client.get("/practices/").text  # the result card shows it too, small
    assert 'class="hit__photo"' in cards and 'alt="Stone bunds across a bare slope"' in cards


def bomb() -> bytes:
    out = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, "PNG")  # 144 Mpx in a few kB
    return out.getvalue()


def test_refused_photo_says_why_and_stores_nothing(app, client, session, editor, make_sheet):
    sheet = make_sheet("Zaï pits")
    photo = phone_photo(700, 350)
    for data, form, message in [
        (b"%PDF-1.4 not an image at all", {}, "not a JPEG, PNG, GIF or WebP image"),
        (photo[: len(photo) // 2], {}, "not a JPEG, PNG, GIF or WebP image"),  # cut short
        (bomb(), {}, "million pixels"),  # refused before a pixel is decoded
        (photo, {"alt": ""}, "alt text"),
        (photo, {"alt": "IMG_2041.jpg"}, "file name"),
        (photo, {"license": "mine"}, "licence"),
    ]:
        response = add_photo(client, sheet, data, **form)
        assert response.status_code == 422, message
        assert message in response.text
        assert uploads_count(session) == 0
        assert len(sheets.history(session, sheet)) == 1
    app.config["MAX_CONTENT_LENGTH"] = 50_000  # more than the wiki accepts in one request
    response = add_photo(client, sheet, b"\xff\xd8" + bytes(60_000))
    assert response.status_code == 413 and "larger than this wiki accepts" in response.text
    assert uploads_count(session) == 0


def test_only_editors_of_the_sheet_change_its_gallery(client, session, make_user, make_sheet,
                                                      login, make_organization):
    sheet = make_sheet("Zaï pits", status="draft", organization=make_organization())
    login(make_user(Role.CONTRIBUTOR, organization=make_organization()))
    assert client.get(f"/practices/{sheet.slug}/photos").status_code == 404
    assert add_photo(client, sheet, phone_photo()).status_code == 404
    assert uploads_count(session) == 0
    client.post("/logout")
    assert client.get(f"/practices/{sheet.slug}/photos").status_code in (302, 401)


def test_gallery_changes_are_revisions_in_history_and_diff(client, session, editor,
                                                           make_sheet):
    sheet = make_sheet("Zaï pits", body="Dig pits.\n")
    add_photo(client, sheet, phone_photo(orientation=1))
    session.expire_all()
    second_base = session.get(sheets.Sheet, sheet.id).current_revision_id
    add_photo(client, sheet, phone_photo(900, 600, orientation=1), base=second_base,
              alt="Sorghum growing in the pits")
    session.expire_all()
    current = sheets.current_revision(session, session.get(sheets.Sheet, sheet.id))
    first, second = (photo["file"] for photo in current.fields["photos"])
    response = client.post(f"/practices/{sheet.slug}/photos/{second}/move",
                           data={"base_revision_id": current.id, "direction": "earlier"})
    assert response.status_code == 303
    session.expire_all()
    moved = session.get(sheets.Sheet, sheet.id)
    assert moved.cover_photo["alt"] == "Sorghum growing in the pits"
    response = client.post(f"/practices/{sheet.slug}/photos/{first}/remove",
                           data={"base_revision_id": moved.current_revision_id})
    assert response.status_code == 303
    history = client.get(f"/practices/{sheet.slug}/history").text
    assert "Added a photo: Stone bunds across a bare slope" in history
    assert "Removed a photo: Stone bunds across a bare slope" in history
    diff = client.get(f"/practices/{sheet.slug}/diff/4/5").text
    assert "Photos" in diff and "Stone bunds across a bare slope" in diff
    # The file is still there for the older revisions, and a revert brings the photo back.
    assert client.get(f"/uploads/{first}").status_code == 200
    assert "Stone bunds across a bare slope" in client.get(
        f"/practices/{sheet.slug}/revisions/4").text
    session.expire_all()
    shown = session.get(sheets.Sheet, sheet.id).current_revision_id  # the page's base
    client.post(f"/practices/{sheet.slug}/revert/4", data={"base_revision_id": shown})
    assert "Stone bunds across a bare slope" in client.get(f"/practices/{sheet.slug}").text


def test_stale_gallery_change_is_refused(client, session, editor, make_sheet):
    sheet = make_sheet("Zaï pits")
    first = sheet.current_revision_id
    add_photo(client, sheet, phone_photo(orientation=1))
    response = add_photo(client, sheet, phone_photo(900, 600, orientation=1), base=first,
                         alt="Sorghum growing in the pits")
    assert response.status_code == 409
    session.expire_all()
    current = sheets.current_revision(session, session.get(sheets.Sheet, sheet.id))
    assert [photo["alt"] for photo in current.fields["photos"]] == [
        "Stone bunds across a bare slope"]


def test_text_edit_keeps_the_gallery(client, session, editor, make_sheet):
    sheet = make_sheet("Zaï pits")
    add_photo(client, sheet, phone_photo(orientation=1))
    session.expire_all()
    base = session.get(sheets.Sheet, sheet.id).current_revision_id
    response = client.post(f"/practices/{sheet.slug}/edit", data={
        "title": "Zaï pits", "body": "New text.", "base_revision_id": base,
        "language": "en", "license": "cc-by-4.0"})
    assert response.status_code == 303
    latest = session.exec(select(Revision).where(Revision.sheet_id == sheet.id)
                          .order_by(Revision.number.desc())).first()
    assert latest.body == "New text.\n" and len(latest.fields["photos"]) == 1


def test_translation_without_photos_shows_the_originals_cover_with_its_credit(
        client, session, make_sheet, make_user):
    from practices import gallery
    from practices.upload_store import DatabaseStore

    english = make_sheet("Zaï pits")
    french = make_sheet("Le zaï", language="fr")
    french.translation_of_id = english.id
    session.commit()
    gallery.add(session, english, DatabaseStore(), io.BytesIO(phone_photo(orientation=1)), {
        "alt": "Stone bunds across a bare slope", "credit": "A. Ouédraogo",
        "license": "cc-by-4.0"}, original_name="x.jpg", author=make_user(),
        base_revision_id=english.current_revision_id)
    session.commit()
    page = client.get(f"/practices/{french.slug}?lang=fr").text
    assert 'alt="Stone bunds across a bare slope"' in page
    assert "A. Ouédraogo" in page and "CC BY 4.0" in page
    assert "autre version linguistique" in page
