"""Search benchmark: Whoosh (raw query layer and through HTTP) against SQLite FTS5.

    .venv/bin/python bench/search_bench.py --sheets 10000          # 1000 | 10000 | 100000

Generates N realistic sheets (seeded: titles, summaries and ~600-word bodies in English,
French and Spanish drawn from a Zipf-distributed vocabulary, facet codes from the real
vocabularies), then measures: the full index build (sheets/s, MB on disk, peak memory), the
latency of one sheet update until it is visible in search, and p50/p95 of a fixed mix of 50
queries (free text, text + facet filters, facet-only browsing; every query computes the
counts of every facet), both through `search.SearchService` and over HTTP against the
running app; and the same corpus and queries in SQLite FTS5 as a reference. Prints one table.
"""

import argparse
import http.client
import math
import multiprocessing
import os
import random
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

os.environ.setdefault("SECRET_KEY", "benchmark-secret-key-that-is-long-enough-for-checks")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402
from sqlmodel import Session  # noqa: E402

from practices import database, sheets  # noqa: E402
from practices.models import ChangeLogEntry, Revision, Sheet, SheetTerm, utcnow  # noqa: E402
from practices.vocab import region_of_country, vocabulary  # noqa: E402
from search import SearchRequest, SearchService, indexer  # noqa: E402
from search.store import IndexStore  # noqa: E402

FACET_FIELDS = {
    "agro_climatic_zones": (1, 2),
    "ipcc_climate_zones": (1, 2),
    "practice_groups": (1, 3),
    "measures": (1, 3),
    "land_use": (1, 2),
    "degradation_addressed": (1, 4),
    "ipcc_soil_classes": (0, 2),
    "countries": (1, 3),
}
WORDS = {
    "en": [
        "soil",
        "carbon",
        "organic",
        "matter",
        "cover",
        "crop",
        "mulch",
        "residue",
        "tillage",
        "compost",
        "manure",
        "tree",
        "shade",
        "terrace",
        "bund",
        "runoff",
        "erosion",
        "water",
        "harvesting",
        "pit",
        "rainfall",
        "yield",
        "farmer",
        "field",
        "grazing",
        "pasture",
        "livestock",
        "fodder",
        "hedge",
        "contour",
        "slope",
        "root",
        "biomass",
        "nitrogen",
        "legume",
        "rotation",
        "fallow",
        "seed",
        "planting",
        "season",
        "drought",
        "moisture",
        "infiltration",
        "fertility",
        "agroforestry",
        "windbreak",
        "irrigation",
        "canal",
        "degradation",
        "restoration",
        "sequestration",
    ],
    "fr": [
        "sol",
        "carbone",
        "matière",
        "organique",
        "couverture",
        "végétale",
        "paillage",
        "résidus",
        "labour",
        "compost",
        "fumier",
        "arbre",
        "ombrage",
        "terrasse",
        "cordon",
        "ruissellement",
        "érosion",
        "eau",
        "récolte",
        "zaï",
        "pluie",
        "rendement",
        "agriculteur",
        "parcelle",
        "pâturage",
        "bétail",
        "fourrage",
        "haie",
        "courbe",
        "pente",
        "racine",
        "biomasse",
        "azote",
        "légumineuse",
        "rotation",
        "jachère",
        "semence",
        "saison",
        "sécheresse",
        "humidité",
        "fertilité",
        "agroforesterie",
        "brise-vent",
        "irrigation",
        "dégradation",
        "restauration",
    ],
    "es": [
        "suelo",
        "carbono",
        "materia",
        "orgánica",
        "cobertura",
        "cultivo",
        "acolchado",
        "rastrojo",
        "labranza",
        "compost",
        "estiércol",
        "árbol",
        "sombra",
        "terraza",
        "escorrentía",
        "erosión",
        "agua",
        "cosecha",
        "lluvia",
        "rendimiento",
        "agricultor",
        "parcela",
        "pastoreo",
        "ganado",
        "forraje",
        "seto",
        "curva",
        "pendiente",
        "raíz",
        "biomasa",
        "nitrógeno",
        "leguminosa",
        "rotación",
        "barbecho",
        "semilla",
        "temporada",
        "sequía",
        "humedad",
        "fertilidad",
        "agroforestería",
        "cortavientos",
        "riego",
        "degradación",
        "restauración",
    ],
}
FUNCTION_WORDS = {
    "en": [
        "the",
        "of",
        "and",
        "to",
        "in",
        "a",
        "is",
        "that",
        "for",
        "it",
        "as",
        "with",
        "on",
        "by",
        "this",
        "are",
        "be",
        "from",
        "or",
        "at",
        "which",
        "an",
        "not",
        "can",
        "their",
        "more",
    ],
    "fr": [
        "de",
        "la",
        "le",
        "et",
        "les",
        "des",
        "en",
        "du",
        "un",
        "une",
        "est",
        "que",
        "pour",
        "dans",
        "par",
        "sur",
        "au",
        "qui",
        "plus",
        "il",
        "ne",
        "pas",
        "avec",
        "se",
        "ce",
        "sont",
    ],
    "es": [
        "de",
        "la",
        "que",
        "el",
        "en",
        "y",
        "los",
        "del",
        "se",
        "las",
        "por",
        "un",
        "para",
        "con",
        "una",
        "su",
        "al",
        "es",
        "lo",
        "como",
        "más",
        "pero",
        "sus",
        "le",
        "ya",
    ],
}
LANGUAGES = ("en",) * 6 + ("fr",) * 3 + ("es",) * 2 + ("pt",)


# The corpus ----------------------------------------------------------------------------


class Corpus:
    def __init__(self, count: int, seed: int):
        self.rng = random.Random(seed)
        self.count = count
        self.codes = {
            name: [code for code, _ in vocabulary(name).choices("en")] for name in FACET_FIELDS
        }
        self.codes["countries"] = self.codes["countries"][:120]
        tail = [
            "".join(self.rng.choice("aeioubcdfglmnprstv") for _ in range(self.rng.randint(4, 10)))
            for _ in range(6000)
        ]
        # Real prose: the commonest words are function words (dropped by the analysers),
        # then the subject's words, then a long tail of rarer ones.
        self.vocab = {lang: FUNCTION_WORDS[lang] + words + tail for lang, words in WORDS.items()}
        self.vocab["pt"] = FUNCTION_WORDS["es"] + WORDS["es"] + tail
        self.weights = {
            lang: [1 / (rank + 1) for rank in range(len(words))]
            for lang, words in self.vocab.items()
        }

    def words(self, lang: str, n: int) -> str:
        return " ".join(self.rng.choices(self.vocab[lang], self.weights[lang], k=n))

    def sheet(self, number: int) -> dict:
        rng, lang = self.rng, self.rng.choice(LANGUAGES)
        paragraphs = [
            f"## {self.words(lang, 3).capitalize()}\n{self.words(lang, 100)}." for _ in range(6)
        ]
        fields = {
            name: rng.sample(self.codes[name], rng.randint(*limits))
            for name, limits in FACET_FIELDS.items()
        }
        fields = {name: codes for name, codes in fields.items() if codes}
        fields["language"] = lang
        if rng.random() < 0.6:
            fields["soc_change_t_c_ha_yr"] = round(rng.uniform(-0.5, 3), 2)
        fields.update(carbon_fields(random.Random(number)))
        return {
            "title": f"{self.words(lang, 3).capitalize()} {number}",
            "summary": self.words(lang, 25),
            "body": "\n\n".join(paragraphs),
            "fields": fields,
            "status": "published" if rng.random() < 0.95 else "draft",
        }


CARBON_CHANGES = (
    ("cropland", ["long-term-cultivated", "full-tillage", "medium-input"],
     ["long-term-cultivated", "no-till", "medium-input"]),
    ("cropland", ["long-term-cultivated", "full-tillage", "medium-input"],
     ["long-term-cultivated", "reduced-tillage", "high-input"]),
    ("cropland", ["long-term-cultivated", "full-tillage", "low-input"], ["set-aside"]),
    ("grazing-land", ["severely-degraded"], ["improved", "high-input"]),
)


def carbon_fields(rng: random.Random) -> dict:
    """The IPCC management change of half the sheets (a separate generator, so the rest of
    the corpus is the same with or without it)."""
    if rng.random() < 0.5:
        return {}
    land_use, baseline, practice = rng.choice(CARBON_CHANGES)
    return {"carbon_land_use": land_use, "carbon_baseline": baseline,
            "carbon_practice": practice}


def load_database(url: str, corpus: Corpus) -> list[dict]:
    """Bulk rows (the services would take minutes for 100k sheets); same shape as theirs."""
    engine = database.make_engine(url)
    records, now = [], utcnow()
    with engine.begin() as connection:
        for start in range(0, corpus.count, 1000):
            batch = [corpus.sheet(n) for n in range(start, min(corpus.count, start + 1000))]
            records += batch
            sheet_rows, revision_rows, term_rows, log_rows = [], [], [], []
            for offset, record in enumerate(batch):
                sheet_id = start + offset + 1
                fields = record["fields"]
                countries = fields.get("countries", [])
                sheet_rows.append(
                    {
                        "id": sheet_id,
                        "slug": f"sheet-{sheet_id}",
                        "status": record["status"],
                        "current_revision_id": sheet_id,
                        "language": fields["language"],
                        "title": record["title"],
                        "summary": record["summary"],
                        "soc_change_t_c_ha_yr": fields.get("soc_change_t_c_ha_yr"),
                        "region": region_of_country(countries[0]) if countries else None,
                        "source": "local",
                        "license": "cc-by-4.0",
                        "attribution": "",
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                revision_rows.append(
                    {
                        "id": sheet_id,
                        "sheet_id": sheet_id,
                        "number": 1,
                        "created_at": now,
                        "edit_summary": "bench",
                        "title": record["title"],
                        "summary": record["summary"],
                        "body": record["body"],
                        "fields": fields,
                    }
                )
                pairs = {
                    (name, code)
                    for name, codes in fields.items()
                    if name in FACET_FIELDS
                    for code in codes
                }
                pairs |= {("regions", r) for c in countries if (r := region_of_country(c))}
                term_rows += [{"sheet_id": sheet_id, "facet": f, "code": c} for f, c in pairs]
                log_rows.append({"sheet_id": sheet_id, "kind": "revision", "created_at": now})
            connection.execute(insert(Sheet), sheet_rows)
            connection.execute(insert(Revision), revision_rows)
            connection.execute(insert(SheetTerm), term_rows)
            connection.execute(insert(ChangeLogEntry), log_rows)
    engine.dispose()
    return records


# The query mix -------------------------------------------------------------------------


def query_mix(corpus: Corpus) -> list[tuple[str, dict]]:
    rng = random.Random(7)
    mix = []
    words = WORDS["en"][:25] + WORDS["fr"][:15] + WORDS["es"][:10]

    def filters(n):
        chosen = {}
        for name in rng.sample(
            ["agro_climatic_zones", "practice_groups", "land_use", "countries", "measures"], n
        ):
            param = {
                "agro_climatic_zones": "agro_climatic_zone",
                "practice_groups": "practice_group",
                "measures": "measure",
                "countries": "country",
            }.get(name, name)
            chosen[param] = rng.sample(corpus.codes[name], rng.randint(1, 2))
        return chosen

    for _ in range(15):
        mix.append(("text", {"q": " ".join(rng.sample(words, rng.randint(1, 2)))}))
    for _ in range(15):
        mix.append(
            ("text + facets", {"q": " ".join(rng.sample(words, 2)), **filters(rng.randint(1, 2))})
        )
    for _ in range(5):
        mix.append(("facet counts", {}))  # the unfiltered browse page: counts of everything
    for _ in range(15):
        mix.append(
            (
                "facets only",
                filters(rng.randint(1, 3)) | ({"sort": "soc"} if rng.random() < 0.3 else {}),
            )
        )
    return mix


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return (
        statistics.median(ordered) * 1000,
        ordered[min(len(ordered) - 1, math.ceil(len(ordered) * 0.95) - 1)] * 1000,
    )


def run_mix(mix, call, rounds: int) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {}
    for _round in range(rounds):
        for kind, params in mix:
            started = time.perf_counter()
            call(params)
            elapsed = time.perf_counter() - started
            timings.setdefault(kind, []).append(elapsed)
            if kind != "text":
                timings.setdefault("text/facets with counts", []).append(elapsed)
    return timings


# Whoosh --------------------------------------------------------------------------------


def _rebuild_child(url: str, index_dir: str, procs: int, queue) -> None:
    engine = database.make_engine(url)
    report = indexer.rebuild(IndexStore(index_dir), engine, procs=procs)
    # With --procs > 1 the postings are sorted in Whoosh's worker processes: count the
    # largest of them too (ru_maxrss of the children is the largest one's).
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    peak = max(each.ru_maxrss for each in usage)
    cpu = sum(each.ru_utime + each.ru_stime for each in usage)  # what a slower moment inflates
    queue.put((report.sheets, report.seconds, peak / 1024, cpu))


def build_index(url: str, index_dir: str, procs: int) -> dict:
    context = multiprocessing.get_context("spawn")  # its own memory, measured alone
    queue = context.Queue()
    child = context.Process(target=_rebuild_child, args=(url, index_dir, procs, queue))
    child.start()
    count, seconds, peak_mb, cpu = queue.get()
    child.join()
    size = sum(p.stat().st_size for p in Path(index_dir).rglob("*") if p.is_file())
    return {"count": count, "seconds": seconds, "peak_mb": peak_mb, "mb": size / 1e6, "cpu": cpu}


def update_latency(engine, service: SearchService, samples: int = 20) -> list[float]:
    """Save a sheet (the index catches up after the commit) until search finds the edit."""
    timings = []
    for number in range(samples):
        token = f"benchmarkedit{number}x"
        with Session(engine, expire_on_commit=False) as session:
            sheet = session.get(Sheet, number + 1)
            revision = sheets.current_revision(session, sheet)
            content = sheets.Content(
                revision.title,
                revision.summary,
                revision.body + f"\n{token}\n",
                dict(revision.fields),
            )
            started = time.perf_counter()
            sheets.revise(
                session, sheet, content, author=None, base_revision_id=sheet.current_revision_id
            )
            session.commit()
        while not service.search(SearchRequest.from_params({"q": [token]})).total:
            if time.perf_counter() - started > 10:
                raise RuntimeError("an edit took more than 10 s to show")
        timings.append(time.perf_counter() - started)
    return timings


def _serve(url: str, index_dir: str, port_queue) -> None:
    import logging

    from werkzeug.serving import make_server

    from wiki import create_app

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    app = create_app({"DATABASE_URL": url, "SEARCH_INDEX_DIR": index_dir})
    server = make_server("127.0.0.1", 0, app, threaded=False)
    port_queue.put(server.server_port)
    server.serve_forever()


def http_timings(url: str, index_dir: str, mix, rounds: int) -> dict[str, list[float]]:
    context = multiprocessing.get_context("spawn")
    port_queue = context.Queue()
    server = context.Process(target=_serve, args=(url, index_dir, port_queue), daemon=True)
    server.start()
    port = port_queue.get(timeout=120)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def fetch(params):
        connection.request("GET", "/practices/?" + urlencode(params, doseq=True))
        response = connection.getresponse()
        response.read()
        assert response.status == 200, response.status

    try:
        fetch({})  # the worker opens its index and checks it once, as at start
        return run_mix(mix, fetch, rounds)
    finally:
        connection.close()
        server.terminate()
        server.join()


# SQLite FTS5 ---------------------------------------------------------------------------


class Fts5:
    PARAMS = {
        "agro_climatic_zone": "agro_climatic_zones",
        "practice_group": "practice_groups",
        "measure": "measures",
        "land_use": "land_use",
        "country": "countries",
    }

    def __init__(self, path: str, records: list[dict]):
        started = time.perf_counter()
        self.db = sqlite3.connect(path, check_same_thread=False)
        self.db.executescript("""
            CREATE VIRTUAL TABLE docs USING fts5(title, summary, body,
                tokenize = 'porter unicode61 remove_diacritics 2');
            CREATE TABLE meta (id INTEGER PRIMARY KEY, status TEXT, updated REAL, soc REAL);
            CREATE TABLE terms (id INTEGER, facet TEXT, code TEXT);
        """)
        with self.db:
            for number, record in enumerate(records, 1):
                self.db.execute(
                    "INSERT INTO docs(rowid, title, summary, body) VALUES (?,?,?,?)",
                    (number, record["title"], record["summary"], record["body"]),
                )
                self.db.execute(
                    "INSERT INTO meta VALUES (?,?,?,?)",
                    (
                        number,
                        record["status"],
                        number,
                        record["fields"].get("soc_change_t_c_ha_yr"),
                    ),
                )
                self.db.executemany(
                    "INSERT INTO terms VALUES (?,?,?)",
                    [
                        (number, name, code)
                        for name, codes in record["fields"].items()
                        if name in FACET_FIELDS
                        for code in codes
                    ],
                )
            self.db.execute("CREATE INDEX terms_facet ON terms(facet, code, id)")
            self.db.execute("CREATE INDEX terms_id ON terms(id)")
        self.seconds = time.perf_counter() - started
        self.mb = Path(path).stat().st_size / 1e6

    def _matching(self, params, leave_out=None):
        sql, args = "SELECT id FROM meta WHERE status = 'published'", []
        if params.get("q"):
            sql += " AND id IN (SELECT id FROM temp.hits)"  # the text's matches, found once
        for param, field in self.PARAMS.items():
            if param in params and param != leave_out:
                codes = params[param]
                sql += (
                    f" AND id IN (SELECT id FROM terms WHERE facet = ? AND code IN "
                    f"({','.join('?' * len(codes))}))"
                )
                args += [field, *codes]
        return sql, args

    def search(self, params):
        if params.get("q"):
            words = " ".join(f'"{w}"' for w in params["q"].split())
            self.db.execute("DROP TABLE IF EXISTS temp.hits")
            self.db.execute(
                "CREATE TEMP TABLE hits AS SELECT rowid AS id FROM docs WHERE docs MATCH ?",
                [words],
            )
        sql, args = self._matching(params)
        order = "ORDER BY soc DESC" if params.get("sort") == "soc" else "ORDER BY updated DESC"
        if params.get("q"):
            # "+rowid": without it SQLite hands the IN list to FTS5 as rowid lookups, one
            # full-text match per candidate (a second per query at 10,000 sheets).
            self.db.execute(
                f"SELECT docs.rowid, snippet(docs, 2, '<mark>', '</mark>', '…', 20)"
                f" FROM docs WHERE docs MATCH ? AND +rowid IN ({sql}) ORDER BY rank "
                f"LIMIT 20",
                [words, *args],
            ).fetchall()
        else:
            self.db.execute(
                f"SELECT id FROM meta WHERE id IN ({sql}) {order} LIMIT 20", args
            ).fetchall()
        self.db.execute(f"SELECT count(*) FROM ({sql})", args).fetchone()
        for param, field in {
            **self.PARAMS,
            "degradation": "degradation_addressed",
            "ipcc_climate_zone": "ipcc_climate_zones",
            "soil": "ipcc_soil_classes",
        }.items():
            facet_sql, facet_args = self._matching(params, leave_out=param)
            self.db.execute(
                f"SELECT code, count(*) FROM terms WHERE facet = ? AND id IN "
                f"({facet_sql}) GROUP BY code",
                [field, *facet_args],
            ).fetchall()


# Main ----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheets", type=int, default=1000, choices=(1000, 2000, 10_000, 100_000))
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=4, help="passes over the 50 queries")
    parser.add_argument("--procs", type=int, default=2, help="indexing processes")
    parser.add_argument("--no-http", action="store_true")
    options = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="search-bench-"))
    try:
        url = f"sqlite:///{workdir / 'wiki.db'}"
        database.upgrade(url)
        corpus = Corpus(options.sheets, options.seed)
        started = time.perf_counter()
        records = load_database(url, corpus)
        print(
            f"generated {len(records)} sheets in {time.perf_counter() - started:.1f} s "
            f"(~{statistics.mean(len(r['body'].split()) for r in records[:200]):.0f} words "
            f"each)",
            file=sys.stderr,
        )
        index_dir = str(workdir / "index")
        build = build_index(url, index_dir, options.procs)
        engine = database.make_engine(url)
        service = SearchService(index_dir, engine)
        mix = query_mix(corpus)
        service.search(SearchRequest())  # open and check once, as a worker does at start
        raw = run_mix(
            mix,
            lambda p: service.search(
                SearchRequest.from_params(
                    {k: v if isinstance(v, list) else [v] for k, v in p.items()}
                )
            ),
            options.rounds,
        )
        cold_raw = run_mix(
            mix,
            lambda p: service.search(
                SearchRequest.from_params(
                    {k: v if isinstance(v, list) else [v] for k, v in p.items()} | {"page": ["2"]}
                )
            ),
            1,
        )
        update = update_latency(engine, service)
        http = {} if options.no_http else http_timings(url, index_dir, mix, options.rounds)
        fts = Fts5(str(workdir / "fts.db"), records)
        fts_times = run_mix(mix, fts.search, options.rounds)
        report(options, build, raw, cold_raw, update, http, fts, fts_times)
        engine.dispose()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def report(options, build, raw, cold_raw, update, http, fts, fts_times) -> None:
    def cell(timings, kind):
        if not timings.get(kind):
            return "—"
        p50, p95 = percentiles(timings[kind])
        return f"{p50:.1f} / {p95:.1f}"

    rows = [
        (
            "full build (sheets/s)",
            f"{build['count'] / build['seconds']:.0f} ({build['seconds']:.1f} s)",
            "",
            f"{len(fts_times) and options.sheets / fts.seconds:.0f} ({fts.seconds:.1f} s)",
        ),
        ("CPU time of the full build, all processes (s)", f"{build['cpu']:.1f}", "", "—"),
        ("index size on disk (MB)", f"{build['mb']:.1f}", "", f"{fts.mb:.1f}"),
        ("peak memory of a build process (MB)", f"{build['peak_mb']:.0f}", "", "—"),
        ("edit visible in search p50 / p95 (ms)", cell({"u": update}, "u"), "", "—"),
    ]
    for kind in ("text", "text + facets", "facet counts", "facets only", "text/facets with counts"):
        rows.append(
            (f"{kind} p50 / p95 (ms)", cell(raw, kind), cell(http, kind), cell(fts_times, kind))
        )
    rows.append(
        (
            "first time a query is seen p50 / p95 (ms)",
            cell(cold_raw, "text/facets with counts"),
            "",
            "",
        )
    )
    print(
        f"\n{options.sheets} sheets, seed {options.seed}, {options.rounds} passes over 50 "
        f"queries, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}\n"
    )
    widths = [max(len(row[i]) for row in rows + [HEADER]) for i in range(4)]
    for row in [HEADER, tuple("-" * w for w in widths), *rows]:
        print(
            "| "
            + " | ".join(value.ljust(width) for value, width in zip(row, widths, strict=True))
            + " |"
        )


HEADER = ("measure", "Whoosh (search/)", "Whoosh via HTTP", "SQLite FTS5")

if __name__ == "__main__":
    main()
