"""A WOCAT record's photos (issue 16): read from either format, then fetched into the gallery.

QCAT v2 details list them in the repeating group `qg_photos` (the image path, caption and
photographer as parallel lists); the new database API in `images` (`file`, `caption` and
`photographer` as `{lang: text}`). Their addresses are paths on the server the record came
from, so photos are fetched only when the record was read from an API (a saved file cannot
say where they are). A photo that cannot be fetched or is not a usable image is named in the
run's notes; the record is imported without it.

Each photo keeps its caption, is credited to its photographer and WOCAT, carries the WOCAT
licence and links to the original record.
"""

import io
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from sqlmodel import Session

from practices import photos
from practices.importers.cleaning import clean_text
from practices.importers.incoming import Incoming
from practices.upload_store import UploadStore

LICENSE = "cc-by-nc-sa-3.0"  # WOCAT content (qcat terms of agreement)
MAX_PER_RECORD = 12


@dataclass(frozen=True)
class RemotePhoto:
    path: str  # as the record gives it, usually relative to its server
    caption: str = ""
    photographer: str = ""


def from_v2(tree: Any) -> list[RemotePhoto]:
    paths = [item.get("value") if isinstance(item, dict) else None
             for item in tree.items("qg_photos", "image")]
    captions = tree.texts("qg_photos", "image_caption")
    photographers = tree.texts("qg_photos", "image_photographer")
    return [RemotePhoto(path, _at(captions, index), _at(photographers, index))
            for index, path in enumerate(paths) if isinstance(path, str) and path.strip()]


def from_database(version: dict, text) -> list[RemotePhoto]:
    """`text` reads a `{lang: text}` value in the record's language (wocat_api.Texts)."""
    found = []
    for image in version.get("images") or ():
        if isinstance(image, dict) and isinstance(image.get("file"), str) and image["file"]:
            found.append(RemotePhoto(image["file"], text(image.get("caption"), True),
                                     text(image.get("photographer"), True)))
    return found


def _at(values: list[str], index: int) -> str:
    return values[index] if index < len(values) else ""


class PhotoFetcher:
    """Brings the photos of incoming WOCAT records into the wiki's upload store."""

    def __init__(self, http: Any, store: UploadStore):
        self.http, self.store = http, store

    def attach(self, session: Session, incoming: Incoming) -> None:
        """Put the record's photos in `incoming.fields["photos"]`; say in its notes what
        could not be brought."""
        remote = incoming.photos[:MAX_PER_RECORD]
        if len(incoming.photos) > MAX_PER_RECORD:
            incoming.notes.append(f"Kept the first {MAX_PER_RECORD} of "
                                  f"{len(incoming.photos)} photos.")
        gallery = []
        for number, photo in enumerate(remote, 1):
            entry = self._fetch(session, incoming, photo)
            if entry is not None and all(entry["file"] != other["file"] for other in gallery):
                gallery.append(entry | details(incoming, photo, number))
        if gallery:
            incoming.fields["photos"] = gallery

    def _fetch(self, session: Session, incoming: Incoming, photo: RemotePhoto) -> dict | None:
        from practices.importers.sources import FetchError  # sources imports this module

        url = urljoin(incoming.media_base, photo.path)
        try:
            data = self.http.get_bytes(url, photos.MAX_BYTES)
            cleaned = photos.clean_image(io.BytesIO(data))
        except FetchError as failed:
            incoming.notes.append(f"Photo {photo.path} could not be fetched ({failed}); "
                                  "imported without it.")
            return None
        except photos.PhotoError as refused:
            incoming.notes.append(f"Photo {photo.path} was left out: {refused}")
            return None
        return photos.keep(session, self.store, cleaned, original_name=photo.path.split("/")[-1],
                           uploader=None)


def details(incoming: Incoming, photo: RemotePhoto, number: int) -> dict[str, str]:
    """Caption, credit, licence and a link back; the alt text from the caption (never the
    file name), else from the sheet's title."""
    caption = clean_text(photo.caption)[: photos.MAX_CAPTION]
    alt = _shortened(caption, photos.MAX_ALT) or f"{incoming.title} ({number})"
    if photos.LOOKS_LIKE_FILE_NAME.match(alt):
        alt = f"{incoming.title} ({number})"
    credit = f"{photo.photographer} / WOCAT" if photo.photographer else "WOCAT"
    entry = {"alt": alt[: photos.MAX_ALT], "credit": credit[: photos.MAX_CREDIT],
             "license": LICENSE}
    if caption:
        entry["caption"] = caption
    if incoming.source_url:
        entry["source_url"] = incoming.source_url
    return entry


def _shortened(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def not_fetched(incoming: Incoming, *, dry_run: bool) -> None:
    """The note for photos left where they are (a record read from a file, or a dry run)."""
    if dry_run:
        incoming.notes.append(f"Would bring {len(incoming.photos)} photo(s).")
    else:
        incoming.notes.append(f"{len(incoming.photos)} photo(s) not imported: the record was "
                              "read from a file; import it from the WOCAT API to bring them.")
