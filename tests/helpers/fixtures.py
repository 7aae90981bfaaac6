"""Shared fixtures: real MariaDB servers started by pid in temp folders, repositories, keyring."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import pytest

from app.core.crypto import KdfParams
from app.core.localserver import LocalServer
from app.core.repository import Repository
from app.core.server import ServerSpec
from app.core.storage import LocalStorage
from tests.helpers.servers import HOSTILE, drop_user_databases, load_sakila, load_sql

# Cheap key derivation for tests; the real defaults are tested once in test_crypto.
TEST_KDF = KdfParams(iterations=1, lanes=1, memory_kib=64)


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring that lives in a dict: unit tests never touch the user's real keyring."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("CUSTODE_PASSWORD", "CUSTODE_REPO", "CUSTODE_SERVER", "MYSQL_PWD"):
        monkeypatch.delenv(name, raising=False)
    # The profile, catalog and demo server of a test live in its own folder, never in ~.
    monkeypatch.setenv("CUSTODE_HOME", str(tmp_path / "custode-home"))


def _start(path: Path, **kwargs: object) -> LocalServer:
    server = LocalServer(path, **kwargs)  # type: ignore[arg-type]
    server.start()
    return server


@pytest.fixture(scope="session")
def source_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    """The server backed up by the tests: Sakila and the hostile schema, binlog on."""
    server = _start(tmp_path_factory.mktemp("source") / "data", binlog=True)
    try:
        load_sakila(server)
        load_sql(server, HOSTILE)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def target_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    """A second, empty server to restore into ("another server")."""
    server = _start(tmp_path_factory.mktemp("target") / "data")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def source_spec(source_server: LocalServer) -> ServerSpec:
    return ServerSpec.parse(source_server.url)


@pytest.fixture
def target_spec(target_server: LocalServer) -> ServerSpec:
    return ServerSpec.parse(target_server.url)


@pytest.fixture
def repo(tmp_path: Path) -> Repository:
    return Repository.init(LocalStorage(tmp_path / "repo"), "correct horse", kdf=TEST_KDF)


@pytest.fixture
def empty_target(target_server: LocalServer) -> Iterator[LocalServer]:
    """The session's target server with no user database before and after the test."""
    drop_user_databases(target_server)
    yield target_server
    drop_user_databases(target_server)


@pytest.fixture
def own(source_server: LocalServer, empty_target: LocalServer) -> Iterator[LocalServer]:
    """The source server, with whatever `cz_` databases a test makes dropped afterwards (and the
    target left empty)."""
    yield source_server
    connection = source_server.connect()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA "
                           "WHERE SCHEMA_NAME LIKE 'cz\\_%'")
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP DATABASE `{name.replace('`', '``')}`")
    finally:
        connection.close()
