"""Serving benchmark: `practice-wiki serve` (gunicorn, N workers) under a bounded loopback load.

    .venv/bin/python bench/serve_bench.py                        # 2,000 sheets, SQLite
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_serve \\
        .venv/bin/python bench/serve_bench.py                    # its schema is dropped!

Loads N synthetic sheets (the corpus of bench/search_bench.py), builds the index, starts
`practice-wiki serve --workers 2` on a loopback port, and, route by route, asks for each of
its pages once (the first view makes a page; reported on its own line for the sheets), then
sends a fixed number of requests at random among them, 8 at a time in flight on as many
keep-alive connections (driven by one client thread with a selector, so that the client
takes little of the server's cores; `Accept-Encoding: gzip`; a time limit per route): a
sheet page (different sheets), the browse page `/practices/`, a text + facet search, the API
list. Reports requests/s and
p50/p99 per route, the CPU time the server's processes and the client spent per request
(what a request costs even on a busy machine), the gzip-transferred size of the search page,
and the memory of each worker after the whole run: RSS (and how much of it is file pages,
the libraries' code and the search index's memory map, which the workers share with each
other and with the system's file cache), PSS (RSS with each shared page divided among the
processes sharing it) and private memory (what the worker alone holds). Prints one table
(Markdown).
"""

import argparse
import http.client
import os
import random
import selectors
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("SECRET_KEY", "benchmark-secret-key-that-is-long-enough-for-checks")

from search_bench import Corpus, load_database  # noqa: E402
from sqlalchemy import text  # noqa: E402

from practices import database  # noqa: E402
from wiki.serve import DEFAULT_THREADS  # noqa: E402


def free_port(start: int, end: int) -> int:
    for port in range(start, end + 1):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"no free port between {start} and {end}")


def reset_schema(url: str) -> None:
    """An empty PostgreSQL schema (SQLite files are new anyway)."""
    if url.startswith("postgresql"):
        engine = database.make_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()


def prepare(url: str, sheets: int, index_dir: str) -> None:
    reset_schema(url)
    database.upgrade(url)
    load_database(url, Corpus(sheets, seed=42))
    env = {**os.environ, "DATABASE_URL": url, "SEARCH_INDEX_DIR": index_dir}
    subprocess.run(
        [str(Path(sys.executable).parent / "practice-wiki"), "search", "rebuild"],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )


def start_server(url: str, index_dir: str, port: int, workers: int, threads: int, instance):
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SEARCH_INDEX_DIR": index_dir,
        "UPLOAD_DIR": str(Path(instance) / "uploads"),
        "GUNICORN_CMD_ARGS": "--access-logfile /dev/null",
    }
    command = [
        str(Path(sys.executable).parent / "practice-wiki"),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        *(["--threads", str(threads)] if threads else []),  # else the command's default
    ]
    log = open(Path(instance) / "server.log", "wb")  # noqa: SIM115 - lives as long as the server
    server = subprocess.Popen(command, env=env, cwd=instance, stderr=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _body, _headers = get(port, "/readyz")
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.terminate()
    tail = (Path(instance) / "server.log").read_text(errors="replace")[-3000:]
    raise SystemExit(f"the server did not get ready within 60 s:\n{tail}")


def get(port: int, path: str, connection=None, encoding: str = "gzip"):
    own = connection is None
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": encoding})
        response = connection.getresponse()
        body = response.read()
        return response.status, body, dict(response.getheaders())
    finally:
        if own:
            connection.close()


class Connection:
    """One keep-alive connection of the load, driven by `load`'s event loop: writes a GET,
    reads the answer (status line, headers, a Content-Length body), and times it. A server
    that ends the connection (`Connection: close`, or a worker being replaced) gets a new
    one, and the request is sent again on it (as http.client would)."""

    def __init__(self, port: int):
        self.port = port
        self.socket = self._connect()
        self.buffer = b""
        self.path = ""
        self.started = 0.0
        self.reconnects = 0

    def _connect(self) -> socket.socket:
        connection = socket.create_connection(("127.0.0.1", self.port), timeout=30)
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        connection.setblocking(False)
        return connection

    def send(self, path: str, *, again: bool = False) -> None:
        self.buffer, self.path = b"", path
        if not again:
            self.started = time.perf_counter()
        request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: gzip\r\n\r\n"
        self.socket.setblocking(True)
        self.socket.sendall(request.encode())
        self.socket.setblocking(False)

    def reconnect(self, selector) -> None:
        selector.unregister(self.socket)
        self.socket.close()
        self.socket = self._connect()
        self.reconnects += 1
        selector.register(self.socket, selectors.EVENT_READ, self)

    def receive(self, selector) -> int | None:
        """The status once the whole answer is in, else None (more is to come)."""
        chunk = self.socket.recv(262144)
        if not chunk:
            if self.buffer:
                raise ConnectionError("the server closed a connection in the middle of an answer")
            self.reconnect(selector)
            self.send(self.path, again=True)
            return None
        self.buffer += chunk
        head, separator, body = self.buffer.partition(b"\r\n\r\n")
        if not separator:
            return None
        lines = [line.lower() for line in head.split(b"\r\n")]
        length = next((int(line.split(b":", 1)[1]) for line in lines[1:]
                       if line.startswith(b"content-length:")), None)
        if length is None:
            raise ConnectionError("an answer without Content-Length")
        if len(body) < length:
            return None
        if b"connection: close" in lines:
            self.reconnect(selector)
        return int(lines[0].split()[1])


def random_requests(paths: list[str], requests: int) -> list[str]:
    rng = random.Random(requests)
    return [rng.choice(paths) for _ in range(requests)]


def load(port: int, sequence: list[str], clients: int, limit: float, servers: list[int]) -> dict:
    """The GETs of `sequence`, in order, kept `clients` at a time in flight on as many
    keep-alive connections (stopping at `limit` seconds). One thread drives them all with a
    selector: the load is the same as from `clients` threads, but the client takes less of
    the two cores from the server. Also counts the CPU time the server's processes and this
    client spent."""
    requests = len(sequence)
    upcoming = iter(sequence)
    latencies: list[float] = []
    errors = 0
    selector = selectors.DefaultSelector()
    connections = [Connection(port) for _ in range(clients)]
    sent = 0
    server_cpu, client_cpu = cpu_seconds(servers), time.process_time()
    started = time.perf_counter()
    deadline = started + limit
    for connection in connections[:requests]:
        connection.send(next(upcoming))
        selector.register(connection.socket, selectors.EVENT_READ, connection)
        sent += 1
    while selector.get_map() and time.perf_counter() < deadline:
        for key, _events in selector.select(timeout=1.0):
            connection = key.data
            status = connection.receive(selector)
            if status is None:
                continue
            latencies.append(time.perf_counter() - connection.started)
            errors += status != 200
            if sent < requests:
                connection.send(next(upcoming))
                sent += 1
            else:
                selector.unregister(connection.socket)
    wall = time.perf_counter() - started
    server_cpu = cpu_seconds(servers) - server_cpu
    client_cpu = time.process_time() - client_cpu
    for connection in connections:
        connection.socket.close()
    if any(connection.reconnects for connection in connections):
        print(f"  ({sum(c.reconnects for c in connections)} connections were ended by the "
              "server and opened again)", file=sys.stderr)
    ordered = sorted(latencies)
    return {
        "count": len(ordered),
        "rate": len(ordered) / wall,
        "errors": errors,
        "p50": statistics.median(ordered) * 1000,
        "p99": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
        "server_cpu": server_cpu / len(ordered) * 1000,
        "client_cpu": client_cpu / len(ordered) * 1000,
        "reconnects": sum(connection.reconnects for connection in connections),
    }


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time the processes have used (the machine may be shared: this, not
    the wall clock, says what a request costs)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (clock ticks)
    return total / os.sysconf("SC_CLK_TCK")


def workers(master: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int((entry / "stat").read_text().rsplit(")", 1)[1]
                                             .split()[1]) == master:
                found.append(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue
    return sorted(found)


@dataclass
class WorkerMemory:
    pid: int
    rss: float  # MB: every page the worker has mapped in memory
    pss: float  # RSS with each shared page divided among the processes that share it
    private: float  # what only this worker holds (freed when it exits)
    file_pages: float  # of RSS: libraries and the search index's map, shared with the
    # other workers and the system's file cache


def worker_memory(master: int) -> list[WorkerMemory]:
    """The memory of each child of the gunicorn master, read from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[1]) != master:
                continue
            found.append(_memory_of(int(entry.name), (entry / "smaps").read_text()))
        except (OSError, ValueError, KeyError, IndexError):
            continue
    return sorted(found, key=lambda memory: memory.pid)


def _memory_of(pid: int, smaps: str) -> WorkerMemory:
    """Totals over the process's mappings; a mapping's header line ends with the path of
    the file it maps, if any."""
    totals = dict.fromkeys(("Rss", "Pss", "Private_Clean", "Private_Dirty", "file"), 0)
    in_file = False
    for line in smaps.splitlines():
        fields = line.split()
        if fields and not fields[0].endswith(":"):
            in_file = len(fields) > 5 and fields[5].startswith("/")
        elif fields and fields[0][:-1] in totals:
            totals[fields[0][:-1]] += int(fields[1])
            if in_file and fields[0] == "Rss:":
                totals["file"] += int(fields[1])
    mb = {name: kb / 1024 for name, kb in totals.items()}
    return WorkerMemory(pid, mb["Rss"], mb["Pss"], mb["Private_Clean"] + mb["Private_Dirty"],
                        mb["file"])


def published_slugs(url: str) -> list[str]:
    engine = database.make_engine(url)
    with engine.connect() as connection:
        slugs = connection.execute(text("SELECT slug FROM sheets WHERE status = 'published' "
                                        "ORDER BY id")).scalars().all()
    engine.dispose()
    return slugs


def routes(slugs: list[str]) -> dict[str, list[str]]:
    rng = random.Random(3)
    slugs = [f"/practices/{slug}" for slug in rng.sample(slugs, min(200, len(slugs)))]
    searches = [
        ("soil carbon", "semi-arid"),
        ("mulch", "sub-humid"),
        ("cover crop", "arid"),
        ("compost", "humid"),
    ]
    return {
        "sheet page": slugs,
        "/practices/": ["/practices/"],
        "search (text + facet)": [
            "/practices/?" + urlencode({"q": q, "agro_climatic_zone": z}) for q, z in searches
        ],
        "API list": ["/api/v1/practices?per_page=20", "/api/v1/practices?per_page=20&page=2"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sheets", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=None,
                        help="threads per worker  [default: practice-wiki serve's]")
    parser.add_argument("--requests", type=int, default=2000, help="per route")
    parser.add_argument("--clients", type=int, default=8,
                        help="requests kept in flight (one keep-alive connection each)")
    parser.add_argument("--time-limit", type=float, default=30.0, help="seconds per route")
    parser.add_argument("--ports", default="5170-5179", help="range to pick a free port from")
    options = parser.parse_args()

    first, last = (int(p) for p in options.ports.split("-"))
    with tempfile.TemporaryDirectory(prefix="serve-bench-") as folder:
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{folder}/bench.db"
        index_dir = f"{folder}/index"
        print(f"Loading {options.sheets} sheets into {url.split('@')[-1]} ...", file=sys.stderr)
        prepare(url, options.sheets, index_dir)
        port = free_port(first, last)
        server = start_server(url, index_dir, port, options.workers, options.threads, folder)
        try:
            results, first_views = {}, {}
            chosen = routes(published_slugs(url))
            servers = [server.pid, *workers(server.pid)]
            for name, paths in chosen.items():
                # Each page once: the first view makes it (reported on its own line), the
                # next ones are answered as a wiki read since its last change would be.
                first_views[name] = load(port, paths, options.clients, options.time_limit,
                                         servers)
                load(port, random_requests(paths, 50), options.clients, options.time_limit,
                     servers)  # warm-up
                results[name] = load(port, random_requests(paths, options.requests),
                                     options.clients, options.time_limit, servers)
            search_path = chosen["search (text + facet)"][0]
            _status, gzipped, headers = get(port, search_path)
            _status, plain, _headers = get(port, search_path, encoding="identity")
            memory = worker_memory(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
    report(options, url, results, first_views, len(gzipped), len(plain), headers, memory)


def report(options, url, results, first_views, gzipped, plain, headers, memory) -> None:
    kind = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(
        f"\n{options.sheets} sheets on {kind}; `practice-wiki serve --workers "
        f"{options.workers} --threads {options.threads or DEFAULT_THREADS}`; "
        f"{options.clients} connections in "
        f"flight, {options.requests} requests per route; {os.cpu_count()} CPUs; load average "
        f"{os.getloadavg()[0]:.1f} at the end\n"
    )
    print("| route | requests | req/s | p50 ms | p99 ms | p99/p50 | errors "
          "| server CPU ms/req | client CPU ms/req |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, r in results.items():
        print(
            f"| {name} | {r['count']} | {r['rate']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | "
            f"{r['p99'] / r['p50']:.1f} | {r['errors']} | {r['server_cpu']:.2f} | "
            f"{r['client_cpu']:.2f} |"
        )
    cold = first_views["sheet page"]
    print(
        f"\nFirst view of each of the {cold['count']} sheets (made, not yet kept): "
        f"p50 {cold['p50']:.1f} ms, p99 {cold['p99']:.1f} ms, "
        f"server CPU {cold['server_cpu']:.2f} ms/req."
    )
    encoding = headers.get("Content-Encoding", "none")
    print(
        f"\nSearch page: {plain / 1024:.1f} kB, {gzipped / 1024:.1f} kB transferred ({encoding})."
    )
    for worker in memory:
        print(f"Worker {worker.pid} after the run: RSS {worker.rss:.0f} MB (of which "
              f"{worker.file_pages:.0f} MB of file pages: libraries and the search index's "
              f"map), PSS {worker.pss:.0f} MB, private {worker.private:.0f} MB.")


if __name__ == "__main__":
    main()
