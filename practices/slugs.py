"""Stable, readable identifiers for sheets, organisations and colleges: lower-case ASCII
words joined by hyphens."""

import re
import unicodedata

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_SLUG_LENGTH = 120

# Words the wiki's routes put where a slug goes (/practices/new is the new-sheet form): a
# sheet or a group with one of them as its slug could never be reached at its own address.
# tests/wiki/test_reserved_slugs.py reads every route and fails when this list lags.
RESERVED_SLUGS = frozenset({"new"})


def slugify(text: str) -> str:
    """Turn a title into a slug: 'Zaï pits (Burkina Faso)' -> 'zai-pits-burkina-faso'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = "-".join(words)[:MAX_SLUG_LENGTH].strip("-")
    return slug


def is_valid_slug(slug: str) -> bool:
    return bool(slug) and len(slug) <= MAX_SLUG_LENGTH and bool(SLUG_PATTERN.match(slug))


def is_reserved(slug: str) -> bool:
    return slug in RESERVED_SLUGS


def unreserved(slug: str) -> str:
    """A slug made from a title, with a suffix when it is a reserved word: a sheet titled
    "New" gets new-2."""
    return f"{slug}-2" if is_reserved(slug) else slug
