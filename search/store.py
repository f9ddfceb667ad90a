"""Where the index lives: versioned directories under SEARCH_INDEX_DIR and a CURRENT pointer.

    SEARCH_INDEX_DIR/CURRENT          the name of the live version, replaced atomically
    SEARCH_INDEX_DIR/v20250101-.../   one complete Whoosh index per version
    SEARCH_INDEX_DIR/rebuild.lock     held while a rebuild runs (one at a time per host)

A rebuild writes a new version and then switches CURRENT, so searches keep working on the
old version until the new one is complete; each process notices the switch on its next
request and reopens.
"""

import fcntl
import gc
import os
import secrets
import shutil
import time
import warnings
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import FileIndex

from search.schema import build_schema

POINTER = "CURRENT"
KEEP_VERSIONS = 2


class IndexUnavailable(Exception):
    """There is no usable index (missing, or damaged); it must be rebuilt."""


class SchemaChanged(IndexUnavailable):
    """The index was built with another version of the schema (fields added, removed or
    changed since): not damaged, just out of date; it must be rebuilt."""


class RebuildRunning(Exception):
    """Another process is already rebuilding the index."""


def schema_signature(schema) -> tuple:
    """What an index's layout depends on: each field's name, kind, format and column."""
    return tuple(sorted(
        (name, type(field).__name__, type(field.format).__name__,
         type(field.column_type).__name__ if field.column_type else "", bool(field.stored))
        for name, field in schema.items()))


@cache
def expected_signature() -> tuple:
    return schema_signature(build_schema())


class IndexStore:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def current_name(self) -> str | None:
        try:
            name = (self.root / POINTER).read_text("utf-8").strip()
        except (FileNotFoundError, NotADirectoryError):
            return None
        return name or None

    def open(self, name: str) -> FileIndex:
        """Open a version; anything wrong with it (gone, truncated, garbage) is unavailable."""
        path = self.root / name
        if not path.is_dir():
            raise IndexUnavailable(f"index directory {path} is missing")
        # Whoosh leaves a damaged TOC file open: let it be closed here, quietly.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            try:
                ix = whoosh_index.open_dir(str(path))
            except Exception as error:  # noqa: BLE001 - whoosh raises many kinds for damage
                problem = f"index {path} cannot be opened: {error!r}"
            else:
                if schema_signature(ix.schema) != expected_signature():
                    ix.close()
                    raise SchemaChanged(f"index {name} was built with an older search schema")
                return ix
            gc.collect()
        raise IndexUnavailable(problem)

    def create_version(self) -> tuple[str, FileIndex]:
        self.root.mkdir(parents=True, exist_ok=True)
        name = f"v{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{secrets.token_hex(3)}"
        path = self.root / name
        path.mkdir()
        return name, whoosh_index.create_in(str(path), build_schema())

    def switch_to(self, name: str) -> None:
        """Make `name` the live version in one atomic rename."""
        temporary = self.root / f".{POINTER}.{os.getpid()}.{secrets.token_hex(3)}"
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(name)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.root / POINTER)

    def discard(self, name: str) -> None:
        shutil.rmtree(self.root / name, ignore_errors=True)

    def cleanup(self) -> None:
        """Remove old versions, keeping the live one and the one before it (a process that
        has not noticed the switch yet may still be reading it). Call under rebuild_lock."""
        current = self.current_name()
        others = sorted((p for p in self.root.glob("v*") if p.is_dir() and p.name != current),
                        key=lambda p: p.stat().st_mtime, reverse=True)
        for path in others[KEEP_VERSIONS - 1:]:
            shutil.rmtree(path, ignore_errors=True)

    @contextmanager
    def rebuild_lock(self):
        """Held for the whole rebuild; a second rebuild raises RebuildRunning at once."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / "rebuild.lock", "a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise RebuildRunning("a rebuild is already running") from None
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
