"""Image uploads: real images are stored under a random name, anything else is refused."""

import io

from PIL import Image


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, "PNG")
    return buffer.getvalue()


def test_image_upload_gives_markdown_to_paste(client, login, make_user):
    login(make_user())
    response = client.post("/uploads/", data={"file": (io.BytesIO(png_bytes()), "field.png")},
                           content_type="multipart/form-data")
    assert response.status_code == 200
    url = response.text.split("](", 1)[1].split(")", 1)[0]
    with client.get(url) as image:
        assert image.status_code == 200 and image.mimetype == "image/png"
        assert image.headers["X-Content-Type-Options"] == "nosniff"


def test_html_disguised_as_an_image_is_refused(client, login, make_user):
    login(make_user())
    fake = io.BytesIO(b"<html><script>alert(1)</script></html>")
    response = client.post("/uploads/", data={"file": (fake, "photo.png")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "not a PNG, JPEG, GIF or WebP image" in response.text


def test_readers_cannot_upload(client):
    response = client.post("/uploads/", data={"file": (io.BytesIO(png_bytes()), "a.png")},
                           content_type="multipart/form-data")
    assert response.status_code == 302 and "/login" in response.location


def test_an_uploaded_photo_keeps_its_pixels_not_where_it_was_taken(client, login, make_user):
    from tests.wiki.test_photos import GPS, phone_photo

    login(make_user())
    response = client.post("/uploads/", data={"file": (io.BytesIO(phone_photo(60, 30)),
                                                       "IMG_2041.jpg")},
                           content_type="multipart/form-data")
    url = response.text.split("](", 1)[1].split(")", 1)[0]
    with client.get(url) as served, Image.open(io.BytesIO(served.data)) as image:
        assert image.format == "JPEG"
        assert GPS not in image.getexif() and 0x010F not in image.getexif()
        assert image.size == (30, 60)  # turned upright as the camera said
        assert image.getpixel((15, 5))[0] > 200  # the red half is now on top
