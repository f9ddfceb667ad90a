"""Stable, readable identifiers for sheets: lower-case ASCII words joined by hyphens."""

import re
import unicodedata

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_SLUG_LENGTH = 120


def slugify(text: str) -> str:
    """Turn a title into a slug: 'Zaï pits (Burkina Faso)' -> 'zai-pits-burkina-faso'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = "-".join(words)[:MAX_SLUG_LENGTH].strip("-")
    return slug


def is_valid_slug(slug: str) -> bool:
    return bool(slug) and len(slug) <= MAX_SLUG_LENGTH and bool(SLUG_PATTERN.match(slug))
