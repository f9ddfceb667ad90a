"""`practice-wiki doctor`: what is wrong with this installation, and the command that fixes it.

Checks the configuration (secret key, database URL, mail, Redis, proxies), the database and
its migrations, the search index and the free disk space. Prints one line per check; exits 0
when nothing failed (warnings are advice), 1 otherwise, so scripts and timers can act on it.
"""

import os
import shutil
import socket
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import click
from flask import Flask
from flask.cli import ScriptInfo

from wiki.config import ConfigError
from wiki.operations import check_database, check_search

MIN_FREE_BYTES = 500 * 1024 * 1024  # below this, a save or an index rebuild may fail
LOW_FREE_BYTES = 2 * 1024 * 1024 * 1024
CONNECT_TIMEOUT = 3.0


@dataclass(frozen=True)
class Finding:
    level: str  # "ok", "warn" or "fail"
    name: str
    message: str
    fix: str = ""


def ok(name: str, message: str) -> Finding:
    return Finding("ok", name, message)


def configuration(app: Flask) -> list[Finding]:
    config = app.config
    findings = [
        _secret_key(config),
        _database_url(config),
        _mail(config),
        _redis(config),
        _proxies(config),
    ]
    if config.get("PUBLIC_URL", "").startswith("https:") and not config.get(
        "SESSION_COOKIE_SECURE"
    ):
        findings.append(
            Finding(
                "warn",
                "cookies",
                "the wiki is served over HTTPS but session cookies may travel over plain HTTP",
                "set SESSION_COOKIE_SECURE=true",
            )
        )
    return findings


def _secret_key(config) -> Finding:
    if os.environ.get("SECRET_KEY"):
        return ok("secret key", "set in the environment")
    return Finding(
        "warn",
        "secret key",
        "generated into the instance folder: fine on one machine; several machines must share one",
        "set SECRET_KEY (the same on every node), e.g. from `python -c 'import "
        "secrets; print(secrets.token_urlsafe(48))'`",
    )


def _database_url(config) -> Finding:
    url = config["DATABASE_URL"]
    if url.startswith("sqlite"):
        return ok("database URL", "SQLite (one machine; use PostgreSQL for several)")
    return ok("database URL", "PostgreSQL")


def _mail(config) -> Finding:
    host = config.get("SMTP_HOST")
    if not host:
        return Finding(
            "warn",
            "mail",
            "SMTP_HOST is not set: notifications are not e-mailed",
            "set SMTP_HOST (and SMTP_PORT, SMTP_USERNAME, SMTP_PASSWORD)",
        )
    problem = _unreachable(host, int(config.get("SMTP_PORT") or 25))
    if problem:
        return Finding(
            "fail",
            "mail",
            f"the mail server {host} cannot be reached: {problem}",
            "check SMTP_HOST and SMTP_PORT",
        )
    return ok("mail", f"mail server {host} answers")


def _redis(config) -> Finding:
    url = (
        config.get("REDIS_URL")
        or os.environ.get("REDIS_URL")
        or config.get("RATELIMIT_STORAGE_URI")
        or os.environ.get("RATELIMIT_STORAGE_URI")
    )
    if not url or url.startswith("memory:"):
        return Finding(
            "warn",
            "redis",
            "rate limits are counted in each process's memory: "
            "with several workers or machines each counts on its own",
            "set REDIS_URL=redis://127.0.0.1:6379/0",
        )
    parts = urlsplit(url)
    problem = _unreachable(parts.hostname or "127.0.0.1", parts.port or 6379)
    if problem:
        return Finding(
            "fail",
            "redis",
            f"Redis at {parts.hostname} cannot be reached: {problem}",
            "start Redis or correct REDIS_URL",
        )
    return ok("redis", f"Redis at {parts.hostname}:{parts.port or 6379} answers")


def _proxies(config) -> Finding:
    raw = str(config.get("TRUSTED_PROXIES") or os.environ.get("TRUSTED_PROXIES") or "0")
    if not raw.isdigit():
        return Finding(
            "fail",
            "proxies",
            f"TRUSTED_PROXIES must be a count, not {raw!r}",
            "set TRUSTED_PROXIES to the number of proxies in front (e.g. 1)",
        )
    if raw == "0":
        return ok(
            "proxies", "none trusted: X-Forwarded-For is ignored (set TRUSTED_PROXIES behind nginx)"
        )
    return ok("proxies", f"{raw} trusted proxy(ies) in front")


def _unreachable(host: str, port: int) -> str | None:
    try:
        with socket.create_connection((host, port), timeout=CONNECT_TIMEOUT):
            return None
    except OSError as error:
        return error.strerror or str(error)


def services(app: Flask) -> list[Finding]:
    fine = {"database": "reachable", "migrations": "current"}
    findings = [
        Finding(
            "ok" if check.ok else "fail",
            check.name,
            check.reason or fine.get(check.name, "ok"),
            check.fix,
        )
        for check in check_database(app.extensions["engine"])
    ]
    if all(finding.level == "ok" for finding in findings):
        search = check_search(app.extensions["search"])
        findings.append(
            Finding(
                "ok" if search.ok else "fail", "search index", search.reason or "usable", search.fix
            )
        )
    return findings


def disk_space(app: Flask) -> list[Finding]:
    folders = {
        "search index": app.config["SEARCH_INDEX_DIR"],
        "uploads": app.config["UPLOAD_DIR"],
        "instance": app.instance_path,
    }
    url = app.config["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        folders["database"] = str(Path(url.removeprefix("sqlite:///")).parent)
    findings = []
    for name, folder in folders.items():
        path = Path(folder)
        while not path.exists() and path != path.parent:
            path = path.parent
        free = shutil.disk_usage(path).free
        gigabytes = f"{free / 1024**3:.1f} GB free"
        if free < MIN_FREE_BYTES:
            findings.append(
                Finding(
                    "fail",
                    f"disk ({name})",
                    f"only {gigabytes} at {path}",
                    "free some space or move the folder to a larger disk",
                )
            )
        elif free < LOW_FREE_BYTES:
            findings.append(
                Finding(
                    "warn",
                    f"disk ({name})",
                    f"{gigabytes} at {path}",
                    "plan more space (backups and rebuilds need room)",
                )
            )
        else:
            findings.append(ok(f"disk ({name})", gigabytes))
    return findings


def diagnose(app: Flask) -> list[Finding]:
    return configuration(app) + services(app) + disk_space(app)


MARKS = {"ok": "ok  ", "warn": "warn", "fail": "FAIL"}


@click.command("doctor", help="Check configuration, database, migrations, index and disk.")
@click.pass_context
def doctor_command(ctx: click.Context):
    try:
        app = ctx.ensure_object(ScriptInfo).load_app()
    except ConfigError as error:
        findings = [
            Finding(
                "fail",
                "configuration",
                str(error),
                "correct the setting in the environment or instance/config.py",
            )
        ]
    else:
        with app.app_context():
            findings = diagnose(app)
    for finding in findings:
        click.echo(f"{MARKS[finding.level]}  {finding.name}: {finding.message}")
        if finding.fix and finding.level != "ok":
            click.echo(f"      fix: {finding.fix}")
    failed = [finding for finding in findings if finding.level == "fail"]
    if failed:
        click.echo(f"{len(failed)} problem(s) found.")
        ctx.exit(1)
    click.echo(
        "All is well."
        if all(f.level == "ok" for f in findings)
        else "No problem that stops the wiki; see the advice above."
    )
