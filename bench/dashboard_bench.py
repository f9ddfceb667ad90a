"""Dashboard benchmark (issue 15): the page and every figure endpoint through HTTP, served by
`practice-wiki serve`, at 10,000 sheets, 2,000 organisations and 20,000 measures.

    .venv/bin/python bench/dashboard_bench.py                    # SQLite in a temporary folder
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_dash \\
        .venv/bin/python bench/dashboard_bench.py                # its schema is dropped!

Loads the sheets of bench/search_bench.py (bulk rows), then organisations (standings,
countries, colleges), measures (published and drafts, every estimate case, measured SOC,
linked to sheets), comments and endorsements. For each route it reports the first answer
after a data change (computed: "a change shows on the next request") and the p50/p95 of
repeated requests from two client threads (answered from the cache of that data generation).
Targets: the page p95 <= 300 ms, each figure p95 <= 100 ms. Prints one Markdown table.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("SECRET_KEY", "benchmark-secret-key-that-is-long-enough-for-checks")

from serve_bench import free_port, get, prepare, start_server  # noqa: E402
from sqlalchemy import insert, text  # noqa: E402

from practices import carbon, database  # noqa: E402
from practices.dashboard import FIGURES  # noqa: E402
from practices.models import (  # noqa: E402
    AuditEvent,
    College,
    Measure,
    MeasureSheet,
    Organization,
    OrganizationCollege,
    utcnow,
)

COUNTRIES = ["BF", "FR", "BR", "KE", "IN", "SN", "MX", "ES", "VN", "AU", "US", "MA", "PE"]
STANDINGS = ["member-of-the-consortium", "partner-of-the-forum", "other", None]
MANAGEMENTS = [  # (land use, zone, soil, baseline, practice)
    ("cropland", "cool-temperate-moist", "high-activity-clay",
     ["long-term-cultivated", "full-tillage", "medium-input"],
     ["long-term-cultivated", "no-till", "medium-input"]),
    ("cropland", "tropical-dry", "low-activity-clay",
     ["long-term-cultivated", "full-tillage", "low-input"],
     ["long-term-cultivated", "reduced-tillage", "medium-input"]),
    ("cropland", "tropical-moist", "sandy",
     ["long-term-cultivated", "full-tillage", "medium-input"],
     ["long-term-cultivated", "no-till", "high-input"]),
]


def load_partners(url: str, organizations: int, measures: int, sheets: int, seed: int) -> None:
    rng = random.Random(seed)
    engine = database.make_engine(url)
    now = utcnow()
    estimates = [_per_ha(management) for management in MANAGEMENTS]
    with engine.begin() as connection:
        connection.execute(insert(College), [
            {"id": n, "slug": f"college-{n}", "name": f"College {n}", "description": "",
             "active": True, "created_at": now} for n in range(1, 7)])
        connection.execute(insert(Organization), [
            {"id": n, "slug": f"org-{n}", "name": f"Organisation {n}", "kind": "ngo",
             "country": rng.choice(COUNTRIES), "active": rng.random() > 0.05,
             "standing": rng.choice(STANDINGS), "description": "", "locations": [],
             "review_edits": False, "created_at": now} for n in range(1, organizations + 1)])
        connection.execute(insert(OrganizationCollege), [
            {"organization_id": n, "college_id": college}
            for n in range(1, organizations + 1)
            for college in rng.sample(range(1, 7), rng.randint(0, 2))])
        for start in range(0, measures, 5000):
            rows, links = [], []
            for n in range(start + 1, min(measures, start + 5000) + 1):
                rows.append(_measure(rng, n, organizations, estimates, now))
                links += [{"measure_id": n, "sheet_id": sheet}
                          for sheet in {rng.randint(1, sheets) for _ in range(rng.randint(0, 2))}]
            connection.execute(insert(Measure), rows)
            connection.execute(insert(MeasureSheet), links)
    with engine.begin() as connection:
        # A live database's statistics follow its data (autovacuum); right after a bulk load
        # PostgreSQL would plan with empty ones (nested loops over 20,000 measures: seconds).
        connection.execute(text("ANALYZE"))
    engine.dispose()


def _per_ha(management) -> float:
    land_use, zone, soil, baseline, practice = management
    return carbon.estimate(climate_zone=zone, soil_class=soil, land_use=land_use,
                           baseline=baseline, practice=practice).change_t_c_ha_yr


def _measure(rng, n, organizations, estimates, now) -> dict:
    index = rng.randrange(len(MANAGEMENTS))
    land_use, zone, soil, baseline, practice = MANAGEMENTS[index]
    area = rng.choice([None, rng.uniform(1, 5000)])
    case = rng.random()
    row = {"id": n, "organization_id": rng.randint(1, organizations), "title": f"Measure {n}",
           "state": rng.choice(["published"] * 4 + ["draft"]),
           "status": rng.choice(["planned", "ongoing", "completed"]),
           "country": rng.choice(COUNTRIES), "locations": [], "area_ha": area,
           "start_year": rng.randint(2010, 2024), "end_year": None, "edition": "2019",
           "land_use": land_use, "climate_zone": zone, "soil_class": soil,
           "baseline": baseline, "practice": practice, "soc_method": "", "estimate_note": "",
           "created_at": now, "updated_at": now, "estimated_t_c_ha_yr": None,
           "estimated_t_c_yr": None, "soc_change_t_c_ha_yr": None, "soc_baseline_t_c_ha": None}
    if case < 0.8:
        row["estimated_t_c_ha_yr"] = estimates[index]
        row["estimated_t_c_yr"] = estimates[index] * area if area else None
    else:
        row["estimate_note"] = "No IPCC default" if case < 0.9 else \
            "Not enough data for an estimate."
    if rng.random() < 0.2:
        row["soc_change_t_c_ha_yr"] = rng.uniform(-0.2, 0.8)
        row["soc_baseline_t_c_ha"] = rng.uniform(20, 90)
    return row


def bump(url: str) -> None:
    """A data change (an audit event, as every measure transition writes): caches go stale."""
    engine = database.make_engine(url)
    with engine.begin() as connection:
        connection.execute(insert(AuditEvent), [{"action": "bench.change", "target_type": "bench",
                                                 "reason": "", "details": {},
                                                 "created_at": utcnow()}])
    engine.dispose()


def measure(port: int, path: str, requests: int, clients: int = 2) -> dict:
    latencies: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()
    counter = iter(range(requests))

    def client() -> None:
        import http.client

        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            while True:
                with lock:
                    if next(counter, None) is None:
                        return
                started = time.perf_counter()
                status, _body, _headers = get(port, path, connection)
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed * 1000)
                    statuses.append(status)
        finally:
            connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ordered = sorted(latencies)
    return {"p50": statistics.median(ordered), "p95": ordered[int(len(ordered) * 0.95) - 1],
            "errors": sum(1 for status in statuses if status != 200)}


def cold(port: int, url: str, path: str) -> float:
    bump(url)
    started = time.perf_counter()
    status, _body, _headers = get(port, path)
    if status != 200:
        raise SystemExit(f"{path}: {status}")
    return (time.perf_counter() - started) * 1000


def routes(port: int) -> dict[str, str]:
    page = get(port, "/dashboard")[0] == 200
    paths = {"page /dashboard": "/dashboard"} if page else {}
    paths["API headline"] = "/api/v1/dashboard"
    paths.update({f"API {name}": f"/api/v1/dashboard/{name}" for name in FIGURES})
    paths["API carbon-estimate, region 002"] = "/api/v1/dashboard/carbon-estimate?region=002"
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sheets", type=int, default=10_000)
    parser.add_argument("--organizations", type=int, default=2_000)
    parser.add_argument("--measures", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--port", type=int, default=5250)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dashboard-bench-") as folder:
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{folder}/bench.db"
        index_dir = str(Path(folder) / "index")
        prepare(url, options.sheets, index_dir)
        load_partners(url, options.organizations, options.measures, options.sheets, seed=7)
        port = free_port(options.port, options.port + 9)
        server = start_server(url, index_dir, port, workers=2, threads=4, instance=folder)
        try:
            results = {}
            for label, path in routes(port).items():
                first = cold(port, url, path)
                results[label] = (first, measure(port, path, options.requests))
        finally:
            server.terminate()
            server.wait(timeout=30)
    report(options, url, results)


def report(options, url, results) -> None:
    kind = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(f"\n{options.sheets:,} sheets, {options.organizations:,} organisations, "
          f"{options.measures:,} measures on {kind}; `practice-wiki serve --workers 2 "
          f"--threads 4`; {options.requests} requests per route from 2 clients\n")
    print("| route | first after a change (ms) | p50 (ms) | p95 (ms) | target p95 | errors |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, (first, numbers) in results.items():
        target = 300 if label.startswith("page") or label == "API headline" else 100
        print(f"| {label} | {first:.0f} | {numbers['p50']:.1f} | {numbers['p95']:.1f} | "
              f"{target} | {numbers['errors']} |")


if __name__ == "__main__":
    main()
