"""Map benchmark (issue 14): 10,000 located sheets, 2,000 organisations and 20,000 published
measures "load in ≤ 1 s on the page".

    .venv/bin/python bench/map_bench.py                          # SQLite in a temporary folder
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_map \\
        .venv/bin/python bench/map_bench.py                      # its schema is dropped!

Fills a database in bulk (the sheets of bench/search_bench.py with one to three locations each,
short bodies; organisations with standings, colleges and places; measures with points, a
tenth of them with an area), builds the search index, starts `practice-wiki serve` (2 workers
× 4 threads) on a loopback port in 5230-5239 and measures:

- each GeoJSON layer over HTTP (`Accept-Encoding: gzip`): the first answer after a data
  change (cold: computed, then cached for the generation) and the next ones (warm), their
  gzipped and plain sizes, the number of features, and the server's CPU time for them;
- `/map` in headless Chromium (Playwright, /usr/bin/chromium): from navigation to all three
  layers drawn (the page sets `data-loaded` once every marker is in its cluster group), cold
  and warm, and the page's own HTML size;
- the place finder at a point (`/carbon?lat=…&lon=…`), which reads the located sheets.

Prints one Markdown table. Wall-clock times are noisy on a shared machine; the CPU column
is the server's (both workers') CPU time for that request, from /proc.
"""

import argparse
import gzip
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("SECRET_KEY", "benchmark-secret-key-that-is-long-enough-for-checks")

from search_bench import Corpus, load_database  # noqa: E402
from serve_bench import (  # noqa: E402
    cpu_seconds,
    free_port,
    get,
    reset_schema,
    start_server,
    workers,
)
from sqlalchemy import insert, text  # noqa: E402

from practices import database, profiles  # noqa: E402
from practices.models import (  # noqa: E402
    College,
    Measure,
    MeasureRevision,
    Organization,
    OrganizationCollege,
)
from practices.vocab import vocabulary  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
STANDINGS = [term.code for term in profiles.STANDINGS]


class LocatedCorpus(Corpus):
    """The search benchmark's sheets with short bodies and one to three places each."""

    def sheet(self, number: int) -> dict:
        record = super().sheet(number)
        record["body"] = record["body"][:600]
        places = random.Random(number)
        record["fields"]["locations"] = [
            [round(places.uniform(-170, 170), 6), round(places.uniform(-55, 70), 6)]
            for _ in range(places.randint(1, 3))
        ]
        return record


def square(lon: float, lat: float, side: float) -> list[list[float]]:
    """A closed ring around a point (an area drawn on the measure form)."""
    return [[lon, lat], [lon + side, lat], [lon + side, lat + side], [lon, lat + side],
            [lon, lat]]


def load_partners(url: str, organizations: int, measures: int) -> None:
    rng = random.Random(7)
    countries = [code for code, _label in vocabulary("countries").choices("en")][:150]
    engine = database.make_engine(url)
    with engine.begin() as connection:
        connection.execute(insert(College), [
            {"id": n, "slug": f"college-{n}", "name": f"College {n}", "description": "",
             "active": True} for n in range(1, 6)])
        org_rows, college_rows = [], []
        for n in range(1, organizations + 1):
            org_rows.append({
                "id": n, "slug": f"org-{n}", "name": f"Organisation {n}", "kind": "ngo",
                "country": rng.choice(countries), "active": True, "review_edits": False,
                "standing": rng.choice(STANDINGS), "description": "",
                "locations": [[round(rng.uniform(-170, 170), 6), round(rng.uniform(-55, 70), 6)]
                              for _ in range(rng.randint(1, 2))],
            })
            college_rows += [{"organization_id": n, "college_id": c}
                             for c in rng.sample(range(1, 6), rng.randint(0, 2))]
        connection.execute(insert(Organization), org_rows)
        if college_rows:
            connection.execute(insert(OrganizationCollege), college_rows)
        for start in range(1, measures + 1, 2000):
            rows, revisions = [], []
            for n in range(start, min(measures + 1, start + 2000)):
                lon, lat = round(rng.uniform(-170, 170), 6), round(rng.uniform(-55, 70), 6)
                row = {
                    "id": n, "organization_id": rng.randint(1, organizations),
                    "title": f"Measure {n}", "state": "published",
                    "status": rng.choice(["planned", "ongoing", "completed"]),
                    "country": rng.choice(countries), "locations": [[lon, lat]],
                    "area_ha": round(rng.uniform(1, 5000), 1), "start_year": 2020,
                    "baseline": [], "practice": [], "edition": "2019", "soc_method": "",
                    "estimate_note": "", "boundary": None,
                }
                if n % 10 == 0:
                    row["boundary"] = [square(lon, lat, 0.05)]
                rows.append(row)
                revisions.append({"measure_id": n, "number": 1, "edit_summary": "bench",
                                  "data": {"title": row["title"]}})
            connection.execute(insert(Measure), rows)
            connection.execute(insert(MeasureRevision), revisions)
    engine.dispose()


def prepare(url: str, args, index_dir: str) -> None:
    reset_schema(url)
    database.upgrade(url)
    load_database(url, LocatedCorpus(args.sheets, seed=42))
    load_partners(url, args.organizations, args.measures)
    env = {**os.environ, "DATABASE_URL": url, "SEARCH_INDEX_DIR": index_dir}
    subprocess.run([str(Path(sys.executable).parent / "practice-wiki"), "search", "rebuild"],
                   env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def server_cpu(master: int) -> float:
    """CPU seconds (user + system) used so far by the gunicorn master's children."""
    return cpu_seconds(workers(master))


def timed_get(port: int, master: int, path: str) -> dict:
    cpu = server_cpu(master)
    started = time.perf_counter()
    status, body, headers = get(port, path)
    wall = time.perf_counter() - started
    if status != 200:
        raise SystemExit(f"{path}: HTTP {status}")
    plain = gzip.decompress(body) if headers.get("Content-Encoding") == "gzip" else body
    return {"wall_ms": wall * 1000, "cpu_ms": (server_cpu(master) - cpu) * 1000,
            "gzip_kb": len(body) / 1024 if headers.get("Content-Encoding") == "gzip" else None,
            "plain_kb": len(plain) / 1024, "body": plain}


def touch_generation(url: str) -> None:
    """A data change (an audit event): the next answers are computed afresh (cold)."""
    engine = database.make_engine(url)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO audit_events (created_at, action, target_type, target_id, reason, "
            "details) VALUES (CURRENT_TIMESTAMP, 'bench.touch', 'bench', 0, '', '{}')"))
    engine.dispose()


def layer_rows(port: int, master: int, url: str) -> list[tuple]:
    rows = []
    touch_generation(url)
    for temperature in ("cold", "warm"):
        for layer in ("practices", "organizations", "measures"):
            result = timed_get(port, master, f"/api/v1/map/features?layer={layer}")
            features = len(json.loads(result["body"])["features"])
            rows.append((f"GeoJSON {layer} ({temperature})", result["wall_ms"], result["cpu_ms"],
                         result["gzip_kb"], result["plain_kb"], features))
    return rows


def browser_rows(base: str, url: str, port: int, master: int) -> list[tuple]:
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for temperature in ("cold", "warm", "warm"):
            if temperature == "cold":
                touch_generation(url)
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Performance.enable")
            cpu = server_cpu(master)
            started = time.perf_counter()
            page.goto(f"{base}/map")
            page.locator("[data-interactive-map][data-loaded]").wait_for(timeout=60_000)
            wall = (time.perf_counter() - started) * 1000
            marks = page.evaluate(
                "Object.fromEntries(performance.getEntriesByType('mark')"
                ".map(m => [m.name, Math.round(m.startTime)]))")
            metrics = {item["name"]: item["value"] for item in
                       cdp.send("Performance.getMetrics")["metrics"]} if cdp else {}
            fetched = max(value for name, value in marks.items() if name.startswith("map-fetched"))
            rows.append((f"/map drawn in Chromium ({temperature})", wall,
                         (server_cpu(master) - cpu) * 1000, None, None,
                         f"drawn {marks['map-drawn']} ms after navigation start, the last "
                         f"layer fetched at {fetched} ms; page's main-thread CPU "
                         f"{metrics.get('TaskDuration', 0) * 1000:.0f} ms, of which script "
                         f"{metrics.get('ScriptDuration', 0) * 1000:.0f} ms"))
            context.close()
        browser.close()
    page_html = timed_get(port, master, "/map")
    rows.append(("/map HTML", page_html["wall_ms"], page_html["cpu_ms"], page_html["gzip_kb"],
                 page_html["plain_kb"], ""))
    return rows


def place_rows(port: int, master: int) -> list[tuple]:
    rows = []
    for path in ("/carbon?lat=12.37&lon=-1.53", "/place?zones=1&lat=48.85&lon=2.35"):
        for _ in range(4):  # each worker loads the places' KD-tree on its first point
            timed_get(port, master, path)
        result = min((timed_get(port, master, path) for _ in range(3)),
                     key=lambda one: one["cpu_ms"])
        rows.append((f"place finder {path.split('?')[0]}", result["wall_ms"], result["cpu_ms"],
                     result["gzip_kb"], result["plain_kb"], "best of 3"))
    return rows


def number(value, digits: int = 0) -> str:
    return "" if value is None else f"{value:,.{digits}f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheets", type=int, default=10_000)
    parser.add_argument("--organizations", type=int, default=2_000)
    parser.add_argument("--measures", type=int, default=20_000)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--keep", metavar="FOLDER",
                        help="fill FOLDER once (SQLite) and reuse it on the next runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="map-bench-") as scratch:
        folder = args.keep or scratch
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{folder}/bench.db"
        index_dir = f"{folder}/index"
        if not (args.keep and Path(folder, "index").exists()):
            Path(folder).mkdir(parents=True, exist_ok=True)
            started = time.perf_counter()
            prepare(url, args, index_dir)
            print(f"filled and indexed in {time.perf_counter() - started:.0f} s",
                  file=sys.stderr)
        database.upgrade(url)  # a kept folder from before a migration
        port = free_port(5230, 5239)
        server = start_server(url, index_dir, port, 2, 4, folder)
        try:
            rows = layer_rows(port, server.pid, url)
            if not args.no_browser:
                rows += browser_rows(f"http://127.0.0.1:{port}", url, port, server.pid)
            rows += place_rows(port, server.pid)
        finally:
            server.terminate()
            server.wait(30)
    print(f"\n{args.sheets:,} sheets, {args.organizations:,} organisations, "
          f"{args.measures:,} measures; {'PostgreSQL' if 'postgresql' in url else 'SQLite'}\n")
    print("| what | wall ms | server CPU ms | gzip KB | plain KB | features / notes |")
    print("|---|---:|---:|---:|---:|---|")
    for name, wall, cpu, gz, plain, notes in rows:
        print(f"| {name} | {number(wall)} | {number(cpu)} | {number(gz)} | {number(plain)} "
              f"| {notes} |")


if __name__ == "__main__":
    main()
