"""One-pass text analysis: the tokens of Whoosh's analyser chain, for half the work.

The index analyses every word of every sheet, and with Whoosh's composable chain
(`RegexTokenizer | LowercaseFilter | StopFilter | StemFilter | CharsetFilter`) each word
passes through five generators and a Python-level stemming cache: over a quarter of a full
rebuild's time. `FoldingAnalyzer` does the same steps in one loop, with the same results
(tests compare it with the chain on random text), so indexes and queries agree either way.
"""

from functools import lru_cache

from whoosh.analysis import Token, Tokenizer
from whoosh.analysis.tokenizers import default_pattern
from whoosh.formats import Positions
from whoosh.lang import stemmer_for_language
from whoosh.support.charset import accent_map
from whoosh.util.text import rcompile

# Bounded, whatever queries come in. Each analyser (a field in a language) has its own, kept
# for a worker's life: at Whoosh's 50,000 (~7 MB each when full) a long-running worker could
# grow by tens of MB from highlighting alone (1 MB each at 8,192). A rebuild of 2,000 sheets
# takes the same time with 8,192: the words that repeat are few.
STEM_CACHE_SIZE = 8_192


class FoldingAnalyzer(Tokenizer):
    """Words, lower-cased, stop words (and one-letter words) dropped, stemmed in `lang` if
    given, accents folded; positions renumbered over the dropped words as StopFilter does."""

    def __init__(
        self,
        stoplist: frozenset[str],
        lang: str | None = None,
        expression=default_pattern,
        minsize: int = 2,
    ):
        self.expression = rcompile(expression)
        self.stops = frozenset(stoplist)
        self.lang = lang
        self.minsize = minsize
        self._setup()

    def _setup(self) -> None:
        stem = stemmer_for_language(self.lang) if self.lang else None
        # A kept (not stopped) word as indexed: stemmed, then folded.
        self._indexed_form = lru_cache(STEM_CACHE_SIZE)(
            (lambda word: stem(word).translate(accent_map))
            if stem
            else (lambda word: word.translate(accent_map))
        )

    # The index pickles its schema: leave the cache out, rebuild it on load.
    def __getstate__(self):
        return {key: value for key, value in self.__dict__.items() if key != "_indexed_form"}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._setup()

    def __eq__(self, other):
        return (
            self.__class__ is other.__class__
            and self.expression.pattern == other.expression.pattern
            and self.stops == other.stops
            and self.lang == other.lang
            and self.minsize == other.minsize
        )

    def __hash__(self):
        return hash((self.expression.pattern, self.stops, self.lang, self.minsize))

    def _fold(self, text: str, stopped: bool) -> str:
        """A lower-cased word as indexed: stop words are folded but not stemmed."""
        return text.translate(accent_map) if stopped else self._indexed_form(text)

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            yield from self._whole(token, value, positions, chars, start_pos, start_char)
            return
        stops, minsize, indexed_form = self.stops, self.minsize, self._indexed_form
        pos = None
        for index, match in enumerate(self.expression.finditer(value)):
            raw = match.group(0)
            text = raw.lower()
            stopped = len(text) < minsize or text in stops
            if stopped:
                if removestops:
                    continue
                if positions:
                    token.pos = start_pos + index
            elif positions:
                pos = start_pos + index if pos is None else pos + 1
                token.pos = pos
            token.text = text.translate(accent_map) if stopped else indexed_form(text)
            token.stopped = stopped
            token.boost = 1.0
            if keeporiginal:
                token.original = raw
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token

    def positions(self, value: str) -> dict[str, list[int]]:
        """Each indexed word of the text -> its positions, as the tokens of
        `self(value, positions=True)` give them, without making tokens."""
        stops, minsize, indexed_form = self.stops, self.minsize, self._indexed_form
        found: dict[str, list[int]] = {}
        pos = None
        for index, match in enumerate(self.expression.finditer(value)):
            text = match.group(0).lower()
            if len(text) < minsize or text in stops:
                continue
            pos = index if pos is None else pos + 1
            word = indexed_form(text)
            if word in found:
                found[word].append(pos)
            else:
                found[word] = [pos]
        return found

    def _whole(self, token, value, positions, chars, start_pos, start_char):
        """`tokenize=False`: the value is one token, as Whoosh's chain treats it."""
        token.original = value
        token.boost = 1.0
        if positions:
            token.pos = start_pos
        if chars:
            token.startchar = start_char
            token.endchar = start_char + len(value)
        text = value.lower()
        stopped = len(text) < self.minsize or text in self.stops
        if stopped and token.removestops:
            return
        token.stopped = stopped
        token.text = self._fold(text, stopped)
        yield token


class FoldedPositions(Positions):
    """Whoosh's Positions posting format (the index files are the same); when the field's
    analyser is a FoldingAnalyzer, each word's positions are gathered in one pass."""

    def word_values(self, value, analyzer, **kwargs):
        if not (
            isinstance(analyzer, FoldingAnalyzer)
            and isinstance(value, str)
            and set(kwargs) <= {"mode"}
        ):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        boost, encode = self.field_boost, self.encode
        for word, positions in analyzer.positions(value).items():
            yield word, len(positions), len(positions) * boost, encode(positions)
