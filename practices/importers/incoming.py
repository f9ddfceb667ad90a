"""An incoming record, as every importer hands it to `sync`, and the Markdown body builder."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from practices.importers.cleaning import cell, markdown_text


class Rejected(Exception):
    """This record cannot be imported; the message says why (shown in the run's report)."""


@dataclass
class Incoming:
    """One sheet's worth of content from a source (one language version of a record)."""

    key: str  # the source_id ("wocat:technologies_1724"), or "table:<slug>"
    title: str
    summary: str = ""
    body: str = ""
    fields: dict[str, Any] = field(default_factory=dict)
    source: str = "wocat"
    source_url: str | None = None
    source_updated: datetime | None = None
    translation_of: str | None = None  # key (or slug) of the original
    slug: str | None = None
    status: str = "published"
    notes: list[str] = field(default_factory=list)  # labels kept as text, things dropped
    origin: str = ""  # where it was read, for reports: "row 5"
    photos: list[Any] = field(default_factory=list)  # wocat_photos.RemotePhoto, to fetch
    media_base: str = ""  # the server the record came from: its photos' paths are on it


@dataclass(frozen=True)
class Failed:
    """A record that could not even be read or mapped: reported as rejected."""

    key: str
    reason: str
    title: str = ""


class Body:
    """A Markdown document built section by section; empty sections leave no heading."""

    def __init__(self, headings: dict[str, str]):
        self.headings = headings
        self.parts: list[str] = []

    def section(self, name: str, *blocks: str | None) -> None:
        present = [block.strip() for block in blocks if block and block.strip()]
        if present:
            self.parts.append(f"## {self.headings.get(name, name)}\n\n" + "\n\n".join(present))

    def text(self) -> str:
        return "\n\n".join(self.parts) + "\n" if self.parts else ""


def paragraph(label: str | None, text: object) -> str:
    value = markdown_text(text)
    if not value:
        return ""
    return f"**{markdown_text(label)}:** {value}" if label else value


def inline(text: object) -> str:
    """Escaped text on one line, for a list item or a table cell."""
    return " ".join(markdown_text(text).replace("  \n", " ").split())


def bullets(items: Iterable[object]) -> str:
    lines = [inline(item) for item in items]
    return "\n".join(f"- {line}" for line in lines if line)


def bullets_of(blocks: Iterable[str]) -> str:
    """A list of Markdown blocks; an item may hold several paragraphs (lines indented)."""
    return "\n".join("- " + block.replace("\n", "\n  ") for block in blocks if block)


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    rows = [[cell(value) if value is not None else "" for value in row] for row in rows]
    rows = [row for row in rows if any(row)]
    if not rows:
        return ""
    lines = ["| " + " | ".join(cell(title) for title in header) + " |",
             "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def number(value: object) -> float | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        result = float(str(value).replace(",", "").strip())
    except ValueError:
        return None
    return result if result == result and abs(result) != float("inf") else None


def plain_number(value: float | None) -> str:
    return "" if value is None else f"{value:,.2f}".rstrip("0").rstrip(".")


def parse_time(value: object) -> datetime | None:
    """An aware datetime from ISO 8601 ("2017-08-17T21:23:46Z") or a date; None if unreadable."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
