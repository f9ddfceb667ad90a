"""Small, local fixes to whoosh-reloaded 2.7.5 (pinned; upstream is frozen).

- Writing a segment asks, for every posting of a field without a length column (facets and
  the spelling field are not scored), whether the column file exists: one `stat` per
  posting, a third of a rebuild's time. The per-segment reader now remembers the answer.

Other workarounds live where they are needed: `Searcher.refresh()` is not used (it reuses
readers with stale deletions, see search.service) nor `Query.existing_terms` (it drops
fields, see search.snippets).
"""

from whoosh.codec import whoosh3

_cached_reader = whoosh3.W3PerDocReader._cached_reader


def _cached_reader_remembering_absence(self, fieldname, column):
    reader = _cached_reader(self, fieldname, column)
    if reader is None:
        self._readers[fieldname] = None
    return reader


if not getattr(whoosh3.W3PerDocReader, "_practice_wiki_patched", False):
    whoosh3.W3PerDocReader._cached_reader = _cached_reader_remembering_absence
    whoosh3.W3PerDocReader._practice_wiki_patched = True
