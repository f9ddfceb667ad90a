"""An import run whose process is gone reads as interrupted, not running forever."""

import os
import subprocess
import sys
from datetime import timedelta

from practices.importers import liveness, review
from practices.models import ImportRun, ImportRunStatus, utcnow


def _ended_process() -> int:
    """The id of a process that has ended (and been reaped)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _run(session, **fields) -> ImportRun:
    run = ImportRun(kind="wocat", source="technologies.json", **fields)
    session.add(run)
    session.commit()
    return run


def test_a_run_whose_process_ended_is_listed_as_interrupted(session):
    killed = _run(session, host=liveness.this_host(), pid=_ended_process(),
                  heartbeat_at=utcnow())
    going = _run(session, host=liveness.this_host(), pid=os.getpid(), heartbeat_at=utcnow())
    review.runs(session)
    session.refresh(killed)
    session.refresh(going)
    assert killed.status == ImportRunStatus.INTERRUPTED
    assert "run the import again" in killed.message and str(killed.pid) in killed.message
    assert going.status == ImportRunStatus.RUNNING


def test_a_run_of_another_host_is_interrupted_once_it_has_been_silent_too_long(session):
    recent = _run(session, host="elsewhere", pid=1, heartbeat_at=utcnow() - timedelta(minutes=2))
    silent = _run(session, host="elsewhere", pid=1,
                  heartbeat_at=utcnow() - liveness.SILENT_AFTER - timedelta(minutes=1))
    assert [run.id for run in liveness.settle_all(session)] == [silent.id]
    assert recent.status == ImportRunStatus.RUNNING
    assert silent.status == ImportRunStatus.INTERRUPTED
