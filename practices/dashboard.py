"""The "4 per 1000" dashboard (issue 15): the Initiative's progress from live data.

Every figure is a `Figure`: a title, a text summary with its key numbers, a kind of chart, and
its rows — exactly the data its CSV and JSON downloads carry, so that every number can be
traced back to the records behind it. The page (wiki.dashboard) draws them; the API
(wiki.api.dashboard) serves them.

What is counted: published sheets and published measures, and active organisations — the
same for every reader, so that one cached answer serves everybody. The one figure about
unpublished work, the review queue, counts only the sheets the viewer may see
(`practices.policy.can_view`): nothing for the public, their own for a contributor,
everything for moderators.

Row shapes by kind (the charts rely on them):
- "timeline": one row per period ("period": "2024-03" or "2024"), one number per series column.
- "bars": one row per category ("code", "label", then the numbers).
- "stacked-bars": one row per (bar, part): "x", "x_label", "stack", "stack_label", "value".
- "matrix": one row per cell: "x", "x_label", "y", "y_label", "value"; an empty cell also has
  "gap": True and "new_sheet_args" (the query of `/practices/new` with both fields set).
- "choropleth": one row per country: "country" (ISO alpha-2), "iso_numeric", "map_name" (the
  `name` of its feature in wiki/static/map/countries-110m.geojson, None when the 1:110m map
  has no outline for it), "label", "value".
- "table": the columns say.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from practices import dashboard_export, dashboard_figures
from practices.dashboard_filters import parse
from practices.dashboard_model import Column, Figure, InvalidFilter
from practices.fields import N_
from practices.models import User

__all__ = ["FIGURES", "Column", "Figure", "Filters", "InvalidFilter", "figure", "figure_csv",
           "figure_json", "headline",
           "cached_figure", "cached_headline", "SECTIONS", "SECTION_TITLES", "FIGURE_SECTIONS"]


@dataclass(frozen=True)
class Filters:
    region: str | None = None  # UN M49 region code, e.g. "002" Africa, "419" Latin America
    country: str | None = None  # the sheets' country code as stored (ISO 3166-1 alpha-2)
    college: str | None = None  # college slug
    group: str | None = None  # practice group code (vocabulary "practice_groups")
    year_from: int | None = None
    year_to: int | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> "Filters":
        """The filters of a request's query; InvalidFilter for a value that cannot be used."""
        return parse(cls, args)

    def to_args(self) -> dict[str, str]:
        """The query arguments that give these filters back (empty ones left out)."""
        values = {"region": self.region, "country": self.country, "college": self.college,
                  "group": self.group, "year_from": self.year_from, "year_to": self.year_to}
        return {key: str(value) for key, value in values.items() if value is not None}

    @property
    def empty(self) -> bool:
        return not self.to_args()


SECTIONS = ("knowledge", "community", "action")
SECTION_TITLES = {"knowledge": N_("Knowledge"), "community": N_("Community"),
                  "action": N_("Action")}

# Every figure, in page order, with its section.
FIGURE_SECTIONS: dict[str, str] = {
    "sheets-over-time": "knowledge",
    "coverage-agro-climatic": "knowledge",
    "coverage-ipcc-climate": "knowledge",
    "sheets-by-country": "knowledge",
    "sheets-by-source": "knowledge",
    "sheets-by-language": "knowledge",
    "review-queue": "knowledge",
    "organizations-by-standing": "community",
    "organizations-by-college": "community",
    "organizations-by-country": "community",
    "activity-per-month": "community",
    "area-by-group-and-region": "action",
    "area-by-group-and-status": "action",
    "carbon-estimate": "action",
    "estimate-coverage": "action",
    "measured-soc": "action",
}
FIGURES: tuple[str, ...] = tuple(FIGURE_SECTIONS)


def headline(session, viewer: User | None, filters: Filters) -> dict:
    """The headline numbers: sheets_published, organizations, measures_published, area_ha,
    estimated_t_c_yr with estimated_t_c_yr_low/high, estimated_t_c_20yr, and the measures
    counted apart (no IPCC default, not enough data)."""
    return dashboard_figures.headline_numbers(session, viewer, filters)


def figure(session, viewer: User | None, name: str, filters: Filters) -> Figure:
    """One figure by name; KeyError for a name that is not in FIGURES."""
    if name not in FIGURE_SECTIONS:
        raise KeyError(name)
    return dashboard_figures.build(session, viewer, name, filters)


def figure_csv(fig: Figure) -> str:
    """The rows as CSV, the column labels as header (units in brackets)."""
    return dashboard_export.to_csv(fig)


def figure_json(fig: Figure) -> dict:
    """The figure as plain JSON values (labels as strings)."""
    return dashboard_export.to_json(fig)


def cached_figure(store, session, viewer: User | None, name: str, filters: Filters) -> Figure:
    """figure(), answered from `store` (a dict the app keeps, e.g. app.extensions) while the
    data generation is the same: a change shows on the next request. KeyError as figure()."""
    return dashboard_figures.cached_figure(store, session, viewer, name, filters)


def cached_headline(store, session, viewer: User | None, filters: Filters) -> dict:
    return dashboard_figures.cached_headline(store, session, viewer, filters)
