"""`practice-wiki serve`: the production server (gunicorn), with defaults for a small machine.

Settings are layered as gunicorn itself does: our defaults, then a gunicorn config file
(`--config`, or `./gunicorn.conf.py`), then `GUNICORN_CMD_ARGS` and `WEB_CONCURRENCY`, then
this command's own options. The app is not preloaded: every worker builds its own after the
fork, so no database connection or search index is ever shared between processes.
"""

import ctypes
import ctypes.util
import gc
import os
import sys

import click
from gunicorn.app.base import BaseApplication
from gunicorn.config import get_default_config_file

# Two cores: two processes, one per core, each answering one request at a time. Pages spend
# their time in Python, not waiting on the database, so more threads add no throughput;
# they take turns on the interpreter lock every 5 ms, which made p99 4-12 times p50
# (bench/serve_bench.py: 1.2-1.5 times with one thread), and each holds its own memory.
# A site with slow requests (large exports) raises --threads or --workers.
DEFAULT_WORKERS = 2
DEFAULT_THREADS = 1
DEFAULTS = {
    "worker_class": "gthread",
    "threads": DEFAULT_THREADS,
    "timeout": 60,  # a search rebuilt in the request may take that long on a large wiki
    "graceful_timeout": 30,
    # Each answer closes its connection, as gunicorn's sync workers do: a kept-alive
    # connection stays with the worker that accepted it, so with one thread each, clients
    # queued behind a busy worker while the other idled (p99 up to 3.6 times p50 in the
    # bench; 1.9-2.4 times once every request goes to whichever worker accepts first).
    # Behind nginx nothing changes: it opens a connection per request to its upstream.
    "keepalive": 0,
    # A worker is replaced after this many requests: Python keeps memory it once used. Not
    # too often: a new worker pays ~1.5 s of CPU to start and begins with cold caches (at
    # 5,000 a busy worker was replaced every few seconds, a fifth of its CPU; its caches are
    # bounded and what the app built at start is frozen, so it grows little).
    "max_requests": 100_000,
    "max_requests_jitter": 10_000,
    "accesslog": "-",
    # gunicorn's usual line, plus the time taken and the request id the app logs with.
    "access_log_format": '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" '
                         '%(M)sms id=%({x-request-id}o)s',
    "errorlog": "-",
    "proc_name": "practice-wiki",
}
# Young objects collected less often (a page makes thousands; the default 700 runs a
# collection every fraction of a millisecond), older generations as usual.
GC_THRESHOLDS = (20_000, 20, 20)
# glibc gives each thread that allocates its own malloc arena (up to 8 per core), and each
# keeps the memory it once held: with a worker's threads that is tens of MB of RSS for
# nothing. Two arenas are enough for threads that mostly wait on the GIL anyway.
MALLOC_ARENAS = 2
M_ARENA_MAX = -8  # mallopt's parameter number (glibc's malloc.h)


def settle_memory() -> None:
    """Once the app is built: its objects (modules, routes, templates, vocabularies) live
    as long as the process, so move them out of the collector's sight. Full collections
    then walk only what requests made, instead of a million long-lived objects each time:
    shorter pauses, so a steadier p99 (and pages of a preloaded app stay shared)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    _limit_malloc_arenas()


def _limit_malloc_arenas() -> None:
    """Before the worker starts its threads (a no-op where the C library is not glibc)."""
    name = ctypes.util.find_library("c")
    try:
        mallopt = ctypes.CDLL(name).mallopt if name else None
    except (OSError, AttributeError):
        mallopt = None
    if mallopt is not None and os.environ.get("MALLOC_ARENA_MAX") is None:
        mallopt(M_ARENA_MAX, MALLOC_ARENAS)


def forget_parent_connections(server, worker) -> None:
    """With `--preload` the app was built before the fork: connections opened by the master
    must not be used by its children (SQLAlchemy's advice). The search index is opened by
    each process itself (search.service checks the pid)."""
    app = getattr(server.app, "loaded_app", None)
    if app is not None:
        app.extensions["engine"].dispose(close=False)


def default_workers() -> int:
    return int(os.environ.get("WEB_CONCURRENCY") or DEFAULT_WORKERS)


class WikiServer(BaseApplication):
    def __init__(self, options: dict, config_file: str | None = None):
        self.options = options
        self.config_file = config_file
        super().__init__()

    def load_config(self) -> None:
        settings = self.cfg.settings
        for name, value in DEFAULTS.items():
            self.cfg.set(name, value)
        self.cfg.set("workers", default_workers())
        self.cfg.set("post_fork", forget_parent_connections)
        if "control_socket_disable" in settings:  # gunicorn 25+: one socket per user by default
            self.cfg.set("control_socket_disable", True)
        if os.path.isdir("/dev/shm"):  # heartbeat files on tmpfs, not a slow disk
            self.cfg.set("worker_tmp_dir", "/dev/shm")
        parser = self.cfg.parser()
        from_env = parser.parse_args(self.cfg.get_cmd_args_from_env())
        config_file = self.config_file or from_env.config or get_default_config_file()
        if config_file:
            self._load_file(config_file)
        for name, value in vars(from_env).items():
            if value is not None and name != "args":
                self.cfg.set(name.lower(), value)
        for name, value in self.options.items():
            if value is not None:
                self.cfg.set(name, value)

    def _load_file(self, path: str) -> None:
        if not os.path.exists(path):
            raise click.ClickException(f"The gunicorn config file {path} does not exist.")
        values: dict = {"__file__": path}
        with open(path, encoding="utf-8") as handle:
            exec(compile(handle.read(), path, "exec"), values)  # noqa: S102 - as gunicorn does
        for name, value in values.items():
            if name in self.cfg.settings:
                self.cfg.set(name, value)

    def load(self):
        from wiki import create_app
        from wiki.operations import configure_logging

        app = create_app()
        configure_logging(app)  # warnings of the search index and errors reach the journal
        settle_memory()
        self.loaded_app = app
        return app


@click.command("serve", help="Serve the wiki with gunicorn (the production server).")
@click.option("--host", default=None, help="Address to listen on  [default: 127.0.0.1]")
@click.option("--port", type=int, default=None, help="Port  [default: 8000]")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help=f"Processes  [default: WEB_CONCURRENCY or {DEFAULT_WORKERS}]")
@click.option("--threads", type=click.IntRange(min=1), default=None,
              help=f"Threads per process  [default: {DEFAULT_THREADS}]")
@click.option("--config", "config_file", default=None,
              help="A gunicorn configuration file  [default: ./gunicorn.conf.py if present]")
def serve_command(host, port, workers, threads, config_file):
    options = {"workers": workers, "threads": threads}
    if host is not None or port is not None:
        options["bind"] = [f"{host or '127.0.0.1'}:{port or 8000}"]
    sys.exit(WikiServer(options, config_file).run())
