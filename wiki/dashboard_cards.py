"""Each dashboard figure drawn once: its card (title, summary, SVG chart, table, links) is
rendered to HTML and kept for as long as practices.dashboard's cache keeps the figure itself.
That cache hands out the same Figure object while the data generation, the filters and the
language stay the same, so the next request for the page costs one template and no drawing;
a figure built afresh (after a change, or the per-viewer review queue) is a new object and
is drawn again."""

import threading
import weakref
from collections.abc import Callable

from flask import current_app, get_template_attribute
from markupsafe import Markup

from practices.dashboard import Figure
from wiki import charts, figure_tables
from wiki.quantities import number


class CardStore:
    """Rendered cards by (figure object, variant), each dropped when its figure is."""

    def __init__(self):
        self._entries: dict[tuple, tuple[weakref.ref, Markup]] = {}
        # Re-entrant: a figure collected while this thread holds the lock (a garbage
        # collection run by an allocation inside it) calls _forget on the same thread.
        self._lock = threading.RLock()

    def get(self, figure: Figure, variant: tuple, render: Callable[[], Markup]) -> Markup:
        key = (id(figure), *variant)
        with self._lock:
            entry = self._entries.get(key)
        if entry is not None and entry[0]() is figure:
            return entry[1]
        html = render()
        with self._lock:
            self._entries[key] = (weakref.ref(figure, self._forget(key)), html)
        return html

    def __len__(self) -> int:
        return len(self._entries)

    def _forget(self, key: tuple):
        def forget(_ref):
            with self._lock:
                self._entries.pop(key, None)
        return forget


def card(figure: Figure, query: dict, *, heading: str = "h3", link: bool = True) -> Markup:
    """The figure's card as the templates show it: on the dashboard (a linked title), or
    alone on its own page and in its embed (`heading="h1", link=False`)."""
    store = current_app.extensions.setdefault("dashboard_cards", CardStore())
    return store.get(figure, (heading, link), lambda: get_template_attribute(
        "dashboard/_macros.html", "figure_card")(drawn(figure), query, heading, link))


def drawn(figure: Figure) -> dict:
    """What the card template needs: the figure, its SVG and its table."""
    return {"figure": figure, "chart": charts.render(figure, fmt=chart_number),
            "table": figure_tables.table(figure)}


def chart_number(value: float) -> str:
    """A number as a chart prints it, in the reader's locale: as precise as it can be read
    at a glance (1,808 rather than 1,807.61; the table has every digit)."""
    size = abs(value)
    return number(round(value, 0 if size >= 100 else 1 if size >= 10 else 2))
