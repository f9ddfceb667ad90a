"""Render sheet and comment Markdown to sanitised HTML.

The pipeline is: markdown-it as set up in practices.markdown (raw HTML disabled, dangerous
URLs refused at parse time, wiki links, hostile runs neutralised; shared with the search
index) -> a few token rules of our own (heading ids, link attributes) -> wiki links resolved
for the reader -> nh3 with an explicit allow-list. The sanitiser is the last line of
defence: whatever a plugin emits, only the tags and attributes listed here can reach a page.
Saved revisions are rendered through wiki.render_cache.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

import markdown_it
import mdit_py_plugins
import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from practices.markdown import SAFE_URL_SCHEMES, all_tokens, new_parser, wiki_link_targets
from practices.markdown_speed import gc_paused
from practices.slugs import MAX_SLUG_LENGTH, slugify

__all__ = ["Heading", "LinkTarget", "Rendered", "render_markdown", "wiki_link_targets"]

# Names the rendering code: change it whenever a change here alters the HTML of a body, so
# that cached renderings (wiki.render_cache) are made again. Library versions are in it too.
RENDERER_VERSION = (f"1/markdown-it-{markdown_it.__version__}"
                    f"/plugins-{mdit_py_plugins.__version__}/nh3-{nh3.__version__}")


@dataclass(frozen=True)
class Heading:
    level: int  # 2..4
    anchor: str  # id attribute, unique within the document
    text: str  # plain text


@dataclass(frozen=True)
class Rendered:
    html: str  # sanitised HTML, safe to mark as Markup
    toc: tuple[Heading, ...]  # headings h2..h4 in order, for the table of contents
    links: frozenset[str]  # slugs of the wiki links found, for backlinks


def _is_external(href: str) -> bool:
    parts = urlsplit(href)
    return bool(parts.netloc) and parts.scheme in {"", "http", "https"}


# --- Wiki links (parsed in practices.markdown, resolved here for the reader) ---------------

MISSING_PAGE_TITLE = "This page does not exist yet"


@dataclass(frozen=True)
class LinkTarget:
    """What a wiki link shows a reader: where it goes, and the sheet's title if the reader
    may see the sheet (None: the link renders as to a page that does not exist)."""

    href: str
    title: str | None


def _render_wiki_link_open(
    renderer: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    # Resolved at render time, not parse time, so wiki_link_targets() never asks the
    # database whether pages exist. A sheet the reader may not see renders exactly as a
    # missing one: a draft's title, or even that the slug is taken, must not leak.
    token = tokens[idx]
    slug = token.meta["slug"]
    target = env["wiki_links_resolved"][slug]
    token.attrSet("href", target.href)
    if target.title is not None:
        token.attrSet("class", "wikilink")
        if target.title and not token.meta["labelled"]:  # [[zai-pits]] reads as the title
            tokens[idx + 1].content = target.title
    else:
        token.attrSet("class", "wikilink missing")
        token.attrSet("title", MISSING_PAGE_TITLE)
    return renderer.renderToken(tokens, idx, options, env)


# --- Heading ids and the table of contents ----------------------------------------------

TOC_LEVELS = range(2, 5)
# Ids the footnote plugin uses; a heading called "fn1" must not steal the footnote's anchor.
_FOOTNOTE_ID = re.compile(r"fn(ref)?\d+")


def _heading_ids_rule(state: StateCore) -> None:
    anchors = _AnchorAllocator()
    toc: list[Heading] = []
    headings = [i for i, token in enumerate(state.tokens) if token.type == "heading_open"]
    for ordinal, index in enumerate(headings, start=1):
        heading_open, inline = state.tokens[index], state.tokens[index + 1]
        text = _plain_text(inline.children or [])
        anchor = anchors.allocate(_heading_slug(text, ordinal))
        heading_open.attrSet("id", anchor)
        level = int(heading_open.tag[1])
        if level in TOC_LEVELS:
            toc.append(Heading(level=level, anchor=anchor, text=text))
    state.env["toc"] = tuple(toc)


def _plain_text(children: Sequence[Token]) -> str:
    return "".join(child.content for child in children if child.type in {"text", "code_inline"})


def _heading_slug(text: str, ordinal: int) -> str:
    # ASCII when nothing is lost ("Résultats" -> "resultats"); otherwise the words as they
    # are ("Mise en œuvre" -> "mise-en-œuvre", Arabic stays Arabic), as GitHub and
    # MediaWiki do, since HTML ids and URL fragments take any Unicode letter.
    slug = slugify(text)
    if slug and not _loses_letters(text):
        return slug
    words = re.findall(r"\w+", text.lower())
    return "-".join(words)[:MAX_SLUG_LENGTH] or f"section-{ordinal}"


def _loses_letters(text: str) -> bool:
    return any(char.isalnum() and not _has_ascii_form(char) for char in text)


def _has_ascii_form(char: str) -> bool:
    return any(c.isascii() and c.isalnum() for c in unicodedata.normalize("NFKD", char))


class _AnchorAllocator:
    """Hands out "results", "results-2", "results-3"... without rescanning from 1 each time,
    so a document of thousands of identical headings stays linear."""

    def __init__(self) -> None:
        self._taken: set[str] = set()
        self._next_suffix: dict[str, int] = {}

    def allocate(self, slug: str) -> str:
        suffix = self._next_suffix.get(slug, 1)
        candidate = slug if suffix == 1 else f"{slug}-{suffix}"
        while candidate in self._taken or _FOOTNOTE_ID.fullmatch(candidate):
            suffix += 1
            candidate = f"{slug}-{suffix}"
        self._next_suffix[slug] = suffix + 1
        self._taken.add(candidate)
        return candidate


# --- Attributes on links, images and table cells -----------------------------------------

TABLE_ALIGNMENTS = {f"text-align:{side}": f"align-{side}" for side in ("left", "center", "right")}


def _attributes_rule(state: StateCore) -> None:
    links: set[str] = set()
    for token in all_tokens(state.tokens):
        if token.type == "link_open" and _is_external(str(token.attrGet("href") or "")):
            token.attrSet("rel", "nofollow noopener")
        elif token.type == "image":
            token.attrSet("loading", "lazy")
        elif token.type in {"th_open", "td_open"}:
            _alignment_to_class(token)
        elif token.type == "wikilink_open":
            links.add(token.meta["slug"])
    state.env["wiki_links"] = frozenset(links)


def _alignment_to_class(cell: Token) -> None:
    # The sanitiser drops every style attribute, so alignment travels as a class.
    style = cell.attrs.pop("style", None)
    if style in TABLE_ALIGNMENTS:
        cell.attrSet("class", TABLE_ALIGNMENTS[str(style)])


# --- Parser ---------------------------------------------------------------------------


@cache
def _parser() -> MarkdownIt:
    """Built once: the instance is only read afterwards, and all per-call state is in env."""
    return new_rendering_parser()


def new_rendering_parser(*, fast: bool = True) -> MarkdownIt:
    md = new_parser(fast=fast)
    md.core.ruler.push("heading_ids", _heading_ids_rule)
    md.core.ruler.push("link_attributes", _attributes_rule)
    md.add_render_rule("wikilink_open", _render_wiki_link_open)
    md.add_render_rule("text", _render_text)
    for code in ("code_inline", "code_block", "fence"):
        md.add_render_rule(code, _cutting_ampersands(md.renderer.rules[code]))
    return md


# The sanitiser (html5ever) takes more than linear time on one text node holding thousands
# of "&amp;" (300 kB of "&": 1 s, 1 MB: 10 s) and linear time on the same text cut into
# nodes: so text and code with that many ampersands are cut by empty spans nobody sees.
AMPERSANDS_PER_NODE = 1_000


def _cut_ampersands(html: str) -> str:
    """`html` (escaped text) with an empty span after every AMPERSANDS_PER_NODE-th "&amp;"."""
    if html.count("&amp;") <= AMPERSANDS_PER_NODE:
        return html
    pieces = html.split("&amp;")
    groups = ("&amp;".join(pieces[start:start + AMPERSANDS_PER_NODE])
              for start in range(0, len(pieces), AMPERSANDS_PER_NODE))
    return "&amp;<span></span>".join(groups)


def _render_text(
    renderer: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return _cut_ampersands(escapeHtml(tokens[idx].content))


def _cutting_ampersands(default_rule):
    def rule(renderer, tokens, idx, options, env) -> str:
        return _cut_ampersands(default_rule(tokens, idx, options, env))

    return rule


# --- Sanitiser ------------------------------------------------------------------------

ALLOWED_TAGS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "a", "img", "ul", "ol", "li", "input"}
    | {"blockquote", "pre", "code", "em", "strong", "del", "s", "hr", "br", "sup", "sub"}
    | {"table", "thead", "tbody", "tr", "th", "td"}
    | {"section", "div", "span", "dl", "dt", "dd", "figure", "figcaption"}
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class", "id", "rel"},
    "img": {"src", "alt", "title", "loading"},
    **{f"h{level}": {"id"} for level in range(1, 7)},
    "li": {"id", "class"},
    "sup": {"id", "class"},
    "section": {"id", "class"},
    "ol": {"start", "class"},
    "ul": {"class"},
    "hr": {"class"},
    "code": {"class"},
    "th": {"class"},
    "td": {"class"},
    "input": {"checked", "class"},
}
# Whatever emits an <input>, it ends up a checkbox nobody can tick.
FORCED_ATTRIBUTES = {"input": {"type": "checkbox", "disabled": "disabled"}}
ALLOWED_CLASSES = frozenset(
    {"wikilink", "missing", "task-list-item", "contains-task-list", "task-list-item-checkbox"}
    | {"footnote-ref", "footnote-backref", "footnote-item", "footnotes", "footnotes-list"}
    | {"footnotes-sep", *TABLE_ALIGNMENTS.values()}
)
_LANGUAGE_CLASS = re.compile(r"language-[\w+#.-]+")


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    # Classes only come from our own rules, but a class can still restyle the page
    # ("hidden", "btn"...), so only the ones we emit survive.
    if attribute != "class":
        return value
    kept = [name for name in value.split() if _is_allowed_class(tag, name)]
    return " ".join(kept) or None


def _is_allowed_class(tag: str, name: str) -> bool:
    if tag == "code":
        return bool(_LANGUAGE_CLASS.fullmatch(name))
    return name in ALLOWED_CLASSES


def sanitise(html: str) -> str:
    # The class filter is a call from nh3 into Python for every attribute (a third of the
    # sanitiser's time on a page of footnotes); it is left out when it would change nothing.
    return clean(html, filter_classes=not _classes_all_allowed(html))


def clean(html: str, *, filter_classes: bool = True) -> str:
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_filter_attribute if filter_classes else None,
        set_tag_attribute_values=FORCED_ATTRIBUTES,
        url_schemes=set(SAFE_URL_SCHEMES),
        link_rel=None,  # rel="nofollow noopener" is set on external links only, above
    )


# A class attribute as markdown-it writes one (attribute values have no raw '"' or '>').
_CLASS_ATTRIBUTE = re.compile(r'<([a-z][a-z0-9]*)\b[^>]* class="([^"]*)"')


def _classes_all_allowed(html: str) -> bool:
    """Would _filter_attribute keep every class attribute of `html` as it is? Anything
    unusual (a class attribute written otherwise, "class=" in text) answers no."""
    found = _CLASS_ATTRIBUTE.findall(html)
    if len(found) != html.lower().count("class="):
        return False
    return all(value == " ".join(value.split()) and value
               and all(_is_allowed_class(tag, name) for name in value.split())
               for tag, value in found)


# --- Public API -----------------------------------------------------------------------

Resolver = Callable[[frozenset[str]], Mapping[str, LinkTarget]]


def _all_exist(slugs: frozenset[str]) -> dict[str, LinkTarget]:
    return {slug: LinkTarget(f"/practices/{slug}", "") for slug in slugs}


@gc_paused()
def render_markdown(text: str, *, resolve: Resolver = _all_exist) -> Rendered:
    """Render Markdown to sanitised HTML, with its table of contents and wiki links.

    `resolve` gets every wiki link's slug at once (one query for the page) and says where
    each goes and what it shows the reader: a title (a link without a label reads as the
    title; "" keeps the slug as written) or None for a page that does not exist for them."""
    md = _parser()
    env: EnvType = {}
    tokens = md.parse(text, env)
    env["wiki_links_resolved"] = resolve(env["wiki_links"])
    html = md.renderer.render(tokens, md.options, env)
    return Rendered(html=sanitise(html), toc=env["toc"], links=env["wiki_links"])
