"""The whole wiki in one file and back: `practice-wiki backup PATH` / `restore PATH`.

A backup is a zip holding `metadata.json` (format, schema revision, row counts),
`tables/<table>.jsonl` (every row of every table, one JSON object per line, tables in the
order their foreign keys need) and `files/` (uploaded files that live outside the database:
ones not yet moved into the store, and a filesystem store's blobs). Rows are written and
read a batch at a time, so a large wiki never sits whole in memory. The format does not
depend on the database: a SQLite backup restores into PostgreSQL and back.
"""

import base64
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import (
    Date,
    DateTime,
    Engine,
    LargeBinary,
    Numeric,
    Table,
    func,
    inspect,
    select,
    text,
    update,
)
from sqlmodel import Session, SQLModel

import practices.models  # noqa: F401  (registers every table in the metadata)
from practices import database
from practices.upload_store import DatabaseStore, FilesystemStore, UploadStore, read_chunks

FORMAT = "practice-wiki-backup"
FORMAT_VERSION = 1
BATCH = 500
Progress = Callable[[int], None]


class BackupError(Exception):
    """The backup cannot be restored here; the message says why and what to do."""


@dataclass
class BackupReport:
    rows: dict[str, int]
    files: int

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def tables() -> list[Table]:
    return list(SQLModel.metadata.sorted_tables)


def count_rows(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in tables()
        }


# Alembic (with Mako and Pygments, ~10 MB) is loaded by backups and restores, not by every
# web worker that registers the CLI's commands.


def schema_revision(engine: Engine) -> list[str]:
    from alembic.migration import MigrationContext

    with engine.connect() as connection:
        return sorted(MigrationContext.configure(connection).get_current_heads())


def code_revision() -> list[str]:
    from alembic.script import ScriptDirectory

    return sorted(ScriptDirectory.from_config(database.alembic_config("sqlite://")).get_heads())


# Writing -------------------------------------------------------------------------------


def backup(
    engine: Engine,
    upload_dir: str,
    path: str,
    *,
    store: UploadStore | None = None,
    progress: Progress = lambda n: None,
) -> BackupReport:
    rows = count_rows(engine)
    files = 0
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for table in tables():
            with archive.open(f"tables/{table.name}.jsonl", "w", force_zip64=True) as out:
                for batch in _batches(engine, table):
                    out.write(
                        "".join(
                            json.dumps(_encode_row(row), ensure_ascii=False) + "\n" for row in batch
                        ).encode()
                    )
                    progress(len(batch))
        for name, source in _legacy_files(engine, upload_dir):
            archive.write(source, f"files/legacy/{name}")
            files += 1
        for sha256, chunks in _blobs_outside_the_database(engine, upload_dir, store):
            with archive.open(f"files/blobs/{sha256}", "w", force_zip64=True) as out:
                for data in chunks:
                    out.write(data)
            files += 1
        archive.writestr(
            "metadata.json",
            json.dumps(
                {
                    "format": FORMAT,
                    "version": FORMAT_VERSION,
                    "schema_revision": schema_revision(engine),
                    "dialect": engine.dialect.name,
                    "created_at": datetime.now(UTC).isoformat(),
                    "rows": rows,
                    "files": files,
                },
                indent=2,
            ),
        )
    return BackupReport(rows, files)


def _batches(engine: Engine, table: Table) -> Iterator[list[dict]]:
    order = list(table.primary_key.columns)
    with engine.connect() as connection:
        result = connection.execution_options(yield_per=BATCH).execute(
            select(table).order_by(*order)
        )
        for partition in result.mappings().partitions(BATCH):
            yield [dict(row) for row in partition]


def _encode_row(row: dict) -> dict:
    return {key: _encode(value) for key, value in row.items()}


def _encode(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _legacy_files(engine: Engine, upload_dir: str) -> Iterator[tuple[str, Path]]:
    """Files of uploads made before the store, still in UPLOAD_DIR under their own name."""
    with engine.connect() as connection:
        names = connection.execute(text("SELECT stored_name FROM uploads")).scalars().all()
    for name in names:
        if (Path(upload_dir) / name).is_file():
            yield name, Path(upload_dir) / name


def _blobs_outside_the_database(
    engine: Engine, upload_dir: str, store: UploadStore | None
) -> Iterator[tuple[str, Iterator[bytes]]]:
    """The bytes a filesystem or S3 store keeps (a database store's are table rows)."""
    with engine.connect() as connection:
        wanted = (
            connection.execute(
                text(
                    "SELECT DISTINCT sha256 FROM uploads WHERE sha256 IS NOT NULL "
                    "AND sha256 NOT IN "
                    "(SELECT sha256 FROM upload_blobs)"
                )
            )
            .scalars()
            .all()
        )
    stores = [FilesystemStore(upload_dir)]
    if store is not None and not isinstance(store, DatabaseStore | FilesystemStore):
        stores.insert(0, store)
    with Session(engine) as session:
        for sha256 in sorted(wanted):
            keeper = next((each for each in stores if each.has(session, sha256)), None)
            if keeper is not None:
                yield sha256, keeper.chunks(engine, sha256)


# Reading -------------------------------------------------------------------------------


def read_metadata(path: str) -> dict:
    try:
        with zipfile.ZipFile(path) as archive:
            metadata = json.loads(archive.read("metadata.json"))
    except (OSError, zipfile.BadZipFile, KeyError, ValueError):
        raise BackupError(f"{path} is not a practice-wiki backup.") from None
    if metadata.get("format") != FORMAT:
        raise BackupError(f"{path} is not a practice-wiki backup.")
    if metadata.get("version") != FORMAT_VERSION:
        raise BackupError(
            f"{path} is a backup of format {metadata.get('version')}; this "
            f"practice-wiki reads format {FORMAT_VERSION}."
        )
    return metadata


def check_schema(metadata: dict) -> None:
    """A backup restores only into the schema it was taken from."""
    theirs, ours = metadata.get("schema_revision") or [], code_revision()
    if theirs == ours:
        return
    known = _known_revisions()
    if all(revision in known for revision in theirs):
        raise BackupError(
            f"This backup has an older schema ({', '.join(theirs) or 'none'}) than this "
            f"practice-wiki ({', '.join(ours)}). Restore it with the practice-wiki version "
            "that made it, run `practice-wiki db upgrade`, then take a new backup."
        )
    raise BackupError(
        f"This backup comes from a newer practice-wiki (schema {', '.join(theirs)}; this one "
        f"knows {', '.join(ours)}). Upgrade practice-wiki, then restore."
    )


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(database.alembic_config("sqlite://"))
    return {revision.revision for revision in script.walk_revisions()}


def is_empty(engine: Engine) -> bool:
    return not any(count_rows(engine).values())


def restore(
    engine: Engine,
    upload_dir: str,
    path: str,
    *,
    force: bool = False,
    store: UploadStore | None = None,
    progress: Progress = lambda n: None,
) -> BackupReport:
    """Replace an empty (or, with force, any) migrated database by the backup's contents."""
    metadata = read_metadata(path)
    check_schema(metadata)
    if schema_revision(engine) != code_revision():
        raise BackupError(
            "The database's schema is not current: run `practice-wiki db upgrade` first."
        )
    if not force and not is_empty(engine):
        raise BackupError(
            "The database is not empty; restore replaces everything in it only with --force."
        )
    with zipfile.ZipFile(path) as archive, engine.begin() as connection:
        _empty(connection)
        for table in tables():
            _load_table(connection, table, archive, progress)
        if connection.dialect.name == "postgresql":
            _reset_sequences(connection)
    files = _restore_files(engine, path, upload_dir, store or FilesystemStore(upload_dir))
    return BackupReport(metadata["rows"], files)


def _empty(connection) -> None:
    names = [table.name for table in reversed(tables())]
    if connection.dialect.name == "postgresql":
        connection.execute(text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))
    else:
        for name in names:
            connection.execute(text(f"DELETE FROM {name}"))


def _load_table(connection, table: Table, archive: zipfile.ZipFile, progress: Progress) -> None:
    """Insert a batch at a time; columns pointing at the same table (a merged organisation,
    a translated sheet) are set afterwards, when every row they may point at exists."""
    member = f"tables/{table.name}.jsonl"
    if member not in archive.namelist():
        return
    decoders = {column.name: _decoder(column) for column in table.columns}
    self_refs = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
    later: list[dict] = []
    batch: list[dict] = []
    with archive.open(member) as lines:
        for line in lines:
            row = {
                key: decoders[key](value)
                for key, value in json.loads(line).items()
                if key in decoders
            }
            if any(row.get(name) is not None for name in self_refs):
                later.append({name: row[name] for name in (*_pk_names(table), *self_refs)})
                row.update(dict.fromkeys(self_refs))
            batch.append(row)
            if len(batch) >= BATCH:
                connection.execute(table.insert(), batch)
                progress(len(batch))
                batch = []
    if batch:
        connection.execute(table.insert(), batch)
        progress(len(batch))
    for values in later:
        keys = {name: values.pop(name) for name in _pk_names(table)}
        connection.execute(
            update(table)
            .where(*(table.c[name] == value for name, value in keys.items()))
            .values(**values)
        )


def _pk_names(table: Table) -> list[str]:
    return [column.name for column in table.primary_key.columns]


def _decoder(column):
    kind = getattr(column.type, "impl", column.type)  # a TypeDecorator (UTCDateTime) wraps one
    if isinstance(kind, DateTime):
        return lambda value: None if value is None else datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return lambda value: None if value is None else date.fromisoformat(value)
    if isinstance(kind, LargeBinary):
        return lambda value: None if value is None else base64.b64decode(value)
    if isinstance(kind, Numeric) and getattr(kind, "asdecimal", False):
        return lambda value: None if value is None else Decimal(value)
    return _same


def _same(value):
    return value


def _reset_sequences(connection) -> None:
    """The next id after a restore follows the restored ones, not 1."""
    inspector = inspect(connection)
    for table in tables():
        columns = {column["name"] for column in inspector.get_columns(table.name)}
        if "id" not in columns:
            continue
        sequence = connection.execute(
            text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name}
        ).scalar()
        if sequence:
            connection.execute(
                text(
                    f"SELECT setval(:s, COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                ),
                {"s": sequence},
            )


def _restore_files(engine: Engine, path: str, upload_dir: str, store: UploadStore) -> int:
    """Files of old uploads back into UPLOAD_DIR; blobs into this wiki's store."""
    count = 0
    with zipfile.ZipFile(path) as archive, Session(engine) as session:
        for member in archive.namelist():
            kind, _, name = member.removeprefix("files/").partition("/")
            if not member.startswith("files/") or not name or "/" in name or name.startswith("."):
                continue  # never write outside the upload folder
            with archive.open(member) as source:
                if kind == "legacy":
                    Path(upload_dir).mkdir(parents=True, exist_ok=True)
                    with (Path(upload_dir) / name).open("wb") as out:
                        for data in read_chunks(source):
                            out.write(data)
                elif kind == "blobs":
                    store.put(session, name, read_chunks(source))
                    session.commit()
            count += 1
    return count
