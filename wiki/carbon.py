"""`/carbon`: the "4 per 1000" calculator (issue 13), over `practices.carbon`.

A GET form: the whole state is in the address, so a result can be shared or bookmarked.
Levels come as one parameter per group, repeated (`baseline=long-term-cultivated&baseline=
no-till&...`) or comma-separated like the API. Templates get `carbon_bar` (the geometry of
the small ‰ bar against the 4 ‰ line) and `carbon_problem` (a domain answer in the reader's
language), which the sheet page's carbon panel uses too.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from flask import Blueprint, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _

from practices import carbon
from wiki.auth import acting_user
from wiki.db import get_session
from wiki.i18n import current_language
from wiki.rendering import term_label

bp = Blueprint("carbon", __name__)

MAX_VALUE_CHARS = 100  # longer query values are cut before they reach a message
DEFAULT_LEVELS = {
    "cropland": (
        ("long-term-cultivated", "full-tillage", "medium-input"),
        ("long-term-cultivated", "no-till", "medium-input"),
    ),
    "grazing-land": (("severely-degraded",), ("improved", "medium-input")),
}
# Bar geometry (SVG user units): the plot spans PLOT_LEFT..PLOT_LEFT + PLOT_WIDTH.
BAR_WIDTH, PLOT_LEFT, PLOT_WIDTH = 320, 10, 300


@dataclass
class Choice:
    """What the reader asked for, as given (cut to a sane length)."""

    climate_zone: str = ""
    soil_class: str = ""
    land_use: str = "cropland"
    baseline: tuple[str, ...] = ()
    practice: tuple[str, ...] = ()
    area_ha: str = ""
    edition: str = carbon.DEFAULT_EDITION
    submitted: bool = False
    missing: list[str] = field(default_factory=list)

    @classmethod
    def from_args(cls, args) -> "Choice":
        def one(name: str, default: str = "") -> str:
            return (args.get(name) or default).strip()[:MAX_VALUE_CHARS]

        def levels(name: str) -> tuple[str, ...]:
            codes = [
                code.strip()[:MAX_VALUE_CHARS]
                for value in args.getlist(name)[:8]
                for code in value.split(",")
            ]
            return tuple(code for code in codes if code)

        land_use = one("land_use", "cropland")
        base_default, practice_default = DEFAULT_LEVELS.get(land_use, ((), ()))
        choice = cls(
            climate_zone=one("climate_zone"),
            soil_class=one("soil_class"),
            land_use=land_use,
            baseline=levels("baseline") or base_default,
            practice=levels("practice") or practice_default,
            area_ha=one("area_ha"),
            edition=one("edition", carbon.DEFAULT_EDITION),
            submitted="climate_zone" in args or "soil_class" in args,
        )
        choice.missing = [
            name for name in ("climate_zone", "soil_class") if not getattr(choice, name)
        ]
        return choice

    def params(self) -> dict:
        """This choice as query parameters (for the share link)."""
        params = {
            "climate_zone": self.climate_zone,
            "soil_class": self.soil_class,
            "land_use": self.land_use,
            "baseline": list(self.baseline),
            "practice": list(self.practice),
            "edition": self.edition,
        }
        if self.area_ha:
            params["area_ha"] = self.area_ha
        return params


@bp.get("/carbon")
def calculator():
    choice = Choice.from_args(request.args)
    page = {
        "choice": choice,
        "result": None,
        "errors": {},
        "no_default": None,
        "point": None,
        "point_error": None,
    }
    if "lat" in request.args or "lon" in request.args:
        page["point"], page["point_error"] = _zones_at_point(request.args)
        if page["point_error"]:
            return _render(page, 422)
    if not choice.submitted:
        return _render(page)
    if choice.missing and page["point"]:  # half-way through picking from the lookup
        return _render(page)
    if choice.missing:
        page["errors"] = {name: _("Choose one.") for name in choice.missing}
        return _render(page, 422)
    try:
        page["result"] = carbon.estimate(
            climate_zone=choice.climate_zone,
            soil_class=choice.soil_class,
            land_use=choice.land_use,
            baseline=choice.baseline,
            practice=choice.practice,
            area_ha=choice.area_ha or None,
            edition=choice.edition,
        )
    except carbon.EstimateError as error:
        page["errors"] = {error.field or "form": carbon_problem(error)}
        return _render(page, 422)
    except carbon.NoDefault as answer:  # an answer, not an error: the page says why
        page["no_default"] = answer
    return _render(page)


def _zones_at_point(args):
    """(the zones documented near the point, None) or (None, what is wrong with it)."""
    from search.place import PlaceError  # numpy and scipy: load on first use
    from search.zones import zones_near

    try:
        return zones_near(
            get_session(), acting_user(), args.get("lat", ""), args.get("lon", "")
        ), None
    except PlaceError:
        return None, _("Give the latitude and longitude in decimal degrees, e.g. 13.58 and -2.37.")


def _pick_url(choice: Choice, point, name: str, code: str) -> str:
    """The calculator with this zone or soil class filled in, the rest of the state kept."""
    params = {key: value for key, value in choice.params().items() if value}
    params[name] = code
    params.update(lat=_point_number(point.latitude), lon=_point_number(point.longitude))
    return _calculator_url(params)


def _point_number(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


def _render(page: dict, status: int = 200):
    choice = page["choice"]
    point = page.get("point")
    return render_template(
        "carbon/calculator.html",
        **page,
        pick_url=lambda name, code: _pick_url(choice, point, name, code),
        point_lat=request.args.get("lat", "")[:20],
        point_lon=request.args.get("lon", "")[:20],
        share_url=_calculator_url(choice.params()),
        other_edition_url=_calculator_url({**choice.params(), "edition": "2006"}),
        DEFAULT_LEVELS=DEFAULT_LEVELS,
        sheets_url=matching_sheets_url(choice),
        groups=_level_groups(),
        editions=carbon.EDITIONS,
        lang=current_language(),
        level_editions=carbon.level_editions,
    ), status


def _calculator_url(params: dict) -> str:
    return url_for(".calculator") + "?" + urlencode(params, doseq=True)


def _level_groups() -> dict:
    """Level groups by land use with the levels of every edition (a level that an edition
    lacks gets an answer saying so, rather than vanishing from the form)."""
    return {land_use: carbon.management_levels(land_use, None) for land_use in carbon.LAND_USES}


def matching_sheets_url(choice: Choice) -> str | None:
    """The search page filtered on this zone, soil and land use (the facets the index has)."""
    if not choice.climate_zone or not choice.soil_class:
        return None
    params = {"ipcc_climate_zone": choice.climate_zone, "soil": choice.soil_class}
    if choice.land_use in carbon.LAND_USES:
        params["land_use"] = choice.land_use
    return url_for("home.practices") + "?" + urlencode(params)


@bp.app_template_global()
def carbon_problem(problem: carbon.EstimateError | carbon.NoDefault) -> str:
    """A domain answer (English template + values) in the reader's language."""
    params = dict(problem.params)
    if "group_name" in params:  # a level group's label, in the reader's language
        groups = carbon.management_levels(params["land_use"], None)
        group = next(group for group in groups if group.name == params["group_name"])
        params["group"] = group.label(current_language())
    if "land_use" in params:
        params["land_use"] = term_label(params["land_use"], "land_use")
    return _(problem.template, **params) if params else _(problem.template)


@bp.app_template_global()
def carbon_number(value: float, digits: int = 2, signed: bool = False) -> str:
    """A number in the reader's locale ("0,26" in French), with a sign for changes."""
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    text = format_decimal(abs(value) if signed else value, format=pattern)
    if not signed:
        return text
    if round(value, digits) == 0:
        return text
    return ("+" if value > 0 else "−") + text


@bp.app_template_global()
def carbon_bar(per_mille: float, low: float, high: float) -> dict:
    """Where to draw the ‰ bar, its range and the 4 ‰ line on a scale that holds all three."""
    start = min(0.0, low, per_mille)
    end = max(carbon.TARGET_PER_MILLE * 1.5, high, per_mille)
    span = end - start

    def x(value: float) -> float:
        return round(PLOT_LEFT + (value - start) / span * PLOT_WIDTH, 1)

    zero, value = x(0.0), x(per_mille)
    return {
        "width": BAR_WIDTH,
        "zero": zero,
        "bar_x": min(zero, value),
        "bar_width": max(abs(value - zero), 1.0),
        "negative": per_mille < 0,
        "low": x(low),
        "high": x(high),
        "target": x(carbon.TARGET_PER_MILLE),
        "meets": round(per_mille, 9) >= carbon.TARGET_PER_MILLE,
    }
