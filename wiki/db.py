"""One engine per app and one database session per request (`g.db`)."""

from flask import Flask, current_app, g
from sqlmodel import Session

from practices.database import make_engine


def init_app(app: Flask) -> None:
    app.extensions["engine"] = make_engine(app.config["DATABASE_URL"])
    app.teardown_appcontext(close_session)


def engine():
    return current_app.extensions["engine"]


def get_session() -> Session:
    if "db" not in g:
        g.db = Session(engine(), expire_on_commit=False)
    return g.db


def close_session(_exc=None) -> None:
    session = g.pop("db", None)
    if session is not None:
        session.close()
