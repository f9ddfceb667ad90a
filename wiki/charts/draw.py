"""The charts' building blocks: escaped SVG elements, the chart frame with its title and
description, axes on round numbers, legends, and the fills that tell series apart.

Every attribute and text goes through `markupsafe.escape` (labels come from records people
wrote). Nothing uses a `style` attribute (the CSP forbids inline styles): presentation
attributes and the classes of dashboard.css only.
"""

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 420  # SVG units: charts are drawn at this size and shrink to fit narrower screens
INK = "#1f2a24"
# Dark enough for white text on them and for 3:1 against the page (WCAG 1.4.11).
PALETTE = ("#2f6b3f", "#2b6cb0", "#8a5a00", "#6b46c1", "#a0522d", "#4a5568")
DASHES = ("", "7 4", "2 3", "10 3 2 3", "4 4", "1 2")
MARKERS = ("circle", "square", "triangle", "diamond", "circle", "square")
TEXTURES = ("solid", "diagonal", "dots", "cross", "horizontal", "solid")
_CONTAINERS = frozenset({"text", "title", "desc", "a", "g", "svg", "pattern", "defs", "ul",
                         "li"})

Formatter = Callable[[float], str]


def plain_number(value: float) -> str:
    """The default formatter (the pages pass the reader's locale's): integers without
    decimals, others to three places at most."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.3f}".rstrip("0").rstrip(".")
    return f"{value:,.0f}"


def tag(name: str, body: str | Markup = "", **attrs) -> Markup:
    """An element with escaped attributes (`class_` → class, `text_anchor` → text-anchor,
    None left out); a str body is escaped, a Markup body is trusted."""
    rendered = "".join(f' {key.rstrip("_").replace("_", "-")}="{escape(value)}"'
                       for key, value in attrs.items() if value is not None)
    if not body and name not in _CONTAINERS:
        return Markup(f"<{name}{rendered}/>")
    return Markup(f"<{name}{rendered}>{escape(body)}</{name}>")


def join(parts: Iterable[Markup]) -> Markup:
    return Markup("").join(parts)


def n(value: float) -> str:
    """A coordinate, to a tenth of a unit."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def frame(figure, height: float, body: Markup, *, width: float = WIDTH,
          shown_width: float | None = None, role: str = "img") -> Markup:
    """The chart: a picture to assistive technology, named by the figure's title and
    described by its summary; drawn in `width` units, shown `shown_width` pixels wide at
    most (the stylesheet shrinks it on narrower screens). A chart with links for pointers
    is a "group" whose drawing is hidden from assistive technology instead (an image may not
    hold links); its table offers the same links to keyboards and screen readers."""
    ident = f"chart-{figure.name}"
    zoom = (shown_width or width) / width
    return tag("svg", join([
        tag("title", figure.title, id=f"{ident}-title"),
        tag("desc", figure.summary, id=f"{ident}-desc"),
        body if role == "img" else tag("g", body, aria_hidden="true"),
    ]), xmlns="http://www.w3.org/2000/svg", class_=f"chart chart--{figure.kind}",
        viewBox=f"0 0 {n(width)} {n(height)}", width=n(width * zoom), height=n(height * zoom),
        role=role, aria_labelledby=f"{ident}-title {ident}-desc", focusable="false")


def text(x: float, y: float, body: str, *, anchor: str | None = None, cls: str | None = None,
         fill: str | None = None, halo: str | None = None) -> Markup:
    """A text; `halo` paints an outline of that colour behind the letters, so that they stay
    readable on a textured fill."""
    return tag("text", body, x=n(x), y=n(y), text_anchor=anchor, class_=cls, fill=fill,
               stroke=halo, stroke_width="3" if halo else None,
               paint_order="stroke" if halo else None)


def clipped(label: str, max_chars: int) -> str:
    """A label cut to its room (the whole of it is in the tooltip and the table)."""
    label = str(label)
    return label if len(label) <= max_chars else label[:max(1, max_chars - 1)].rstrip() + "…"


def is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def value_of(row: dict, key: str) -> float:
    value = row.get(key)
    return float(value) if is_number(value) else 0.0


# Axes -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    """Values from ticks[0] to ticks[-1] (round numbers, 0 among them) onto `start` ..
    `start + length` units."""

    ticks: tuple[float, ...]
    start: float
    length: float

    @classmethod
    def nice(cls, low: float, high: float, start: float, length: float,
             count: int = 4) -> "Scale":
        """Steps of 1, 2, 2.5 or 5 times a power of ten, from below `low` (or 0) to above
        `high` (or 0)."""
        low, high = min(0.0, low), max(0.0, high)
        if high - low <= 0:
            return cls((0.0, 1.0), start, length)
        raw = (high - low) / count
        power = 10 ** math.floor(math.log10(raw))
        step = next(power * factor for factor in (1, 2, 2.5, 5, 10) if power * factor >= raw)
        first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
        return cls(tuple(round(index * step, 10) for index in range(first, last + 1)),
                   start, length)

    def __call__(self, value: float) -> float:
        return self.start + (value - self.ticks[0]) / (self.ticks[-1] - self.ticks[0]) \
            * self.length


def x_axis(scale: Scale, top: float, bottom: float, fmt: Formatter) -> Markup:
    """Vertical grid lines at the ticks (the zero line darker), their values below."""
    return _grid_lines(scale, lambda at: (at, top, at, bottom),
                       lambda at: (at, bottom + 14, "middle"), fmt)


def y_axis(scale: Scale, left: float, right: float, fmt: Formatter) -> Markup:
    """Horizontal grid lines at the ticks (the zero line darker), their values on the left."""
    return _grid_lines(scale, lambda at: (left, at, right, at),
                       lambda at: (left - 6, at + 4, "end"), fmt)


def _grid_lines(scale: Scale, line, label, fmt: Formatter) -> Markup:
    parts = []
    for tick in scale.ticks:
        x1, y1, x2, y2 = line(scale(tick))
        parts.append(tag("line", x1=n(x1), y1=n(y1), x2=n(x2), y2=n(y2),
                         class_="chart__axis" if tick == 0 else "chart__grid"))
        x, y, anchor = label(scale(tick))
        parts.append(text(x, y, fmt(tick), anchor=anchor, cls="chart__tick"))
    return join(parts)


# Telling series apart without colour ------------------------------------------------------


def colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def textures(ident: str, count: int) -> Markup:
    """One fill a series: its colour, overlaid from the second series on with a texture."""
    overlays = {
        "solid": Markup(""),
        "diagonal": tag("path", d="M0 0 L0 6", stroke="#fff", stroke_width="2",
                        stroke_opacity=".55"),
        "dots": tag("circle", cx="3", cy="3", r="1.2", fill="#fff", fill_opacity=".75"),
        "cross": tag("path", d="M0 3 H6 M3 0 V6", stroke="#fff", stroke_width="1.2",
                     stroke_opacity=".6"),
        "horizontal": tag("path", d="M0 3 H6", stroke="#fff", stroke_width="2",
                          stroke_opacity=".55"),
    }
    defs = []
    for index in range(count):
        texture = TEXTURES[index % len(TEXTURES)]
        defs.append(tag("pattern", join([tag("rect", width="6", height="6", fill=colour(index)),
                                         overlays[texture]]),
                        id=f"{ident}-s{index}", width="6", height="6",
                        patternUnits="userSpaceOnUse",
                        patternTransform="rotate(45)" if texture == "diagonal" else None))
    return tag("defs", join(defs))


def marker(index: int, x: float, y: float) -> Markup:
    """A point of series `index`: circle, square, triangle or diamond."""
    fill = colour(index)
    shape = MARKERS[index % len(MARKERS)]
    if shape == "square":
        return tag("rect", x=n(x - 3.5), y=n(y - 3.5), width="7", height="7", fill=fill)
    if shape == "triangle":
        return tag("path", d=f"M{n(x)} {n(y - 4.5)}L{n(x + 4.5)} {n(y + 3.5)}"
                             f"L{n(x - 4.5)} {n(y + 3.5)}Z", fill=fill)
    if shape == "diamond":
        return tag("path", d=f"M{n(x)} {n(y - 5)}L{n(x + 5)} {n(y)}L{n(x)} {n(y + 5)}"
                             f"L{n(x - 5)} {n(y)}Z", fill=fill)
    return tag("circle", cx=n(x), cy=n(y), r="3.5", fill=fill)


def legend(ident: str, names: Sequence[str], y: float, *,
           lines: bool = False) -> tuple[Markup, float]:
    """The series' names in rows (wrapping), each with its line and marker or its fill;
    returns the legend and the height it takes."""
    items, x, line = [], 0.0, 0
    for index, name in enumerate(names):
        label = clipped(name, 40)
        room = 52 + 7.5 * len(label)
        if x and x + room > WIDTH:
            x, line = 0.0, line + 1
        top = y + line * 20
        if lines:
            swatch = join([tag("line", x1=n(x), y1=n(top + 6), x2=n(x + 20), y2=n(top + 6),
                               stroke=colour(index), stroke_width="2.5",
                               stroke_dasharray=DASHES[index % len(DASHES)] or None),
                           marker(index, x + 10, top + 6)])
        else:
            swatch = tag("rect", x=n(x), y=n(top), width="14", height="12",
                         fill=f"url(#{ident}-s{index})", stroke=INK, stroke_width=".5")
        items.append(join([swatch, text(x + 24, top + 11, label, cls="chart__legend")]))
        x += room
    return tag("g", join(items)), (line + 1) * 20 + 6
