"""CPU time per kB of hostile Markdown bodies: rendered, and made into an index document.

    .venv/bin/python bench/pathological_bench.py [--sizes 10,100,1000] [SHAPE...]

Each shape is a body a user could save (the body limit is 200 kB; 1 MB is there to show the
growth). Linear shapes keep the same ms/kB at every size; the target is a 1 MB body of any
shape rendered and indexed in under a second on one core (render + index under 1 ms/kB).
README.md (Performance, Hostile Markdown) has the latest numbers and what is left.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from practices.models import Revision, Sheet  # noqa: E402
from search.documents import document  # noqa: E402
from search.schema import analyzer_for  # noqa: E402
from wiki.markdown import render_markdown  # noqa: E402


def index_document(body: str) -> None:
    """What indexing a sheet costs before Whoosh writes postings: its document (the body's
    plain text) and the analysis of its text field."""
    sheet = Sheet(id=1, slug="bench", title="Bench", status="published", language="en")
    built = document(sheet, Revision(sheet_id=1, number=1, title="Bench", body=body), {})
    for _token in analyzer_for("text_en")(built["text_en"]):
        pass


def _table(size: int, columns: int = 20) -> str:
    head = "|" + "|".join(f"h{n}" for n in range(columns)) + "|\n|" + "---|" * columns + "\n"
    row = "|" + "|".join("cell" for _ in range(columns)) + "|\n"
    return head + row * (size // len(row))


def _repeat(unit: str):
    return lambda size: unit * (size // len(unit))


SHAPES = {
    "prose": _repeat("Dig **zaï pits** 20 cm deep and add [[compost]] before the rains. "),
    "[[ run": _repeat("[["),
    "[ run": _repeat("["),
    "nested [[ ]]": lambda size: "[[" * (size // 4) + "]]" * (size // 4),
    "] run": _repeat("]"),
    "![ run": _repeat("!["),
    "[^ run": _repeat("[^"),
    "[a]( run": _repeat("[a]("),
    "[a run": _repeat("[a"),
    "* run": _repeat("*"),
    "_ run": _repeat("_"),
    "**a run": _repeat("**a"),
    "*a _b": _repeat("*a _b "),
    "> run": _repeat(">"),
    "> lines": lambda size: "".join(">" * (n % 50 + 1) + " a\n" for n in range(size // 28)),
    "- run": _repeat("- "),
    "indented list": lambda size: "".join("  " * (n % 60) + "- a\n" for n in range(size // 64)),
    "table 20 cols": _table,
    "table 200 cols": lambda size: _table(size, 200),
    "` run": _repeat("`"),
    "` a": _repeat("` a"),
    "< run": _repeat("<"),
    "<a run": _repeat("<a"),
    "& run": _repeat("&"),
    "&# run": _repeat("&#"),
    "\\ run": _repeat("\\"),
    "task list": _repeat("- [ ] a\n"),
    "footnote refs": lambda size: (
        "".join(f"x[^{n % 500}]" for n in range(size // 8))
        + "".join(f"\n\n[^{n}]: note" for n in range(500))
    ),
    "reference uses": lambda size: "[r]: /u\n\n" + "[r] " * (size // 4),
    "headings": _repeat("## Results\n"),
    "fenced &": lambda size: "```\n" + "&" * size + "\n```",
    "inline code &": lambda size: "`" + "&" * size + "`",
}


def per_kb(function, text: str) -> float:
    started = time.process_time()
    function(text)
    return (time.process_time() - started) * 1000 / (len(text) / 1000)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10,100,1000", help="body sizes in kB")
    parser.add_argument("shapes", nargs="*", default=list(SHAPES))
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    header = "".join(f"{f'render {s}kB':>13}{f'index {s}kB':>12}" for s in sizes)
    print(f"{'shape (ms per kB)':18}{header}")
    for name in args.shapes:
        cells = []
        for size in sizes:
            text = SHAPES[name](size * 1000)
            cells.append(
                f"{per_kb(render_markdown, text):13.2f}{per_kb(index_document, text):12.2f}"
            )
        print(f"{name:18}{''.join(cells)}", flush=True)


if __name__ == "__main__":
    main()
