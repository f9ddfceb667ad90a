"""Import benchmark: N synthetic WOCAT records, end to end, on SQLite and PostgreSQL.

    .venv/bin/python bench/import_bench.py                      # N = 100 and 400, SQLite
    .venv/bin/python bench/import_bench.py --records 100 400 1600 \\
        --postgres postgresql://postgres@127.0.0.1:5432/bench_imports   # its schema is dropped!

For each database, record format (the new WOCAT database API record, and the QCAT v2
detail tree) and N, a fresh process writes N synthetic records of about `--size` bytes
each (default 100 kB: long descriptions) to a JSON-lines file, one at a time, and then
imports that file exactly as `practice-wiki import wocat FILE` does: streamed reading,
mapping, cleaning (ftfy, HTML, contacts), one commit per record with its search-index
update. It reports records/s and the process's peak memory (ru_maxrss) before and after the
import: with streaming, the growth must stay flat as N grows. Prints one table.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "benchmark-secret-key-that-is-long-enough-for-checks")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_records(path: Path, kind: str, count: int, size: int) -> int:
    from tests.practices.importers.synthetic import database_record, v2_detail

    written = 0
    with path.open("w", encoding="utf-8") as out:
        for number in range(1, count + 1):
            record = database_record(number, size=size) if kind == "api" else \
                v2_detail(number, size=size)
            line = json.dumps(record, ensure_ascii=False)
            written += len(line.encode("utf-8"))
            out.write(line + "\n")
    return written


def child(url: str, kind: str, count: int, size: int, alongside: bool = True) -> dict:
    """One measured import in this (fresh) process."""
    from sqlalchemy import func, text
    from sqlmodel import Session, select

    from practices import database
    from practices.importers import sources, sync
    from practices.models import Sheet

    work = Path(tempfile.mkdtemp(prefix="import-bench-"))
    if url == "sqlite":
        url = f"sqlite:///{work / 'bench.db'}"
    else:
        engine = database.make_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    database.upgrade(url)
    dump = work / "records.jsonl"
    size_on_disk = write_records(dump, kind, count, size)

    from wiki import create_app
    from wiki.import_cli import indexing_alongside

    app = create_app({"DATABASE_URL": url, "SEARCH_INDEX_DIR": str(work / "index"),
                      "UPLOAD_DIR": str(work / "uploads")}, instance_path=str(work / "instance"))
    engine = app.extensions["engine"]
    with app.app_context(), Session(engine, expire_on_commit=False) as session:
        app.extensions["search"].apply_changes()  # the (empty) index exists before we start
        before = peak_mb()
        start = time.perf_counter()
        # As `practice-wiki import wocat FILE` does it (wiki.import_cli.import_wocat).
        with indexing_alongside(app, alongside) as indexing:
            source = sources.open_source(str(dump))
            report = sync.run_import(session, source.items, kind="wocat", source=dump.name,
                                     author=sync.importer_account(session),
                                     index_alongside=indexing)
        seconds = time.perf_counter() - start
        sheets = session.exec(select(func.count()).select_from(Sheet)).one()
    indexed = _indexed(work / "index")
    engine.dispose()
    return {"created": report.counts["created"], "rejected": report.counts["rejected"],
            "sheets": sheets, "indexed": indexed, "seconds": seconds,
            "record_kb": size_on_disk / count / 1024, "rss_before": before,
            "rss_peak": peak_mb()}


def _indexed(folder: Path) -> int:
    """Documents in the live search index (the import updated it record by record)."""
    from search.store import IndexStore

    store = IndexStore(str(folder))
    name = store.current_name()
    if name is None:
        return 0
    index = store.open(name)
    try:
        return index.doc_count()
    finally:
        index.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, nargs="+", default=[100, 400])
    parser.add_argument("--size", type=int, default=100_000, help="bytes per record")
    parser.add_argument("--formats", nargs="+", default=["api", "v2"], choices=["api", "v2"])
    parser.add_argument("--postgres", default=os.environ.get("BENCH_DATABASE_URL"),
                        help="a PostgreSQL database to use (its public schema is dropped)")
    parser.add_argument("--index-inline", action="store_true",
                        help="index in batches in the importing process (no second process)")
    parser.add_argument("--child", nargs=3, metavar=("URL", "FORMAT", "N"),
                        help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        url, kind, count = options.child
        print(json.dumps(child(url, kind, int(count), options.size, not options.index_inline)))
        return
    databases = ["sqlite"] + ([options.postgres] if options.postgres else [])
    print(f"{'database':10} {'format':6} {'N':>6} {'kB/rec':>7} {'seconds':>8} {'rec/s':>7} "
          f"{'MB before':>9} {'MB peak':>8} {'growth':>7}  check")
    for url in databases:
        for kind in options.formats:
            for count in options.records:
                done = subprocess.run(
                    [sys.executable, __file__, "--child", url, kind, str(count),
                     "--size", str(options.size)] + ["--index-inline"] * options.index_inline,
                    capture_output=True, text=True, check=True)
                result = json.loads(done.stdout.strip().splitlines()[-1])
                # The index also holds one document of its own state.
                ok = result["created"] == result["sheets"] == result["indexed"] - 1 == count
                print(f"{'sqlite' if url == 'sqlite' else 'postgresql':10} {kind:6} {count:6} "
                      f"{result['record_kb']:7.0f} {result['seconds']:8.1f} "
                      f"{count / result['seconds']:7.1f} {result['rss_before']:9.0f} "
                      f"{result['rss_peak']:8.0f} "
                      f"{result['rss_peak'] - result['rss_before']:7.0f}  "
                      f"{'ok' if ok else 'MISSING: ' + json.dumps(result)}", flush=True)


if __name__ == "__main__":
    main()
