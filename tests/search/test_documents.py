"""What the index reads of a sheet's Markdown: its readable text, nothing else."""

import pytest

from search.documents import plain_text


def test_markdown_becomes_readable_lines_without_marks_or_blank_lines():
    body = ("# Why it works\n\n  Straw  **mulch**\tkeeps the [soil](https://x.org) moist.  \n\n\n"
            "| crop | yield |\n|---|---|\n| maize | 2 t |\n\n<script>alert(1)</script>\n"
            "![terraces](t.png) and [[zai-pits|zaï pits]]\r\n")
    assert plain_text(body) == ("Why it works\nStraw mulch keeps the soil moist.\n"
                                "crop yield\nmaize 2 t\n<script>alert(1)</script>\n"
                                "terraces and zaï pits")


def test_plain_text_is_what_the_page_shows():
    body = ("A [[zai-pits]] pit, `code` and a note[^1].\n\n```\nrm -rf /\n```\n\n"
            "    indented code\n\n- one\n  - two\n\n> quoted\n\n[^1]: From the field.")
    assert plain_text(body) == ("A zai pits pit, code and a note.\none\ntwo\nquoted\n"
                                "From the field.")


# Bodies that took the old regular expressions seconds to minutes (issue 11): the text a
# reader sees is kept, whatever markdown-it makes of the marks. Speed: bench/pathological_bench.py
N = 60_000


def _table(rows: int, columns: int) -> str:
    return ("|" + "|".join(f"h{c}" for c in range(columns)) + "|\n|" + "-|" * columns + "\n"
            + ("|" + "|".join("x" for _ in range(columns)) + "|\n") * rows)


@pytest.mark.parametrize(("body", "text"), [
    ("[[" * N, "[" * 2 * N),
    ("[" * N, "[" * N),
    ("[[" * N + "]]" * N, "[" * 2 * N + "]" * 2 * N),
    ("![" * N, "![" * N),
    ("[^" * N, "[^" * N),
    ("[a](" * N, "[a](" * N),
    ("[a" * N, "[a" * N),
    ("![a" * N + "]", "![a" * N + "]"),
    ("[a" * N + "](x)", "[a" * (N - 1) + "a"),
    ("[" * N + "[[zai-pits]] and [soil](https://x.org)", "[" * N + "zai pits and soil"),
    ("a " + "*" * N, "a " + "*" * N),
    ("a " + "_" * N, "a " + "_" * N),
    ("**a" * N, "a" * N),
    ("*a _b " * N, None),
    (">" * N + " deep", ""),
    ("- " * N, ""),
    ("`" * N, ""),
    ("` a" * N, None),
    ("<" * N, "<" * N),
    ("&" * N, "&" * N),
    ("&#" * N, "&#" * N),
    ("\\" * N, "\\" * (N // 2)),
    ("\\" * (N + 1) + "[x]", "\\" * (N // 2) + "[x]"),
    (_table(5_000, 20), "\n".join([" ".join(f"h{c}" for c in range(20))]
                                  + [" ".join("x" * 20)] * 5_000)),
])
def test_hostile_bodies_keep_their_text(body, text):
    found = plain_text(body)
    if text is not None:
        assert found == text
    else:  # emphasis pairs up as it may, but every letter is kept
        letters = [c for c in body if c.isalpha()]
        assert [c for c in found if c.isalpha()] == letters


def test_a_long_task_list_keeps_each_item_without_its_box():
    assert plain_text("- [ ] dig\n- [x] mulch\n" * 20_000) == "dig\nmulch\n" * 19_999 + "dig\nmulch"


def test_nesting_beyond_the_limit_is_cut_not_slow():
    # markdown-it reads 20 levels of blocks (a quote and its paragraph are two); what is
    # deeper is dropped (only ever a hostile body's own text), the levels above are kept.
    body = "".join(">" * depth + f" level{depth}\n" for depth in range(1, 200))
    words = plain_text(body).split("\n")
    assert words == [f"level{depth}" for depth in range(1, 20)]
