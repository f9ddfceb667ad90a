"""Uploads in an S3-compatible bucket (UPLOAD_STORE=s3), against moto's S3 server on
loopback (issue 12)."""

import os

import pytest
from sqlmodel import select

from practices.models import UploadBlob
from tests.wiki.test_backup import backup_to, restored_app
from tests.wiki.test_upload_store import legacy_uploads, png_bytes, upload, uploaded_url
from wiki import create_app

S3_PORT = int(os.environ.get("TEST_S3_PORT", 5185))
BUCKET = "wiki-uploads"


@pytest.fixture(scope="module")
def s3_endpoint():
    server_module = pytest.importorskip("moto.server")
    boto3 = pytest.importorskip("boto3")
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=S3_PORT, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{S3_PORT}"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ).create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


@pytest.fixture
def s3_config(s3_endpoint, tmp_path):
    return {
        "UPLOAD_STORE": "s3",
        "S3_BUCKET": BUCKET,
        "S3_ENDPOINT_URL": s3_endpoint,
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "testing",
        "S3_SECRET_ACCESS_KEY": "testing",
        "S3_PREFIX": f"{tmp_path.name}/",
    }


def objects(s3_config) -> list[str]:
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=s3_config["S3_ENDPOINT_URL"],
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    listed = client.list_objects_v2(Bucket=BUCKET, Prefix=s3_config["S3_PREFIX"])
    return [item["Key"] for item in listed.get("Contents", [])]


@pytest.fixture
def node_b(app, tmp_path, s3_config):
    other = create_app(
        {**app.config, **s3_config, "UPLOAD_DIR": str(tmp_path / "b-uploads")},
        instance_path=str(tmp_path / "b-instance"),
    )
    yield other
    other.extensions["engine"].dispose()


def test_a_file_uploaded_into_the_bucket_on_one_node_is_served_by_another(
    app, client, login, make_user, session, s3_config, node_b
):
    app.config.update(s3_config)
    login(make_user())
    data = png_bytes((500, 500), noise=True)  # several parts
    first = uploaded_url(upload(client, data))
    second = uploaded_url(upload(client, data, "again.png"))
    assert len(objects(s3_config)) == 1  # stored once, under its sha256
    assert session.exec(select(UploadBlob)).all() == []  # not in the database
    for url in (first, second):
        with node_b.test_client().get(url) as served:
            assert served.status_code == 200 and served.data == data


def test_uploads_migrate_moves_old_files_into_the_bucket(app, session, s3_config, node_b, tmp_path):
    made = legacy_uploads(session, tmp_path / "uploads", 2)
    app.config.update(s3_config)
    result = app.test_cli_runner().invoke(args=["uploads", "migrate"])
    assert "Moved 2 files into the s3 store" in result.output, result.output
    assert len(objects(s3_config)) == 2
    for name, data in made:
        with node_b.test_client().get(f"/uploads/{name}") as served:
            assert served.data == data


def test_a_backup_holds_the_bucket_files_and_restores_them_into_the_database(
    app, client, login, make_user, s3_config, tmp_path
):
    app.config.update(s3_config)
    login(make_user())
    data = png_bytes((30, 30), noise=True)
    url = uploaded_url(upload(client, data))
    path = tmp_path / "wiki.zip"
    backup_to(app, path)
    target = restored_app(f"sqlite:///{tmp_path / 'restored.db'}", tmp_path)
    try:
        result = target.test_cli_runner().invoke(args=["restore", str(path)])
        assert result.exit_code == 0, result.output
        with target.test_client().get(url) as served:  # UPLOAD_STORE=database there
            assert served.status_code == 200 and served.data == data
    finally:
        target.extensions["engine"].dispose()


def test_s3_store_without_a_bucket_is_refused_at_start(monkeypatch, tmp_path):
    from wiki.config import ConfigError

    monkeypatch.setenv("UPLOAD_STORE", "s3")
    monkeypatch.delenv("S3_BUCKET", raising=False)
    with pytest.raises(ConfigError, match="S3_BUCKET"):
        create_app({}, instance_path=str(tmp_path))
