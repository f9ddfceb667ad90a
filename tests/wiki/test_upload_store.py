"""Uploads live in a store shared by every node: the database by default (issue 12)."""

import io
import re
import secrets

import pytest
from PIL import Image
from sqlmodel import select

from practices import uploads
from practices.models import Upload, UploadBlob, UploadChunk
from practices.upload_store import CHUNK_BYTES
from wiki import create_app


def png_bytes(size: tuple[int, int] = (4, 4), noise: bool = False) -> bytes:
    image = Image.new("RGB", size, "green")
    if noise:  # incompressible, so the file spans several chunks
        image = Image.frombytes("RGB", size, secrets.token_bytes(size[0] * size[1] * 3))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def upload(client, data: bytes, name: str = "field.png"):
    response = client.post(
        "/uploads/", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )
    response.close()
    # the test client spools a large body to a temporary file and leaves it open
    response.request.environ["wsgi.input"].close()
    return response


def uploaded_url(response) -> str:
    assert response.status_code == 200, response.text
    return re.search(r"\]\((/uploads/[^)]+)\)", response.text).group(1)


@pytest.fixture
def node_b(app, tmp_path):
    """A second node: same database, its own (empty) UPLOAD_DIR and index."""
    other = create_app(
        {
            **app.config,
            "UPLOAD_DIR": str(tmp_path / "b-uploads"),
            "SEARCH_INDEX_DIR": str(tmp_path / "b-index"),
        },
        instance_path=str(tmp_path / "b-instance"),
    )
    yield other
    other.extensions["engine"].dispose()


def test_a_file_uploaded_on_one_node_is_served_by_another(
    client, login, make_user, node_b, session
):
    login(make_user())
    data = png_bytes((500, 500), noise=True)
    assert len(data) > 2 * CHUNK_BYTES
    url = uploaded_url(upload(client, data))
    with node_b.test_client().get(url) as served:
        assert served.status_code == 200 and served.mimetype == "image/png"
        assert served.data == data
        assert served.headers["X-Content-Type-Options"] == "nosniff"
    stored = session.exec(select(Upload)).one()
    assert (
        session.exec(select(UploadChunk).where(UploadChunk.sha256 == stored.sha256)).all().__len__()
        >= 3
    )


def test_the_same_image_uploaded_twice_is_stored_once(client, login, make_user, session):
    login(make_user())
    data = png_bytes()
    first, second = uploaded_url(upload(client, data)), uploaded_url(upload(client, data, "b.png"))
    assert first != second
    assert len(session.exec(select(UploadBlob)).all()) == 1
    for url in (first, second):
        with client.get(url) as served:
            assert served.data == data


def test_an_unchanged_file_answers_304(client, login, make_user):
    login(make_user())
    url = uploaded_url(upload(client, png_bytes()))
    with client.get(url) as served:
        etag = served.headers["ETag"]
        assert "immutable" in served.headers["Cache-Control"]
    with client.get(url, headers={"If-None-Match": etag}) as again:
        assert again.status_code == 304 and again.data == b""


def test_too_large_and_fake_images_are_refused_and_nothing_is_kept(
    client, login, make_user, session
):
    login(make_user())
    too_big = png_bytes() + b"\0" * uploads.MAX_UPLOAD_BYTES
    with upload(client, too_big) as response:
        assert response.status_code == 422 and "larger than 5 MB" in response.text
    with upload(client, b"<html><script>alert(1)</script></html>") as response:
        assert response.status_code == 422
    assert session.exec(select(UploadBlob)).all() == []
    assert session.exec(select(Upload)).all() == []


def test_filesystem_store_keeps_files_by_content(app, client, login, make_user, tmp_path):
    app.config["UPLOAD_STORE"] = "filesystem"
    login(make_user())
    data = png_bytes()
    url = uploaded_url(upload(client, data))
    files = [path for path in (tmp_path / "uploads" / "blobs").rglob("*") if path.is_file()]
    assert [path.read_bytes() for path in files] == [data]
    with client.get(url) as served:
        assert served.data == data


def test_unknown_upload_is_404(client):
    with client.get("/uploads/nothing-here.png") as response:
        assert response.status_code == 404


def legacy_uploads(session, folder, count: int) -> list[tuple[str, bytes]]:
    """Uploads as they were before the store: a row and a file in UPLOAD_DIR."""
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for number in range(count):
        data = png_bytes((number + 1, 1))
        name = f"legacy{number}.png"
        (folder / name).write_bytes(data)
        session.add(
            Upload(stored_name=name, original_name=name, content_type="image/png", size=len(data))
        )
        made.append((name, data))
    session.add(
        Upload(stored_name="lost.png", original_name="lost.png", content_type="image/png", size=1)
    )
    session.commit()
    return made


def test_uploads_migrate_moves_old_files_into_the_store_once(app, session, node_b, tmp_path):
    made = legacy_uploads(session, tmp_path / "uploads", 3)
    with node_b.test_client().get(f"/uploads/{made[0][0]}") as before:
        assert before.status_code == 404  # node B has no such file on its disk
    runner = app.test_cli_runner()
    result = runner.invoke(args=["uploads", "migrate"])
    assert result.exit_code == 0, result.output
    assert "Moved 3 files" in result.output and "1 missing" in result.output
    for name, data in made:
        with node_b.test_client().get(f"/uploads/{name}") as served:
            assert served.status_code == 200 and served.data == data
    again = runner.invoke(args=["uploads", "migrate", "--remove"])
    assert "Moved 0 files" in again.output and "3 uploads were stored before" in again.output
