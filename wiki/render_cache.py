"""Rendered revision bodies, cached: a bounded LRU in each process in front of the shared
database rows (practices.render_cache), so many workers render a revision once between them.

What a body shows depends on the reader only through its wiki links (a target they may not
see renders as missing). So a reader first resolves the revision's links (its link list is
kept with the rendering, no parsing needed) and asks for the HTML made for exactly that
resolution: a hidden draft's title cannot travel from one reader's page to another's.
"""

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Mapping

from sqlalchemy import Engine
from sqlmodel import Session

from practices import render_cache
from practices.models import RenderedRevision, Revision
from wiki.markdown import RENDERER_VERSION, Heading, LinkTarget, Rendered, Resolver, render_markdown

# Characters of HTML kept in each process (a worker holds about twice this in memory). Small:
# finished anonymous pages are kept in front of it (wiki.page_cache), and a miss here costs
# one indexed row of the shared table, not a rendering (a worker aims at 120 MB in all).
MAX_CACHED_CHARACTERS = 4_000_000


def source_key(body: str) -> str:
    """What the HTML is made from: the version of the rendering code and the body."""
    return hashlib.sha256(f"{RENDERER_VERSION}\0{body}".encode()).hexdigest()


def links_key(targets: Mapping[str, LinkTarget]) -> str:
    """What the wiki links show this reader: where each goes and whether (with what title)."""
    resolved = sorted((slug, target.href, target.title) for slug, target in targets.items())
    return hashlib.sha256(json.dumps(resolved).encode()).hexdigest()


class RevisionRenderer:
    def __init__(self, engine: Engine, max_characters: int = MAX_CACHED_CHARACTERS):
        self.engine = engine
        self.max_characters = max_characters
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple, Rendered | frozenset[str]] = OrderedDict()
        self._characters = 0

    def render(self, session: Session, revision: Revision, resolve: Resolver) -> Rendered:
        source = source_key(revision.body)
        links = self._links(session, revision.id, source)
        if links is not None:
            key = links_key(resolve(links))
            found = self._cached(session, revision.id, source, key)
            if found is not None:
                return found
        resolved: dict[str, LinkTarget] = {}

        def remembering(slugs: frozenset[str]) -> Mapping[str, LinkTarget]:
            resolved.update(resolve(slugs))
            return resolved

        rendered = render_markdown(revision.body, resolve=remembering)
        key = links_key(resolved)
        render_cache.store(
            self.engine,
            RenderedRevision(
                revision_id=revision.id,
                source_key=source,
                links_key=key,
                html=rendered.html,
                toc=[[h.level, h.anchor, h.text] for h in rendered.toc],
                links=sorted(rendered.links),
            ),
        )
        self._remember((revision.id, source), rendered.links)
        self._remember((revision.id, source, key), rendered)
        return rendered

    def _links(self, session: Session, revision_id: int, source: str) -> frozenset[str] | None:
        links = self._recall((revision_id, source))
        if links is None:
            stored = render_cache.links_of(session, revision_id, source)
            if stored is None:
                return None
            links = frozenset(stored)
            self._remember((revision_id, source), links)
        return links

    def _cached(self, session: Session, revision_id: int, source: str, key: str) -> Rendered | None:
        rendered = self._recall((revision_id, source, key))
        if rendered is None:
            row = render_cache.find(session, revision_id, source, key)
            if row is None:
                return None
            rendered = Rendered(
                html=row.html,
                links=frozenset(row.links),
                toc=tuple(Heading(*heading) for heading in row.toc),
            )
            self._remember((revision_id, source, key), rendered)
        return rendered

    # The in-process LRU ------------------------------------------------------------------

    def _recall(self, key: tuple):
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def _remember(self, key: tuple, value: Rendered | frozenset[str]) -> None:
        size = _size(value)
        if size > self.max_characters:
            return
        with self._lock:
            previous = self._entries.pop(key, None)
            self._characters -= _size(previous) if previous is not None else 0
            self._entries[key] = value
            self._characters += size
            while self._characters > self.max_characters:
                _key, dropped = self._entries.popitem(last=False)
                self._characters -= _size(dropped)


def _size(value: Rendered | frozenset[str]) -> int:
    if isinstance(value, Rendered):
        return len(value.html) + 100
    return sum(len(slug) for slug in value) + 100
