"""Where the bytes of uploaded files live, addressed by their sha256.

Three backends behind one interface: `DatabaseStore` (the default: rows in the shared
database, so every node serves every file and a backup holds them), `FilesystemStore`
(files under a folder, for a single machine) and `S3Store` (an S3-compatible bucket: AWS,
MinIO, Garage, Ceph…). All write and read a chunk at a time, so a file never has to sit
whole in memory, and all store a given content once.
"""

import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Protocol

from sqlalchemy import Engine, delete
from sqlmodel import Session, select

from practices.models import UploadBlob, UploadChunk

CHUNK_BYTES = 256 * 1024


class UploadStore(Protocol):
    def has(self, session: Session, sha256: str) -> bool: ...

    def put(self, session: Session, sha256: str, chunks: Iterable[bytes]) -> bool:
        """Keep the content unless already kept; True when it was new."""

    def chunks(self, engine: Engine, sha256: str) -> Iterator[bytes]:
        """The content, a chunk at a time (on its own connection: a response streams it)."""


class DatabaseStore:
    def has(self, session: Session, sha256: str) -> bool:
        return session.get(UploadBlob, sha256) is not None

    def put(self, session: Session, sha256: str, chunks: Iterable[bytes]) -> bool:
        if self.has(session, sha256):
            return False
        session.add(UploadBlob(sha256=sha256, size=0))
        session.flush()  # the chunks refer to it
        size = 0
        for seq, data in enumerate(chunks):
            chunk = UploadChunk(sha256=sha256, seq=seq, data=data)
            session.add(chunk)
            session.flush()
            session.expunge(chunk)  # one chunk in memory at a time
            size += len(data)
        session.get(UploadBlob, sha256).size = size
        return True

    def chunks(self, engine: Engine, sha256: str) -> Iterator[bytes]:
        with Session(engine) as session:
            count = len(
                session.exec(select(UploadChunk.seq).where(UploadChunk.sha256 == sha256)).all()
            )
        for seq in range(count):  # one query per chunk keeps a single chunk in memory
            with Session(engine) as session:
                yield session.exec(
                    select(UploadChunk.data).where(
                        UploadChunk.sha256 == sha256, UploadChunk.seq == seq
                    )
                ).one()

    def remove(self, session: Session, sha256: str) -> None:
        session.exec(delete(UploadChunk).where(UploadChunk.sha256 == sha256))
        session.exec(delete(UploadBlob).where(UploadBlob.sha256 == sha256))


class FilesystemStore:
    """Files under `folder/blobs/ab/abcdef…`; written to a temporary name, then renamed."""

    def __init__(self, folder: str | os.PathLike):
        self.root = Path(folder) / "blobs"

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def has(self, session: Session, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put(self, session: Session, sha256: str, chunks: Iterable[bytes]) -> bool:
        target = self.path(sha256)
        if target.is_file():
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        with os.fdopen(handle, "wb") as out:
            for data in chunks:
                out.write(data)
        os.replace(temporary, target)
        return True

    def chunks(self, engine: Engine, sha256: str) -> Iterator[bytes]:
        with self.path(sha256).open("rb") as source:
            while data := source.read(CHUNK_BYTES):
                yield data


class S3Store:
    """Objects `<prefix>ab/abcdef…` in a bucket; boto3 streams them in parts both ways."""

    def __init__(
        self,
        bucket: str,
        *,
        endpoint_url: str = "",
        region: str = "",
        access_key: str = "",
        secret_key: str = "",
        prefix: str = "uploads/",
    ):
        import boto3  # loaded only where S3 is configured

        self.bucket, self.prefix = bucket, prefix
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint_url or None,
            region_name=region or None,
            aws_access_key_id=access_key or None,
            aws_secret_access_key=secret_key or None,
        )

    def key(self, sha256: str) -> str:
        return f"{self.prefix}{sha256[:2]}/{sha256}"

    def has(self, session: Session, sha256: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self.key(sha256))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def put(self, session: Session, sha256: str, chunks: Iterable[bytes]) -> bool:
        if self.has(session, sha256):
            return False
        self.client.upload_fileobj(_ChunkReader(chunks), self.bucket, self.key(sha256))
        return True

    def chunks(self, engine: Engine, sha256: str) -> Iterator[bytes]:
        body = self.client.get_object(Bucket=self.bucket, Key=self.key(sha256))["Body"]
        try:
            yield from body.iter_chunks(CHUNK_BYTES)
        finally:
            body.close()


class _ChunkReader:
    """A read()-able view of an iterator of chunks, for boto3's multipart upload."""

    def __init__(self, chunks: Iterable[bytes]):
        self.chunks, self.pending = iter(chunks), b""

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self.pending) < size:
            data = next(self.chunks, None)
            if data is None:
                break
            self.pending += data
        if size < 0:
            size = len(self.pending)
        data, self.pending = self.pending[:size], self.pending[size:]
        return data


def for_config(config: Mapping) -> UploadStore:
    """The store UPLOAD_STORE names: "database", "filesystem" or "s3"."""
    kind = config.get("UPLOAD_STORE", "database")
    if kind == "filesystem":
        return FilesystemStore(config["UPLOAD_DIR"])
    if kind == "s3":
        return S3Store(
            config["S3_BUCKET"],
            endpoint_url=config.get("S3_ENDPOINT_URL", ""),
            region=config.get("S3_REGION", ""),
            access_key=config.get("S3_ACCESS_KEY_ID", ""),
            secret_key=config.get("S3_SECRET_ACCESS_KEY", ""),
            prefix=config.get("S3_PREFIX", "uploads/"),
        )
    return DatabaseStore()


def read_chunks(stream, size: int = CHUNK_BYTES) -> Iterator[bytes]:
    while data := stream.read(size):
        yield data
