"""Photos first (issue 16): an editor adds a photo to a sheet; the gallery shows at the top of
the sheet and on the result cards; a reader saves the sheet and sees its photos offline.

The photos are drawn here for the test (a sky, a field and its rows); the demo data set has
none, as it has no real photos to show."""

import io
import random

import pytest
from PIL import Image, ImageDraw
from sqlmodel import select

from practices import accounts, demo, gallery
from practices.models import Role, Sheet
from practices.upload_store import DatabaseStore
from tests.browser.conftest import PASSWORD, SCREENSHOTS, save_screenshot, serving
from tests.browser.test_offline import ready
from tests.browser.test_phone_layout import axe_problems, overflow

pytestmark = pytest.mark.browser
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 900}


def field_photo(seed: int, width: int = 1200, height: int = 800) -> bytes:
    """A picture with a sky, a field and rows of plants, different for each seed."""
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height), (150, 190, 225))
    draw = ImageDraw.Draw(image)
    horizon = height * rng.randint(30, 45) // 100
    draw.rectangle((0, horizon, width, height), fill=(150 + rng.randint(-20, 20), 110, 70))
    for row in range(horizon + 30, height, 60):
        for x in range(rng.randint(0, 40), width, 80):
            size = 8 + (row - horizon) // 25
            green = (60, 120 + rng.randint(0, 60), 50)
            draw.ellipse((x, row, x + size, row + size // 2), fill=green)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


@pytest.fixture(scope="module")
def photo_server(tmp_path_factory):
    def fill(session):
        demo.load(session)
        editor = accounts.create_user(session, email="editor@example.org", name="Photo editor",
                                      password=PASSWORD, role=Role.MODERATOR)
        session.commit()
        zai = session.exec(select(Sheet).where(Sheet.slug == "zai-pits-burkina-faso")).one()
        for number, sheet in enumerate(session.exec(select(Sheet).where(
                Sheet.language == "en").order_by(Sheet.id).limit(3)).all()):
            if sheet.id != zai.id:
                gallery.add(session, sheet, DatabaseStore(), io.BytesIO(field_photo(number)), {
                    "alt": f"A field of {sheet.title.lower()}", "license": "cc-by-4.0"},
                    original_name="field.jpg", author=editor,
                    base_revision_id=sheet.current_revision_id)
        gallery.add(session, zai, DatabaseStore(), io.BytesIO(field_photo(7)), {
            "alt": "Rows of sorghum growing out of zaï pits",
            "caption": "The first season after digging the pits",
            "credit": "Test photographer", "license": "cc-by-sa-4.0"},
            original_name="zai.jpg", author=editor, base_revision_id=zai.current_revision_id)
        session.commit()
        return zai.slug

    with serving(tmp_path_factory.mktemp("photos"), fill) as (base, slug):
        yield base, slug


def shoot(page, name: str) -> None:
    save_screenshot(page, f"{name}")


def loaded_photos(page) -> int:
    return page.evaluate("Array.from(document.querySelectorAll('.gallery img'))"
                         ".filter(img => img.complete && img.naturalWidth > 0).length")


def test_photos_on_the_sheet_the_cards_and_offline(photo_server, browser, tmp_path):
    base, slug = photo_server
    # bypass_csp lets the test inject axe-core; the pages' own policy stays strict
    editor = browser.new_context(viewport=DESKTOP, locale="en-GB", bypass_csp=True)
    page = editor.new_page()
    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill("editor@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{base}/practices/{slug}")
    page.get_by_role("link", name="Edit the photos").click()
    assert axe_problems(page) == []
    (tmp_path / "pits.jpg").write_bytes(field_photo(11, 900, 1200))
    page.get_by_label("Image file").set_input_files(str(tmp_path / "pits.jpg"))
    page.get_by_label("Alt text").last.fill("A farmer digging a zaï pit with a hoe")
    page.get_by_label("Caption").last.fill("Pits are dug in the dry season")
    page.get_by_label("Licence").last.select_option("cc-by-4.0")
    page.get_by_role("button", name="Add the photo").click()
    assert "The photo was added." in page.content()
    page.goto(f"{base}/practices/{slug}/history")
    assert "Added a photo: A farmer digging a zaï pit with a hoe" in page.content()
    editor.close()

    # bypass_csp lets the test inject axe-core; the pages' own policy stays strict
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", bypass_csp=True)
    reader = context.new_page()
    # Every width in both languages when screenshots are wanted; otherwise two of them.
    views = [(width, viewport, language) for width, viewport in (("desktop", DESKTOP),
             ("phone", PHONE)) for language in ("en", "fr")
             if SCREENSHOTS or (width, language) in (("desktop", "en"), ("phone", "fr"))]
    for width, viewport, language in views:
        reader.set_viewport_size(viewport)
        reader.goto(f"{base}/practices/{slug}?lang={language}")
        reader.locator(".gallery img").last.scroll_into_view_if_needed()
        reader.wait_for_function("Array.from(document.querySelectorAll('.gallery img'))"
                                 ".every(img => img.complete && img.naturalWidth > 0)")
        assert reader.locator(".gallery img").count() == 2
        lead = reader.locator(".gallery img").first
        assert lead.get_attribute("alt") == "Rows of sorghum growing out of zaï pits"
        reader.evaluate("window.scrollTo(0, 0)")
        assert lead.bounding_box()["y"] < viewport["height"]  # the photo comes first
        assert overflow(reader) == 0
        shoot(reader, f"sheet-photos-{width}-{language}")
    assert axe_problems(reader) == []
    reader.goto(f"{base}/practices/?lang=en")
    assert reader.locator(".hit__photo").count() >= 3
    shoot(reader, "results-photos-phone-en")
    reader.set_viewport_size(DESKTOP)
    reader.goto(f"{base}/practices/?lang=fr")
    french_zai = reader.locator(".hit", has_text="Le zaï pour restaurer")  # the English one's
    assert french_zai.locator(".hit__photo").count() == 1
    shoot(reader, "results-photos-desktop-fr")
    reader.goto(f"{base}/practices/{slug}")  # on paper: the photos, each caption under its own
    reader.emulate_media(media="print")
    for figure in reader.locator(".gallery__photo").all():
        photo, caption = figure.locator("img").bounding_box(), \
            figure.locator("figcaption").bounding_box()
        assert photo["height"] > 50 and caption["y"] >= photo["y"] + photo["height"] - 1
    assert reader.locator(".gallery__manage").count() == 0 or \
        not reader.locator(".gallery__manage").is_visible()
    context.close()

    # A reader saves the sheet and opens it with no connection: the photos are there.
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    reader = context.new_page()
    reader.goto(f"{base}/practices/{slug}")
    ready(reader)
    reader.get_by_role("button", name="Save offline").click()
    reader.wait_for_selector("[data-saved=true]")
    context.set_offline(True)
    # The photos must come from what was saved, not from the browser's own cache (which may
    # be emptied any day).
    photo_answers = []
    reader.on("response", lambda response: photo_answers.append(response.from_service_worker)
              if "/uploads/" in response.url else None)
    reader.goto(f"{base}/practices/{slug}")
    reader.wait_for_selector("[data-offline-copy]:not([hidden])")
    assert "offline" in reader.locator("[data-offline-copy]").inner_text()
    reader.locator(".gallery img").last.scroll_into_view_if_needed()
    reader.wait_for_function("Array.from(document.querySelectorAll('.gallery img'))"
                             ".every(img => img.complete)")
    assert loaded_photos(reader) == 2
    assert photo_answers and all(photo_answers)
    context.close()
