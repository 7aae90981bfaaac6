# ruff: noqa: F811 - the sshd fixtures are imported into this module and used as arguments
"""The SFTP backend against a real OpenSSH server (tests/helpers/sshserver.py) on 127.0.0.1.

Host keys, key and password logins, the storage contract, dropped connections (a proxy that cuts
them), threads, and a Sakila backup that restores identical from an SFTP repository.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import paramiko
import pytest

from app.core import secrets, storage_sftp
from app.core.backup import BackupOptions, run_backup
from app.core.errors import ConfigError, OperationFailed
from app.core.localserver import LocalServer
from app.core.prune import prune
from app.core.repository import Repository
from app.core.server import ServerSpec
from app.core.storage import open_storage
from app.core.storage_sftp import (
    AuthenticationFailed,
    HostKeyChanged,
    SftpStorage,
    UnknownHostKey,
    custode_known_hosts,
    key_account,
    parse_location,
    trust_host_key,
)
from app.core.verify import verify_backups
from tests.helpers.fixtures import TEST_KDF, MemoryKeyring
from tests.helpers.restored import assert_restores_identical
from tests.helpers.sshserver import (  # noqa: F401 - fixtures, used as arguments
    PasswordUser,
    SshServer,
    TcpProxy,
    keygen,
    password_user,
    ssh_home,
    ssh_server,
)
from tests.helpers.storage_contract import check_storage_contract


def host_key_of(server: SshServer) -> paramiko.PKey:
    kind, blob = server.host_key.with_suffix(".pub").read_text().split()[:2]
    return paramiko.PKey.from_type_string(kind, base64.b64decode(blob))


@pytest.fixture(autouse=True)
def _no_prompts(ssh_home: Path) -> Iterator[None]:
    previous = storage_sftp.PROMPTS
    storage_sftp.PROMPTS = storage_sftp.Prompts()
    yield
    storage_sftp.PROMPTS = previous


@pytest.fixture
def trusted(ssh_server: SshServer) -> SshServer:
    trust_host_key(ssh_server.host, ssh_server.port, host_key_of(ssh_server))
    return ssh_server


def location(server: SshServer, folder: Path | str, port: int | None = None, key: bool = True,
             user: str = "root") -> str:
    query = f"?key={server.client_key}" if key else ""
    return f"sftp://{user}@127.0.0.1:{port or server.port}{folder}{query}"


@pytest.fixture
def storage(trusted: SshServer, tmp_path: Path) -> Iterator[SftpStorage]:
    with SftpStorage(location(trusted, tmp_path / "repo"), backoff=0.01) as opened:
        yield opened


@pytest.fixture
def proxy(trusted: SshServer) -> Iterator[TcpProxy]:
    relay = TcpProxy(trusted.host, trusted.port)
    trust_host_key(trusted.host, relay.port, host_key_of(trusted))
    yield relay
    relay.close()


# -- locations -------------------------------------------------------------------------------------
def test_locations_are_parsed_and_bad_ones_explained() -> None:
    plain = parse_location("sftp://backup@files.example.com/srv/custode/")
    assert (plain.user, plain.host, plain.port, plain.path) == (
        "backup", "files.example.com", 22, "/srv/custode")
    assert plain.account == "sftp://backup@files.example.com:22"
    home = parse_location("sftp://u@h:2222/~/backups?key=~/.ssh/id_custode")
    assert (home.port, home.path, home.key_file) == (2222, "backups", "~/.ssh/id_custode")
    assert home.url == "sftp://u@h:2222/~/backups?key=~/.ssh/id_custode"
    assert parse_location("sftp://u@h/~").path == ""
    assert parse_location("sftp://u@[::1]:2200/x").account == "sftp://u@[::1]:2200"
    for bad, words in [("sftp://u:secret@h/x", "do not put a password"),
                       ("sftp://h/x", "no user name"), ("sftp://u@h", "no folder"),
                       ("sftp://u@h:99999/x", "bad port"), ("sftp://u@h/x?pass=1", "unknown option"),
                       ("sftp://u@h/a/../b", "'..'")]:
        with pytest.raises(ConfigError, match=words) as caught:
            parse_location(bad)
        assert "secret" not in str(caught.value)


# -- the contract and the basics -------------------------------------------------------------------
def test_storage_contract(storage: SftpStorage, tmp_path: Path) -> None:
    check_storage_contract(storage)
    # What is on the server is what the contract wrote: no temporary file is left behind.
    on_disk = sorted(p.relative_to(tmp_path / "repo").as_posix()
                     for p in (tmp_path / "repo").rglob("*") if p.is_file())
    assert on_disk == ["backups/0001", "config", "data/ab/ab01"]


def test_prune_removes_what_a_killed_writer_left_on_the_server(storage: SftpStorage,
                                                               tmp_path: Path) -> None:
    repo = Repository.init(storage, "sftp pass", kdf=TEST_KDF)
    left = tmp_path / "repo" / "data" / "ab" / ".tmp-0123456789abcdef"
    left.parent.mkdir(parents=True, exist_ok=True)
    left.write_bytes(b"x" * 1000)           # what a job killed in the middle of a write leaves
    assert [(name, size) for name, size, _ in storage.temporary_files()] == [
        ("data/ab/.tmp-0123456789abcdef", 1000)]
    assert not any(".tmp-" in name for name in storage.list(""))
    dry = prune(repo, dry_run=True)
    assert (dry.temporary, dry.temporary_bytes) == (1, 1000) and left.exists()
    done = prune(repo)
    assert (done.temporary, done.temporary_bytes) == (1, 1000)
    assert not left.exists() and not list(storage.temporary_files())


def test_open_storage_dispatches_and_connects(trusted: SshServer, tmp_path: Path) -> None:
    opened = open_storage(location(trusted, tmp_path / "r"))
    assert isinstance(opened, SftpStorage)
    assert opened.location == location(trusted, tmp_path / "r")
    opened.close()


def test_threads_share_one_connection(storage: SftpStorage) -> None:
    payloads = {f"data/{i % 7:02x}/{i:04d}": os.urandom(1000 + i * 997) for i in range(80)}

    def put_and_check(item: tuple[str, bytes]) -> None:
        name, data = item
        assert storage.write(name, [data[:500], data[500:]]) == len(data)
        assert storage.exists(name)
        assert b"".join(storage.read(name)) == data

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(put_and_check, payloads.items()))
    assert list(storage.list("data")) == sorted(payloads)
    assert storage._leased == 0 and len(storage._idle) <= storage_sftp.MAX_CHANNELS
    assert storage.reconnects == 0


def test_an_abandoned_read_does_not_disturb_the_next(storage: SftpStorage) -> None:
    data = os.urandom(3 * 1024 * 1024)
    storage.write("a", [data])
    stream = storage.read("a")
    next(stream)
    del stream                                     # dropped half-way (e.g. a consumer failed)
    assert b"".join(storage.read("a")) == data
    assert storage.size("a") == len(data)


# -- host keys -------------------------------------------------------------------------------------
def test_unknown_host_key_is_refused_until_trusted(ssh_server: SshServer, tmp_path: Path) -> None:
    where = location(ssh_server, tmp_path / "r")
    with pytest.raises(UnknownHostKey) as caught:
        open_storage(where)
    error = caught.value
    assert (error.host, error.port, error.key_type) == ("127.0.0.1", ssh_server.port, "ED25519")
    assert error.fingerprint == ssh_server.host_fingerprint      # as ssh-keygen -lf prints it
    assert f"--trust-host-key {error.fingerprint}" in str(error)
    assert error.exit_code == 2
    assert not custode_known_hosts().exists()

    written = trust_host_key(error.host, error.port, error.key)
    assert written == custode_known_hosts()
    assert written.read_text().startswith(f"[127.0.0.1]:{ssh_server.port} ssh-ed25519 ")
    trust_host_key(error.host, error.port, error.key)          # trusting twice keeps one line
    assert len(written.read_text().splitlines()) == 1
    open_storage(where).close()                                    # now it connects


def test_a_prompt_decides_about_an_unknown_key(ssh_server: SshServer, tmp_path: Path) -> None:
    asked: list[str] = []
    storage_sftp.PROMPTS.trust_host = lambda e: asked.append(e.fingerprint) is not None  # says no
    with pytest.raises(UnknownHostKey):
        open_storage(location(ssh_server, tmp_path / "r"))
    assert asked == [ssh_server.host_fingerprint]
    storage_sftp.PROMPTS.trust_host = lambda e: True
    open_storage(location(ssh_server, tmp_path / "r")).close()
    assert ssh_server.host_fingerprint.split(":")[1] not in custode_known_hosts().read_text()
    assert custode_known_hosts().read_text().split()[2] == ssh_server.host_key.with_suffix(
        ".pub").read_text().split()[1]


def test_the_users_own_known_hosts_counts_hashed_too(ssh_server: SshServer, ssh_home: Path,
                                                     tmp_path: Path) -> None:
    known = ssh_home / ".ssh" / "known_hosts"
    known.parent.mkdir()
    public = ssh_server.host_key.with_suffix(".pub").read_text().split()
    known.write_text(f"[127.0.0.1]:{ssh_server.port} {public[0]} {public[1]}\n")
    os.system(f"ssh-keygen -q -H -f {known} >/dev/null 2>&1")           # hash the names
    assert "|1|" in known.read_text()
    open_storage(location(ssh_server, tmp_path / "r")).close()
    assert not custode_known_hosts().exists()


def test_a_changed_host_key_is_refused_never_accepted(ssh_server: SshServer, ssh_home: Path,
                                                      tmp_path: Path) -> None:
    other = keygen(tmp_path / "other_host_key")
    public = other.with_suffix(".pub").read_text().split()
    known = ssh_home / ".ssh" / "known_hosts"
    known.parent.mkdir()
    known.write_text(f"[127.0.0.1]:{ssh_server.port} {public[0]} {public[1]}\n")
    storage_sftp.PROMPTS.trust_host = lambda e: True       # even a yes-to-everything prompt
    with pytest.raises(HostKeyChanged) as caught:
        open_storage(location(ssh_server, tmp_path / "r"))
    message = str(caught.value)
    assert "CHANGED" in message and "man-in-the-middle" in message
    assert ssh_server.host_fingerprint in message
    assert f"ssh-keygen -R '[127.0.0.1]:{ssh_server.port}' -f {known}" in message
    assert not custode_known_hosts().exists()
    # Trusting the new key in Custode's file does not override the user's own record either.
    trust_host_key(ssh_server.host, ssh_server.port, host_key_of(ssh_server))
    with pytest.raises(HostKeyChanged):
        open_storage(location(ssh_server, tmp_path / "r"))


# -- logging in ------------------------------------------------------------------------------------
def test_a_key_the_server_does_not_know_is_refused(trusted: SshServer, tmp_path: Path) -> None:
    stranger = keygen(tmp_path / "stranger")
    with pytest.raises(AuthenticationFailed, match="refused the login of root") as caught:
        open_storage(f"sftp://root@127.0.0.1:{trusted.port}/tmp/x?key={stranger}")
    assert str(stranger) in str(caught.value) and caught.value.exit_code == 2
    with pytest.raises(ConfigError, match="does not exist"):
        open_storage(f"sftp://root@127.0.0.1:{trusted.port}/tmp/x?key={tmp_path}/nokey")


def test_keys_from_the_home_folder(trusted: SshServer, ssh_home: Path, tmp_path: Path) -> None:
    with pytest.raises(AuthenticationFailed, match="no key found"):
        open_storage(location(trusted, tmp_path / "r", key=False))
    (ssh_home / ".ssh").mkdir()
    shutil.copy(trusted.client_key, ssh_home / ".ssh" / "id_ed25519")
    open_storage(location(trusted, tmp_path / "r", key=False)).close()


def test_an_encrypted_key_takes_its_passphrase_from_the_keyring(
        trusted: SshServer, tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    locked = keygen(tmp_path / "locked", passphrase="open sesame")
    with open(trusted.authorized_keys, "a") as keys:
        keys.write(locked.with_suffix(".pub").read_text())
    where = location(trusted, tmp_path / "r").replace(str(trusted.client_key), str(locked))
    with pytest.raises(ConfigError, match="encrypted and no passphrase") as caught:
        open_storage(where)
    assert key_account(locked) in str(caught.value)
    secrets.set_secret(secrets.STORAGE_SERVICE, key_account(locked), "wrong")
    with pytest.raises(ConfigError, match="wrong passphrase"):
        open_storage(where)
    secrets.set_secret(secrets.STORAGE_SERVICE, key_account(locked), "open sesame")
    open_storage(where).close()


def test_password_login_and_a_home_relative_folder(trusted: SshServer,
                                                   password_user: PasswordUser | None,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    if password_user is None:
        pytest.skip("useradd/chpasswd do not work here: no user with a password")
    where = f"sftp://{password_user.name}@127.0.0.1:{trusted.port}/~/repo"
    monkeypatch.setenv(storage_sftp.PASSWORD_ENV, password_user.password)
    with open_storage(where) as opened:   # type: ignore[attr-defined]
        opened.write("config", [b"hello"])
    assert (password_user.home / "repo" / "config").read_bytes() == b"hello"

    # From the keyring, under sftp://user@host:port.
    monkeypatch.delenv(storage_sftp.PASSWORD_ENV)
    account = f"sftp://{password_user.name}@127.0.0.1:{trusted.port}"
    secrets.set_secret(secrets.STORAGE_SERVICE, account, password_user.password)
    with open_storage(where) as opened:   # type: ignore[attr-defined]
        assert list(opened.list("")) == ["config"]


def test_a_wrong_password_fails_fast_without_showing_it(trusted: SshServer,
                                                        password_user: PasswordUser | None,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    user = password_user.name if password_user else "nobody-here"
    monkeypatch.setenv(storage_sftp.PASSWORD_ENV, "not-the-password-1234")
    with pytest.raises(AuthenticationFailed) as caught:
        SftpStorage(f"sftp://{user}@127.0.0.1:{trusted.port}/~/repo").connect()
    message = str(caught.value)
    assert "refused the password" in message and storage_sftp.PASSWORD_ENV in message
    assert "not-the-password-1234" not in message and "\n" not in message


def test_permission_denied_is_one_clear_line(trusted: SshServer, password_user: PasswordUser | None,
                                             monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    if password_user is None:
        pytest.skip("useradd/chpasswd do not work here: no user with a password")
    monkeypatch.setenv(storage_sftp.PASSWORD_ENV, password_user.password)
    with SftpStorage(f"sftp://{password_user.name}@127.0.0.1:{trusted.port}/etc/custode-test",
                     backoff=0.01) as opened:
        with pytest.raises(ConfigError, match="permission denied") as caught:
            opened.write("config", [b"x"])
        assert opened.reconnects == 0
    assert not Path("/etc/custode-test").exists()
    assert "\n" not in str(caught.value)


# -- dropped connections ---------------------------------------------------------------------------
def test_a_write_survives_a_dropped_connection(proxy: TcpProxy, trusted: SshServer,
                                               tmp_path: Path) -> None:
    data = os.urandom(24 * 1024 * 1024)
    with SftpStorage(location(trusted, tmp_path / "repo", port=proxy.port), backoff=0.05) as s:
        s.connect()

        def blocks() -> Iterator[bytes]:
            for start in range(0, len(data), 1 << 20):
                if start == 12 << 20:
                    proxy.cut()                      # the network goes away half-way
                yield data[start:start + (1 << 20)]

        assert s.write("data/ab/big", blocks()) == len(data)
        assert s.reconnects >= 1
        assert hashlib.sha256(b"".join(s.read("data/ab/big"))).digest() == hashlib.sha256(data).digest()
    assert proxy.accepted >= 2
    leftovers = [p.name for p in (tmp_path / "repo").rglob("*") if p.is_file()]
    assert leftovers == ["big"]                  # the broken attempt's temporary file was removed


def test_a_read_resumes_after_a_dropped_connection(proxy: TcpProxy, trusted: SshServer,
                                                   tmp_path: Path) -> None:
    data = os.urandom(8 * 1024 * 1024 + 5)
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "obj").write_bytes(data)
    with SftpStorage(location(trusted, tmp_path / "repo", port=proxy.port), backoff=0.05) as s:
        received = bytearray()
        for index, block in enumerate(s.read("obj")):
            received += block
            if index == 2:
                proxy.cut()
        assert bytes(received) == data
        assert s.reconnects >= 1
        assert s.exists("obj") and list(s.list("")) == ["obj"]     # later calls reconnect too


def test_an_unreachable_server_gives_up_with_one_line(tmp_path: Path) -> None:
    relay = TcpProxy("127.0.0.1", 1)
    port = relay.port
    relay.close()                                  # nothing listens there any more
    s = SftpStorage(f"sftp://root@127.0.0.1:{port}/tmp/x", attempts=2, backoff=0.01)
    with pytest.raises(OperationFailed, match="the connection failed 2 times") as caught:
        s.exists("config")
    assert "\n" not in str(caught.value)
    with pytest.raises(ConfigError, match="cannot find the SFTP host"):
        SftpStorage("sftp://root@no-such-host.invalid/tmp/x", attempts=1).connect()


# -- end to end ------------------------------------------------------------------------------------
@pytest.mark.slow
def test_sakila_backed_up_to_sftp_restores_identical(storage: SftpStorage,
                                                     source_server: LocalServer,
                                                     target_server: LocalServer) -> None:
    repo = Repository.init(storage, "sftp pass", kdf=TEST_KDF)
    result = run_backup(repo, ServerSpec.parse(source_server.url), "",
                        BackupOptions(databases=["sakila"], jobs=3))
    assert storage._leased == 0
    reopened = Repository.open(SftpStorage(storage.location), "sftp pass")
    report = verify_backups(reopened, [result.backup_id])
    assert report.ok and report.objects > 0
    try:
        assert_restores_identical(reopened, result.backup_id, source_server, target_server, jobs=3)
    finally:
        reopened.storage.close()  # type: ignore[attr-defined]


def test_storage_names_cannot_escape(storage: SftpStorage) -> None:
    for bad in ("../x", "/etc/passwd", "a/../../b"):
        with pytest.raises(ValueError):
            storage.exists(bad)


def test_the_lock_and_channels_are_released_after_errors(storage: SftpStorage) -> None:
    with pytest.raises(FileNotFoundError):
        storage.read("missing")
    with pytest.raises(FileNotFoundError):
        storage.size("missing")
    barrier = threading.Barrier(3)

    def hit() -> bool:
        barrier.wait()
        return storage.exists("missing")

    with ThreadPoolExecutor(max_workers=3) as pool:
        assert list(pool.map(lambda _: hit(), range(3))) == [False] * 3
    assert storage._leased == 0
