"""What any text the wiki stores may hold: one rule for forms, the API and importers alike.

Tab and line ends are text; the other C0 control characters are not (NUL is refused
outright by PostgreSQL, the rest are invisible garbage that breaks feeds, exports and XML),
and neither is a lone UTF-16 surrogate (no encoder accepts one).
"""

import re
import unicodedata

CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
# For the services whose errors carry one message (translated by the web layer).
CONTROL_CHARACTER_MESSAGE = "The text holds an invisible control character; remove it."


def control_character(value: str) -> str | None:
    """The first forbidden character as "U+0007", or None when the text is fine."""
    found = CONTROL_CHARACTER.search(value)
    return f"U+{ord(found.group()):04X}" if found else None


def has_control_character(*values: str) -> bool:
    return any(CONTROL_CHARACTER.search(value) for value in values)


def has_visible_character(value: str) -> bool:
    """Whether the text shows anything: a letter, digit, symbol or punctuation mark (Unicode
    categories L, N, S, P). Spaces, format characters (zero-width space, BOM, direction
    marks) and combining marks on their own show nothing, so a name made of them alone
    reads as blank and is refused as blank."""
    return any(unicodedata.category(char)[0] in "LNSP" for char in value)
