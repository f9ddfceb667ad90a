"""Engines and schema migrations, usable from the web app, the CLI and tests alike."""

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text

MIGRATIONS = Path(__file__).parent / "migrations"


def make_engine(url: str, **options) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        _ensure_sqlite_folder(url)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                               **options)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, **options)


def normalise_url(url: str) -> str:
    """postgresql:// and postgres:// mean psycopg 3 (the driver we install)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _ensure_sqlite_folder(url: str) -> None:
    path = url.split(":///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets readers work while a writer commits; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


# Alembic (10 MB) is imported by the commands that migrate, not by every web worker.
def alembic_config(url: str):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "heads") -> None:
    from alembic import command

    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(url), revision)


@dataclass(frozen=True)
class MigrationState:
    current: frozenset[str]  # the revisions the database is at (empty: never migrated)
    expected: frozenset[str]  # the newest revisions this code knows

    @property
    def up_to_date(self) -> bool:
        return self.current == self.expected


@cache
def expected_heads() -> frozenset[str]:
    """The revisions no other migration builds on, read from the migration files' own
    `revision` / `down_revision` assignments (as Alembic does, without importing it)."""
    revisions, parents = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        values = {}
        for node in ast.parse(path.read_text("utf-8")).body:
            target = getattr(node, "target", None) or (getattr(node, "targets", None) or [None])[0]
            if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
                values[target.id] = ast.literal_eval(node.value)
        if values.get("revision"):
            revisions.add(values["revision"])
            down = values.get("down_revision")
            parents.update(down if isinstance(down, tuple | list) else [down] if down else [])
    return frozenset(revisions - parents)


def migration_state(engine: Engine) -> MigrationState:
    """Where the database's schema is against the code's migrations (raises if unreachable).
    Reads Alembic's own table (as `alembic current` does) without loading Alembic."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            current = ()
        else:
            current = connection.execute(text("SELECT version_num FROM alembic_version")
                                         ).scalars().all()
    return MigrationState(frozenset(current), expected_heads())
