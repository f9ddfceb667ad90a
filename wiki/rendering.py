"""What templates need beyond plain values: Markdown bodies and vocabulary labels."""

from datetime import datetime
from urllib.parse import urlencode

from flask import Flask, current_app, request, url_for
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from markupsafe import Markup

from practices import photos, sheets
from practices.demo import DEMO_COLLEGES
from practices.diff import as_text
from practices.fields import FIELDS, FIELDS_BY_NAME, SECTIONS
from practices.impacts import IMPACT_INDICATORS, impact_label
from practices.models import Revision
from practices.vocab import vocabulary
from wiki import quantities
from wiki.auth import acting_user
from wiki.db import get_session
from wiki.i18n import current_language
from wiki.markdown import LinkTarget, Rendered, Resolver, render_markdown
from wiki.quantities import quantity
from wiki.render_cache import RevisionRenderer


def links_for_reader() -> Resolver:
    """Resolves wiki links for whoever reads the page: a sheet they may not see (someone
    else's draft) renders exactly like one that does not exist."""
    db, reader = get_session(), acting_user()

    def resolve(slugs: frozenset[str]) -> dict[str, LinkTarget]:
        titles = sheets.visible_link_titles(db, slugs, reader)
        return {slug: LinkTarget(url_for("sheets.view", slug=slug), titles.get(slug))
                for slug in slugs}

    return resolve


def render_body(text: str) -> Rendered:
    """Markdown (a preview, a comment) to safe HTML, wiki links resolved for the reader."""
    return render_markdown(text, resolve=links_for_reader())


def render_revision(revision: Revision) -> Rendered:
    """A saved revision's body, from the render cache when it was shown before."""
    renderer: RevisionRenderer = current_app.extensions["revision_renderer"]
    return renderer.render(get_session(), revision, links_for_reader())


def term_label(code: str, vocabulary_name: str) -> str:
    return vocabulary(vocabulary_name).label(code, current_language())


def field_label(name: str) -> str:
    spec = FIELDS_BY_NAME.get(name)
    if spec is not None:
        return _(spec.label)
    return {"title": _("Title"), "summary": _("Summary"), "body": _("Text"),
            "photos": _("Photos")}.get(name, name)


def unit_label(unit: str | None) -> str:
    """Words ("years") are translated; symbols ("t C/ha/yr", "%") are not."""
    if not unit:
        return ""
    return _(unit) if unit.isalpha() else unit


def vocabulary_choices(name: str) -> list[tuple[str, str]]:
    return vocabulary(name).choices(current_language())


def display_value(name: str, value) -> str:
    """A field value as a reader sees it: labels instead of codes, units, signs."""
    spec = FIELDS_BY_NAME.get(name)
    if value is None or spec is None:
        return "" if value is None else str(value)
    if spec.kind == "codes":
        return ", ".join(term_label(code, spec.vocabulary) for code in value)
    if spec.kind == "code":
        return term_label(value, spec.vocabulary)
    if spec.kind in ("int", "float"):
        return quantity(value, spec.unit)
    if spec.kind == "impacts":
        return "; ".join(f"{impact_label(key, current_language())} {score:+d}"
                         for key, score in value.items())
    if spec.kind == "points":
        return "; ".join(f"{lat:g}, {lon:g}" for lon, lat in value)
    if spec.kind == "references":
        return "; ".join(ref.get("citation") or ref.get("url", "") for ref in value)
    return str(value)


def query_with(**changes) -> str:
    """The current query string with some parameters replaced (None removes one)."""
    args = request.args.to_dict(flat=False)
    for name, value in changes.items():
        if value is None or value == []:
            args.pop(name, None)
        else:
            args[name] = value if isinstance(value, list) else [value]
    return urlencode(args, doseq=True)


def page_query(number: int) -> str:
    return query_with(page=number)


def localised_impact_label(indicator: str) -> str:
    return impact_label(indicator, current_language())


def describe_for_diff(name: str, value) -> str:
    """Field values as a reader knows them, one item per line, so that diffs read well."""
    spec = FIELDS_BY_NAME.get(name)
    if value is None:
        return ""
    if name == "photos":  # one line per photo, in gallery order (issue 16)
        return "\n".join(photos.describe(entry) for entry in value)
    if spec is not None and spec.kind == "codes":
        return "\n".join(term_label(code, spec.vocabulary) for code in value)
    if spec is not None and spec.kind in ("code", "int", "float"):
        return display_value(name, value)
    if spec is not None and spec.kind == "impacts":
        return "\n".join(f"{localised_impact_label(key)}: {score:+d}"
                         for key, score in value.items())
    return as_text(value)


def when(moment: datetime | None) -> str:
    return format_datetime(moment, "medium") if moment else ""


def day(moment: datetime | None) -> str:
    return format_date(moment, "medium") if moment else ""


def iso(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else ""


_STANDARD_COLLEGE_TEXTS = frozenset(
    text for _slug, name, description in DEMO_COLLEGES for text in (name, description))


def college_text(text: str | None) -> str:
    """A college's name or description in the reader's language while it is still the
    standard English text (an admin's own wording is shown as written)."""
    if not text:
        return ""
    return _(text) if text in _STANDARD_COLLEGE_TEXTS else text


# The infobox's fields, worked out once rather than filtered out of FIELDS on every page.
NOT_IN_INFOBOX_SECTIONS = frozenset({
    "impacts", "references", "locations", "soc_change_t_c_ha_yr", "cost_currency",
    "cost_unit", "language", "local_name", "rainfall_mm_max", "carbon_note"})
INFOBOX = {
    "described": tuple(spec for spec in FIELDS if spec.section != "provenance"
                       and spec.name not in ("language", "references")),
    "sections": tuple(
        (section, label, tuple(spec for spec in FIELDS if spec.section == section
                               and spec.name not in NOT_IN_INFOBOX_SECTIONS))
        for section, label in SECTIONS if section != "provenance"),
}


def init_app(app: Flask) -> None:
    app.extensions["revision_renderer"] = RevisionRenderer(app.extensions["engine"])
    app.jinja_env.globals.update(
        FIELDS=FIELDS, SECTIONS=SECTIONS, IMPACT_INDICATORS=IMPACT_INDICATORS, INFOBOX=INFOBOX,
        field_label=field_label, vocabulary_choices=vocabulary_choices, term_label=term_label,
        display_value=display_value, unit_label=unit_label, query_with=query_with,
        page_query=page_query, impact_label=localised_impact_label,
    )
    app.jinja_env.filters.update(when=when, day=day, iso=iso, markup=Markup,
                                 college_text=college_text)
    quantities.init_app(app)
