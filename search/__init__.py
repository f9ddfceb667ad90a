"""Full-text and faceted search over practice sheets (Whoosh), kept in step with the database.

The web app talks to `SearchService`; the query for a request is built by pure functions in
`search.query`, so the engine can change by touching this package only. This package reads
sheets through `practices` and never imports `wiki`.
"""

from search.query import InvalidSearch, SearchRequest
from search.service import Hit, Notice, SearchPage, SearchService

__all__ = ["Hit", "InvalidSearch", "Notice", "SearchPage", "SearchRequest", "SearchService"]
