"""How long the Markdown renderer takes on ordinary sheets and on hostile input.

    .venv/bin/python bench/markdown_bench.py

Hostile input (thousands of nested brackets, quotes or list markers) must not tie up a worker:
each case should render in well under a second.
"""

import statistics
import time

from wiki.markdown import render_markdown

PATHOLOGICAL = {
    "nested quotes": ">" * 10_000,
    "open brackets": "[" * 10_000,
    "open wiki links": "[[" * 5_000,
    "balanced wiki links": "[[" * 2_500 + "]]" * 2_500,
    "open images": "![" * 5_000,
    "open footnotes": "[^" * 5_000,
    "open link targets": "[a](" * 2_500,
    "emphasis soup": "**_" * 3_333,
    "2,000 headings": "## Results\n" * 2_000,
    "list markers": "- " * 5_000,
}

ORDINARY = "\n\n".join(
    f"## Step {n}\n\nDig **zaï pits** 20 cm deep, add [[compost]] and manure[^{n}].\n\n"
    f"| Year | Yield (t/ha) |\n|---|---|\n| {2000 + n} | {n / 10:.1f} |\n\n[^{n}]: Field note {n}."
    for n in range(40)
)


def timed(text: str, repeat: int = 5) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        render_markdown(text)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def main() -> None:
    print(f"{'input':24} {'chars':>8} {'median ms':>10}")
    print(f"{'ordinary sheet':24} {len(ORDINARY):8} {timed(ORDINARY):10.1f}")
    for name, text in PATHOLOGICAL.items():
        print(f"{name:24} {len(text):8} {timed(text):10.1f}")


if __name__ == "__main__":
    main()
