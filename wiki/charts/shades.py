"""The sequential scale of counts (coverage cells, countries): a few classes from light to
dark green, zero apart in a neutral colour, each class with the text colour readable on it."""

import math
from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup

from wiki.charts.draw import INK, Formatter, join, tag

SHADES = ("#c9e2bf", "#94c482", "#5f9f5a", "#2f6b3f", "#173d22")
NO_DATA = "#ecebe4"
WHITE_TEXT_FROM = 3  # the first shade dark enough for white text (4.5:1)


@dataclass(frozen=True)
class Shade:
    low: float
    high: float
    fill: str
    ink: str  # the colour of a number written on it


def classes(top: float, *, integer: bool) -> tuple[Shade, ...]:
    """Equal classes up to `top`: whole numbers for counts (1, 2–3, 4–5 …; never more
    classes than values), equal fifths otherwise."""
    if top <= 0:
        return ()
    if integer:
        count = min(len(SHADES), int(math.ceil(top)))
        step = math.ceil(top / count)
        count = math.ceil(top / step)
        bounds = [(index * step + 1, min(top, (index + 1) * step)) for index in range(count)]
    else:
        step = top / len(SHADES)
        bounds = [(index * step, (index + 1) * step) for index in range(len(SHADES))]
    picks = [len(SHADES) - 2] if len(bounds) == 1 else [
        round(index * (len(SHADES) - 1) / (len(bounds) - 1)) for index in range(len(bounds))]
    return tuple(Shade(low, high, SHADES[pick], "#ffffff" if pick >= WHITE_TEXT_FROM else INK)
                 for (low, high), pick in zip(bounds, picks, strict=True))


def shade_of(value: float, scale: tuple[Shade, ...]) -> Shade:
    if value <= 0 or not scale:
        return Shade(0, 0, NO_DATA, INK)
    return next((shade for shade in scale if value <= shade.high), scale[-1])


def scale_for(values) -> tuple[Shade, ...]:
    values = list(values)
    integer = all(float(value).is_integer() for value in values)
    return classes(max(values, default=0), integer=integer)


def legend(scale: tuple[Shade, ...], fmt: Formatter) -> Markup:
    """The classes as a list in page text (readable on a phone, where the map is small):
    '0' in the neutral colour, then each class's range."""
    items = [(NO_DATA, "0")]
    for shade in scale:
        low, high = fmt(shade.low), fmt(shade.high)
        items.append((shade.fill, high if low == high else f"{low}–{high}"))
    return tag("ul", join(
        tag("li", join([tag("svg", tag("rect", width="14", height="14", fill=fill,
                                       class_="chart__swatch"),
                            width="14", height="14", aria_hidden="true"),
                        Markup(" "), label]))
        for fill, label in items), class_="chart-legend", aria_label=_("Legend"))
