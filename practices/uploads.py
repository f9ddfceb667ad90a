"""Storing uploaded images. The content decides the type, never the file name."""

import secrets
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

from PIL import Image, UnidentifiedImageError
from sqlmodel import Session

from practices.models import Upload, User

ALLOWED_FORMATS = {"PNG": ("png", "image/png"), "JPEG": ("jpg", "image/jpeg"),
                   "GIF": ("gif", "image/gif"), "WEBP": ("webp", "image/webp")}
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000


class RejectedUpload(Exception):
    """The file is not an image we accept; the message says why."""


def store(session: Session, folder: str, stream: BinaryIO, *, original_name: str,
          uploader: User | None) -> Upload:
    data = stream.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise RejectedUpload("The image is larger than 5 MB.")
    image_format = _image_format(data)
    extension, content_type = ALLOWED_FORMATS[image_format]
    stored_name = f"{secrets.token_hex(12)}.{extension}"
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    (target / stored_name).write_bytes(data)
    upload = Upload(stored_name=stored_name, original_name=original_name[:255],
                    content_type=content_type, size=len(data),
                    uploader_id=uploader.id if uploader else None)
    session.add(upload)
    session.flush()
    return upload


def _image_format(data: bytes) -> str:
    try:
        with Image.open(BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise RejectedUpload("The image has too many pixels.")
            image.verify()
            image_format = image.format
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise RejectedUpload("This file is not a PNG, JPEG, GIF or WebP image.") from None
    if image_format not in ALLOWED_FORMATS:
        raise RejectedUpload("This file is not a PNG, JPEG, GIF or WebP image.")
    return image_format
