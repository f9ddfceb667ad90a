"""The search page (`/practices/`), the "find practices for my place" form, and the wiring
of the search service into the app."""

from dataclasses import replace
from urllib.parse import urlencode

from flask import Blueprint, Flask, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlmodel import select

from practices import policy
from practices.models import College, Sheet
from practices.sheets import card_terms, translation_families
from search import SearchPage, SearchRequest, SearchService
from search.query import CARBON_FACETS, normalise_codes
from search.schema import FACETS
from wiki import page_cache
from wiki.auth import acting_user
from wiki.db import get_session
from wiki.i18n import current_language
from wiki.rendering import college_text, term_label

bp = Blueprint("search", __name__)

# The facets shown on the search page, in this order.
SHOWN_FACETS = ("agro_climatic_zone", "ipcc_climate_zone", "practice_group", "measure",
                "land_use", "degradation", "soil", "country", "region", "language", "source",
                "endorsed_by", "status")
# The fields of the place finder: a facet each (one value), plus a point.
PLACE_FACETS = ("agro_climatic_zone", "ipcc_climate_zone", "soil", "land_use", "country")
# Sheet field -> the search page parameter that filters on it (for links from a sheet).
FIELD_PARAMS = {field: facet for facet, field in FACETS.items()}


def init_app(app: Flask) -> None:
    app.config.setdefault("SEARCH_SYNC_REBUILD_LIMIT", 2000)
    app.extensions["search"] = SearchService(
        app.config["SEARCH_INDEX_DIR"], app.extensions["engine"],
        sync_rebuild_limit=int(app.config["SEARCH_SYNC_REBUILD_LIMIT"]))
    app.register_blueprint(bp)
    app.jinja_env.globals.update(facet_param=FIELD_PARAMS.get, facet_title=facet_title,
                                 facet_value_label=facet_value_label,
                                 search_behind=search_behind)


def search_behind() -> bool:
    """Whether pages must say the index misses the latest changes (then they are not kept:
    the wiki's version does not follow the index's health)."""
    behind = bool(service().unwritable)
    if behind:
        page_cache.do_not_store()
    return behind


def service() -> SearchService:
    return current_app.extensions["search"]


def run_search(search_request: SearchRequest, user) -> SearchPage:
    """The search service's answer; one built from an index that is missing or behind the
    database is right for now but is not kept as this version's page (wiki.page_cache)."""
    result = service().search(search_request, user)
    if result.notice or result.lagging:
        page_cache.do_not_store()
    return result


def facet_title(facet: str) -> str:
    return {
        "agro_climatic_zone": _("Agro-climatic zone"), "ipcc_climate_zone": _("IPCC climate zone"),
        "practice_group": _("Practice group"), "measure": _("Measures"),
        "land_use": _("Land use"), "degradation": _("Degradation addressed"),
        "soil": _("IPCC soil class"), "country": _("Country"), "region": _("Region"),
        "language": _("Language"), "source": _("Source"), "status": _("Status"),
        "endorsed_by": _("Endorsed by"),
    }.get(facet, facet)


def facet_value_label(facet: str, code: str) -> str:
    if facet == "status":
        return {"draft": _("Draft"), "in_review": _("In review"), "published": _("Published"),
                "archived": _("Archived")}.get(code, code)
    if facet == "source":
        return {"local": _("Written here"), "wocat": _("WOCAT"), "teca": _("FAO TECA"),
                "table": _("Spreadsheet import")}.get(code, code)
    if facet == "endorsed_by":
        college = get_session().exec(select(College).where(College.slug == code)).first()
        return college_text(college.name) if college else code
    vocabulary = "languages" if facet == "language" else FACETS[facet]
    return term_label(code, vocabulary)


def practices_page():
    """`/practices/`: free text, facets with counts, highlights, sort, pages."""
    search_request = practice_request(request.args.to_dict(flat=False))
    user = acting_user()
    result = run_search(search_request, user)
    sheets = _visible_sheets([hit.sheet_id for hit in result.hits], user)
    entries = _cards(result.hits, sheets, user)
    facets = [(facet, _sorted_counts(facet, result.counts.get(facet, {}),
                                     search_request.filter_map.get(facet, ())))
              for facet in SHOWN_FACETS if facet in result.counts
              or facet in search_request.filter_map]
    without_filters = SearchRequest(search_request.text, sort=search_request.sort).params()
    return render_template("search/practices.html", result=result, req=search_request,
                           sheets=sheets, facets=facets, entries=entries,
                           without_filters=urlencode(without_filters, doseq=True))


def practice_request(params) -> SearchRequest:
    """A search of the pages: one entry per practice, shown in the reader's language (the
    search groups translations; the API lists every sheet)."""
    return replace(SearchRequest.from_params(params), one_per_practice=True,
                   language=current_language())


def other_languages(sheets: list[Sheet], user) -> dict[int, list[Sheet]]:
    """sheet id -> the other versions of its practice the user may see (language badges)."""
    families = translation_families(get_session(), sheets)
    return {sheet.id: [other for other in families.get(sheet.translation_of_id or sheet.id, ())
                       if other.id != sheet.id and policy.can_view(user, other)]
            for sheet in sheets}


def in_readers_language(sheets: list[Sheet], user) -> dict[int, tuple[Sheet, list[Sheet]]]:
    """sheet id -> (the version of its practice in the reader's language, or the sheet
    itself; the practice's other versions the user may see)."""
    language = current_language()
    others = other_languages(sheets, user)
    shown = {}
    for sheet in sheets:
        family = [sheet, *others[sheet.id]]
        leading = next((version for version in family if version.language == language), sheet)
        shown[sheet.id] = (leading, [version for version in family if version is not leading])
    return shown


def _cards(hits, sheets: dict[int, Sheet], user) -> list[dict]:
    """One card per practice (the search chose the version in the reader's language) with
    the other languages as badges, and what a practitioner scans for (country, zones,
    group, SOC result)."""
    found = [sheets[hit.sheet_id] for hit in hits if hit.sheet_id in sheets]
    others = other_languages(found, user)
    terms = card_terms(get_session(), [sheet.id for sheet in found])
    hit_of = {hit.sheet_id: hit for hit in hits}
    return [{"sheet": sheet, "others": others[sheet.id], "terms": terms[sheet.id],
             "hit": hit_of.get(sheet.id)} for sheet in found]


def _visible_sheets(ids: list[int], user) -> dict[int, Sheet]:
    """The hits' sheets, checked once more against the policy (the index may lag by a moment
    behind a sheet that just became a draft)."""
    if not ids:
        return {}
    rows = get_session().exec(select(Sheet).where(Sheet.id.in_(ids))).all()
    return {sheet.id: sheet for sheet in rows if policy.can_view(user, sheet)
            and not sheet.is_deleted}


def _sorted_counts(facet: str, counts: dict[str, int], chosen) -> list[tuple[str, str, int]]:
    """(code, label, count) with the chosen values first, then by count and label."""
    codes = set(counts) | set(chosen)
    rows = [(code, facet_value_label(facet, code), counts.get(code, 0)) for code in codes]
    return sorted(rows, key=lambda row: (row[0] not in chosen, -row[2], row[1].lower()))


@bp.get("/place")
def place():
    """Find practices for my place: a few answers (or a point) become search filters."""
    args = request.args
    if args.get("zones"):
        return _place_zones(args)
    if not args.get("find"):
        return render_template("search/place.html", values=args, error=None)
    filters: dict[str, list[str]] = {}
    for facet in PLACE_FACETS:
        codes, _unknown = normalise_codes(facet, args.getlist(facet))
        if codes:
            filters[facet] = list(codes)
    if "country" not in filters and (args.get("lat") or args.get("lon")):
        from search.place import PlaceError, country_at  # numpy and scipy: load on first use

        try:
            filters["country"] = [country_at(args.get("lat", ""), args.get("lon", ""))]
        except PlaceError as problem:
            message = (_("No country was found near this point: choose the country instead.")
                       if problem.reason == "nowhere" else
                       _("Give the latitude and longitude in decimal degrees, e.g. 13.58 and "
                         "-2.37."))
            return render_template("search/place.html", values=args, error=message), 422
    return redirect(url_for("home.practices", **filters, **_place_order(filters)), 303)


# The place finder's facets for the zone lookup's two kinds of answer (search.zones).
PLACE_ZONE_FACETS = {"climate_zone": "ipcc_climate_zone", "soil_class": "soil"}


def _place_zones(args):
    """The zones and soil classes that sheets near the point document, for the reader to pick
    (they fill the form's selects through the address; nothing is chosen for them)."""
    from search.place import PlaceError  # numpy and scipy: load on first use
    from search.zones import zones_near

    try:
        point = zones_near(get_session(), acting_user(), args.get("lat", ""),
                           args.get("lon", ""))
    except PlaceError:
        error = _("Give the latitude and longitude in decimal degrees, e.g. 13.58 and -2.37.")
        return render_template("search/place.html", values=args, error=error), 422
    kept = {name: value for name, value in args.items() if value and name != "find"}

    def pick_url(name: str, code: str) -> str:
        return url_for("search.place", **{**kept, PLACE_ZONE_FACETS[name]: code}) + "#place-zones"

    chosen = {name: args.get(facet) for name, facet in PLACE_ZONE_FACETS.items()}
    return render_template("search/place.html", values=args, error=None, point=point,
                           pick_url=pick_url, chosen_codes=chosen)


def _place_order(filters: dict[str, list[str]]) -> dict[str, str]:
    """With a climate zone and a soil class, the practices for a place come ranked by their
    IPCC estimate of carbon gain there (issue 13)."""
    return {"sort": "carbon"} if all(filters.get(f) for f in CARBON_FACETS) else {}
