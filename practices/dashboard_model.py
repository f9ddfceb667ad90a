"""The dashboard's data types (see practices.dashboard, which re-exports them)."""

from dataclasses import dataclass


class InvalidFilter(ValueError):  # noqa: N818 (a refusal of the reader's input, shown as 400/422)
    """A filter value the dashboard cannot use; `field` names it, `message` says why (an N_
    string, translated by whoever shows it)."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # already translated for the current locale (lazy_gettext ok)
    unit: str | None = None  # "ha", "t C/yr", "‰/yr", "sheets", …


@dataclass(frozen=True)
class Figure:
    name: str  # stable, kebab-case, used in URLs: e.g. "sheets-over-time"
    section: str  # "knowledge" | "community" | "action"
    title: str
    summary: str  # one or two sentences with the key numbers, for screen readers and the page
    kind: str  # "timeline" | "bars" | "stacked-bars" | "matrix" | "choropleth" | "table"
    columns: tuple[Column, ...]
    rows: tuple[dict, ...]  # exactly the data the CSV/JSON downloads carry (see module doc)
    notes: tuple[str, ...] = ()  # e.g. "12 measures have no IPCC default and are counted apart"
