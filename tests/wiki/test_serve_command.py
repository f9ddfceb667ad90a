"""`practice-wiki serve` (issue 12): gunicorn with defaults for two cores, and the settings a
deployer already knows (WEB_CONCURRENCY, GUNICORN_CMD_ARGS, a gunicorn.conf.py)."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from wiki.serve import DEFAULT_THREADS, DEFAULT_WORKERS, WikiServer

PORTS = range(5170, 5180)  # this project's test servers listen here, on loopback only


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.skip("no free port in 5170-5179")


def get(port: int, path: str) -> tuple[int, bytes, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
        response = connection.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        connection.close()


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def test_serve_starts_gunicorn_that_answers_and_stops(database_url, make_sheet, tmp_path):
    make_sheet("Zai pits", slug="zai-pits")
    port = free_port()
    environment = {**os.environ, "DATABASE_URL": database_url,
                   "SEARCH_INDEX_DIR": str(tmp_path / "index"),
                   "UPLOAD_DIR": str(tmp_path / "uploads"), "WEB_CONCURRENCY": "3"}
    command = [str(Path(sys.executable).parent / "practice-wiki"), "serve", "--host",
               "127.0.0.1", "--port", str(port), "--threads", "2"]
    server = subprocess.Popen(command, env=environment, cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if get(port, "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None, server.stderr.read().decode()
            assert time.monotonic() < deadline, "the server did not answer within 60 s"
            time.sleep(0.2)
        status, body, headers = get(port, "/practices/zai-pits")
        assert status == 200 and headers["Content-Encoding"] == "gzip"
        assert headers["Server"].startswith("gunicorn")
        # Each answer ends its connection: the next request goes to whichever worker is free.
        assert headers["Connection"] == "close"
        assert len(children_of(server.pid)) == 3  # WEB_CONCURRENCY
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            code = server.wait(timeout=40)
        finally:
            if server.poll() is None:
                server.kill()
            server.stderr.close()
    assert code == 0
    with pytest.raises(OSError):
        get(port, "/healthz")


def settings(monkeypatch, options=None, config_file=None, **environment):
    for name in ("WEB_CONCURRENCY", "GUNICORN_CMD_ARGS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return WikiServer(options or {}, config_file).cfg


def test_defaults_suit_two_cores(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no gunicorn.conf.py here
    cfg = settings(monkeypatch)
    assert (cfg.workers, cfg.threads, cfg.worker_class_str) == (DEFAULT_WORKERS,
                                                                 DEFAULT_THREADS, "gthread")
    assert cfg.preload_app is False  # each worker opens its own database and index


def test_gunicorn_settings_from_the_environment_and_a_config_file(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "gunicorn.conf.py").write_text("timeout = 11\nthreads = 3\n")
    cfg = settings(monkeypatch, WEB_CONCURRENCY="5", GUNICORN_CMD_ARGS="--threads 6")
    assert (cfg.workers, cfg.threads, cfg.timeout) == (5, 6, 11)
    cfg = settings(monkeypatch, {"workers": 1, "threads": 1}, WEB_CONCURRENCY="5",
                   GUNICORN_CMD_ARGS="--threads 6")
    assert (cfg.workers, cfg.threads) == (1, 1)  # the command's own options win
