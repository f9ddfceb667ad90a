"""`practice-wiki import wocat|table|json|runs|show|undo` and `practice-wiki export json|csv`.

A progress bar on a terminal (rich), one plain line per record otherwise (logs, cron), and a
summary at the end. The exit status tells a script how it went (EXIT_STATUS below): 0 when
no record was rejected, 1 when some were, 2 when the source could not be read at all.

The commands load the importers and exporters when they run, not when the app registers
them: a web worker builds the same app and never imports (issue 12: RSS per worker).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import Session

from practices.importers import OUTCOMES
from practices.models import ImportRun, ImportRunStatus
from wiki.imports import execute, kind_of

if TYPE_CHECKING:
    from practices.importers import sources, sync, wocat_photos

EXIT_STATUS = ("Exit status: 0 when no record was rejected, 1 when some records were "
               "rejected (see the report), 2 when the source could not be read at all.")
EXIT_REJECTED = 1


class SourceUnreadable(click.ClickException):
    """The source could not be read at all (missing, unreadable, refused by the API)."""

    exit_code = 2


def _session() -> Session:
    return Session(current_app.extensions["engine"], expire_on_commit=False)


class ConsoleProgress:
    """rich's progress bar on a terminal; plain lines otherwise."""

    def __init__(self, source: sources.Source | None = None, *, verbose: bool = False):
        self.source = source  # its total can become known once reading starts (APIs)
        total = source.total if source else None
        self.tty = sys.stderr.isatty()
        self.verbose = verbose
        self.bar = None
        if self.tty:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self.bar = Progress(TextColumn("{task.description}"), BarColumn(),
                                MofNCompleteColumn(), TextColumn("{task.fields[last]}"),
                                transient=True)
            self.task = self.bar.add_task("importing", total=total, last="")

    def __enter__(self):
        if self.bar:
            self.bar.start()
        return self

    def __exit__(self, *_exc):
        if self.bar:
            self.bar.stop()

    def __call__(self, report: sync.Report, result: sync.Result, total: int | None) -> None:
        line = f"{result.outcome:9} {result.key}  {result.title[:60]}"
        if result.reason and result.outcome in ("rejected", "conflict"):
            line += "  — " + result.reason.replace("\n", "; ")
        if self.bar:
            total = self.source.total if self.source else total
            self.bar.update(self.task, completed=report.done, total=total,
                            last=result.title[:40])
            if result.outcome in ("rejected", "conflict") or self.verbose:
                self.bar.console.print(line, markup=False, highlight=False)
        else:
            click.echo(line)


@contextmanager
def indexing_alongside(app, enabled: bool = True) -> Iterator[bool]:
    """A second process keeps the search index caught up while this one imports, so that
    two cores share the work (indexing a long sheet costs about as much as importing it).

    Yields whether it runs (pass that to `sync.run_import(index_alongside=...)`); after the
    block it applies what is left and stops. The process is spawned, not forked: it shares
    no database connection with this one, and it dies with this one (search.follower).
    For a dry run the import brings the index up to date itself, in batches.
    """
    service = app.extensions.get("search")
    if not enabled or service is None:
        yield False
        return
    service.apply_changes()  # a new wiki gets its (empty) index first
    url = app.extensions["engine"].url.render_as_string(hide_password=False)
    context = multiprocessing.get_context("spawn")
    stop, ready = context.Event(), context.Event()
    from search import follower  # on first use (issue 12)

    worker = context.Process(target=follower.follow_changes, name="import-indexer",
                             daemon=True, args=(app.config["SEARCH_INDEX_DIR"], url, stop,
                                                os.getpid(), ready))
    worker.start()
    try:
        yield True
    finally:
        stop.set()
        if not ready.is_set():  # still starting (a short import): this process does it all
            worker.terminate()
        worker.join()
        service.apply_changes()  # anything the worker left (it was busy or interrupted)


def _summary(report: sync.Report, dry_run: bool) -> None:
    counts = ", ".join(f"{count} {outcome}" for outcome, count in report.counts.items())
    prefix = "Dry run (nothing written): " if dry_run else ""
    click.echo(f"{prefix}{counts}.")
    if report.run_id:
        click.echo(f"Run {report.run_id}: practice-wiki import show {report.run_id}"
                   f"  (undo: practice-wiki import undo {report.run_id})")
    if report.status == ImportRunStatus.FAILED:
        raise SourceUnreadable(report.error)
    if report.counts.get("rejected"):
        raise click.exceptions.Exit(EXIT_REJECTED)


@click.group("import", help="Import practice sheets: WOCAT records, spreadsheets, JSON exports.")
def import_group():
    pass


@import_group.command("wocat", help="Import or sync WOCAT SLM Technologies from SOURCE: a JSON "
                      "file (one record, a list, a v2 list page with its details beside it, "
                      "JSON lines), a folder of such files, or an API URL (QCAT v2 or the "
                      "WOCAT database API) with --token.", epilog=EXIT_STATUS)
@click.argument("source")
@click.option("--token", envvar="WOCAT_TOKEN", help="API token (or set WOCAT_TOKEN).")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]),
              help="Only records the source updated on or after this date (YYYY-MM-DD).")
@click.option("--dry-run", is_flag=True, help="Report what would happen; write nothing.")
@click.option("--force", is_flag=True,
              help="Compare every record even when the source says it did not change.")
@click.option("--verbose", is_flag=True, help="List every record, also on a terminal.")
@with_appcontext
def import_wocat(source: str, token: str | None, since: datetime | None, dry_run: bool,
                 force: bool, verbose: bool):
    from practices.importers import sources, sync  # on first use (issue 12)

    try:
        opened = sources.open_source(source, token=token)
    except sources.SourceError as problem:
        raise SourceUnreadable(str(problem)) from None
    since = since.replace(tzinfo=UTC) if since else None
    with _session() as session, ConsoleProgress(opened, verbose=verbose) as progress, \
            indexing_alongside(current_app, not dry_run) as alongside:
        try:
            report = sync.run_import(
                session, opened.items, kind="wocat", source=opened.description,
                author=sync.importer_account(session, "wocat", create=not dry_run),
                dry_run=dry_run, since=since, force=force, total=opened.total,
                progress=progress, index_alongside=alongside,
                photo_fetcher=_photo_fetcher(opened))
        finally:
            opened.close()
    _summary(report, dry_run)


def _photo_fetcher(opened: sources.Source) -> wocat_photos.PhotoFetcher | None:
    """Records read from an API bring their photos from its server (issue 16)."""
    if opened.http is None:
        return None
    from practices.importers import wocat_photos  # on first use (issue 12)
    from wiki.uploads import configured_store

    return wocat_photos.PhotoFetcher(opened.http, configured_store())


@import_group.command("table", help="Import a spreadsheet (.csv or .xlsx), one sheet per row; "
                      "the columns are described in README.md and in /imports/template.xlsx.",
                      epilog=EXIT_STATUS)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Report what would happen; write nothing.")
@with_appcontext
def import_table(file: Path, dry_run: bool):
    _import_file("table", file, dry_run)


@import_group.command("json", help="Import a practice-wiki JSON export (sheets and history).",
                      epilog=EXIT_STATUS)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Report what would happen; write nothing.")
@with_appcontext
def import_json(file: Path, dry_run: bool):
    if kind_of(file) != "json":
        raise SourceUnreadable(f"{file} is not a practice-wiki JSON export.")
    _import_file("json", file, dry_run)


def _import_file(kind: str, file: Path, dry_run: bool) -> None:
    from practices.importers import native  # on first use (issue 12)

    with _session() as session, ConsoleProgress() as progress, \
            indexing_alongside(current_app, not dry_run and kind == "table") as alongside:
        try:
            report = execute(session, kind, file, user=None, dry_run=dry_run,
                             progress=progress, index_alongside=alongside)
        except (native.NotAnExport, ValueError, UnicodeDecodeError) as unreadable:
            raise SourceUnreadable(f"{file} cannot be read: {unreadable}") from None
    _summary(report, dry_run)


@import_group.command("runs", help="List the latest import runs.")
@click.option("--limit", default=20, show_default=True)
@with_appcontext
def list_runs(limit: int):
    from practices.importers import review  # on first use (issue 12)

    with _session() as session:
        for run in review.runs(session, limit):
            counts = ", ".join(f"{n} {outcome}" for outcome, n in run.counts.items() if n)
            click.echo(f"{run.id:5}  {run.started_at:%Y-%m-%d %H:%M}  {run.kind:6} "
                       f"{run.status:11} {run.source[:50]}  {counts}")


@import_group.command("show", help="What one run did, record by record.")
@click.argument("run_id", type=int)
@click.option("--outcome", type=click.Choice(OUTCOMES))
@with_appcontext
def show_run(run_id: int, outcome: str | None):
    from practices.importers import liveness, review  # on first use (issue 12)

    with _session() as session:
        run = session.get(ImportRun, run_id)
        if run is None:
            raise click.ClickException(f"No import run {run_id}.")
        liveness.settle(session, [run])
        click.echo(f"Run {run.id} ({run.kind}, {run.status}) from {run.source}")
        if run.message:
            click.echo(run.message)
        for record in review.records_of(session, run, outcome, limit=100_000):
            reason = f"  — {record.reason}".replace("\n", "; ") if record.reason else ""
            click.echo(f"{record.outcome:9} {record.key}  {record.title[:60]}{reason}")
            for note in record.notes:
                click.echo(f"          note: {note}")


@import_group.command("undo", help="Undo a run: soft-delete the sheets it created, revert "
                      "its updates, withdraw its pending versions.")
@click.argument("run_id", type=int)
@with_appcontext
def undo_run(run_id: int):
    from practices.importers import review  # on first use (issue 12)

    with _session() as session:
        run = session.get(ImportRun, run_id)
        if run is None:
            raise click.ClickException(f"No import run {run_id}.")
        try:
            done = review.undo(session, run, by=None)
        except review.ReviewError as refused:
            raise click.ClickException(str(refused)) from None
    click.echo(f"Run {run_id} undone: {done.deleted} sheets deleted, {done.reverted} updates "
               f"reverted, {done.withdrawn} pending versions withdrawn.")
    for kept in done.kept:
        click.echo(f"Left alone: {kept}")


@click.command("export", help="Export the wiki: json (every sheet, every revision, provenance) "
               "or csv (current sheets in the spreadsheet import format). PATH - is stdout.")
@click.argument("format", type=click.Choice(["json", "csv"]))
@click.argument("path")
@with_appcontext
def export_command(format: str, path: str):
    from practices import exporters  # on first use (issue 12)

    writer = exporters.write_json if format == "json" else exporters.write_csv
    with _session() as session:
        if path == "-":
            count = writer(session, sys.stdout)
        else:
            with open(path, "w", encoding="utf-8", newline="") as out:
                count = writer(session, out)
    click.echo(f"Exported {count} sheets.", err=True)


COMMANDS = (import_group, export_command)
