"""Sheets the index cannot take: one sheet's document must never stop the others.

Building a document parses the sheet's Markdown body. If that raises, or takes so long that
the process is stopped (a web worker past its timeout), the change-log backlog must not stay
blocked behind that sheet, or every later save and search would retry it and fail the same
way. So each document is built under a guard that

- catches an exception and indexes the sheet without its body (its title, summary and
  facets are still found, and its status still hides or shows it correctly);
- leaves a marker file in the index directory naming the sheet it is building, removed when
  the batch is done: a marker left by a stopped process names the sheet that stopped it, and
  the next attempt at that same version of the sheet goes without its body;
- notes a sheet whose document took more than SLOW_DOCUMENT seconds.

Each such sheet is logged and recorded in the index state (`IndexState.failed`) with its
fingerprint, so `search check` reports it; a later change to the sheet, or `search check`,
tries again.
"""

import json
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path

from practices.models import Sheet
from search.documents import fingerprint

log = logging.getLogger(__name__)
MARKER = "indexing-sheet.json"
SLOW_DOCUMENT = 5.0  # seconds; a 200 kB body of any shape takes well under 2 s
Build = Callable[[bool], dict]  # build(with_body) -> the document


class DocumentGuard:
    def __init__(self, folder: str | None):
        self.marker = Path(folder) / MARKER if folder else None
        self.stopped = self._read_marker()  # what a stopped process was building
        self.failed: dict[int, dict[str, str]] = {}

    def build(self, sheet: Sheet, build: Build) -> dict | None:
        """The sheet's document (without its body if building it failed), or None if not
        even that could be built (the sheet is then left out of the index)."""
        key = fingerprint(sheet)
        if self.stopped == {"sheet_id": sheet.id, "fingerprint": key}:
            return self._without_body(
                sheet,
                key,
                build,
                "indexing it did not finish (the "
                "process was stopped, probably for taking too long)",
            )
        self._write_marker({"sheet_id": sheet.id, "fingerprint": key})
        started = time.perf_counter()
        try:
            document = build(True)
        except Exception as error:  # noqa: BLE001 - one sheet must not stop the others
            log.exception("search index: sheet %s could not be indexed", sheet.id)
            return self._without_body(sheet, key, build, f"{type(error).__name__}: {error}")
        seconds = time.perf_counter() - started
        if seconds > SLOW_DOCUMENT:
            log.warning("search index: sheet %s took %.1f s to index", sheet.id, seconds)
            self.failed[sheet.id] = {"fingerprint": key, "reason": f"slow: {seconds:.1f} s"}
        return document

    def done(self) -> None:
        """Every document of the batch was built: no marker is left behind."""
        if self.marker is not None:
            self.marker.unlink(missing_ok=True)

    def _without_body(self, sheet: Sheet, key: str, build: Build, reason: str) -> dict | None:
        log.error("search index: sheet %s indexed without its body: %s", sheet.id, reason)
        self.failed[sheet.id] = {"fingerprint": key, "reason": reason[:300]}
        try:
            return build(False)
        except Exception:  # noqa: BLE001 - left out of the index rather than block it
            log.exception("search index: sheet %s left out of the index", sheet.id)
            return None

    def _read_marker(self) -> dict | None:
        try:
            return json.loads(self.marker.read_text()) if self.marker else None
        except (OSError, ValueError):
            return None

    def _write_marker(self, content: dict) -> None:
        if self.marker is None:
            return
        partial = self.marker.with_suffix(".tmp")
        partial.write_text(json.dumps(content))
        os.replace(partial, self.marker)  # whole or not at all, whenever the process stops


def settle(
    failed: dict[int, dict[str, str]], guard: DocumentGuard, sheet_ids
) -> dict[int, dict[str, str]]:
    """The failures to record after a batch: for the sheets of the batch, only what this
    batch found; the others' as they were."""
    kept = {sheet_id: entry for sheet_id, entry in failed.items() if sheet_id not in sheet_ids}
    return kept | guard.failed
