"""`practice-wiki uploads migrate`, `backup PATH` and `restore PATH` (issue 12).

Backups and restores load practices.backup when they run, not when the app registers the
commands: a web worker builds the same app and never backs up (issue 12: RSS per worker)."""

import sys
from contextlib import contextmanager

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import Session

from practices import database, upload_store, uploads


def _engine():
    return current_app.extensions["engine"]


@click.group("uploads", help="Uploaded files and where they are kept.")
def uploads_group():
    pass


@uploads_group.command(
    "migrate",
    help="Move the files in UPLOAD_DIR into the upload store (UPLOAD_STORE). Safe to run again.",
)
@click.option("--remove", is_flag=True, help="Delete each file from UPLOAD_DIR once stored.")
@with_appcontext
def uploads_migrate(remove: bool):
    config = current_app.config
    store = upload_store.for_config(config)
    with Session(_engine(), expire_on_commit=False) as session:
        report = uploads.migrate_folder(session, store, config["UPLOAD_DIR"], remove=remove)
    click.echo(
        f"Moved {report.moved} files into the {config['UPLOAD_STORE']} store "
        f"({report.deduplicated} were already there under another name); "
        f"{report.already} uploads were stored before; {len(report.missing)} missing."
    )
    for name in report.missing:
        click.echo(f"missing from {config['UPLOAD_DIR']}: {name}", err=True)


@contextmanager
def _progress(label: str, total: int):
    """A rich progress bar on a terminal; a line per 10,000 rows in logs."""
    if sys.stderr.isatty():
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), transient=True) as bar:
            task = bar.add_task(label, total=total)
            yield lambda n: bar.advance(task, n)
        return
    done = [0]

    def log(n: int) -> None:
        done[0] += n
        if done[0] // 10000 != (done[0] - n) // 10000:
            click.echo(f"{label}: {done[0]} of {total} rows")

    yield log


@click.command(
    "backup",
    help="Write the whole wiki (every table, uploaded files, accounts, history) into one file.",
)
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def backup_command(path: str):
    from practices import backup as backups  # on first use (issue 12)

    total = sum(backups.count_rows(_engine()).values())
    with _progress("Backing up", total) as progress:
        report = backups.backup(
            _engine(),
            current_app.config["UPLOAD_DIR"],
            path,
            store=upload_store.for_config(current_app.config),
            progress=progress,
        )
    click.echo(
        f"Backed up {report.total_rows} rows in {len(report.rows)} tables and "
        f"{report.files} files to {path}."
    )


@click.command(
    "restore",
    help="Restore a backup into an empty database (or, with --force, replace everything in it).",
)
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--force", is_flag=True, help="Replace the contents of a non-empty database.")
@with_appcontext
def restore_command(path: str, force: bool):
    from practices import backup as backups  # on first use (issue 12)

    engine = _engine()
    try:
        metadata = backups.read_metadata(path)
        backups.check_schema(metadata)
        database.upgrade(current_app.config["DATABASE_URL"])  # a new database gets its tables
        with _progress("Restoring", sum(metadata["rows"].values())) as progress:
            report = backups.restore(
                engine,
                current_app.config["UPLOAD_DIR"],
                path,
                force=force,
                store=upload_store.for_config(current_app.config),
                progress=progress,
            )
    except backups.BackupError as refused:
        raise click.ClickException(str(refused)) from None
    click.echo(
        f"Restored {report.total_rows} rows and {report.files} files from {path}. "
        "Run `practice-wiki search rebuild` on every node to index them."
    )


COMMANDS = (uploads_group, backup_command, restore_command)
