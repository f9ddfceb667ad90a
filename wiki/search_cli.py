"""`practice-wiki search check|rebuild`: the search index from the command line."""

import os
import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from search.indexer import REBUILD_MEMORY_MB
from search.store import IndexUnavailable, RebuildRunning


def _service():
    return current_app.extensions["search"]


@click.group("search", help="The search index (rebuilt from the database at any time).")
def search_group():
    pass


@search_group.command("rebuild", help="Rebuild the index from scratch into a new directory "
                                      "and switch to it; searches keep working meanwhile.")
@click.option("--procs", type=click.IntRange(1, 16), default=min(os.cpu_count() or 1, 4),
              show_default="the number of CPUs, at most 4",
              help="Indexing processes (Whoosh's multiprocess writer).")
@click.option("--memory", "memory_mb", type=click.IntRange(64, 65536),
              default=REBUILD_MEMORY_MB, show_default=True,
              help="MB for sorting postings, shared by the processes; beyond it they spill "
                   "to disk, which is slower.")
@with_appcontext
def rebuild(procs: int, memory_mb: int):
    try:
        if sys.stdout.isatty():
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            with Progress(TextColumn("Indexing sheets"), BarColumn(), MofNCompleteColumn(),
                          TimeRemainingColumn()) as bar:
                task = bar.add_task("index", total=None)
                report = _service().rebuild(
                    progress=lambda n: bar.advance(task, n),
                    on_total=lambda total: bar.update(task, total=total), procs=procs,
                    memory_mb=memory_mb)
        else:
            done = [0]

            def log_progress(n: int) -> None:
                done[0] += n
                if done[0] % 1000 < n:
                    click.echo(f"indexed {done[0]} sheets")

            report = _service().rebuild(progress=log_progress, procs=procs,
                                        memory_mb=memory_mb)
    except RebuildRunning:
        raise click.ClickException(
            "Another rebuild is running; try again when it is done.") from None
    click.echo(f"Rebuilt the search index: {report.sheets} sheets in {report.seconds:.1f} s "
               f"({report.version}).")


@search_group.command("check", help="Compare the index with the database (sheets, revisions, "
                                    "status) and catch up whatever differs.")
@click.option("--report-only", is_flag=True, help="Only report drift; change nothing.")
@with_appcontext
def check(report_only: bool):
    try:
        report = _service().check(fix=not report_only)
    except IndexUnavailable:
        raise click.ClickException("There is no usable search index: run "
                                   "`practice-wiki search rebuild`.") from None
    click.echo(f"Database: {report.database} sheets; index: {report.index} documents.")
    if report.in_sync:
        click.echo("The index is up to date.")
    else:
        click.echo(f"Missing from the index: {report.missing}; stale: {report.stale}; "
                   f"no longer in the database: {report.extra}; change-log rows not applied: "
                   f"{report.backlog}.")
        if not report.unwritable:
            click.echo("Caught up." if report.fixed else "Nothing changed (--report-only).")
    for sheet_id, reason in report.unindexable:
        click.echo(f"Sheet {sheet_id} could not be indexed (it is, without its text): {reason}")
    if report.unwritable:
        raise click.ClickException(
            f"The search index cannot be written ({report.unwritable}): search is behind "
            "the database, and changes are not found, until it can. Free disk space or fix "
            f"the permissions of {current_app.config['SEARCH_INDEX_DIR']}, then run "
            "`practice-wiki search check` again.")
