"""Reading the wiki's Markdown: one parser setup for rendering (wiki/) and indexing (search/).

What is here does not depend on how the result is shown: the markdown-it configuration, the
URL policy links are parsed under, the `[[slug]]` / `[[slug|label]]` wiki links, and the
plain text of a body (what the search index reads). HTML rendering and sanitising stay in
`wiki.markdown`.

Hostile bodies: every rule here is linear in its input, and the configuration neutralises
the shapes on which markdown-it itself spends most (see `_punctuation_run_rule`);
practices.markdown_speed swaps in faster equivalents of markdown-it-py's own steps.
bench/pathological_bench.py measures each shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from practices.markdown_speed import gc_paused, speed_up, starts_on
from practices.slugs import slugify

__all__ = ["is_safe_url", "new_parser", "plain_text", "wiki_link_targets"]

# --- URL policy --------------------------------------------------------------------------

SAFE_URL_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
# Browsers drop ASCII whitespace and control characters while reading a URL, so
# "java\tscript:" is javascript: to them; we strip the same characters before judging.
_IGNORED_BY_BROWSERS = re.compile(r"[\x00-\x20\x7f]+")


def is_safe_url(url: str) -> bool:
    """Relative URLs and http(s)/mailto pass; any other scheme (javascript:, data:...) fails.

    markdown-it has already decoded entities and percent-encoded the URL, so we decode the
    percent-escapes too: what we judge is what a browser would end up reading.
    """
    seen_by_browser = _IGNORED_BY_BROWSERS.sub("", unquote(url)).lower()
    scheme = _SCHEME.match(seen_by_browser)
    return scheme is None or scheme.group(1) in SAFE_URL_SCHEMES


# --- Wiki links: [[slug]] and [[slug|text]] ------------------------------------------------

# A wiki link never spans more than this; bounding the look-ahead keeps a line of ten
# thousand "[[" linear instead of quadratic.
MAX_WIKI_LINK_LENGTH = 300


@starts_on("[")
def _wiki_link_rule(state: StateInline, silent: bool) -> bool:
    start = state.pos
    if not state.src.startswith("[[", start):
        return False
    body_start = start + 2
    search_end = min(state.posMax, body_start + MAX_WIKI_LINK_LENGTH + 2)
    body_end = state.src.find("]]", body_start, search_end)
    if body_end < 0:
        return False
    body = state.src[body_start:body_end]
    if "[" in body or "]" in body or "\n" in body:
        return False
    target, _, label = body.partition("|")
    slug = slugify(target)
    if not slug:
        return False  # "[[]]" and "[[!!]]" stay literal text
    if not silent:
        _push_wiki_link(state, slug, label.strip() or target.strip(), labelled=bool(label.strip()))
    state.pos = body_end + 2
    return True


def _push_wiki_link(state: StateInline, slug: str, label: str, *, labelled: bool) -> None:
    link_open = state.push("wikilink_open", "a", 1)
    link_open.meta["slug"] = slug
    link_open.meta["labelled"] = labelled
    state.push("text", "", 0).content = label
    state.push("wikilink_close", "a", -1)


# --- Neutralising what markdown-it is slow on ---------------------------------------------

# markdown-it-py runs every inline rule on every punctuation character, and on "[" it also
# looks for the end of a link label: a 100 kB line of "[" or "![" costs seconds. A long run
# of punctuation cannot be Markdown, except at its end ("[[[[[[[[foo]]", "...](url)"), so
# all of a run but its last PUNCTUATION_TAIL characters is taken as literal text at once.
# Emphasis marks and backticks are left out: their own rules already take a run in one step,
# and what they pair with depends on the run's length.
PUNCTUATION_RUN = 32
PUNCTUATION_TAIL = 16
_RUN_PUNCTUATION = "!\"#$%&'()+,-./:;<=>?@[]^{|}\\"
_RUN_CHARACTERS = re.escape(_RUN_PUNCTUATION)
_PUNCTUATION_RUN = re.compile(f"[{_RUN_CHARACTERS}]{{{PUNCTUATION_RUN},}}")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


@starts_on(_RUN_PUNCTUATION)
def _punctuation_run_rule(state: StateInline, silent: bool) -> bool:
    run = _PUNCTUATION_RUN.match(state.src, state.pos, state.posMax)
    if run is None:
        return False
    literal = state.src[state.pos : run.end() - PUNCTUATION_TAIL]
    if _ends_in_escape(literal):
        literal = literal[:-1]  # the tail starts with an escape: keep it whole
    if not silent:
        _append_text(state, _ESCAPED.sub(r"\1", literal))
    state.pos += len(literal)
    return True


@starts_on("[!")
def _unclosed_bracket_rule(state: StateInline, silent: bool) -> bool:
    """A "[" (or "![") with no "]" after it in its paragraph opens no link, image, footnote
    or wiki link: it is text at once, instead of markdown-it looking for its end twenty
    levels deep ("[a" * 100_000 took 9 ms per kB)."""
    opener = "![" if state.src.startswith("![", state.pos) else "["
    if not state.src.startswith(opener, state.pos):
        return False
    if state.pos < _last_closing_bracket(state):
        return False
    if not silent:
        _append_text(state, opener)
    state.pos += len(opener)
    return True


def _last_closing_bracket(state: StateInline) -> int:
    # Once per paragraph (and per link text parsed inside it), not once per "[".
    known = state.__dict__.setdefault("_last_closing_bracket", {})
    if state.posMax not in known:
        known[state.posMax] = state.src.rfind("]", 0, state.posMax)
    return known[state.posMax]


def _append_text(state: StateInline, text: str) -> None:
    # `state.pending += text` copies the whole pending text each time (quadratic on a long
    # paragraph); markdown-it-py 4 buffers appends.
    append = getattr(state, "append_pending", None)
    if append is not None:
        append(text)
    else:
        state.pending += text


def _ends_in_escape(text: str) -> bool:
    """Does `text` end in an unpaired backslash (one that escapes what follows)?"""
    return (len(text) - len(text.rstrip("\\"))) % 2 == 1


# --- Task lists: "- [ ] to do" and "- [x] done" ---------------------------------------------

# As mdit_py_plugins.tasklists (disabled checkboxes, the same classes), which looks for each
# item's list by walking back through every token before it: 100 kB of "- [ ] a" took 15 s.
_TODO = re.compile(r"\[[ xX]\][ \t\n\v\f\r]+")
_LIST_OPENS = frozenset({"bullet_list_open", "ordered_list_open"})
_LIST_CLOSES = frozenset({"bullet_list_close", "ordered_list_close"})


def _task_lists_rule(state: StateCore) -> None:
    tokens = state.tokens
    open_lists: list[Token] = []  # the lists around the current token, innermost last
    for index, token in enumerate(tokens):
        if token.type in _LIST_OPENS:
            open_lists.append(token)
        elif token.type in _LIST_CLOSES:
            open_lists.pop()
        elif (
            token.type == "inline"
            and index >= 2
            and open_lists
            and tokens[index - 1].type == "paragraph_open"
            and tokens[index - 2].type == "list_item_open"
            and _TODO.match(token.content)
        ):
            _make_task(token)
            tokens[index - 2].attrSet("class", "task-list-item")
            open_lists[-1].attrSet("class", "contains-task-list")


def _make_task(inline: Token) -> None:
    checked = 'checked="checked" ' if inline.content[1] in "xX" else ""
    checkbox = Token("html_inline", "", 0)
    checkbox.content = (
        f'<input class="task-list-item-checkbox" {checked}disabled="disabled" type="checkbox">'
    )
    assert inline.children is not None
    inline.children.insert(0, checkbox)
    inline.children[1].content = inline.children[1].content[3:]
    inline.content = inline.content[3:]


# --- Parser ---------------------------------------------------------------------------

# Nested block quotes and lists deeper than this are read as text; markdown-it's default for
# CommonMark (20) already keeps ">" * 100_000 linear, measured in the bench.
MAX_NESTING = 20


def new_parser(*, fast: bool = True) -> MarkdownIt:
    """markdown-it as the wiki reads Markdown: CommonMark with tables, strikethrough,
    footnotes, task lists and wiki links; raw HTML is text, unsafe link schemes are refused.

    `fast=False` keeps markdown-it-py's own steps where practices.markdown_speed has faster
    equivalents: the tests compare the two."""
    md = MarkdownIt(
        "commonmark",
        {"html": False, "linkify": False, "typographer": False, "maxNesting": MAX_NESTING},
    )
    md.enable(["table", "strikethrough"])
    # Inline footnotes (^[...]) are left out: nobody asked for them, and they double the
    # parsing cost of bracket-heavy input.
    md.use(footnote_plugin, inline=False)
    md.core.ruler.after("inline", "task_lists", _task_lists_rule)
    md.validateLink = is_safe_url  # type: ignore[method-assign]
    md.inline.ruler.before("text", "punctuation_run", _punctuation_run_rule)
    md.inline.ruler.before("link", "wikilink", _wiki_link_rule)
    md.inline.ruler.before("wikilink", "unclosed_bracket", _unclosed_bracket_rule)
    if fast:
        speed_up(md)
    return md


@cache
def _reading_parser() -> MarkdownIt:
    """Built once: the instance is only read afterwards, and all per-call state is in env."""
    return new_parser()


def parse(text: str) -> list[Token]:
    with gc_paused():
        return _reading_parser().parse(text, {})


def wiki_link_targets(text: str) -> set[str]:
    """Slugs that `text` links to with [[...]], found by parsing only (no rendering)."""
    return set(links_in(parse(text)))


def links_in(tokens: Iterable[Token]) -> list[str]:
    return [token.meta["slug"] for token in all_tokens(tokens) if token.type == "wikilink_open"]


def all_tokens(tokens: Iterable[Token]):
    for token in tokens:
        yield token
        if token.children:
            yield from token.children


# --- Plain text -----------------------------------------------------------------------


@gc_paused()
def plain_text(markdown: str) -> str:
    """Readable text of a Markdown body, for indexing and snippets: what a reader sees on
    the page, one line per paragraph, heading, list item or table row, without marks."""
    lines: list[str] = []
    row: list[str] | None = None
    for token in parse(markdown):
        if token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            lines.append(" ".join(row))
            row = None
        elif token.type == "inline":  # code blocks are not inline: they are left out
            text = _inline_text(token.children or [])
            (row if row is not None else lines).append(text)
    return "\n".join(_tidy(lines))


def _inline_text(children: Sequence[Token]) -> str:
    parts: list[str] = []
    unlabelled_wiki_link = False
    for child in children:
        if child.type in ("text", "code_inline"):
            # [[zai-pits]] is read as "zai pits", like the title it stands for.
            parts.append(child.content.replace("-", " ") if unlabelled_wiki_link else child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content)  # its alt text
        unlabelled_wiki_link = child.type == "wikilink_open" and not child.meta["labelled"]
    return "".join(parts)


def _tidy(lines: Iterable[str]) -> Iterable[str]:
    """Blanks collapsed to one space, lines trimmed, empty lines dropped."""
    for block in lines:
        for line in block.split("\n"):
            words = line.split()
            if words:
                yield " ".join(words)
