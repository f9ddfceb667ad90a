"""What load balancers, systemd and operators ask the running wiki: is the process alive
(`/healthz`), can it serve (`/readyz`: database, migrations, search index), and which request
a log line belongs to (a request id, honoured from `X-Request-Id` and echoed back), with
optional JSON log lines (`LOG_FORMAT=json`)."""

import json
import logging
import re
import time
import uuid
from dataclasses import dataclass

from flask import Blueprint, Flask, current_app, g, has_request_context, jsonify, request
from flask.logging import default_handler as flask_default_handler

from practices.database import migration_state

bp = Blueprint("operations", __name__)
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    reason: str = ""
    fix: str = ""  # the command that repairs it


def check_database(engine) -> list[Check]:
    """Reachable, and migrated to the revisions this code expects."""
    try:
        state = migration_state(engine)
    except Exception as error:  # noqa: BLE001 - any driver error means "not reachable"
        reason = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        return [
            Check(
                "database",
                False,
                f"database unreachable: {reason}",
                "check DATABASE_URL and that the database server runs",
            ),
            Check("migrations", False, "unknown: the database is unreachable"),
        ]
    database = Check("database", True)
    if state.up_to_date:
        return [database, Check("migrations", True)]
    at = ", ".join(sorted(state.current)) or "none"
    return [
        database,
        Check(
            "migrations",
            False,
            f"migrations pending: the database is at {at}, the code expects "
            f"{', '.join(sorted(state.expected))}",
            "practice-wiki db upgrade",
        ),
    ]


def check_search(service) -> Check:
    problem = service.problem()
    if problem is None:
        return Check("search", True)
    return Check("search", False, problem, "practice-wiki search rebuild")


def readiness(app: Flask, *, repair: bool = False) -> list[Check]:
    """Database, migrations, then the search index; with `repair`, a missing or outdated
    index starts rebuilding in the background (a new node gets ready by itself)."""
    checks = check_database(app.extensions["engine"])
    if all(check.ok for check in checks):
        search = check_search(app.extensions["search"])
        if not search.ok and repair:
            app.extensions["search"].rebuild_in_background()
        checks.append(search)
    return checks


@bp.get("/healthz")
def healthz():
    response = jsonify(status="ok")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/readyz")
def readyz():
    checks = readiness(current_app, repair=True)
    ready = all(check.ok for check in checks)
    body = {
        "status": "ready" if ready else "unavailable",
        "checks": {
            check.name: {"ok": check.ok, **({"reason": check.reason} if check.reason else {})}
            for check in checks
        },
    }
    response = jsonify(body)
    response.status_code = 200 if ready else 503
    response.headers["Cache-Control"] = "no-store"
    return response


# Request ids and log lines -----------------------------------------------------------------


def _assign_request_id() -> None:
    given = request.headers.get("X-Request-Id", "")
    g.request_id = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


def _echo_request_id(response):
    request_id = g.get("request_id")
    if request_id:
        response.headers["X-Request-Id"] = request_id
    return response


class RequestIdFilter(logging.Filter):
    """Gives every record a `request_id` (empty outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "") if has_request_context() else ""
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: what log collectors (journald, Loki, ELK) read as fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", "")
        if request_id:
            entry["request_id"] = request_id
        if has_request_context():
            entry.update(method=request.method, path=request.path)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(app: Flask) -> None:
    """The app's and the project's loggers write to stderr, as text or JSON lines."""
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    if app.config.get("LOG_FORMAT") == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
        )
    for name in ("wiki", "search", "practices"):
        logger = logging.getLogger(name)
        logger.removeHandler(flask_default_handler)
        for old in [h for h in logger.handlers if getattr(h, "practice_wiki", False)]:
            logger.removeHandler(old)
        handler.practice_wiki = True
        logger.addHandler(handler)
        if logger.level == logging.NOTSET:
            logger.setLevel(logging.INFO)
        logger.propagate = False


def init_app(app: Flask) -> None:
    app.before_request(_assign_request_id)
    app.after_request(_echo_request_id)
    app.register_blueprint(bp)
    if app.config.get("LOG_FORMAT") == "json":
        configure_logging(app)  # (`serve` configures text logs too, see wiki/serve.py)
