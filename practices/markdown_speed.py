"""Faster equivalents of markdown-it-py steps, for the wiki's parser (practices.markdown).

Each replacement gives the same tokens as the step it replaces, on every input (the
markdown-it-py CommonMark spec and hostile shapes are compared in
tests/practices/test_markdown_speed.py); it only does less work to get there:

- the inline tokenizer tries at each position only the rules that can start on the
  character there, instead of every rule in turn (markdown-it-py calls ~15 functions on each
  punctuation character of a paragraph), and text on which no rule but `text` can start (a
  table cell, a heading) becomes its text token at once; the block tokenizer likewise
  tries at each line only the rules that can start on the line's first character;
- the cyclic garbage collector is paused while a body is parsed (see `gc_paused`);
- emphasis markers ("*", "_") are scanned and pushed without markdown-it-py's general
  helpers (one character class look-up instead of four functions per neighbour, tokens
  appended directly);
- a link destination is scanned by compiled regular expressions instead of character by
  character ("[a](" * 250_000 spent two thirds of its time walking up to 32 nested
  parentheses per "(").

Rules this module does not know are tried at every position, as markdown-it-py does.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from types import SimpleNamespace

from markdown_it import MarkdownIt, helpers, rules_block, rules_inline
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace, unescapeAll
from markdown_it.helpers.parse_link_destination import _Result
from markdown_it.parser_block import ParserBlock
from markdown_it.parser_inline import ParserInline
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.state_inline import Delimiter
from markdown_it.token import Token
from markdown_it.utils import EnvType
from mdit_py_plugins.footnote.index import footnote_def, footnote_inline, footnote_ref

__all__ = ["gc_paused", "speed_up", "starts_on"]

InlineRule = Callable[[StateInline, bool], bool]
# Tables by character (rules to try, character classes) start again past this size.
CHARACTERS_KEPT = 4_096

# What each stock inline rule checks first: on any other character it returns False at once.
_STOCK_FIRST_CHARACTERS: dict[InlineRule, frozenset[str]] = {
    rules_inline.newline: frozenset("\n"),
    rules_inline.escape: frozenset("\\"),
    rules_inline.backtick: frozenset("`"),
    rules_inline.strikethrough.tokenize: frozenset("~"),
    rules_inline.emphasis.tokenize: frozenset("_*"),
    rules_inline.link: frozenset("["),
    rules_inline.image: frozenset("!"),
    rules_inline.autolink: frozenset("<"),
    rules_inline.html_inline: frozenset("<"),
    rules_inline.entity: frozenset("&"),
    footnote_ref: frozenset("["),
    footnote_inline: frozenset("^"),
}


# The same for block rules, on the first character of a line after its indentation. The
# others (table, code, lheading, paragraph) can start a block on any character.
_STOCK_BLOCK_FIRST_CHARACTERS = {
    rules_block.fence: frozenset("`~"),
    rules_block.blockquote: frozenset(">"),
    rules_block.hr: frozenset("*-_"),
    rules_block.list_block: frozenset("*-+0123456789"),
    rules_block.reference: frozenset("["),
    rules_block.html_block: frozenset("<"),
    rules_block.heading: frozenset("#"),
    footnote_def: frozenset("["),
}


# The stock pair rules (ruler2): on a paragraph that is one text token, they change nothing.
_STOCK_PAIR_RULES = frozenset({rules_inline.link_pairs, rules_inline.strikethrough.postProcess,
                               rules_inline.emphasis.postProcess, rules_inline.fragments_join})


def starts_on(characters: Iterable[str]):
    """Declares the characters an inline rule of ours can match on (it returns False on any
    other), so that the tokenizer calls it only there."""
    known = frozenset(characters)

    def declare(rule: InlineRule) -> InlineRule:
        rule.first_characters = known  # type: ignore[attr-defined]
        return rule

    return declare


def speed_up(md: MarkdownIt) -> None:
    """Swap in the faster steps; call it once all rules and plugins are in place."""
    fast = DispatchingParserInline()
    fast.__dict__.update(md.inline.__dict__)
    md.inline = fast
    md.inline.ruler.at("emphasis", emphasis)
    fast_block = DispatchingParserBlock()
    fast_block.__dict__.update(md.block.__dict__)
    md.block = fast_block
    md.helpers = SimpleNamespace(  # type: ignore[assignment]
        parseLinkDestination=parse_link_destination,
        parseLinkLabel=helpers.parseLinkLabel,
        parseLinkTitle=helpers.parseLinkTitle,
    )


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector paused for a parse. A long body makes hundreds of
    thousands of tokens, none of them in a reference cycle, and every collection the
    collector starts meanwhile walks all of them again: 40 % of the time of parsing a long
    task list or a run of "**a". Only the caller that paused it starts it again, so nested
    and concurrent pauses leave it running at the end."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


# --- The inline tokenizer -----------------------------------------------------------------


class DispatchingParserInline(ParserInline):
    """ParserInline whose loops try, at each position, only the rules that can start on the
    character found there (in the ruler's order, so the first rule to match is the same)."""

    _dispatch_for: list | None = None
    _dispatch: dict[str, tuple[InlineRule, ...]]

    def _rules_at(self) -> dict[str, tuple[InlineRule, ...]]:
        rules = self.ruler.getRules("")
        if self._dispatch_for is not rules:  # the ruler was changed: start again
            self._dispatch_for = rules
            self._dispatch = {}
        return self._dispatch

    _plain_for: tuple | None = None
    _plain: re.Pattern[str] | None = None

    def _not_plain(self) -> re.Pattern[str] | None:
        """Matches a character on which a rule other than `text` may start (None: any may)."""
        rules, pairs = self.ruler.getRules(""), self.ruler2.getRules("")
        if self._plain_for is None or self._plain_for[0] is not rules \
                or self._plain_for[1] is not pairs:
            self._plain_for, self._plain = (rules, pairs), self._not_plain_pattern(rules, pairs)
        return self._plain

    def _not_plain_pattern(self, rules, pairs) -> re.Pattern[str] | None:
        if rules_inline.text not in rules or not _STOCK_PAIR_RULES.issuperset(pairs):
            return None
        characters: set[str] = set()
        for rule in rules:
            if rule is not rules_inline.text:
                first = self._first_characters(rule)
                if first is None:
                    return None
                characters |= first
        ours = re.escape("".join(sorted(characters)))
        return re.compile(f"[{ours}]|{self.terminator_re.pattern}")

    def parse(self, src: str, md: MarkdownIt, env: EnvType, tokens: list[Token]) -> list[Token]:
        not_plain = self._not_plain()
        if src and not_plain is not None and not_plain.search(src) is None:
            # What the text rule and the pair rules would make of it, in one step.
            token = Token("text", "", 0)
            token.content = src
            tokens.append(token)
            return tokens
        return super().parse(src, md, env, tokens)

    def _rules_for(self, table: dict, character: str) -> tuple[InlineRule, ...]:
        if len(table) >= CHARACTERS_KEPT:
            table.clear()  # bodies in many scripts must not grow it without end
        found = table[character] = tuple(
            rule for rule in self.ruler.getRules("") if self._may_start(rule, character))
        return found

    def _may_start(self, rule: InlineRule, character: str) -> bool:
        if rule is rules_inline.text:
            return self.terminator_re.match(character) is None
        first = self._first_characters(rule)
        return first is None or character in first

    @staticmethod
    def _first_characters(rule: InlineRule) -> frozenset[str] | None:
        function = rule.func if isinstance(rule, partial) else rule  # footnote_ref is one
        return _STOCK_FIRST_CHARACTERS.get(function, getattr(rule, "first_characters", None))

    def skipToken(self, state: StateInline) -> None:
        pos = state.pos
        cache = state.cache
        if pos in cache:
            state.pos = cache[pos]
            return
        ok = False
        if state.level < state.md.options["maxNesting"]:
            table = self._rules_at()
            character = state.src[pos]
            rules = table.get(character)
            if rules is None:
                rules = self._rules_for(table, character)
            for rule in rules:
                # As markdown-it-py: the level limits recursion during look-ahead.
                state.level += 1
                ok = rule(state, True)
                state.level -= 1
                if ok:
                    if state.pos <= pos:
                        raise RuntimeError("inline rule didn't increment state.pos")
                    break
        else:
            state.pos = state.posMax  # too much nesting: skip to the end of the paragraph
        if not ok:
            state.pos += 1
        cache[pos] = state.pos

    def tokenize(self, state: StateInline) -> None:
        table = self._rules_at()
        src = state.src
        end = state.posMax
        max_nesting = state.md.options["maxNesting"]
        while state.pos < end:
            pos = state.pos
            ok = False
            if state.level < max_nesting:
                character = src[pos]
                rules = table.get(character)
                if rules is None:
                    rules = self._rules_for(table, character)
                for rule in rules:
                    ok = rule(state, False)
                    if ok:
                        if state.pos <= pos:
                            raise RuntimeError("inline rule didn't increment state.pos")
                        break
            if ok:
                if state.pos >= end:
                    break
                continue
            state.append_pending(src[state.pos])
            state.pos += 1
        if state.pending:
            state.pushPending()


# --- Emphasis ---------------------------------------------------------------------------

_MARKER_RUNS = {"*": re.compile(r"\*+"), "_": re.compile("_+")}
_CLASSES: dict[str, tuple[bool, bool]] = {}  # character -> (punctuation, white space)


def _classes(character: str) -> tuple[bool, bool]:
    found = _CLASSES.get(character)
    if found is None:
        if len(_CLASSES) >= CHARACTERS_KEPT:
            _CLASSES.clear()  # a body of many scripts must not grow this without end
        code = ord(character)
        found = _CLASSES[character] = (isMdAsciiPunct(code) or isPunctChar(character),
                                       isWhiteSpace(code))
    return found


@starts_on("_*")
def emphasis(state: StateInline, silent: bool) -> bool:
    """markdown_it.rules_inline.emphasis.tokenize: each marker becomes a text token of its
    own and a delimiter (rules_inline.emphasis.postProcess pairs them later)."""
    if silent:
        return False
    src, start = state.src, state.pos
    marker = src[start]
    run = _MARKER_RUNS.get(marker)
    if run is None:
        return False
    end = run.match(src, start, state.posMax).end()
    length = end - start
    # As StateInline.scanDelims: the ends of the text count as white space.
    last_punctuation, last_space = _classes(src[start - 1] if start > 0 else " ")
    next_punctuation, next_space = _classes(src[end] if end < state.posMax else " ")
    left_flanking = not (next_space or (
        next_punctuation and not (last_space or last_punctuation)))
    right_flanking = not (last_space or (
        last_punctuation and not (next_space or next_punctuation)))
    split_word = marker == "*"
    can_open = left_flanking and (split_word or not right_flanking or last_punctuation)
    can_close = right_flanking and (split_word or not left_flanking or next_punctuation)
    if state.pending:
        state.pushPending()
    tokens, delimiters, level, code = state.tokens, state.delimiters, state.level, ord(marker)
    for _ in range(length):  # as state.push("text", "", 0), once per marker
        token = Token("text", "", 0)
        token.content = marker
        token.level = level
        tokens.append(token)
        state.tokens_meta.append(None)
        delimiters.append(Delimiter(code, length, len(tokens) - 1, -1, can_open, can_close))
    state.pendingLevel = level
    state.pos = end
    return True


# --- The block tokenizer ------------------------------------------------------------------


class DispatchingParserBlock(ParserBlock):
    """ParserBlock whose loop tries, at each line, only the rules that can start on the
    line's first character (in the ruler's order, so the first rule to match is the same).
    Rules called to end a paragraph, list or quote (the ruler's other chains) are unchanged."""

    _dispatch_for: list | None = None
    _dispatch: dict[str, tuple]

    def _rules_for(self, character: str) -> tuple:
        rules = self.ruler.getRules("")
        if self._dispatch_for is not rules:  # the ruler was changed: start again
            self._dispatch_for = rules
            self._dispatch = {}
        found = self._dispatch.get(character)
        if found is None:
            if len(self._dispatch) >= CHARACTERS_KEPT:
                self._dispatch.clear()
            found = self._dispatch[character] = tuple(
                rule for rule in rules
                if character in _STOCK_BLOCK_FIRST_CHARACTERS.get(rule, character))
        return found

    def tokenize(self, state: StateBlock, startLine: int, endLine: int) -> None:
        line = startLine
        max_nesting = state.md.options.maxNesting
        has_empty_lines = False
        src = state.src
        while line < endLine:
            state.line = line = state.skipEmptyLines(line)
            if line >= endLine:
                break
            if state.sCount[line] < state.blkIndent:
                break  # the end of a nested block (quote or list)
            if state.level >= max_nesting:
                state.line = endLine  # too deep: skip the rest
                break
            first = state.bMarks[line] + state.tShift[line]
            ok = False
            for rule in self._rules_for(src[first:first + 1]):
                ok = rule(state, line, endLine, False)
                if ok:
                    if state.line <= line:
                        raise RuntimeError("block rule didn't increment state.line")
                    break
            if not ok:
                raise RuntimeError("none of the block rules matched")
            # As markdown-it-py: an empty line before this block makes the list loose.
            state.tight = not has_empty_lines
            line = state.line
            if (line - 1) < endLine and state.isEmpty(line - 1):
                has_empty_lines = True
            if line < endLine and state.isEmpty(line):
                has_empty_lines = True
                line += 1
                state.line = line


# --- Link destinations ----------------------------------------------------------------

MAX_PARENTHESES = 32  # markdown-it's limit on nested parentheses in a destination
_PLAIN = r"[^\x00-\x20\x7f()\\]"
_PLAIN_RUN = re.compile(f"{_PLAIN}+")
# n more "(" with only plain characters before each: the nesting would pass the limit.
_OPENINGS = [re.compile(f"(?:{_PLAIN}*+\\(){{{n}}}") for n in range(MAX_PARENTHESES + 2)]


def parse_link_destination(string: str, pos: int, maximum: int) -> _Result:
    """markdown_it.helpers.parseLinkDestination, with the same result on every input."""
    if string.startswith("<", pos):
        return helpers.parseLinkDestination(string, pos, maximum)
    start = pos
    result = _Result()
    level = 0
    while pos < maximum:
        plain = _PLAIN_RUN.match(string, pos, maximum)
        if plain is not None:
            pos = plain.end()
            if pos >= maximum:
                break
        character = string[pos]
        if character == "(":
            # Would the "(" here and the next ones reach the limit before anything else
            # can close them? Then this is no destination (one C scan, not 32 Python steps).
            if _OPENINGS[MAX_PARENTHESES + 1 - level].match(string, pos, maximum):
                return result
            level += 1
            pos += 1
        elif character == ")":
            if level == 0:
                break
            level -= 1
            pos += 1
        elif character == "\\":
            if pos + 1 < maximum:
                if string[pos + 1] == " ":
                    break
                pos += 2
            else:
                pos += 1
        else:  # a space or a control character
            break
    if start == pos or level != 0:
        return result
    result.str = unescapeAll(string[start:pos])
    result.pos = pos
    result.ok = True
    return result
