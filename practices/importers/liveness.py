"""Is an import run that says "running" still going?

A run records the host and process running it, and a heartbeat each time it commits a
record. A killed process (`kill -9`, the OOM killer, a stopped container, a restarted web
worker) cannot say that it stopped, so the question is asked whenever runs are read and
when the next run starts: a run of this host whose process is gone, or a run silent for
longer than SILENT_AFTER (another host's, whose process cannot be looked at from here),
is marked interrupted. Running the import again finishes the job, as after Ctrl-C.
"""

import os
import socket
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from practices.models import ImportRun, ImportRunStatus, utcnow

# Every record commits and beats, so a live run beats every few seconds; a slow API page
# or a record that takes long to map stays well below this.
SILENT_AFTER = timedelta(minutes=10)
GONE_MESSAGE = ("Interrupted: the process running it ({where}) ended without finishing; "
                "run the import again to finish it.")


def this_host() -> str:
    return socket.gethostname()[:255]


def claim(run: ImportRun) -> None:
    """This process runs `run` from now on (the caller commits)."""
    run.host, run.pid, run.heartbeat_at = this_host(), os.getpid(), utcnow()


def beat(run: ImportRun) -> None:
    run.heartbeat_at = utcnow()


def is_gone(run: ImportRun, *, now: datetime | None = None) -> bool:
    """Is `run` marked running while nothing runs it any more?"""
    if run.status != ImportRunStatus.RUNNING:
        return False
    if run.host == this_host() and run.pid is not None and not process_exists(run.pid):
        return True
    last = run.heartbeat_at or run.started_at
    if last.tzinfo is None:
        last = last.replace(tzinfo=UTC)
    # Silent for long: another host's process (or a reused process id here) is not it.
    return (now or utcnow()) - last > SILENT_AFTER


def process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    return not _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    """A killed process nobody has reaped yet is still listed (state Z), but runs nothing."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def settle(session: Session, runs: Iterable[ImportRun]) -> list[ImportRun]:
    """Mark the runs whose process is gone as interrupted (and commit); returns them."""
    gone = [run for run in runs if is_gone(run)]
    for run in gone:
        where = f"process {run.pid} on {run.host}" if run.pid else "its process"
        run.status = ImportRunStatus.INTERRUPTED
        run.message = GONE_MESSAGE.format(where=where)
        run.finished_at = run.heartbeat_at or run.started_at
        session.add(run)
    if gone:
        session.commit()
    return gone


def settle_all(session: Session) -> list[ImportRun]:
    """Every run still marked running, checked (a new run does this first)."""
    running = session.exec(select(ImportRun).where(
        ImportRun.status == ImportRunStatus.RUNNING)).all()
    return settle(session, running)
