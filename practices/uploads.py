"""Storing uploaded images. The content decides the type, never the file name.

The bytes go to an upload store (practices.upload_store) under their sha256: the same
image uploaded twice is kept once. The incoming stream is spooled (to disk past a small
size) while it is hashed and measured, checked by Pillow from there, then copied to the
store a chunk at a time, so a file never sits whole in memory.
"""

import hashlib
import io
import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from sqlmodel import Session, select

from practices.models import Upload, User
from practices.upload_store import CHUNK_BYTES, UploadStore, read_chunks

ALLOWED_FORMATS = {
    "PNG": ("png", "image/png"),
    "JPEG": ("jpg", "image/jpeg"),
    "GIF": ("gif", "image/gif"),
    "WEBP": ("webp", "image/webp"),
}
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000


class RejectedUpload(Exception):
    """The file is not an image we accept; the message says why."""


def store(
    session: Session,
    upload_store: UploadStore,
    stream: BinaryIO,
    *,
    original_name: str,
    uploader: User | None,
) -> Upload:
    with tempfile.SpooledTemporaryFile(max_size=CHUNK_BYTES) as spool:
        sha256, size = _spool(stream, spool)
        spool.seek(0)
        image_format = _image_format(spool)
        extension, content_type = ALLOWED_FORMATS[image_format]
        spool.seek(0)
        cleaned = _without_metadata(spool, image_format)
        if cleaned is not None:
            sha256, size = hashlib.sha256(cleaned).hexdigest(), len(cleaned)
            upload_store.put(session, sha256, iter([cleaned]))
        else:
            spool.seek(0)
            upload_store.put(session, sha256, read_chunks(spool))
    upload = Upload(
        stored_name=f"{secrets.token_hex(12)}.{extension}",
        original_name=original_name[:255],
        content_type=content_type,
        size=size,
        uploader_id=uploader.id if uploader else None,
        sha256=sha256,
    )
    session.add(upload)
    session.flush()
    return upload


def find(session: Session, stored_name: str) -> Upload | None:
    return session.exec(select(Upload).where(Upload.stored_name == stored_name)).first()


def _spool(stream: BinaryIO, spool) -> tuple[str, int]:
    """Copy the stream into the spool, hashing it; refuse it once it passes the size limit."""
    digest, size = hashlib.sha256(), 0
    for data in read_chunks(stream):
        size += len(data)
        if size > MAX_UPLOAD_BYTES:
            raise RejectedUpload("The image is larger than 5 MB.")
        digest.update(data)
        spool.write(data)
    return digest.hexdigest(), size


def _image_format(source: BinaryIO) -> str:
    # Pillow is loaded on first use: it keeps ~3 MB out of every worker that only serves pages.
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(source) as image:
            if image.width * image.height > MAX_PIXELS:
                raise RejectedUpload("The image has too many pixels.")
            image.verify()
            image_format = image.format
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise RejectedUpload("This file is not a PNG, JPEG, GIF or WebP image.") from None
    if image_format not in ALLOWED_FORMATS:
        raise RejectedUpload("This file is not a PNG, JPEG, GIF or WebP image.")
    return image_format


def _without_metadata(source: BinaryIO, image_format: str) -> bytes | None:
    """The still image saved again upright with no EXIF, XMP or text chunks; None for an
    animation (GIF or WebP frames carry no camera data worth the re-encoding) or an image
    that has nothing to remove."""
    from PIL import Image, ImageOps

    with Image.open(source) as image:
        if getattr(image, "is_animated", False) or image_format == "GIF":
            return None
        if not (image.getexif() or set(image.info) & _METADATA_KEYS):
            return None
        upright = ImageOps.exif_transpose(image)
        upright.info = {}
        out = io.BytesIO()
        options = {"quality": 92} if image_format in ("JPEG", "WEBP") else {}
        upright.save(out, image_format, **options)
        return out.getvalue()


# Where Pillow puts what a file says besides its pixels (camera, place, software, comments).
_METADATA_KEYS = {"exif", "xmp", "XML:com.adobe.xmp", "comment", "icc_profile", "photoshop"}


@dataclass
class MigrationReport:
    moved: int = 0  # copied into the store
    deduplicated: int = 0  # the store already had the same bytes
    already: int = 0  # stored before this run
    missing: list[str] = field(default_factory=list)  # rows whose file is not in the folder


def migrate_folder(
    session: Session, upload_store: UploadStore, folder: str, *, remove: bool = False
) -> MigrationReport:
    """Move the files of uploads made before the store (UPLOAD_DIR/<stored name>) into it.

    Idempotent: uploads already in the store are counted and left alone; each file is
    committed on its own, so an interrupted run keeps what it did and a rerun finishes."""
    report = MigrationReport()
    for upload in list(session.exec(select(Upload).order_by(Upload.id))):
        if upload.sha256 and upload_store.has(session, upload.sha256):
            report.already += 1
            continue
        path = Path(folder) / upload.stored_name
        if not path.is_file():
            report.missing.append(upload.stored_name)
            continue
        with path.open("rb") as source:
            sha256 = _sha256_of(source)
            source.seek(0)
            new = upload_store.put(session, sha256, read_chunks(source))
        upload.sha256 = sha256
        session.add(upload)
        session.commit()
        report.moved += new
        report.deduplicated += not new
        if remove:
            path.unlink()
    return report


def _sha256_of(source: BinaryIO) -> str:
    digest = hashlib.sha256()
    for data in read_chunks(source):
        digest.update(data)
    return digest.hexdigest()
