"""The sheet edit form: between what a browser posts and the domain's Content.

The form is driven by `practices.fields.FIELDS`, so a new structured field appears in the
form, the validation and the diff at once. Values are kept as the user typed them, so that
a refused form comes back exactly as it was sent.
"""

import re
from collections.abc import Mapping
from typing import Any

from werkzeug.datastructures import MultiDict

from practices.fields import FIELDS
from practices.impacts import IMPACT_INDICATORS
from practices.models import Revision
from practices.sheets import Content
from practices.vocab import vocabulary

TEXT_KEYS = ("title", "summary", "body")
# Possessive quantifiers (and no leading blanks in the URL pattern): a line of ten thousand
# blanks or "http://" must not make the pattern try every way of splitting it (quadratic).
REFERENCE_URL = re.compile(r"(https?://\S++|doi:\s*+\S++|10\.\d{4,9}/\S++)\s*+$", re.IGNORECASE)
MAX_URL_LENGTH = 2_000  # only the end of a reference line is searched for its URL
NUMBER = r"[-+]?\d+(?:[.,]\d+)?"
POINT = re.compile(rf"^\s*+({NUMBER})(?:\s*+[,;]\s*+|\s++)({NUMBER})\s*+$")


def values_from_request(form: MultiDict) -> dict[str, Any]:
    """What the user sent, in the shape the template renders (strings and lists of codes)."""
    values: dict[str, Any] = {key: form.get(key, "") for key in TEXT_KEYS}
    for spec in FIELDS:
        if spec.kind == "codes":
            values[spec.name] = form.getlist(spec.name)
        elif spec.kind == "impacts":
            values[spec.name] = {key: form.get(f"impacts.{key}", "") for key in IMPACT_INDICATORS}
        else:
            values[spec.name] = form.get(spec.name, "")
    return values


def values_from_content(content: Content | Revision | None) -> dict[str, Any]:
    """The form filled in from a stored revision (or empty for a new sheet)."""
    if content is None:
        return {"language": "en", "license": "cc-by-4.0"}
    values: dict[str, Any] = {key: getattr(content, key) for key in TEXT_KEYS}
    for spec in FIELDS:
        value = content.fields.get(spec.name)
        values[spec.name] = _display(spec.kind, value)
    return values


def values_from_query(args: MultiDict) -> dict[str, Any]:
    """A new sheet's form with what its address sets: the title and vocabulary codes, e.g.
    `/practices/new?practice_groups=AF&agro_climatic_zones=semi-arid` from a gap of the
    dashboard's coverage matrix. Unknown codes are left out (they would only be refused)."""
    values = values_from_content(None)
    values["title"] = args.get("title", "")
    for spec in FIELDS:
        if spec.kind == "codes" and spec.name in args:
            known = vocabulary(spec.vocabulary)
            values[spec.name] = [code for code in dict.fromkeys(args.getlist(spec.name))
                                 if code in known]
    return values


def content_arguments(values: Mapping[str, Any]) -> dict[str, Any]:
    """Arguments for Content.checked() from the form values."""
    fields = {spec.name: _parse(spec.kind, values.get(spec.name)) for spec in FIELDS}
    return {"title": values.get("title", ""), "summary": values.get("summary", ""),
            "body": values.get("body", ""), "fields": fields}


def _parse(kind: str, value: Any) -> Any:
    if kind == "points":
        return [_parse_point(line) for line in _lines(value)]
    if kind == "references":
        return [_parse_reference(line) for line in _lines(value)]
    if kind == "impacts":
        return {key: score for key, score in (value or {}).items() if score not in ("", None)}
    return value


def _lines(value: Any) -> list[str]:
    return [line.strip() for line in str(value or "").splitlines() if line.strip()]


def _parse_point(line: str) -> list:
    """'13.58, -2.37' (latitude first, as people write it) -> [lon, lat] as stored."""
    match = POINT.match(line)
    if not match:
        return [line]  # the validator reports it as a malformed point
    lat, lon = (float(part.replace(",", ".")) for part in match.groups())
    return [lon, lat]


def _parse_reference(line: str) -> dict[str, str]:
    match = REFERENCE_URL.search(line, max(0, len(line) - MAX_URL_LENGTH))
    if not match:
        return {"citation": line}
    url = match.group(1)
    if url.lower().startswith("doi:"):
        url = "https://doi.org/" + url[4:].strip()
    elif url.startswith("10."):
        url = "https://doi.org/" + url
    return {"citation": line[: match.start()].strip().rstrip(".,;") + ".", "url": url}


def _display(kind: str, value: Any) -> Any:
    if value is None:
        return {} if kind == "impacts" else [] if kind == "codes" else ""
    if kind == "points":
        return "\n".join(f"{lat:g}, {lon:g}" for lon, lat in value)
    if kind == "references":
        return "\n".join(" ".join(part for part in (ref.get("citation", ""), ref.get("url", ""))
                                  if part) for ref in value)
    if kind in ("int", "float"):
        return f"{value:g}"
    return value
