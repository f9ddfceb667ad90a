"""Small, local fixes to whoosh-reloaded 2.7.5 (pinned; upstream is frozen).

- Writing a segment asks, for every posting of a field without a length column (facets and
  the spelling field are not scored), whether the column file exists: one `stat` per
  posting, a third of a rebuild's time. The per-segment reader now remembers the answer.
- Writing a segment also reads every posting's field length back from the length column
  with a seek, a read and an unpack (a tenth of a rebuild's time); scoring does the same for
  every matching document. The per-segment reader now reads a field's lengths (one byte per
  document) in one go, the first time they are asked for.
- Writing a segment's postings went through four calls per posting (the generic loop, its
  order checks, the field writer, the block writer with four type asserts): a quarter of
  a rebuild. `W3FieldWriter.add_postings` now fills the block writer in one loop; the
  files are byte for byte the same (tests compare them).
- The processes of Whoosh's multiprocess writer (`search rebuild --procs N`) wait on a
  queue for work: when the rebuild is killed they waited forever, forked copies holding
  its database connection (and so its transaction) open. They now die with the rebuild.
- A writer that fails while starting (a full or read-only disk) kept the index's write lock
  until the half-made writer was garbage-collected: every later write of the process then
  timed out, even once the disk had room again. It now lets go of the lock at once.
- The column of a whole index (several segments) left out the segments that have no column
  file for the field, so each of their documents was looked up in the segment before it,
  past its end: an IndexError. A segment has no such file when none of its documents has a
  value, as when an edit writes one sheet without that facet into a new segment: every
  search then failed. Each segment now gives its column or, as a segment alone does, an
  empty one of its size.
- Opening a file inside a compound segment copied the whole file (postings, terms, columns:
  23 MB for 2,000 sheets) from the memory map into a `BytesIO`, once per searcher, so per
  thread of every worker, although nearly every read goes through `get()`, which slices the
  map directly. Sequential reads now read from the map too.

Other workarounds live where they are needed: `Searcher.refresh()` is not used (it reuses
readers with stale deletions, see search.service) nor `Query.existing_terms` (it drops
fields, see search.snippets).
"""

import os
from io import BytesIO

from whoosh import columns, multiproc
from whoosh.codec import whoosh3
from whoosh.filedb.structfile import BufferFile
from whoosh.reading import MultiReader
from whoosh.system import emptybytes
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter

from practices.child_processes import die_with_parent

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


def _lengths_of(lengths, fieldname):
    """A docnum -> field length function for the segment being written."""
    if lengths is None:
        return lambda docnum: 0
    if isinstance(lengths, whoosh3.W3PerDocReader):
        table = _length_bytes(lengths, fieldname)
        if not table:
            return lambda docnum: 0
        size = len(table)
        return lambda docnum: (byte_to_length(table[docnum]) or None) if docnum < size else None
    return lambda docnum: lengths.doc_field_length(docnum, fieldname)


def _add_postings(self, schema, lengths, items):
    """FieldWriter.add_postings and W3PostingsWriter.add_posting in one loop. The items
    come sorted from Whoosh's own pool, so the order checks are left out."""
    lastfn = lasttext = None
    writer = length_of = None
    for fieldname, btext, docnum, weight, value in items:
        if fieldname != lastfn:
            if lasttext is not None:
                self.finish_term()
            if lastfn is not None:
                self.finish_field()
            self.start_field(fieldname, schema[fieldname])
            writer, length_of = self._postwriter, _lengths_of(lengths, fieldname)
            lastfn, lasttext = fieldname, None
        if docnum == -1:  # upstream's marker of a spelling word, not a posting
            continue
        if btext != lasttext:
            if lasttext is not None:
                self.finish_term()
            self.start_term(btext)
            lasttext = btext
        # W3PostingsWriter.add_posting, without its type asserts
        if len(writer._ids) >= writer._blocklimit:
            writer._write_block()
        length = length_of(docnum)
        writer._ids.append(docnum)
        writer._weights.append(weight)
        if weight > writer._maxweight:
            writer._maxweight = weight
        if value:
            writer._values.append(value)
        elif value is None:
            value = emptybytes
        if length:
            if writer._minlength is None or length < writer._minlength:
                writer._minlength = length
            if length > writer._maxlength:
                writer._maxlength = length
    if lasttext is not None:
        self.finish_term()
    if lastfn is not None:
        self.finish_field()


class _ViewReader:
    """A read-only file over a memoryview of the segment's map: a read copies only the
    bytes it returns (BytesIO(view) copied the whole file up front)."""

    __slots__ = ("_view", "_pos")

    def __init__(self, view):
        self._view = view
        self._pos = 0

    def read(self, size: int = -1) -> bytes:
        start = self._pos
        end = len(self._view) if size is None or size < 0 else min(start + size,
                                                                    len(self._view))
        self._pos = max(start, end)
        return bytes(self._view[start:end])

    def readline(self, size: int = -1) -> bytes:
        line = bytearray()
        while size < 0 or len(line) < size:
            byte = self.read(1)
            if not byte:
                break
            line += byte
            if byte == b"\n":
                break
        return bytes(line)

    def seek(self, offset: int, whence: int = 0) -> int:
        base = (0, self._pos, len(self._view))[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def __iter__(self):
        while line := self.readline():
            yield line

    def close(self) -> None:
        pass


def _buffer_file_init(self, buf, name=None, onclose=None):
    self._buf = buf
    self._name = name
    self.file = BytesIO(buf) if isinstance(buf, bytes) else _ViewReader(memoryview(buf))
    self.onclose = onclose
    self.is_real = False
    self.is_closed = False


if not getattr(whoosh3.W3PerDocReader, "_practice_wiki_patched", False):
    BufferFile.__init__ = _buffer_file_init
    whoosh3.W3PerDocReader._cached_reader = _cached_reader_remembering_absence
    whoosh3.W3PerDocReader.doc_field_length = _doc_field_length
    whoosh3.W3FieldWriter.add_postings = _add_postings
    whoosh3.W3PerDocReader._practice_wiki_patched = True


_subwriter_init = multiproc.SubWriterTask.__init__
_subwriter_run = multiproc.SubWriterTask.run


def _subwriter_init_noting_parent(self, *args, **kwargs):
    _subwriter_init(self, *args, **kwargs)
    self.practice_wiki_parent = os.getpid()  # in the parent, before the fork


def _subwriter_run_dying_with_parent(self):
    die_with_parent(self.practice_wiki_parent)
    _subwriter_run(self)


if not getattr(multiproc.SubWriterTask, "_practice_wiki_patched", False):
    multiproc.SubWriterTask.__init__ = _subwriter_init_noting_parent
    multiproc.SubWriterTask.run = _subwriter_run_dying_with_parent
    multiproc.SubWriterTask._practice_wiki_patched = True


_segment_writer_init = SegmentWriter.__init__


def _segment_writer_init_releasing_lock(self, *args, **kwargs):
    try:
        _segment_writer_init(self, *args, **kwargs)
    except BaseException:
        lock = getattr(self, "writelock", None)
        if lock is not None and lock.fd is not None:  # acquired, then something failed
            lock.release()
        raise


if not getattr(SegmentWriter, "_practice_wiki_patched", False):
    SegmentWriter.__init__ = _segment_writer_init_releasing_lock
    SegmentWriter._practice_wiki_patched = True


def _column_of_every_segment(self, fieldname, column=None, reverse=False, translate=True):
    """One column over all the segments, each giving its own column or, when it has none
    for the field, the empty column of its size that SegmentReader makes then."""
    readers = [reader.column_reader(fieldname, column=column, reverse=reverse,
                                    translate=translate) for reader in self.readers]
    return columns.MultiColumnReader(readers, list(self.doc_offsets))


if not getattr(MultiReader, "_practice_wiki_patched", False):
    MultiReader.column_reader = _column_of_every_segment
    MultiReader._practice_wiki_patched = True
