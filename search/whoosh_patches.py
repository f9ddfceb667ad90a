"""Small, local fixes to whoosh-reloaded 2.7.5 (pinned; upstream is frozen).

- Writing a segment asks, for every posting of a field without a length column (facets and
  the spelling field are not scored), whether the column file exists: one `stat` per
  posting, a third of a rebuild's time. The per-segment reader now remembers the answer.
- Writing a segment also reads every posting's field length back from the length column
  with a seek, a read and an unpack (a tenth of a rebuild's time); scoring does the same for
  every matching document. The per-segment reader now reads a field's lengths (one byte per
  document) in one go, the first time they are asked for.

Other workarounds live where they are needed: `Searcher.refresh()` is not used (it reuses
readers with stale deletions, see search.service) nor `Query.existing_terms` (it drops
fields, see search.snippets).
"""

from whoosh.codec import whoosh3
from whoosh.util.numeric import byte_to_length

_cached_reader = whoosh3.W3PerDocReader._cached_reader


def _cached_reader_remembering_absence(self, fieldname, column):
    reader = _cached_reader(self, fieldname, column)
    if reader is None:
        self._readers[fieldname] = None
    return reader


def _length_bytes(self, fieldname: str) -> bytes:
    """The field's length byte of every document of the segment (b"" if not scored)."""
    cache = self.__dict__.setdefault("_practice_wiki_lengths", {})
    lengths = cache.get(fieldname)
    if lengths is None:
        reader = self._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
        lengths = b"" if reader is None else reader._dbfile.get(reader._basepos, reader._count)
        cache[fieldname] = lengths
    return lengths


def _doc_field_length(self, docnum, fieldname, default=0):
    if docnum > self._doccount:
        raise IndexError(f"Asked for docnum {docnum!r} of {self._doccount}")
    lengths = _length_bytes(self, fieldname)
    if not lengths:
        return default
    # As upstream: a document past the column's end, or of length 0, gives None.
    lbyte = lengths[docnum] if docnum < len(lengths) else 0
    return byte_to_length(lbyte) if lbyte else None


if not getattr(whoosh3.W3PerDocReader, "_practice_wiki_patched", False):
    whoosh3.W3PerDocReader._cached_reader = _cached_reader_remembering_absence
    whoosh3.W3PerDocReader.doc_field_length = _doc_field_length
    whoosh3.W3PerDocReader._practice_wiki_patched = True
