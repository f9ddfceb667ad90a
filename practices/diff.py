"""Word-level differences between two revisions: the text, and each structured field."""

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from practices.fields import FIELDS
from practices.models import Revision

TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)
# Word-by-word comparison costs up to the product of the two texts' lengths in words.
MAX_WORD_PAIRS = 2_000_000


CONTEXT_LINES = 3  # unchanged lines shown on each side of a change


@dataclass(frozen=True)
class Chunk:
    op: str  # equal | insert | delete | skip (unchanged lines folded away)
    text: str

    @property
    def line_count(self) -> int:
        return self.text.count("\n") + (0 if self.text.endswith("\n") else 1)


@dataclass(frozen=True)
class FieldChange:
    name: str
    old: Any
    new: Any
    chunks: tuple[Chunk, ...]  # word diff of the values written out as text

    @property
    def around_changes(self) -> tuple[Chunk, ...]:
        """The chunks with long unchanged stretches folded into `skip` chunks."""
        return with_context(self.chunks)


@dataclass(frozen=True)
class RevisionDiff:
    old: Revision
    new: Revision
    changes: tuple[FieldChange, ...]

    @property
    def is_empty(self) -> bool:
        return not self.changes


def word_diff(old: str, new: str) -> tuple[Chunk, ...]:
    """Chunks that turn `old` into `new`, compared word by word (spaces kept).

    Changes separated only by spaces are merged into one removed and one added run, so
    that "across the slope" -> "of 4 m" reads as two phrases rather than a word salad. Not
    across a line break: each line's changes stay on their line.
    """
    old_tokens, new_tokens = TOKEN.findall(old), TOKEN.findall(new)
    if len(old_tokens) * len(new_tokens) > MAX_WORD_PAIRS:
        return _line_diff(old, new)
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    runs: list[list[str]] = []  # ["equal", text] or ["change", removed, added]
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = "".join(old_tokens[i1:i2]), "".join(new_tokens[j1:j2])
        if tag == "equal":
            runs.append(["equal", removed])
        elif len(runs) >= 2 and runs[-1][0] == "equal" and not runs[-1][1].strip() \
                and "\n" not in runs[-1][1] and runs[-2][0] == "change":
            space = runs.pop()[1]
            runs[-1][1] += space + removed
            runs[-1][2] += space + added
        else:
            runs.append(["change", removed, added])
    return tuple(_chunks(runs))


def _line_diff(old: str, new: str) -> tuple[Chunk, ...]:
    """Long texts are compared line by line first (difflib on words costs the product of
    the two lengths: two 30 kB bodies took 14 s); changed stretches small enough are then
    compared word by word, bigger ones shown as removed and added whole."""
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    # autojunk: lines repeated all over (blank ones, "---") do not anchor the comparison,
    # which keeps it fast whatever the bodies hold.
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=True)
    chunks: list[Chunk] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        if tag == "equal":
            chunks.append(Chunk("equal", removed))
        elif len(removed) * len(added) <= MAX_WORD_PAIRS:  # characters bound the words
            chunks.extend(word_diff(removed, added))
        else:
            chunks.extend(_chunks([["change", removed, added]]))
    return tuple(chunks)


def _chunks(runs: list[list[str]]):
    for run in runs:
        if run[0] == "equal":
            yield Chunk("equal", run[1])
            continue
        if run[1]:
            yield Chunk("delete", run[1])
        if run[2]:
            yield Chunk("insert", run[2])


def with_context(chunks: tuple[Chunk, ...], lines: int = CONTEXT_LINES) -> tuple[Chunk, ...]:
    """Keep `lines` unchanged lines before and after each change and fold the rest, so that
    a two-line edit of a long sheet shows the two lines, not pages of text before them."""
    result: list[Chunk] = []
    last = len(chunks) - 1
    for index, chunk in enumerate(chunks):
        if chunk.op != "equal":
            result.append(chunk)
            continue
        result.extend(_fold(chunk.text, lines, after_change=index > 0,
                            before_change=index < last))
    return tuple(result)


def _fold(text: str, lines: int, *, after_change: bool, before_change: bool) -> list[Chunk]:
    # parts[0] ends the line of the change before; parts[-1] starts the line of the next one
    parts = text.split("\n")
    head = parts[:lines + 1] if after_change else []
    tail = parts[-(lines + 1):] if before_change else []
    if len(head) + len(tail) + 1 >= len(parts):  # folding would hide one line at most
        return [Chunk("equal", text)]
    folded = parts[len(head):len(parts) - len(tail)]
    chunks = []
    if head:
        chunks.append(Chunk("equal", "\n".join(head) + "\n"))
    chunks.append(Chunk("skip", "\n".join(folded) + ("\n" if tail else "")))
    if tail:
        chunks.append(Chunk("equal", "\n".join(tail)))
    return chunks


def compare(old: Revision, new: Revision,
            describe: Callable[[str, Any], str] | None = None) -> RevisionDiff:
    """What changed, field by field; `describe` writes a value out (e.g. labels for codes)."""
    describe = describe or (lambda _name, value: as_text(value))
    changes = [
        _change(name, getattr(old, name), getattr(new, name), describe)
        for name in ("title", "summary", "body")
        if getattr(old, name) != getattr(new, name)
    ]
    for name in (*(spec.name for spec in FIELDS), "photos"):  # the gallery too (issue 16)
        before, after = old.fields.get(name), new.fields.get(name)
        if before != after:
            changes.append(_change(name, before, after, describe))
    return RevisionDiff(old, new, tuple(changes))


def _change(name: str, old: Any, new: Any, describe) -> FieldChange:
    return FieldChange(name, old, new, word_diff(describe(name, old), describe(name, new)))


def as_text(value: Any) -> str:
    """A stable plain-text form of a field value, one item per line, for diffing."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "\n".join(f"{key}: {item}" for key, item in value.items())
    if isinstance(value, list):
        return "\n".join(_item_text(item) for item in value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def _item_text(item: Any) -> str:
    if isinstance(item, dict):
        return " ".join(str(part) for part in item.values())
    if isinstance(item, list):
        return ", ".join(str(part) for part in item)
    return str(item)
