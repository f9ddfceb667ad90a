"""Text from outside sources made fit for a sheet: repaired, stripped of HTML and contacts.

Every piece of free text an importer stores goes through `clean_text` (or `markdown_text`
when it lands in a Markdown body):

- mis-encoded text (UTF-8 read as cp1252, "userâ€™s") is repaired with ftfy;
- HTML is reduced to its text (scripts and styles dropped whole, entities decoded);
- e-mail addresses and telephone numbers are removed: we never store contact data;
- `markdown_text` also escapes what Markdown would read as markup, so that imported text
  shows as written and can never smuggle in links, images or raw HTML.
"""

import html
import re

_SCRIPTS = re.compile(r"<(script|style|iframe|object|embed|template)\b.*?(</\1\s*>|$)",
                      re.IGNORECASE | re.DOTALL)
# A tag never holds a "<", and a comment left open runs to the end (as browsers read it):
# otherwise each of a thousand "<br" or "<!--" would scan the rest of the text (quadratic).
_BREAKS = re.compile(r"<\s*(br|/p|/div|/li|/h[1-6]|/tr)\b[^<>]*>", re.IGNORECASE)
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>|<!--.*?(?:-->|\Z)", re.DOTALL)
_EMAIL = re.compile(r"(mailto:)?(?<![\w.+-])[\w.+-]+@[\w-]+(\.[\w-]+)+", re.IGNORECASE)
# A number written with an international prefix, or one that a label calls a phone number.
_PHONE = re.compile(
    r"(?:(?<![\w+])(?:\+|00)\d[\d\s().-]{6,}\d)"
    r"|(?:\b(?:tel|tél|phone|telephone|téléphone|mobile|cell|fax|whatsapp)\b\.?\s*"
    r"(?:no\.?|number)?\s*:?\s*\+?\d[\d\s().-]{5,}\d)",
    re.IGNORECASE)
_PHONE_PREFIX = re.compile(r"(?:\+|00)\d")
_PHONE_WORDS = ("tel", "tél", "phone", "mobile", "cell", "fax", "whatsapp")
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~])")
_LINE_START = re.compile(r"^(\s*)([#+=>-])", re.MULTILINE)
_NUMBERED = re.compile(r"^(\s*\d+)([.)])(\s)", re.MULTILINE)
_ENTITY = re.compile(r"&(?=#?\w+;)")
_PARAGRAPH_END = re.compile(r"^([^\n]{80,}[.!?؟。])\n(?!\n)", re.MULTILINE)
CONTACT_REMOVED = "[contact removed]"


def clean_text(value: object) -> str:
    """Plain, repaired text without HTML or contact data; "" for None and empty values."""
    if value is None:
        return ""
    import ftfy  # loaded by imports, not by every web worker (issue 12)

    text = ftfy.fix_text(str(value), normalization="NFC", uncurl_quotes=False)
    if "<" in text:
        text = _SCRIPTS.sub("", text)
        text = _BREAKS.sub("\n", text)
        text = _TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    text = strip_contacts(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def strip_contacts(text: str) -> str:
    # The full patterns are slow on long text: run them only where they could match.
    if "@" in text:
        text = _EMAIL.sub(CONTACT_REMOVED, text)
    lower = text.lower()
    if _PHONE_PREFIX.search(text) or any(word in lower for word in _PHONE_WORDS):
        text = _PHONE.sub(CONTACT_REMOVED, text)
    return text


def has_contact(text: str) -> bool:
    return bool(_EMAIL.search(text) or _PHONE.search(text))


def markdown_text(value: object) -> str:
    """`clean_text`, escaped so that Markdown shows it exactly as written."""
    text = clean_text(value)
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    text = _LINE_START.sub(r"\1\\\2", text)
    text = _NUMBERED.sub(r"\1\\\2\3", text)
    text = _ENTITY.sub("&amp;", text)
    # A single line break is a space in Markdown. After a long line that ends a sentence it
    # is the writer's paragraph break (WOCAT forms keep paragraphs that way); other line
    # breaks (lists of measurements, addresses of a table) stay visible as line breaks.
    text = _PARAGRAPH_END.sub(r"\1\n\n", text)
    return re.sub(r"(?<!\n)\n(?!\n)", "  \n", text)


def one_line(value: object, limit: int | None = None) -> str:
    """Clean text on a single line (titles, table cells), cut at `limit` characters."""
    text = " ".join(clean_text(value).split())
    if limit and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def cell(value: object) -> str:
    """Escaped text for a Markdown table cell (one line, pipes escaped)."""
    return markdown_text(one_line(value)).replace("\n", " ")
