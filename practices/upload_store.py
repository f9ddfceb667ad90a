"""Where the bytes of uploaded files live, addressed by their sha256.

Two backends behind one interface: `DatabaseStore` (the default: rows in the shared
database, so every node serves every file and a backup holds them) and `FilesystemStore`
(files under a folder, for a single machine). Both write and read a chunk at a time, so a
file never has to sit whole in memory, and both store a given content once.
"""

import os
import tempfile
from collections.abc import Iterable, Iterator
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


def for_config(kind: str, upload_dir: str) -> UploadStore:
    """The store UPLOAD_STORE names ("database" or "filesystem")."""
    if kind == "filesystem":
        return FilesystemStore(upload_dir)
    return DatabaseStore()


def read_chunks(stream, size: int = CHUNK_BYTES) -> Iterator[bytes]:
    while data := stream.read(size):
        yield data
