# ruff: noqa: F811 - the sshd and MariaDB fixtures are imported into this module and used as arguments
"""The SSH tunnel to a database (app/core/tunnel.py) with a real sshd and a MariaDB on TCP.

The database listens on 127.0.0.1 only; Custode reaches it through the sshd on 127.0.0.1 as a
bastion would be used.  A backup with parallel connections uses one SSH login (counted in sshd's
own log), restores identical, and the failures (unknown host key, wrong key, nothing listening
behind the tunnel) are one clear line each.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pymysql
import pytest

from app.core import storage_sftp, tunnel
from app.core.backup import BackupOptions, run_backup
from app.core.errors import ConfigError, OperationFailed
from app.core.repository import Repository
from app.core.restore import RestoreOptions, plan_restore, run_restore
from app.core.server import ServerSpec
from app.core.storage_sftp import AuthenticationFailed, UnknownHostKey, trust_host_key
from tests.core.test_storage_sftp import host_key_of
from tests.helpers.fingerprint import diff, fingerprint
from tests.helpers.sshserver import (  # noqa: F401 - fixtures, used as arguments
    SshServer,
    TcpProxy,
    free_port,
    keygen,
    ssh_home,
    ssh_server,
)
from tests.helpers.tcpserver import TCP_PASSWORD, TCP_USER, TcpServer, tcp_server  # noqa: F401


@pytest.fixture(autouse=True)
def _no_prompts(ssh_home: Path) -> Iterator[None]:
    previous = storage_sftp.PROMPTS
    storage_sftp.PROMPTS = storage_sftp.Prompts()
    yield
    storage_sftp.PROMPTS = previous
    gc.collect()
    assert tunnel.open_tunnels() == [], "a test left an SSH tunnel open"


@pytest.fixture
def trusted(ssh_server: SshServer) -> SshServer:
    trust_host_key(ssh_server.host, ssh_server.port, host_key_of(ssh_server))
    return ssh_server


def spec_for(ssh: SshServer, db_port: int, key: Path | None = None) -> ServerSpec:
    return ServerSpec.parse(f"mysql://{TCP_USER}@127.0.0.1:{db_port}/?ssh=root@127.0.0.1:{ssh.port}"
                            f"&ssh-key={key or ssh.client_key}")


def logins(ssh: SshServer) -> int:
    """SSH logins sshd itself recorded so far."""
    return ssh.log.read_text(errors="replace").count("Accepted publickey for root")


def test_the_url_names_the_tunnel_and_round_trips() -> None:
    url = "mysql://app@127.0.0.1:3307/?ssh=deploy@bastion.example.com:2222&ssh-key=/keys/id_ed25519"
    spec = ServerSpec.parse(url)
    assert (spec.host, spec.port, spec.ssh, spec.ssh_key) == (
        "127.0.0.1", 3307, "deploy@bastion.example.com:2222", "/keys/id_ed25519")
    assert spec.url == url and ServerSpec.parse(spec.url) == spec
    plain = ServerSpec.parse("mysql://app@db:3306/?ssh=deploy@bastion")
    assert plain.ssh_key is None and plain.url == "mysql://app@db:3306/?ssh=deploy@bastion"
    target = tunnel.SshTarget.parse("deploy@bastion.example.com:2222")
    assert (target.user, target.host, target.port) == ("deploy", "bastion.example.com", 2222)
    assert target.account == "ssh://deploy@bastion.example.com:2222"

    with pytest.raises(ConfigError, match="known: socket, ssl-ca, ssl-cert, ssl-key, ssh, ssh-key"):
        ServerSpec.parse("mysql://app@db/?tunnel=x")
    with pytest.raises(ConfigError, match="ssh=user@host"):
        ServerSpec.parse("mysql://app@db/?ssh=bastion")
    with pytest.raises(ConfigError, match="bad port"):
        ServerSpec.parse("mysql://app@db/?ssh=u@bastion:99999")
    with pytest.raises(ConfigError, match="not socket="):
        ServerSpec.parse("mysql://app@db/?ssh=u@bastion&socket=/run/mysqld.sock")
    with pytest.raises(ConfigError, match="needs ssh="):
        ServerSpec.parse("mysql://app@db/?ssh-key=/k")


def test_a_backup_through_the_tunnel_uses_one_ssh_connection_and_restores_identical(
        trusted: SshServer, tcp_server: TcpServer, repo: Repository) -> None:
    spec = spec_for(trusted, tcp_server.port)
    before = logins(trusted)
    result = run_backup(repo, spec, TCP_PASSWORD, BackupOptions(databases=["shop"], jobs=3))
    assert result.manifest["databases"][0]["name"] == "shop"
    assert result.manifest["consistency"] == "global-read-lock"    # so 3 worker connections
    assert logins(trusted) - before == 1          # coordinator + 3 workers: one SSH login
    assert tunnel.open_tunnels() == []            # closed with the last connection

    options = RestoreOptions(rename={"shop": "shop_copy"}, jobs=3)
    try:
        run_restore(repo, plan_restore(repo, result.backup_id, spec, TCP_PASSWORD, options), spec,
                    TCP_PASSWORD, options)
        assert tunnel.open_tunnels() == []
        connection = tcp_server.server.connect()
        try:
            differences = diff(fingerprint(connection, ["shop"]),
                               fingerprint(connection, ["shop"], rename={"shop": "shop_copy"}))
            with connection.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM shop_copy.orders")
                assert cursor.fetchone()[0] == 3000
        finally:
            connection.close()
        assert not differences, "\n".join(differences[:20])
    finally:
        connection = tcp_server.server.connect()
        with connection.cursor() as cursor:
            cursor.execute("DROP DATABASE IF EXISTS shop_copy")
        connection.close()


def test_parallel_connections_share_the_tunnel_until_the_last_closes(
        trusted: SshServer, tcp_server: TcpServer) -> None:
    spec = spec_for(trusted, tcp_server.port)
    before = logins(trusted)
    first, second = spec.connect(TCP_PASSWORD), spec.connect(TCP_PASSWORD)
    [shared] = tunnel.open_tunnels()
    assert shared.users == 2 and shared.transports_opened == 1
    with first.cursor() as cursor:
        cursor.execute("SELECT CONNECTION_ID(), @@port")
        assert cursor.fetchone()[1] == tcp_server.port
    first.close()
    assert tunnel.open_tunnels() == [shared]
    with second.cursor() as cursor:                 # still works with one user left
        cursor.execute("SELECT COUNT(*) FROM shop.orders")
        assert cursor.fetchone()[0] == 3000
    del second                                      # dropped without close(): lease given back
    gc.collect()
    assert tunnel.open_tunnels() == []
    assert logins(trusted) - before == 1


def test_an_unknown_host_key_is_refused_until_trusted(ssh_server: SshServer,
                                                      tcp_server: TcpServer) -> None:
    spec = spec_for(ssh_server, tcp_server.port)
    with pytest.raises(UnknownHostKey) as refused:
        spec.connect(TCP_PASSWORD)
    assert refused.value.fingerprint == ssh_server.host_fingerprint
    assert f"--trust-host-key {ssh_server.host_fingerprint}" in str(refused.value)
    assert tunnel.open_tunnels() == []

    asked: list[str] = []
    storage_sftp.PROMPTS = storage_sftp.Prompts(
        trust_host=lambda error: asked.append(error.fingerprint) is None)
    spec.connect(TCP_PASSWORD).close()
    assert asked == [ssh_server.host_fingerprint]
    storage_sftp.PROMPTS = storage_sftp.Prompts()
    spec.connect(TCP_PASSWORD).close()              # trusted from now on: no question
    assert asked == [ssh_server.host_fingerprint]


def test_a_wrong_ssh_key_is_one_clear_line(trusted: SshServer, tcp_server: TcpServer,
                                           tmp_path: Path) -> None:
    stranger = keygen(tmp_path / "stranger")
    with pytest.raises(AuthenticationFailed) as refused:
        spec_for(trusted, tcp_server.port, stranger).connect(TCP_PASSWORD)
    message = str(refused.value)
    assert f"ssh://root@127.0.0.1:{trusted.port} refused the login of root" in message
    assert str(stranger) in message and "ssh-key=" in message and "?key=" not in message
    assert "\n" not in message and TCP_PASSWORD not in message

    with pytest.raises(ConfigError, match="does not exist: fix ssh-key= in the server URL"):
        spec_for(trusted, tcp_server.port, tmp_path / "missing").connect(TCP_PASSWORD)


def test_nothing_listening_behind_the_tunnel_is_said_precisely(trusted: SshServer) -> None:
    closed = free_port()
    with pytest.raises(OperationFailed) as failed:
        spec_for(trusted, closed).connect(TCP_PASSWORD, connect_timeout=5)
    message = str(failed.value)
    assert (f"the SSH server root@127.0.0.1:{trusted.port} cannot reach the database at "
            f"127.0.0.1:{closed}") in message
    assert "\n" not in message


def test_an_ssh_server_that_is_not_there_is_one_line(tcp_server: TcpServer) -> None:
    nobody = free_port()
    spec = ServerSpec.parse(f"mysql://{TCP_USER}@127.0.0.1:{tcp_server.port}/"
                            f"?ssh=root@127.0.0.1:{nobody}")
    with pytest.raises(OperationFailed, match=f"cannot connect to the SSH server root@127.0.0.1:{nobody}"):
        spec.connect(TCP_PASSWORD)


def test_a_dropped_ssh_connection_is_opened_again_for_the_next_connection(
        ssh_server: SshServer, tcp_server: TcpServer) -> None:
    proxy = TcpProxy(ssh_server.host, ssh_server.port)
    try:
        trust_host_key("127.0.0.1", proxy.port, host_key_of(ssh_server))
        spec = ServerSpec.parse(f"mysql://{TCP_USER}@127.0.0.1:{tcp_server.port}/"
                                f"?ssh=root@127.0.0.1:{proxy.port}&ssh-key={ssh_server.client_key}")
        assert spec.ssh is not None
        target = tunnel.SshTarget.parse(spec.ssh, spec.ssh_key)
        with tunnel.tunnel(target, "127.0.0.1", tcp_server.port) as shared:   # held across the cut
            held = spec.connect(TCP_PASSWORD)
            assert tunnel.open_tunnels() == [shared] and shared.users == 2
            proxy.cut()                                 # the network drops the SSH connection
            with pytest.raises(pymysql.err.OperationalError), held.cursor() as cursor:
                cursor.execute("SELECT 1")
            assert shared.users == 1                    # the dead connection gave its lease back
            fresh = spec.connect(TCP_PASSWORD)          # a new SSH login under the same tunnel
            with fresh.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM shop.customer")
                assert cursor.fetchone()[0] == 3
            assert shared.transports_opened == 2 and proxy.accepted == 2
            fresh.close()
        assert tunnel.open_tunnels() == []
    finally:
        proxy.close()
