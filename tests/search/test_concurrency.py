"""Four processes saving sheets at once: every save succeeds and none is lost to the index."""

import logging
import multiprocessing
import random

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session

from practices import sheets
from practices.models import Sheet
from search import indexer

WRITERS = 4
SAVES = 15


class _Count(logging.Handler):
    def __init__(self):
        super().__init__(logging.INFO)
        self.busy = self.errors = 0

    def emit(self, record):
        if record.levelno >= logging.ERROR:
            self.errors += 1
        elif "busy" in record.getMessage():
            self.busy += 1


def _writer(url: str, index_dir: str, sheet_ids: list[int], seed: int, results) -> None:
    """One worker process: its own app, engine and index handle, like a gunicorn worker."""
    from wiki import create_app

    counter = _Count()
    logging.getLogger("search").addHandler(counter)
    logging.getLogger("search").setLevel(logging.INFO)
    app = create_app({"DATABASE_URL": url, "SEARCH_INDEX_DIR": index_dir, "TESTING": True})
    engine = app.extensions["engine"]
    rng = random.Random(seed)
    saved = 0
    for number in range(SAVES):
        sheet_id = rng.choice(sheet_ids)
        for attempt in range(50):
            with Session(engine, expire_on_commit=False) as session:
                sheet = session.get(Sheet, sheet_id)
                content = sheets.Content.checked(
                    title=sheet.title, body=f"saved by writer{seed} round{number} try{attempt}")
                try:
                    sheets.revise(session, sheet, content, author=None,
                                  base_revision_id=sheet.current_revision_id)
                    session.commit()  # the index catches up here, in this process
                    saved += 1
                    break
                except (sheets.StaleRevision, IntegrityError, OperationalError):
                    session.rollback()  # someone saved this sheet in between: edit again
    engine.dispose()
    results.put((seed, saved, counter.busy, counter.errors))


def test_concurrent_writers_lose_no_edit(app, make_sheet, search_service, find, session):
    ids = [make_sheet(f"Shared practice {n}", body="start").id for n in range(6)]
    assert find(q="start").total == 6  # the index exists before the writers start
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    workers = [context.Process(target=_writer, args=(
        app.config["DATABASE_URL"], app.config["SEARCH_INDEX_DIR"], ids, seed, results))
        for seed in range(WRITERS)]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=240) for _worker in workers]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    results.close()
    results.join_thread()
    assert sum(saved for _seed, saved, _busy, _errors in outcomes) == WRITERS * SAVES
    assert all(errors == 0 for *_rest, errors in outcomes), outcomes
    # Without any further catch-up, the index holds every sheet at its latest revision.
    ix = search_service._open()
    session.expire_all()
    assert indexer.indexed_fingerprints(ix) == indexer.database_fingerprints(session)
    for sheet_id in ids:
        sheet = session.get(Sheet, sheet_id)
        body = sheets.current_revision(session, sheet).body
        writer, round_ = body.split()[2:4]
        assert sheet_id in {hit.sheet_id for hit in find(q=f"{writer} {round_}").hits}
