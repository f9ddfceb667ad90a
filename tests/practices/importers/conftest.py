"""Fixtures for importer tests: the shared WOCAT samples, and a one-call import helper."""

import json
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import select

from practices.importers import sources, sync
from practices.models import ChangeLogEntry, PendingRevision, Revision, Sheet

SHARED = Path(__file__).resolve().parents[4] / "shared"
SAMPLES = SHARED / "wocat" / "samples"
V2_DETAIL = "qcat-v2-detail-technologies_1724.json"
V2_LIST = "qcat-v2-list-page1.json"
DATABASE_RECORD = "wocat-db-api-technology-7810.json"


@pytest.fixture
def samples() -> Path:
    if not (SAMPLES / V2_DETAIL).exists():
        pytest.skip(f"the real WOCAT samples are not beside the repository ({SAMPLES})")
    return SAMPLES


@pytest.fixture
def run_wocat(session):
    """Import a path or URL as the CLI does; returns the report (with results kept)."""
    return wocat_runner(session)


def wocat_runner(session):
    def run(location, **options) -> sync.Report:
        source = sources.open_source(str(location), client=options.pop("client", None))
        try:
            return sync.run_import(session, source.items, kind="wocat",
                                   source=source.description,
                                   author=sync.importer_account(
                                       session, create=not options.get("dry_run")),
                                   keep_results=True,
                                   **options)
        finally:
            source.close()

    return run


def write_json(path: Path, data) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def table_counts(session) -> tuple[int, ...]:
    """How many sheets, revisions, change-log rows and pending versions there are."""
    return tuple(session.exec(select(func.count()).select_from(model)).one()
                 for model in (Sheet, Revision, ChangeLogEntry, PendingRevision))


def sheet_by_source(session, source_id: str) -> Sheet:
    session.expire_all()
    return session.exec(select(Sheet).where(Sheet.source_id == source_id)).one()


def find_question(tree: dict, group: str, key: str) -> dict:
    """A question of a v2 detail tree, to change its answer in a test."""
    stack = list(tree.values())
    while stack:
        node = stack.pop()
        children = node.get("children") if isinstance(node, dict) else None
        if isinstance(children, dict):
            if group in children and key in children[group].get("children", {}):
                return children[group]["children"][key]
            stack.extend(children.values())
    raise KeyError(f"{group}/{key}")
