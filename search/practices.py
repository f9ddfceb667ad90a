"""Translations of one practice as one entry: counts, totals and pages of practices.

Every document carries its practice's key (`practice`: the id of the original sheet, which
its translations point to with `translation_of_id`). A practice is found when one of its
language versions matches; a facet count is the number of practices one of whose matching
versions carries the value; a page of 20 holds 20 practices.

Most practices have one version, so bitset popcounts stay exact for them; only documents of
practices with several versions (`multi`) are looked at one by one, which keeps the cost in
proportion to the translations among the matches, not to the size of the index.
"""

from collections.abc import Iterable, Mapping

from whoosh.reading import IndexReader

from search.schema import FACETS

PRACTICE_FIELD = "practice"


def practice_key(sheet_id: int, translation_of_id: int | None) -> str:
    """The key shared by a sheet and its translations: the original's id."""
    return str(translation_of_id or sheet_id)


class PracticeGroups:
    """Which live documents belong to practices with several language versions, and the
    facet codes of those documents, for one index generation (holds no reader after)."""

    def __init__(self, reader: IndexReader, live_docnums: Iterable[int]):
        keys = reader.column_reader(PRACTICE_FIELD) if reader.has_column(PRACTICE_FIELD) \
            else None
        members: dict[str, list[int]] = {}
        if keys is not None:
            for docnum in live_docnums:
                members.setdefault(keys[docnum], []).append(docnum)
        self.members = {key: docs for key, docs in members.items() if len(docs) > 1}
        self.largest = max((len(docs) for docs in self.members.values()), default=1)
        self.key_of = {docnum: key for key, docs in self.members.items() for docnum in docs}
        self.multi = 0
        for docnum in self.key_of:
            self.multi |= 1 << docnum
        # facet -> docnum -> its codes, for the documents of multi-version practices only
        self.codes: dict[str, dict[int, tuple[str, ...]]] = {}
        for facet in FACETS:
            column = reader.column_reader(facet) if reader.has_column(facet) else None
            self.codes[facet] = {docnum: tuple(_codes(column[docnum]))
                                 for docnum in self.key_of} if column is not None else {}

    def count(self, mask: int) -> int:
        """How many practices have a document in `mask`."""
        if not mask & self.multi:
            return mask.bit_count()
        return (mask & ~self.multi).bit_count() + len(
            {self.key_of[docnum] for docnum in _bits(mask & self.multi)})

    def counts(self, facet: str, values: Mapping[str, int], within: int) -> dict[str, int]:
        """code -> how many practices have a document in `within` carrying the code."""
        found = {}
        singles = within & ~self.multi
        for code, mask in values.items():
            number = (mask & singles).bit_count()
            if number:
                found[code] = number
        shared = within & self.multi
        if not shared:
            return found
        seen: set[tuple[str, str]] = set()
        codes = self.codes.get(facet, {})
        for docnum in _bits(shared):
            key = self.key_of[docnum]
            for code in codes.get(docnum, ()):
                if (code, key) not in seen and code in values:
                    seen.add((code, key))
                    found[code] = found.get(code, 0) + 1
        return found

    def first_of_each(self, docnums: Iterable[int], limit: int) -> list[int]:
        """The first document of each practice in `docnums`, in order, up to `limit`."""
        seen: set[str] = set()
        found = []
        for docnum in docnums:
            key = self.key_of.get(docnum)
            if key is not None:
                if key in seen:
                    continue
                seen.add(key)
            found.append(docnum)
            if len(found) >= limit:
                break
        return found

    def versions(self, docnum: int, within: int) -> list[int]:
        """The documents of `docnum`'s practice that are in `within` (itself included)."""
        key = self.key_of.get(docnum)
        if key is None:
            return [docnum] if within >> docnum & 1 else []
        return [other for other in self.members[key] if within >> other & 1]


def _codes(value) -> list[str]:
    if not value:
        return []
    if isinstance(value, bytes):
        value = value.decode("utf-8")
    return str(value).split()


def _bits(mask: int) -> Iterable[int]:
    """The set bits of a sparse bitset, lowest first (costs per bit, not per index size)."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low
