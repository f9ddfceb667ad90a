"""The faster parsing steps (practices.markdown_speed) give exactly what markdown-it-py's own
steps give: the same tokens, the same HTML, the same plain text, on the CommonMark spec,
markdown-it-py's fixtures, the hostile shapes of bench/pathological_bench.py and edge cases
of the replaced link-destination scan."""

import gc
import json
import random
import runpy
from pathlib import Path

import pytest
from markdown_it import helpers

from practices.markdown import new_parser, plain_text
from practices.markdown_speed import MAX_PARENTHESES, parse_link_destination
from wiki.markdown import LinkTarget, clean, new_rendering_parser, render_markdown, sanitise

ROOT = Path(__file__).resolve().parents[2]
INPUTS = json.loads((Path(__file__).parent / "data" / "markdown_inputs.json").read_text("utf-8"))
SHAPES = runpy.run_path(str(ROOT / "bench" / "pathological_bench.py"))["SHAPES"]

DEEP = MAX_PARENTHESES
WIKI_CASES = [
    "Dig **zaï pits** and add [[compost]] or [[compost|the heap]] before the rains.[^1]\n\n"
    "[^1]: After the first rains.\n",
    "- [ ] weed\n- [x] mulch\n  - [ ] nested\n\n1. [X] done\n",
    "| a | b |\n|:--|--:|\n| [[x]] | `c` |\n",
    "## Results\n\n## Results\n\n### fn1\n",
    "[a](" + "(" * (DEEP - 1) + "x" + ")" * (DEEP - 1) + ")",
    "[a](" + "(" * DEEP + "x" + ")" * DEEP + ")",
    "[a](" + "(" * (DEEP + 1) + "x" + ")" * (DEEP + 1) + ")",
    "[a](" + "(a" * (DEEP + 5) + ")",
    "[a](x\\ y) [b](x\\(y) [c](x\\)y) [d](\\",
    "[a](x\x01y) [b](x\x7fy) [c](<x y>) [d](<x\ny>)",
    "[r]: /u(v)w\n[s]: /((a)) 'title'\n[t]: <a b>\n\n[r] [s] [t] ![r]",
    "![i](" * 40 + "x)",
    "[a](b(c)d\\)e) [x](javascript:alert(1)) [y](http://e.org/(a)\\\\(b)",
]


def _all_inputs():
    for group, cases in INPUTS.items():
        if group != "about":
            yield from ((f"{group}#{n}", case) for n, case in enumerate(cases))
    for name, shape in SHAPES.items():
        yield f"shape {name}", shape(3_000)
    yield from ((f"wiki#{n}", case) for n, case in enumerate(WIKI_CASES))


CASES = dict(_all_inputs())


@pytest.fixture(scope="module")
def parsers():
    return {"fast": new_rendering_parser(), "stock": new_rendering_parser(fast=False),
            "fast_reading": new_parser(), "stock_reading": new_parser(fast=False)}


def _parsed(md, text):
    env: dict = {}
    tokens = md.parse(text, env)
    env["wiki_links_resolved"] = {slug: LinkTarget(f"/practices/{slug}", "Title")
                                  for slug in env["wiki_links"]}
    return [token.as_dict() for token in tokens], md.renderer.render(tokens, md.options, env)


def test_the_corpus_is_there():
    assert len(INPUTS["commonmark_spec"]) > 600
    assert len(CASES) > 800


@pytest.mark.parametrize("name", list(CASES))
def test_same_tokens_and_html_as_markdown_it_py(parsers, name):
    text = CASES[name]
    fast = _parsed(parsers["fast"], text)
    assert fast == _parsed(parsers["stock"], text)
    assert _forced_in_order(sanitise(fast[1])) == _forced_in_order(clean(fast[1]))
    fast_tokens = [t.as_dict() for t in parsers["fast_reading"].parse(text, {})]
    assert fast_tokens == [t.as_dict() for t in parsers["stock_reading"].parse(text, {})]


def _forced_in_order(html: str) -> str:
    # nh3 writes the attributes it forces on a checkbox in either order, call by call.
    forced = ' disabled="disabled" type="checkbox"'
    return html.replace(' type="checkbox" disabled="disabled"', forced)


def _destination_strings():
    chosen = random.Random(11)
    alphabet = "()\\ a<>\x01\n"
    yield from (case for case in WIKI_CASES)
    yield "(" * (DEEP + 3) + ")" * (DEEP + 3)
    for _ in range(1_500):
        yield "".join(chosen.choice(alphabet) for _ in range(chosen.randrange(1, 48)))


def test_link_destinations_scan_as_markdown_it_py():
    for string in _destination_strings():
        for start in range(len(string)):
            for maximum in (len(string), (start + len(string)) // 2 + 1):
                ours = parse_link_destination(string, start, maximum)
                theirs = helpers.parseLinkDestination(string, start, maximum)
                assert (ours.ok, ours.pos, ours.str) == (theirs.ok, theirs.pos, theirs.str), (
                    string, start, maximum)


def test_the_garbage_collector_runs_again_after_a_render():
    assert render_markdown("**a** [[b]]").links == {"b"}
    assert plain_text("*a* b") == "a b"
    assert gc.isenabled()
    gc.disable()  # one paused by someone else stays paused
    try:
        render_markdown("a")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_classes_the_wiki_does_not_emit_are_still_removed():
    html = ('<p class="x">a</p><a href="/p" class="wikilink  btn">b</a>'
            '<code class="language-py wikilink">c</code><span>class="y"</span>')
    assert sanitise(html) == (
        '<p>a</p><a href="/p" class="wikilink">b</a><code class="language-py">c</code>'
        '<span>class="y"</span>')
