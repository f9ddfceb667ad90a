"""Interface language: English, French and Spanish, chosen by the reader or the browser."""

from flask import Flask, request, session
from flask_babel import Babel, get_locale

LANGUAGES = {"en": "English", "fr": "Français", "es": "Español"}
babel = Babel()


def select_locale() -> str:
    chosen = request.args.get("lang") or session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES.keys()) or "en"


def remember_choice() -> None:
    """`?lang=fr` on any page switches the interface language and keeps it."""
    chosen = request.args.get("lang")
    if chosen in LANGUAGES:
        session["lang"] = chosen


def current_language() -> str:
    return str(get_locale() or "en")


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    babel.init_app(app, locale_selector=select_locale)
    app.before_request(remember_choice)
    app.jinja_env.globals.update(LANGUAGES=LANGUAGES, current_language=current_language)
