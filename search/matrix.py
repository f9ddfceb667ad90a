"""What one generation of the index answers without running a query: for every facet value,
the set of documents carrying it, as a bitset (a Python int, bit n = document number n).

Filters are then ANDs and ORs of bitsets and a facet count is a popcount, so facet-only
browsing and the counts of every facet cost microseconds per value instead of a pass over
the matching documents. A snapshot is built once per index generation and shared by every
request of the process until the index changes.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_

from whoosh.query import And, Not, NullQuery, Or, Query, Term
from whoosh.searching import Searcher

from search.carbon import best_rates
from search.practices import PracticeGroups
from search.schema import FACETS, STATE_ID

# Bitsets of single words kept per generation: queries share most of their words, so a
# query never seen before usually finds its documents without reading a posting list.
TERM_MASKS = 4096
_BITS = tuple(tuple(bit for bit in range(8) if byte >> bit & 1) for byte in range(256))


def mask_of(docnums: Iterable[int], size: int) -> int:
    buffer = bytearray(size // 8 + 1)
    for docnum in docnums:
        buffer[docnum >> 3] |= 1 << (docnum & 7)
    return int.from_bytes(buffer, "little")


def docnums_of(mask: int) -> list[int]:
    """The document numbers in a bitset, ascending."""
    found = []
    data = mask.to_bytes((mask.bit_length() + 7) // 8, "little")
    for index, byte in enumerate(data):
        if byte:
            base = index << 3
            found.extend(base + bit for bit in _BITS[byte])
    return found


def any_of(masks: Iterable[int]) -> int:
    return reduce(or_, masks, 0)


def all_of(masks: Iterable[int], start: int) -> int:
    return reduce(and_, masks, start)


@dataclass
class IndexState:
    """How far through the change log the index is: every row up to `applied` is in it,
    except the ids in `gaps` (seen missing, possibly still being committed)."""

    applied: int = 0
    gaps: dict[int, float] = field(default_factory=dict)  # change id -> first seen missing
    # Sheet id -> {"fingerprint", "reason"}: sheets whose document could not be built
    # (search.unindexable); they are indexed without their body, and `search check` lists them.
    failed: dict[int, dict[str, str]] = field(default_factory=dict)

    def dumps(self) -> str:
        return json.dumps({"applied": self.applied,
                           "gaps": {str(key): value for key, value in self.gaps.items()},
                           "failed": {str(key): value for key, value in self.failed.items()}})

    @classmethod
    def loads(cls, text: str | None) -> "IndexState":
        if not text:
            return cls()
        data = json.loads(text)
        return cls(int(data.get("applied", 0)),
                   {int(key): float(value) for key, value in data.get("gaps", {}).items()},
                   {int(key): value for key, value in data.get("failed", {}).items()})


def read_state(searcher: Searcher) -> IndexState:
    docnum = searcher.document_number(id=STATE_ID)
    if docnum is None:
        return IndexState()
    return IndexState.loads(searcher.stored_fields(docnum).get("state"))


class Snapshot:
    """Bitsets and sort orders of one index generation, computed once from a searcher of
    that generation; holds no reader afterwards, so any thread may use it."""

    def __init__(self, searcher: Searcher):
        reader = searcher.reader()
        self.generation = reader.generation()
        self.size = reader.doc_count_all()
        self.values: dict[str, dict[str, int]] = {}
        for facet in FACETS:
            self.values[facet] = {
                term.decode("utf-8"): mask_of(reader.postings(facet, term).all_ids(), self.size)
                for term in reader.lexicon(facet)}
        self.sheets = any_of(self.values["status"].values())
        self.with_soc = _term_mask(reader, "flags", "soc", self.size)
        self.state = read_state(searcher)
        self._words: dict[tuple[str, str], int] = {}
        self._orders: dict[tuple, list[int]] = {}  # carbon orders, per chosen cells
        docnums = docnums_of(self.sheets)
        self.practices = PracticeGroups(reader, docnums)
        updated = reader.column_reader("updated", translate=False)
        soc = reader.column_reader("soc_change")
        by_updated = sorted(docnums, key=lambda d: (updated[d], d), reverse=True)
        self.orders = {
            "updated": by_updated,
            "soc": sorted((d for d in docnums if self.with_soc >> d & 1),
                          key=lambda d: -soc[d]) + [d for d in by_updated
                                                    if not self.with_soc >> d & 1],
        }

    def carbon_order(self, searcher: Searcher, cells: tuple[str, ...]) -> list[int]:
        """Sheets by their best IPCC estimate (‰/yr) in these zone:soil cells, highest first,
        then the sheets without one, newest first; cached per cells for this generation.
        `searcher` must be of this snapshot's generation."""
        key = ("carbon-order", cells)
        order = self._orders.get(key)
        if order is None:
            rates = best_rates(searcher, docnums_of(self.sheets), cells)
            ranked = sorted(rates, key=lambda d: (-rates[d], d))
            order = ranked + [d for d in self.orders["updated"] if d not in rates]
            if len(self._orders) >= 64:
                self._orders.pop(next(iter(self._orders)), None)
            self._orders[key] = order
        return order

    def owned(self, searcher: Searcher, field_name: str, value: str) -> int:
        """Documents whose author (or organisation) is `value`; cached per person.
        `searcher` must be of this snapshot's generation."""
        return self.word_mask(searcher, field_name, value)

    def query_mask(self, searcher: Searcher, query: Query) -> int:
        """The documents a text query matches, as a bitset: words, ANDs, ORs and NOTs are
        combined from (cached) bitsets of single words; anything else (phrases, wildcards)
        is run on the index. `searcher` must be of this snapshot's generation."""
        if isinstance(query, Term):
            return self.word_mask(searcher, query.fieldname, query.text)
        if isinstance(query, Or):
            return any_of(self.query_mask(searcher, sub) for sub in query.subqueries)
        if isinstance(query, And):
            wanted = [sub for sub in query.subqueries if not isinstance(sub, Not)]
            unwanted = [sub.query for sub in query.subqueries if isinstance(sub, Not)]
            found = all_of((self.query_mask(searcher, sub) for sub in wanted),
                           self.sheets if not wanted else -1)
            return found & ~any_of(self.query_mask(searcher, sub) for sub in unwanted)
        if isinstance(query, Not):
            return self.sheets & ~self.query_mask(searcher, query.query)
        if isinstance(query, type(NullQuery)):
            return 0
        return mask_of(searcher.docs_for_query(query), self.size)

    def word_mask(self, searcher: Searcher, field_name: str, text: str) -> int:
        """Documents holding one indexed word of a field, cached (the oldest word goes when
        TERM_MASKS are kept). `searcher` must be of this snapshot's generation."""
        key = (field_name, text)
        mask = self._words.get(key)
        if mask is None:
            mask = _term_mask(searcher.reader(), field_name, text, self.size)
            if len(self._words) >= TERM_MASKS:
                self._words.pop(next(iter(self._words)), None)
            self._words[key] = mask
        return mask

    def facet_mask(self, facet: str, codes: Iterable[str]) -> int:
        values = self.values.get(facet, {})
        return any_of(values.get(code, 0) for code in codes)

    def counts(self, facet: str, within: int, *, practices: bool = False) -> dict[str, int]:
        """code -> documents in `within` carrying it (with `practices`: practices)."""
        if practices:
            return self.practices.counts(facet, self.values.get(facet, {}), within)
        found = {}
        for code, mask in self.values.get(facet, {}).items():
            number = (mask & within).bit_count()
            if number:
                found[code] = number
        return found


def _term_mask(reader, field_name: str, value: str, size: int) -> int:
    if (field_name, value) in reader:
        return mask_of(reader.postings(field_name, value).all_ids(), size)
    return 0
