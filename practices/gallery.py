"""What can be done to a sheet's gallery: add, describe, reorder and remove photos.

Each is an edit of the sheet (practices.editing.save_edit): a new revision whose "photos"
field is the new gallery, saved as a compare-and-set on the revision the editor looked at.
So a gallery change is in the history and the diff, a revert undoes it, and a removed photo
is still in the older revisions (a soft removal). Text edits, which know nothing of photos,
keep the gallery of the revision they started from (`keep_gallery`).
"""

from collections.abc import Mapping
from dataclasses import replace
from typing import Any, BinaryIO

from sqlmodel import Session

from practices import editing, photos, sheets
from practices.models import Revision, Sheet, User
from practices.upload_store import UploadStore


class NoSuchPhoto(sheets.SheetError):
    """The gallery (at the revision the editor started from) has no such photo."""


def photos_of(revision: Revision | None) -> list[dict[str, Any]]:
    return [dict(entry) for entry in (revision.fields.get("photos") or [])] if revision else []


def keep_gallery(session: Session, content: sheets.Content,
                 base_revision_id: int | None) -> sheets.Content:
    """`content` (from a form or an API call that says nothing of photos) with the gallery of
    the revision the edit started from. A stale base is refused by the save anyway."""
    base = session.get(Revision, base_revision_id) if base_revision_id else None
    gallery = photos_of(base)
    if not gallery or "photos" in content.fields:
        return content
    return replace(content, fields={**content.fields, "photos": gallery})


def add(session: Session, sheet: Sheet, store: UploadStore, stream: BinaryIO,
        details: Mapping[str, Any], *, original_name: str, author: User | None,
        base_revision_id: int | None) -> Revision:
    """Clean and store the image, then add it at the end of the gallery.

    The description is checked before the image is read, and the image before anything is
    stored: a refused photo leaves nothing behind (the caller rolls back on errors)."""
    described = photos.clean_details(details)
    base = _base(session, sheet, base_revision_id)
    gallery = photos_of(base)
    if len(gallery) >= photos.MAX_PHOTOS:
        raise photos.PhotoError(photos.N_("At most %(n)d photos."), n=photos.MAX_PHOTOS)
    cleaned = photos.clean_image(stream)
    entry = photos.keep(session, store, cleaned, original_name=original_name, uploader=author)
    if any(other["file"] == entry["file"] for other in gallery):
        raise photos.PhotoError(photos.N_("This photo is already in the gallery."))
    return _save(session, sheet, base, gallery + [entry | described], author,
                 f"Added a photo: {described['alt']}")


def describe(session: Session, sheet: Sheet, file: str, details: Mapping[str, Any], *,
             author: User | None, base_revision_id: int | None) -> Revision:
    described = photos.clean_details(details)
    base = _base(session, sheet, base_revision_id)
    gallery = photos_of(base)
    index = _index(gallery, file)
    file_part = {key: gallery[index][key] for key in ("file", "width", "height", "widths")}
    source = {"source_url": gallery[index]["source_url"]} if "source_url" in gallery[index] \
        else {}
    gallery[index] = file_part | described | source
    return _save(session, sheet, base, gallery, author,
                 f"Changed the description of a photo: {described['alt']}")


def move(session: Session, sheet: Sheet, file: str, offset: int, *, author: User | None,
         base_revision_id: int | None) -> Revision:
    """Move a photo `offset` places (-1: earlier, 1: later); the first photo is the cover."""
    base = _base(session, sheet, base_revision_id)
    gallery = photos_of(base)
    index = _index(gallery, file)
    target = min(max(index + offset, 0), len(gallery) - 1)
    gallery.insert(target, gallery.pop(index))
    return _save(session, sheet, base, gallery, author,
                 f"Moved a photo: {gallery[target]['alt']}")


def remove(session: Session, sheet: Sheet, file: str, *, author: User | None,
           base_revision_id: int | None) -> Revision:
    """Take a photo out of the gallery; older revisions (and the file) keep it."""
    base = _base(session, sheet, base_revision_id)
    gallery = photos_of(base)
    removed = gallery.pop(_index(gallery, file))
    return _save(session, sheet, base, gallery, author, f"Removed a photo: {removed['alt']}")


def _base(session: Session, sheet: Sheet, base_revision_id: int | None) -> Revision:
    base = session.get(Revision, base_revision_id) if base_revision_id else None
    if base is None or base.sheet_id != sheet.id:
        raise sheets.StaleRevision(sheets.current_revision(session, sheet))
    return base


def _index(gallery: list[dict[str, Any]], file: str) -> int:
    for index, entry in enumerate(gallery):
        if entry["file"] == file:
            return index
    raise NoSuchPhoto(file)


def _save(session: Session, sheet: Sheet, base: Revision, gallery: list[dict[str, Any]],
          author: User | None, summary: str) -> Revision:
    content = sheets.Content.checked(title=base.title, summary=base.summary, body=base.body,
                                     fields={**base.fields, "photos": gallery})
    return editing.save_edit(session, sheet, content, author=author,
                             base_revision_id=base.id, edit_summary=summary[:300])
