"""FTPS storage against a real pyftpdlib server with TLS required on both channels."""

from __future__ import annotations

import hashlib
import os
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core import storage_ftps
from app.core.backup import BackupOptions, run_backup
from app.core.errors import ConfigError, OperationFailed
from app.core.localserver import LocalServer
from app.core.prune import prune
from app.core.repository import Repository
from app.core.server import ServerSpec
from app.core.storage import READ_BLOCK, open_storage
from app.core.verify import verify_backups
from tests.helpers.fixtures import TEST_KDF, MemoryKeyring
from tests.helpers.ftpserver import PASSWORD, FtpsServer
from tests.helpers.restored import assert_restores_identical
from tests.helpers.storage_contract import check_storage_contract


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FtpsServer]:
    ftps = FtpsServer(tmp_path_factory.mktemp("ftps"))
    ftps.start()
    try:
        yield ftps
    finally:
        ftps.stop()


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUSTODE_FTPS_PASSWORD", PASSWORD)
    # Retries wait a little less than in real life, so that failure tests stay quick.
    monkeypatch.setattr(storage_ftps, "BACKOFF", (0.1, 0.2, 0.4, 0.8))


def _fresh(server: FtpsServer) -> tuple[storage_ftps.FtpsStorage, str]:
    folder = f"t-{uuid.uuid4().hex[:8]}"
    storage = open_storage(server.location(f"backups/{folder}"))
    assert isinstance(storage, storage_ftps.FtpsStorage)
    return storage, folder


def _files_on_server(server: FtpsServer, folder: str) -> list[str]:
    root = server.home / "backups" / folder
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_the_storage_contract(server: FtpsServer) -> None:
    storage, folder = _fresh(server)
    check_storage_contract(storage)
    # What the server holds is exactly what list() says: no temporary file is left behind,
    # not even by the write that failed half-way.
    assert _files_on_server(server, folder) == ["backups/0001", "config", "data/ab/ab01"]
    assert (server.home / "backups" / folder / "config").read_bytes() == b"{}"
    storage.close()


def test_password_from_the_keyring(server: FtpsServer, monkeypatch: pytest.MonkeyPatch,
                                   memory_keyring: MemoryKeyring) -> None:
    monkeypatch.delenv("CUSTODE_FTPS_PASSWORD")
    with pytest.raises(ConfigError) as missing:
        open_storage(server.location())
    assert f"service custode-storage, account {server.account}" in str(missing.value)
    assert storage_ftps.remember_password(server.location(), PASSWORD)
    assert memory_keyring.store[("custode-storage", server.account)] == PASSWORD
    storage = open_storage(server.location("from-keyring"))
    storage.write("x", [b"1"])
    assert list(storage.list("")) == ["x"]


def test_a_wrong_password_is_refused_in_one_line_without_the_password(
        server: FtpsServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUSTODE_FTPS_PASSWORD", "not the password")
    started = time.monotonic()
    with pytest.raises(ConfigError) as refused:
        open_storage(server.location())
    message = str(refused.value)
    assert "refused the login of 'backup'" in message and "check the user and the password" in message
    assert "not the password" not in message and "\n" not in message
    assert time.monotonic() - started < 2                         # permanent: no retries
    with pytest.raises(ConfigError, match="refused the login of 'nobody'"):
        open_storage(server.location(user="nobody"))


def test_an_untrusted_certificate_is_refused(server: FtpsServer, tmp_path: Path) -> None:
    without_ca = server.location().split("?")[0]                  # only the system CAs
    with pytest.raises(ConfigError) as refused:
        open_storage(without_ca)
    assert "is not trusted" in str(refused.value) and "?ca=" in str(refused.value)
    other = FtpsServer(tmp_path)                                   # another self-signed cert
    with pytest.raises(ConfigError, match="is not trusted"):
        open_storage(f"{without_ca}?ca={other.ca}")


def test_a_server_without_tls_is_refused_before_the_password_is_sent(tmp_path: Path) -> None:
    plain = FtpsServer(tmp_path, plain=True)
    plain.start()
    try:
        with pytest.raises(ConfigError) as refused:
            open_storage(plain.location())
    finally:
        plain.stop()
    assert "does not offer FTP over TLS" in str(refused.value)
    assert "never sends a password over plain FTP" in str(refused.value)
    assert "logged in" not in (tmp_path / "server.log").read_text()


@pytest.mark.parametrize(("location", "message"), [
    ("ftps://backup:secret@127.0.0.1/x", "do not put the FTPS password in the location"),
    ("ftps://127.0.0.1/x", "needs a user and a host"),
    ("ftps://backup@127.0.0.1/x?insecure=1", "unknown option 'insecure'"),
    ("ftps://backup@127.0.0.1/x?ca=/no/such/file.pem", "does not exist"),
    ("ftps://backup@127.0.0.1/a/../../x", "must not contain '..'"),
    ("ftps://backup@127.0.0.1:99999/x", "bad port"),
])
def test_bad_locations_say_what_is_wrong(location: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as error:
        open_storage(location)
    assert "secret" not in str(error.value)


def test_location_paths() -> None:
    parse = storage_ftps.parse_location
    assert parse("ftps://u@h/backups/db1").path == "backups/db1"        # from the login folder
    assert parse("ftps://u@h//srv/backups").path == "/srv/backups"      # absolute
    assert parse("ftps://u@h").path == ""
    where = parse("ftps://u%40corp@example.org:2121/x")
    assert (where.user, where.host, where.port, where.account) == (
        "u@corp", "example.org", 2121, "ftps://u@corp@example.org:2121")


def test_a_missing_folder_is_an_empty_place_and_not_a_repository(server: FtpsServer) -> None:
    storage, _folder = _fresh(server)
    assert list(storage.list("")) == []
    with pytest.raises(ConfigError, match=r"no repository at ftps://.*create one with 'custode init'"):
        Repository.open(storage, "pw")


def test_reads_stream_in_blocks_and_an_abandoned_read_frees_nothing_it_should_not(
        server: FtpsServer) -> None:
    storage, _folder = _fresh(server)
    data = os.urandom(5 * READ_BLOCK + 3)
    storage.write("big", [data])
    sizes = [len(block) for block in storage.read("big")]
    assert max(sizes) <= READ_BLOCK and len(sizes) >= 5 and sum(sizes) == len(data)
    reader = storage.read("big")
    assert len(next(reader)) == READ_BLOCK
    reader.close()                                               # the consumer gave up half-way
    assert b"".join(storage.read("big")) == data                 # and the storage still works
    assert storage.size("big") == len(data)


def test_a_download_cut_half_way_resumes_where_it_stopped(server: FtpsServer) -> None:
    storage, _folder = _fresh(server)
    data = os.urandom(3 * READ_BLOCK)
    storage.write("obj", [data])
    server.inject(drop_retr_after=READ_BLOCK + 12345)
    assert hashlib.sha256(b"".join(storage.read("obj"))).digest() == hashlib.sha256(data).digest()
    assert "drop_retr_after" not in server.faults.read_text()       # the cut did happen


def test_an_upload_cut_half_way_is_sent_again_and_leaves_no_temporary_file(
        server: FtpsServer) -> None:
    storage, folder = _fresh(server)
    data = os.urandom(2 * READ_BLOCK + 99)
    server.inject(drop_stor_after=READ_BLOCK // 2)
    blocks = (data[i:i + 65536] for i in range(0, len(data), 65536))   # a one-pass generator
    assert storage.write("data/ab/abcd", blocks) == len(data)
    assert "drop_stor_after" not in server.faults.read_text()
    assert b"".join(storage.read("data/ab/abcd")) == data
    assert _files_on_server(server, folder) == ["data/ab/abcd"]


def test_a_restarted_server_is_reconnected_to(server: FtpsServer) -> None:
    storage, _folder = _fresh(server)
    storage.write("a", [b"before"])                 # leaves a pooled connection
    server.stop()
    restart = threading.Timer(0.3, server.start)    # back while the storage is retrying
    restart.start()
    try:
        assert storage.write("b", [b"after"]) == 5
    finally:
        restart.join()
    assert b"".join(storage.read("a")) == b"before"
    assert list(storage.list("")) == ["a", "b"]


def test_an_unreachable_server_fails_after_retries_in_one_line(tmp_path: Path) -> None:
    down = FtpsServer(tmp_path)                     # never started: connection refused
    started = time.monotonic()
    with pytest.raises(OperationFailed) as failed:
        open_storage(down.location())
    message = str(failed.value)
    assert f"failed {storage_ftps.ATTEMPTS} times (connection refused)" in message
    assert "check the network" in message and "\n" not in message
    assert time.monotonic() - started >= sum(storage_ftps.BACKOFF) * 0.9     # it did back off


def test_a_server_that_refuses_to_rename_onto_a_file(tmp_path: Path) -> None:
    strict = FtpsServer(tmp_path, no_overwrite=True)
    strict.start()
    try:
        storage = open_storage(strict.location("repo"))
        storage.write("config", [b"one"])
        storage.write("config", [b"two"])
        assert b"".join(storage.read("config")) == b"two"
        assert list(storage.list("")) == ["config"]
    finally:
        strict.stop()


def test_prune_removes_what_a_killed_writer_left_on_the_server(server: FtpsServer) -> None:
    storage, folder = _fresh(server)
    repo = Repository.init(storage, "ftps pass", kdf=TEST_KDF)
    left = server.home / "backups" / folder / "data" / "ef" / ".tmp-abcdefabcdefabcd"
    left.parent.mkdir(parents=True, exist_ok=True)
    left.write_bytes(b"z" * 555)
    os.utime(left, (1_000_000_000, 1_000_000_000))
    assert list(storage.temporary_files()) == [("data/ef/.tmp-abcdefabcdefabcd", 555, 1_000_000_000.0)]
    assert not any(".tmp-" in name for name in storage.list(""))
    dry = prune(repo, dry_run=True)
    assert (dry.temporary, dry.temporary_bytes) == (1, 555) and left.exists()
    assert prune(repo).temporary == 1
    assert not left.exists() and not list(storage.temporary_files())
    storage.close()


def test_listing_without_mlsd_parses_list(server: FtpsServer) -> None:
    storage, _folder = _fresh(server)
    for name in ("config", "keys/k1", "data/00/0001", "data/ff/ff02"):
        storage.write(name, [name.encode()])
    with_mlsd = list(storage.list(""))
    storage._mlsd = False
    assert list(storage.list("")) == with_mlsd == ["config", "data/00/0001", "data/ff/ff02", "keys/k1"]
    assert list(storage.list("data")) == ["data/00/0001", "data/ff/ff02"]
    assert list(storage.list("nothing")) == []


def test_many_threads_share_one_storage(server: FtpsServer) -> None:
    storage, _folder = _fresh(server)
    payloads = {f"data/{i:02x}/obj{i}": os.urandom(200_000 + i) for i in range(12)}
    errors: list[BaseException] = []

    def work(name: str, payload: bytes) -> None:
        try:
            assert not storage.exists(name)
            storage.write(name, [payload[:1000], payload[1000:]])
            assert storage.exists(name) and storage.size(name) == len(payload)
            assert b"".join(storage.read(name)) == payload
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=item) for item in payloads.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert list(storage.list("data")) == sorted(payloads)


def test_sakila_backs_up_to_ftps_verifies_and_restores_identical(
        server: FtpsServer, source_server: LocalServer, target_server: LocalServer) -> None:
    storage, _folder = _fresh(server)
    repo = Repository.init(storage, "ftps pass", kdf=TEST_KDF)
    result = run_backup(repo, ServerSpec.parse(source_server.url), "",
                        BackupOptions(databases=["sakila"], jobs=3))
    reopened = Repository.open(open_storage(storage.location), "ftps pass")
    assert [b["id"] for b in reopened.list_backups()] == [result.backup_id]
    assert verify_backups(reopened, [result.backup_id], jobs=3).ok
    assert_restores_identical(reopened, result.backup_id, source_server, target_server, jobs=3)
