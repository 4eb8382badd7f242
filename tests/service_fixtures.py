"""The HTTP service under test: ``seimbang serve`` started as a real process on 127.0.0.1 and a free port.

A server runs on SQLite always and on PostgreSQL and MariaDB on 127.0.0.1 when they run (a fresh database per
run, dropped afterwards; with ``CI=true`` an unreachable server fails instead of skipping, see
records_fixtures). Tokens for every role are made through the records store, as ``seimbang tokens create`` does.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import yaml
from records_fixtures import KINDS, server_database

from decision_support import api, records

ROLES = tuple(r.value for r in records.Role)
#: Moves of the shipped Disdukcapil scenario: three administrative staff of the Sekretariat Daerah become
#: counter operators (every rule passes for them on the example dataset).
MOVES = [
    {"nip": "199104182016011879", "to": "LOKET-DUKCAPIL.OPERATOR-DUKCAPIL"},
    {"nip": "197206091997041255", "to": "LOKET-DUKCAPIL.OPERATOR-DUKCAPIL"},
]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A running ``seimbang serve`` process, its records database and a token per role."""

    db_url: str
    log: Path
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    tokens: dict[str, str] = field(default_factory=dict)
    #: Clients handed out, closed when the server stops.
    _clients: dict[tuple[str | None, str | None], httpx.Client] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 240) -> None:
        self.port = free_port()
        command = [
            str(Path(sys.executable).parent / "seimbang"),
            "serve",
            "--db",
            self.db_url,
            "--port",
            str(self.port),
        ]
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env.pop("SEIMBANG_LANG", None)
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the server exited with {self.process.returncode}:\n{self.log.read_text()}")
            try:
                if httpx.get(self.base + "/api/v1/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self.stop()
        raise AssertionError(f"the server did not answer within {timeout} s:\n{self.log.read_text()}")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        for client in self._clients.values():
            client.close()
        self._clients.clear()
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(sig)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)

    def client(self, role: str | None = None, *, language: str | None = None) -> httpx.Client:
        """A client of the API with the token of ``role``; one per (role, language), kept until the server stops."""
        key = (role, language)
        if key in self._clients:
            return self._clients[key]
        headers = {}
        if role is not None:
            headers["Authorization"] = f"Bearer {self.tokens[role]}"
        if language is not None:
            headers["Accept-Language"] = language
        client = httpx.Client(base_url=self.base + "/api/v1", headers=headers, timeout=120)
        self._clients[key] = client
        return client

    def store(self) -> records.Store:
        return records.open_store(self.db_url)


def make_tokens(db_url: str) -> dict[str, str]:
    with records.open_store(db_url) as store:
        made = {}
        for role in ROLES:
            nip = MOVES[0]["nip"] if role == "employee" else None
            _info, secret = store.tokens.create(f"test {role}", role, nip, actor="test")
            made[role] = secret
        return made


def running_server(db_url: str, log: Path) -> Iterator[Server]:
    server = Server(db_url, log)
    server.tokens = make_tokens(db_url)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def database(kind: str, folder: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'service.db'}"
    else:
        yield from server_database(kind)


@pytest.fixture(scope="module", params=KINDS)
def served(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server on each of SQLite, PostgreSQL and MariaDB."""
    folder = tmp_path_factory.mktemp(f"service-{request.param}")
    for url in database(request.param, folder):
        yield from running_server(url, folder / "server.log")


@pytest.fixture(scope="session")
def sqlite_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server on SQLite only, shared by the test files whose subject is not the database."""
    folder = tmp_path_factory.mktemp("service-sqlite")
    yield from running_server(f"sqlite:///{folder / 'service.db'}", folder / "server.log")


def short_scenario(days: int = 2) -> str:
    """The shipped Disdukcapil scenario over ``days`` days: a simulation of seconds, not minutes."""
    data = yaml.safe_load((api.shipped_path("scenarios") / "disdukcapil-mpp.yaml").read_text(encoding="utf-8"))
    data["horizon"]["days"] = days
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def wait_for_job(client: httpx.Client, href: str, states: tuple[str, ...], timeout: float = 120) -> dict:
    """Poll the job until it reaches one of ``states``; every state seen on the way is kept in ``seen``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(href.removeprefix("/api/v1")).json()
        if job["state"] in states:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {href} did not reach {states} within {timeout} s")
