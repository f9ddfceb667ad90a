"""Words of the dashboard in the reader's language.

Figures carry their titles, summaries and column labels already translated (the page, the
CSV header and the JSON all show the same words). The domain layer has no request of its
own, so it asks Flask-Babel when an application context is there (a page or an API call)
and keeps the English otherwise (scripts, the bench).
"""


def _flask_translations():
    try:
        from flask import has_app_context
        from flask_babel import get_locale, gettext, ngettext
    except ImportError:  # the domain layer without the web layer installed
        return None
    return (gettext, ngettext, get_locale) if has_app_context() else None


def _(message: str, **params) -> str:
    """`message` translated, with %(name)s placeholders filled from `params`."""
    tools = _flask_translations()
    if tools:
        return tools[0](message, **params)
    return message % params if params else message


def ngettext(singular: str, plural: str, count: int, **params) -> str:
    """Singular or plural by `count` (also given as %(num)s), translated."""
    tools = _flask_translations()
    if tools:
        return tools[1](singular, plural, count, **params)
    return (singular if count == 1 else plural) % {"num": count, **params}


def language() -> str:
    """The reader's language ("en", "fr", "es"); "en" outside a request."""
    tools = _flask_translations()
    locale = tools[2]() if tools else None
    return str(locale or "en").split("_")[0]


def number(value: float | None, digits: int = 0) -> str:
    """A number written the reader's way ("12,345" in English, "12 345" in French)."""
    if value is None:
        return "–"
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(round(value, digits), format=pattern, locale=language())
