"""Reading the dashboard's filters from a query string, refusing what cannot be used."""

import re
from collections.abc import Mapping

from practices.dashboard_model import InvalidFilter
from practices.dashboard_regions import is_region
from practices.fields import N_
from practices.vocab import vocabulary

NAMES = ("region", "country", "college", "group", "year_from", "year_to")
FIRST_YEAR, LAST_YEAR = 1900, 2100
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
_YEAR = re.compile(r"[0-9]{4}")


def parse(filters_class, args: Mapping[str, str]):
    """A Filters from the query; empty values are no filter. Other arguments (lang, embed,
    format) belong to the page and are left alone."""
    values = {name: _text(args, name) for name in NAMES}
    year_from = _year(values["year_from"], "year_from")
    year_to = _year(values["year_to"], "year_to")
    if year_from and year_to and year_from > year_to:
        raise InvalidFilter("year_to", N_("The last year comes after the first year."))
    return filters_class(
        region=_region(values["region"]),
        country=_country(values["country"]),
        college=_college(values["college"]),
        group=_group(values["group"]),
        year_from=year_from,
        year_to=year_to,
    )


def _text(args: Mapping[str, str], name: str) -> str | None:
    value = args.get(name)
    if isinstance(value, (list, tuple)):  # a MultiDict's to_dict(flat=False)
        value = value[0] if value else None
    value = (value or "").strip()
    return value or None


def _region(value: str | None) -> str | None:
    if value is None:
        return None
    if not is_region(value):
        raise InvalidFilter("region", N_("Choose a UN M49 region code, such as 002 (Africa)."))
    return value


def _country(value: str | None) -> str | None:
    if value is None:
        return None
    code = value.upper()
    if len(code) != 2 or code not in vocabulary("countries"):
        raise InvalidFilter("country", N_("Choose a country by its two-letter ISO code."))
    return code


def _college(value: str | None) -> str | None:
    if value is None:
        return None
    if not _SLUG.fullmatch(value):
        raise InvalidFilter("college", N_("Choose a college by its short name (its slug)."))
    return value


def _group(value: str | None) -> str | None:
    if value is None:
        return None
    if value not in vocabulary("practice_groups"):
        raise InvalidFilter("group", N_("Choose a practice group from the list."))
    return value


def _year(value: str | None, name: str) -> int | None:
    if value is None:
        return None
    if not _YEAR.fullmatch(value) or not FIRST_YEAR <= int(value) <= LAST_YEAR:
        raise InvalidFilter(name, N_("Enter a year between 1900 and 2100."))
    return int(value)
