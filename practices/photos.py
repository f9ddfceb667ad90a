"""Photos of a practice sheet (issue 16): the image files and the gallery entries.

A photo is stored once, cleaned: Pillow checks that it is a real image of bounded size
(decompression bombs are refused before a pixel is decoded), turns it upright from its EXIF
orientation, and writes it again as WebP without EXIF, GPS, XMP or ICC data (location
privacy: a phone photo tells where it was taken). A few narrower copies are made for
`srcset`. Every file is an ordinary upload (practices.uploads, served with immutable
caching), named after the sha256 of the cleaned image, so the same photo imported twice is
one file and an unchanged WOCAT record stays unchanged.

The gallery is a field of each revision ("photos": a list of entries, in order), so adding,
editing, reordering and removing photos are edits like any other: in the history, in diffs,
undone by a revert, and never lost (a removed photo stays in older revisions).
"""

import hashlib
import io
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, BinaryIO

from sqlmodel import Session, select

from practices.models import Upload, User
from practices.text import control_character
from practices.upload_store import UploadStore, read_chunks

# Pillow is imported in the functions that handle an image, on first use: it keeps ~3 MB (its
# modules and C libraries) out of every worker that only serves pages.
if TYPE_CHECKING:
    from PIL import Image


def N_(message: str) -> str:
    return message


MAX_BYTES = 15 * 1024 * 1024  # a phone's full-size JPEG
MAX_PIXELS = 50_000_000  # checked on the header, before decoding: a bomb is never unpacked
MAX_SIDE = 2048  # the kept "original"; nobody needs more on a practice sheet
WIDTHS = (320, 640, 1280)  # the narrower copies for srcset
MAX_PHOTOS = 30
MAX_ALT, MAX_CAPTION, MAX_CREDIT = 300, 1_000, 300
QUALITY = 82
LICENSES = ("cc-by-4.0", "cc-by-sa-4.0", "cc-by-nc-sa-3.0", "cc0-1.0", "all-rights-reserved")
FILE_NAME = re.compile(r"^[0-9a-f]{32}\.webp$")
# Alt text that is only a file name says nothing to someone who cannot see the photo.
LOOKS_LIKE_FILE_NAME = re.compile(
    r"^\S*\.(?:jpe?g|png|gif|webp|heic|heif|tiff?|bmp|avif)$|^(?:img|dsc|pxl|dcim)[_-]?\d+\S*$",
    re.IGNORECASE)
ENTRY_KEYS = ("file", "width", "height", "widths", "alt", "caption", "credit", "license",
              "source_url")


class PhotoError(Exception):
    """A photo or its description is refused; `message` is an English template (N_)."""

    def __init__(self, message: str, field: str = "file", **params: Any):
        super().__init__(message % params if params else message)
        self.message, self.field, self.params = message, field, params


# The files ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Cleaned:
    """An image made ready to keep: WebP bytes of the upright, metadata-free original and of
    each narrower copy, by width."""

    original: bytes
    width: int
    height: int
    copies: dict[int, bytes]


def clean_image(stream: BinaryIO) -> Cleaned:
    from PIL import Image, ImageOps

    data = _read_bounded(stream)
    image = _open_checked(data)
    try:
        image = ImageOps.exif_transpose(image)  # upright, as the camera meant it
        image = image.convert("RGBA" if _has_alpha(image) else "RGB")
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
        original = _webp(image)
        copies = {}
        for width in WIDTHS:
            if width < image.width:
                copy = image.resize((width, round(image.height * width / image.width)),
                                    Image.Resampling.LANCZOS)
                copies[width] = _webp(copy)
        return Cleaned(original, image.width, image.height, copies)
    except (OSError, ValueError) as broken:  # a truncated or corrupt image
        raise PhotoError(N_("This file is not an image that can be read.")) from broken


def _read_bounded(stream: BinaryIO) -> bytes:
    buffer = io.BytesIO()
    for chunk in read_chunks(stream):
        buffer.write(chunk)
        if buffer.tell() > MAX_BYTES:
            raise PhotoError(N_("The photo is larger than %(n)d MB."), n=MAX_BYTES // 2**20)
    return buffer.getvalue()


def _open_checked(data: bytes) -> "Image.Image":
    """The image, once Pillow has checked its header and its whole structure."""
    from PIL import Image, UnidentifiedImageError

    not_an_image = PhotoError(N_("This file is not a JPEG, PNG, GIF or WebP image."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in ("JPEG", "PNG", "GIF", "WEBP", "MPO"):
                    raise not_an_image
                if probe.width * probe.height > MAX_PIXELS:
                    raise PhotoError(N_("The photo has more than %(n)d million pixels."),
                                     n=MAX_PIXELS // 1_000_000)
                probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except PhotoError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError(N_("The photo has more than %(n)d million pixels."),
                         n=MAX_PIXELS // 1_000_000) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise not_an_image from None
    return image


def _has_alpha(image: "Image.Image") -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def _webp(image: "Image.Image") -> bytes:
    out = io.BytesIO()
    image.info = {}  # nothing of the source's metadata goes along
    image.save(out, "WEBP", quality=QUALITY, method=4)
    return out.getvalue()


def keep(session: Session, store: UploadStore, cleaned: Cleaned, *, original_name: str,
         uploader: User | None) -> dict[str, Any]:
    """Store the cleaned files (once: named by content); the file part of a gallery entry."""
    stem = hashlib.sha256(cleaned.original).hexdigest()[:32]
    _keep_file(session, store, f"{stem}.webp", cleaned.original, original_name, uploader)
    for width, data in cleaned.copies.items():
        _keep_file(session, store, copy_name(f"{stem}.webp", width), data, original_name,
                   uploader)
    return {"file": f"{stem}.webp", "width": cleaned.width, "height": cleaned.height,
            "widths": sorted(cleaned.copies)}


def _keep_file(session, store, name, data, original_name, uploader) -> None:
    if session.exec(select(Upload.id).where(Upload.stored_name == name)).first() is not None:
        return
    sha256 = hashlib.sha256(data).hexdigest()
    store.put(session, sha256, [data])
    session.add(Upload(stored_name=name, original_name=(original_name or name)[:255],
                       content_type="image/webp", size=len(data), sha256=sha256,
                       uploader_id=uploader.id if uploader else None))
    session.flush()


def copy_name(file: str, width: int) -> str:
    """The upload name of the copy `width` pixels wide of a photo file."""
    return f"{file.removesuffix('.webp')}-{width}.webp"


# Gallery entries ------------------------------------------------------------------------


def clean_details(raw: Mapping[str, Any]) -> dict[str, str]:
    """What a person says about a photo: alt text (required, not a file name), caption,
    credit, licence. PhotoError names the field at fault."""
    details = {}
    for name, limit in (("alt", MAX_ALT), ("caption", MAX_CAPTION), ("credit", MAX_CREDIT)):
        text = " ".join(str(raw.get(name) or "").split())
        if len(text) > limit:
            raise PhotoError(N_("At most %(n)d characters."), name, n=limit)
        if problem := control_character(text):
            raise PhotoError(N_("Remove the invisible control character %(char)s from this "
                                "text."), name, char=problem)
        if text:
            details[name] = text
    alt = details.get("alt", "")
    if not alt:
        raise PhotoError(N_("Describe the photo for someone who cannot see it (alt text)."),
                         "alt")
    if LOOKS_LIKE_FILE_NAME.match(alt):
        raise PhotoError(N_("The alt text is a file name: say what the photo shows."), "alt")
    license = str(raw.get("license") or "").strip()
    if license not in LICENSES:
        raise PhotoError(N_("Choose the licence of the photo."), "license")
    details["license"] = license
    return details


def clean_entries(value: Any) -> list[dict[str, Any]]:
    """A gallery as a revision stores it: checked entries, in order, each file once."""
    if not isinstance(value, list | tuple):
        raise PhotoError(N_("A gallery is a list of photos."), "photos")
    if len(value) > MAX_PHOTOS:
        raise PhotoError(N_("At most %(n)d photos."), "photos", n=MAX_PHOTOS)
    entries, seen = [], set()
    for raw in value:
        if not isinstance(raw, Mapping):
            raise PhotoError(N_("A gallery is a list of photos."), "photos")
        entry = _clean_file_part(raw)
        if entry["file"] in seen:
            raise PhotoError(N_("The same photo is twice in the gallery."), "photos")
        seen.add(entry["file"])
        entry.update(clean_details(raw))
        source = str(raw.get("source_url") or "").strip()
        if source.startswith(("http://", "https://")) and len(source) <= 500:
            entry["source_url"] = source
        entries.append(entry)
    return entries


def _clean_file_part(raw: Mapping[str, Any]) -> dict[str, Any]:
    file = str(raw.get("file") or "")
    width, height, widths = raw.get("width"), raw.get("height"), raw.get("widths") or []
    sizes_ok = all(isinstance(side, int) and not isinstance(side, bool) and 0 < side <= MAX_SIDE
                   for side in (width, height))
    if not FILE_NAME.match(file) or not sizes_ok or not isinstance(widths, list) \
            or any(copy not in WIDTHS for copy in widths):
        raise PhotoError(N_("A photo of the gallery is not a stored photo."), "photos")
    return {"file": file, "width": width, "height": height, "widths": sorted(set(widths))}


def cover(fields: Mapping[str, Any]) -> dict[str, Any] | None:
    """What a result card and the map show of a sheet: its first photo (with its credit and
    licence, for a translation without photos of its own to show it as it must be shown)."""
    photos = fields.get("photos") or []
    return dict(photos[0]) if photos else None


def describe(entry: Mapping[str, Any]) -> str:
    """One line per photo for diffs: what it shows, its caption, credit and licence."""
    parts = [entry.get("alt", ""), entry.get("caption", ""), entry.get("credit", ""),
             entry.get("license", ""), f"({entry.get('file', '')})"]
    return " · ".join(part for part in parts if part)
