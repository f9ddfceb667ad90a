"""Several nodes over one database (issue 12): two real server processes, each with its own
search index and upload folder and no disk in common, behind an imaginary load balancer.

A sheet saved on A is found by B's very next search (B's index catches up from the shared
change log), a file uploaded on A is served by B, and failed sign-ins spread over both are
counted together in Redis."""

import os
import re
import socket
import subprocess
import sys
import time
import uuid

import httpx
import pytest

from practices import tokens
from tests.conftest import PASSWORD
from tests.wiki.test_shared_state import REDIS_URL, own_redis_prefix
from tests.wiki.test_upload_store import png_bytes

PORTS = range(
    int(os.environ.get("TEST_PORT_FIRST", 5180)), int(os.environ.get("TEST_PORT_FIRST", 5180)) + 10
)


def free_port(taken: set[int]) -> int:
    for port in PORTS:
        if port in taken:
            continue
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    pytest.fail(f"no free port in {PORTS}")


def start_node(database_url: str, folder, port: int, redis_prefix: str) -> subprocess.Popen:
    folder.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SEARCH_INDEX_DIR": str(folder / "index"),
        "UPLOAD_DIR": str(folder / "uploads"),
        "SECRET_KEY": os.environ["SECRET_KEY"],
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": redis_prefix,
        "TRUSTED_PROXIES": "1",
        "PYTHONWARNINGS": "ignore",
    }
    with open(folder / "log", "w") as log:  # the server keeps its own copy of the handle
        return subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from wiki.cli import main; main()",
                "run",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-reload",
                "--no-debugger",
            ],
            env=env,
            cwd=folder,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def wait_until_up(base: str, process: subprocess.Popen, log) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the server stopped: {log.read_text()}"
        try:
            httpx.get(base + "/login", timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    pytest.fail(f"{base} did not start")


@pytest.fixture(scope="module")
def shared_prefix(database_url):
    with own_redis_prefix() as prefix:
        yield prefix


@pytest.fixture(scope="module")
def nodes(database_url, tmp_path_factory, shared_prefix):
    """Two servers, A and B, on the test database; their base URLs. Started once per module
    (a start costs seconds); tests that search keep to rows they create themselves."""
    tmp_path = tmp_path_factory.mktemp("nodes")
    redis_prefix = shared_prefix
    ports: set[int] = set()
    started, bases = [], []
    try:
        for name in ("a", "b"):
            port = free_port(ports)
            ports.add(port)
            started.append(start_node(database_url, tmp_path / name, port, redis_prefix))
            bases.append(f"http://127.0.0.1:{port}")
        for base, process, name in zip(bases, started, "ab", strict=True):
            wait_until_up(base, process, tmp_path / name / "log")
        yield bases
    finally:
        for process in started:
            process.terminate()
            process.wait(timeout=20)


def signed_in(base: str, email: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    token = csrf_token(client, "/login")
    response = client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 303, response.text
    return client


def csrf_token(client: httpx.Client, path: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text).group(1)


def test_a_sheet_saved_on_one_node_is_found_by_the_next_search_on_another(
    nodes, make_user, session, app
):
    a, b = nodes
    author = make_user()
    _token, plain = tokens.create(session, author, "nodes", key=app.config["SECRET_KEY"])
    session.commit()
    headers = {"Authorization": f"Bearer {plain}"}
    word = f"zq{uuid.uuid4().hex[:8]}"
    search = {"q": word}
    assert (
        httpx.get(f"{b}/api/v1/practices", params=search, headers=headers, timeout=30).json()[
            "items"
        ]
        == []
    )  # B has built its index before the save
    saved = httpx.post(
        f"{a}/api/v1/practices",
        headers=headers,
        timeout=30,
        json={"title": f"Stone lines {word}", "summary": "Contour bunds."},
    )
    assert saved.status_code == 201, saved.text
    found = httpx.get(f"{b}/api/v1/practices", params=search, headers=headers, timeout=30)
    assert [item["slug"] for item in found.json()["items"]] == [saved.json()["slug"]]


def test_a_file_uploaded_on_one_node_is_served_by_another(nodes, make_user):
    a, b = nodes
    user = make_user()
    client = signed_in(a, user.email)
    data = png_bytes((40, 40), noise=True)
    token = csrf_token(client, "/uploads/")
    done = client.post(
        "/uploads/", data={"csrf_token": token}, files={"file": ("field.png", data, "image/png")}
    )
    assert done.status_code == 200, done.text
    url = re.search(r"\]\((/uploads/[^)]+)\)", done.text).group(1)
    served = httpx.get(b + url, timeout=30)
    assert served.status_code == 200 and served.content == data
    client.close()


def test_failed_sign_ins_spread_over_nodes_are_throttled_together(nodes, make_user):
    user = make_user()
    behind_the_balancer = {"X-Forwarded-For": "203.0.113.66"}  # the nodes trust one proxy
    clients = [
        httpx.Client(base_url=base, timeout=30, headers=behind_the_balancer) for base in nodes
    ]
    tokens_by_node = [csrf_token(client, "/login") for client in clients]
    codes = []
    for attempt in range(15):
        node = attempt % len(clients)
        codes.append(
            clients[node]
            .post(
                "/login",
                data={
                    "email": user.email,
                    "password": "wrong guess",
                    "csrf_token": tokens_by_node[node],
                },
            )
            .status_code
        )
    assert codes == [401] * 10 + [429] * 5
    with httpx.Client(
        base_url=nodes[0], timeout=30, headers={"X-Forwarded-For": "203.0.113.67"}
    ) as someone_else:
        answer = someone_else.post(
            "/login",
            data={
                "email": "other@example.org",
                "password": "typo",
                "csrf_token": csrf_token(someone_else, "/login"),
            },
        )
        assert answer.status_code == 401  # another visitor is not throttled
    for client in clients:
        client.close()
