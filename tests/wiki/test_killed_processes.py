"""`kill -9` of the real command line in the middle of an import or a rebuild: nothing it
started lives on, nothing holds the database, and running the command again finishes the
job (no duplicate, no half-written record).

The kill points are random (the seed is in every failure message); the number of kills and
every wait are bounded.
"""

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session, func, select

from practices import database, sheets
from practices.importers.liveness import process_exists
from practices.models import ImportRecord, ImportRun, Revision, Sheet, SourceLink
from tests.practices.importers.conftest import write_json
from tests.practices.importers.synthetic import database_record

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(),
                                reason="children are found through /proc (Linux)")

CLI = str(Path(sys.executable).with_name("practice-wiki"))
RECORDS = 40
SHEETS = 250
KILLS = 2
DEADLINE = 60.0  # seconds any one command may take before the test gives up on it
SEED = int(os.environ.get("KILL_SEED") or random.randrange(2**32))  # KILL_SEED=n: a run again
APPLICATION_NAME = f"killed-command-{os.getpid()}"


def test_an_import_killed_at_random_points_leaves_nothing_behind_and_a_rerun_finishes(
        app, tmp_path, database_url):
    rng = random.Random(SEED)
    records = [database_record(number) for number in range(1, RECORDS + 1)]
    source = str(write_json(tmp_path / "technologies.json", records))
    environment = _environment(app, database_url)
    for _attempt in range(KILLS):
        command = _start(["import", "wocat", source], environment)
        orphans = _kill_after_lines(command, rng.randrange(1, RECORDS // 2))
        _assert_gone(orphans)
        _assert_database_free(database_url)
    rerun = _run(["import", "wocat", source], environment)
    assert rerun.returncode == 0, f"seed {SEED}: {rerun.stdout}"

    with Session(app.extensions["engine"]) as session:
        runs = session.exec(select(ImportRun).order_by(ImportRun.id)).all()
        assert [run.status for run in runs] == ["interrupted"] * KILLS + ["finished"], SEED
        assert "ended without finishing" in runs[0].message
        keys = session.exec(select(Sheet.source_id)).all()
        assert sorted(keys) == sorted({f"wocat:technologies_{n}" for n in range(1, RECORDS + 1)})
        assert session.exec(select(func.count()).select_from(Revision)).one() == RECORDS
        assert session.exec(select(func.count()).select_from(SourceLink)).one() == RECORDS
        created = session.exec(select(func.count()).select_from(ImportRecord).where(
            ImportRecord.outcome == "created")).one()
        assert created == RECORDS  # each sheet was written, with its record, exactly once
    assert app.extensions["search"].check(fix=False).in_sync


def test_a_rebuild_killed_at_random_points_leaves_nothing_behind_and_a_rerun_rebuilds(
        app, session, make_user, database_url):
    rng = random.Random(SEED)
    author = make_user()
    for number in range(SHEETS):
        content = sheets.Content.checked(title=f"Contour bund {number}",
                                         # long enough that indexing outlasts the kill
                                         # even on an idle machine
                                         body=" ".join(f"Bund {number}-{n} slows the runoff."
                                                       for n in range(300)))
        sheets.create(session, content, author=author, status="published")
    session.commit()
    session.close()
    environment = _environment(app, database_url)
    killed_with_children = 0
    for _attempt in range(KILLS):
        command = _start(["search", "rebuild", "--procs", "2", "--memory", "64"], environment)
        _wait_for(lambda command=command: len(_descendants(command.pid)) >= 2
                  or command.poll() is not None)
        time.sleep(rng.uniform(0, 0.1))
        orphans = _kill(command)
        killed_with_children += bool(orphans)
        _assert_gone(orphans)
        _assert_database_free(database_url)
    assert killed_with_children, f"seed {SEED}: every rebuild ended before it was killed"
    rerun = _run(["search", "rebuild", "--procs", "2", "--memory", "64"], environment)
    assert rerun.returncode == 0, f"seed {SEED}: {rerun.stdout}"
    assert f"Rebuilt the search index: {SHEETS} sheets" in rerun.stdout
    assert app.extensions["search"].check(fix=False).in_sync, SEED


# The command line, killed -------------------------------------------------------------


def _environment(app, database_url: str) -> dict[str, str]:
    return dict(os.environ, DATABASE_URL=database_url, PYTHONUNBUFFERED="1",
                PGAPPNAME=APPLICATION_NAME,  # tells its connections from the tests' own
                SEARCH_INDEX_DIR=app.config["SEARCH_INDEX_DIR"],
                UPLOAD_DIR=app.config["UPLOAD_DIR"])


def _start(arguments: list[str], environment) -> subprocess.Popen:
    return subprocess.Popen([CLI, *arguments], env=environment, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def _run(arguments: list[str], environment) -> subprocess.CompletedProcess:
    return subprocess.run([CLI, *arguments], env=environment, capture_output=True, text=True,
                          timeout=DEADLINE)


def _kill_after_lines(command: subprocess.Popen, records: int) -> set[int]:
    """Let the import write `records` records (one line each), then kill -9 it; returns the
    processes it had started."""
    timer = threading.Timer(DEADLINE, command.kill)
    timer.start()
    try:
        seen = 0
        for line in command.stdout:
            seen += line.split(" ", 1)[0] in ("created", "unchanged", "updated", "rejected")
            if seen >= records:
                break
        assert seen >= records, f"seed {SEED}: the import ended after {seen} records"
        return _kill(command)
    finally:
        timer.cancel()


def _kill(command: subprocess.Popen) -> set[int]:
    children = _descendants(command.pid)
    command.send_signal(signal.SIGKILL)
    command.wait(timeout=DEADLINE)
    command.stdout.close()
    return children


def _descendants(pid: int) -> set[int]:
    """Every process below `pid`, read from /proc (PPid of each process)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry))
    found, waiting = set(), [pid]
    while waiting:
        for child in children.get(waiting.pop(), []):
            if child not in found:
                found.add(child)
                waiting.append(child)
    return found


def _wait_for(condition, timeout: float = DEADLINE) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def _assert_gone(processes: set[int]) -> None:
    # A spawned helper killed with its parent while still starting (importing its modules,
    # seconds on a busy machine) only ends once it runs its first line: hence the wait.
    still = lambda: {pid for pid in processes if process_exists(pid)}  # noqa: E731
    assert _wait_for(lambda: not still(), timeout=DEADLINE), \
        f"seed {SEED}: processes left running after kill -9 of their parent: {still()}"


def _assert_database_free(database_url: str) -> None:
    """No connection of the killed command is left (so none idle in transaction, holding
    row locks), and a write transaction starts at once."""
    engine = database.make_engine(database_url)
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "postgresql":
                ours = {"name": APPLICATION_NAME}
                left = lambda: connection.execute(text(  # noqa: E731
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND application_name = :name"), ours).scalar()
                # A backend notices its client is gone when its statement ends: seconds
                # more on a busy machine (the whole suite on 2 cores took over 10 s once).
                assert _wait_for(lambda: not left(), timeout=DEADLINE), \
                    f"seed {SEED}: the killed command's connections are still open: " + \
                    str(connection.execute(text(
                        "SELECT pid, state, wait_event_type, wait_event, left(query, 200) "
                        "FROM pg_stat_activity WHERE application_name = :name"), ours).all())
                locks = connection.execute(text(
                    "SELECT count(*) FROM pg_locks JOIN pg_stat_activity USING (pid) "
                    "WHERE application_name = :name"), ours).scalar()
                assert locks == 0, f"seed {SEED}: the killed command still holds locks"
            else:
                connection.exec_driver_sql("PRAGMA busy_timeout = 5000")
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            connection.rollback()
    finally:
        engine.dispose()
