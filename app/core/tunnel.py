"""An SSH tunnel to a database server whose MySQL port is not open to this computer.

`mysql://user@dbhost:3306/?ssh=sshuser@bastion:22&ssh-key=/path/to/key`: Custode logs in to the
SSH server (host key checked, trust flow and login order exactly as for SFTP storage, see
app/core/storage_sftp.py; the SSH password's keyring account is `ssh://user@host:port`), listens
on 127.0.0.1:<a free port>, and forwards every connection accepted there through a "direct-tcpip"
channel to dbhost:dbport as seen FROM the SSH server.  PyMySQL connects to the local port.

One tunnel (one SSH connection) serves every connection to the same (SSH server, database) in the
process: a backup's parallel connections share it.  It is counted: each user holds a lease
(`lease()` or the `tunnel()` context manager) and the SSH connection closes with the last one.
No secret is ever put on a command line or in a message.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import paramiko

from app.core.errors import ConfigError, CustodeError, OperationFailed

log = logging.getLogger(__name__)
# paramiko's own log of the tunnel's SSH connection: its errors ("channel open FAILED") are said
# once, in Custode's one-line message, not also as log lines on the terminal.
SSH_LOG = "app.core.tunnel.ssh"
logging.getLogger(SSH_LOG).setLevel(logging.CRITICAL)

DEFAULT_SSH_PORT = 22
PUMP_BLOCK = 1 << 16        # bytes moved per read: each direction holds at most this much
KEEPALIVE = 30              # seconds between SSH keepalives (a quiet NAT or firewall keeps it)
CONNECT_TIMEOUT = 20.0


@dataclass(frozen=True)
class SshTarget:
    """`user@host[:port]` of the SSH server, and the key to log in with (None: agent, ~/.ssh)."""

    user: str
    host: str
    port: int = DEFAULT_SSH_PORT
    key_file: str | None = None

    @classmethod
    def parse(cls, text: str, key_file: str | None = None) -> SshTarget:
        usage = "write it ssh=user@host or ssh=user@host:port"
        user, at, rest = text.rpartition("@")
        if not at or not user or not rest:
            raise ConfigError(f"bad SSH tunnel {text!r} in the server URL: {usage}")
        host, port = rest, DEFAULT_SSH_PORT
        if rest.startswith("["):                          # [ipv6]:port
            host, _, tail = rest[1:].partition("]")
            if tail:
                if not tail.startswith(":"):
                    raise ConfigError(f"bad SSH tunnel {text!r} in the server URL: {usage}")
                port = _port(tail[1:], text)
        elif rest.count(":") == 1:
            host, _, number = rest.partition(":")
            port = _port(number, text)
        if not host:
            raise ConfigError(f"bad SSH tunnel {text!r} in the server URL: {usage}")
        return cls(user, host.lower(), port, key_file or None)

    @property
    def text(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.user}@{host}" + ("" if self.port == DEFAULT_SSH_PORT else f":{self.port}")

    @property
    def account(self) -> str:
        """Keyring account (service custode-storage) of the SSH password."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"ssh://{self.user}@{host}:{self.port}"


def _port(number: str, text: str) -> int:
    if not number.isdigit() or not 0 < int(number) < 65536:
        raise ConfigError(f"bad port in the SSH tunnel {text!r} of the server URL")
    return int(number)


def _login(target: SshTarget) -> paramiko.Transport:
    """One logged-in SSH connection, through storage_sftp's host-key check and login order."""
    from app.core import storage_sftp

    class _Where(storage_sftp.SftpLocation):
        @property
        def account(self) -> str:
            return target.account

        @property
        def url(self) -> str:
            return f"the SSH server {target.text}"

    where = _Where(target.user, target.host, target.port, "", target.key_file)
    try:
        transport = storage_sftp.open_transport(where, timeout=CONNECT_TIMEOUT)
    except (storage_sftp.AuthenticationFailed, ConfigError) as exc:
        if type(exc) not in (storage_sftp.AuthenticationFailed, ConfigError):
            raise                   # UnknownHostKey, HostKeyChanged: the callers look at them
        text = str(exc).replace("fix ?key= in the location", "fix ssh-key= in the server URL")
        raise type(exc)(text.replace("use ?key=", "use ssh-key=")) from None
    except CustodeError:
        raise
    except (OSError, EOFError, paramiko.SSHException) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise OperationFailed(f"cannot connect to the SSH server {target.text}: {reason}; check "
                              "the host, the port and that sshd runs there") from None
    transport.set_log_channel(SSH_LOG)
    transport.set_keepalive(KEEPALIVE)
    return transport


class Tunnel:
    """One SSH connection and a local listener forwarding to (db_host, db_port) behind it."""

    def __init__(self, target: SshTarget, db_host: str, db_port: int) -> None:
        self.target, self.db_host, self.db_port = target, db_host, db_port
        self._lock = threading.Lock()
        self._transport: paramiko.Transport | None = _login(target)
        self.transports_opened = 1
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        self._closed = False
        self._sockets: set[socket.socket | paramiko.Channel] = set()
        self.users = 0
        self._acceptor = threading.Thread(target=self._accept, name=f"tunnel-{self.port}",
                                          daemon=True)
        self._acceptor.start()

    @property
    def where(self) -> str:
        return f"{self.db_host}:{self.db_port}"

    def _channel(self) -> paramiko.Channel:
        with self._lock:
            if self._transport is None or not self._transport.is_active():
                if self._closed:
                    raise OperationFailed("the SSH tunnel is closed")
                if self._transport is not None:
                    self._transport.close()
                log.info("SSH tunnel to %s: reconnecting", self.target.text)
                self._transport = _login(self.target)
                self.transports_opened += 1
            transport = self._transport
        try:
            return transport.open_channel("direct-tcpip", (self.db_host, self.db_port),
                                          ("127.0.0.1", self.port), timeout=CONNECT_TIMEOUT)
        except paramiko.ChannelException as exc:
            raise OperationFailed(
                f"the SSH server {self.target.text} cannot reach the database at {self.where} "
                f"({exc.text or 'connection refused'}): check the host and port as seen from the "
                "SSH server, and that its sshd allows TCP forwarding") from None
        except (OSError, EOFError, paramiko.SSHException) as exc:
            raise OperationFailed(f"the SSH connection to {self.target.text} failed: "
                                  f"{exc or type(exc).__name__}") from None

    def probe(self) -> str | None:
        """Why a connection through the tunnel fails (None when the database can be reached)."""
        try:
            channel = self._channel()
        except CustodeError as exc:
            return str(exc)
        channel.close()
        return None

    def _accept(self) -> None:
        while True:
            try:
                local, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(local,), daemon=True).start()

    def _serve(self, local: socket.socket) -> None:
        try:
            channel = self._channel()
        except CustodeError as exc:
            log.info("%s", exc)           # the caller's probe() says it in its message
            local.close()
            return
        with self._lock:
            if self._closed:
                local.close()
                channel.close()
                return
            self._sockets.update((local, channel))
        local.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        back = threading.Thread(target=self._pump, args=(channel, local), daemon=True)
        back.start()
        self._pump(local, channel)
        back.join()
        with self._lock:
            self._sockets.difference_update((local, channel))
        for end in (local, channel):
            with contextlib.suppress(Exception):
                end.close()

    @staticmethod
    def _pump(source: socket.socket | paramiko.Channel, sink: socket.socket | paramiko.Channel) -> None:
        """Copy until end of file, then pass the end on; a failure closes both ends."""
        try:
            while data := source.recv(PUMP_BLOCK):
                sink.sendall(data)
            if isinstance(sink, paramiko.Channel):
                sink.shutdown_write()
            else:
                sink.shutdown(socket.SHUT_WR)
        except (OSError, EOFError, paramiko.SSHException):
            for end in (source, sink):
                with contextlib.suppress(Exception):
                    end.close()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            open_ends, self._sockets = list(self._sockets), set()
            transport, self._transport = self._transport, None
        with contextlib.suppress(OSError):      # wakes the blocked accept() (close alone does not)
            self._listener.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(OSError):
            self._listener.close()
        for end in open_ends:
            with contextlib.suppress(Exception):
                end.close()
        if transport is not None:
            transport.close()
        self._acceptor.join(timeout=5)


# -- shared tunnels --------------------------------------------------------------------------------
_REGISTRY: dict[tuple[SshTarget, str, int], Tunnel] = {}
_REGISTRY_LOCK = threading.Lock()


def lease(target: SshTarget, db_host: str, db_port: int) -> Tunnel:
    """The process's tunnel for this (SSH server, database), opened when needed; call release()."""
    key = (target, db_host, db_port)
    with _REGISTRY_LOCK:
        current = _REGISTRY.get(key)
        if current is None:
            current = _REGISTRY[key] = Tunnel(target, db_host, db_port)
        current.users += 1
        return current


def release(tunnel: Tunnel) -> None:
    """One user fewer; the last one closes the SSH connection."""
    with _REGISTRY_LOCK:
        tunnel.users -= 1
        if tunnel.users > 0:
            return
        key = (tunnel.target, tunnel.db_host, tunnel.db_port)
        if _REGISTRY.get(key) is tunnel:
            del _REGISTRY[key]
    tunnel.close()


@contextlib.contextmanager
def tunnel(target: SshTarget, db_host: str, db_port: int) -> Iterator[Tunnel]:
    """`with tunnel(...) as t:` connect to 127.0.0.1:t.port; shared and counted (see lease)."""
    held = lease(target, db_host, db_port)
    try:
        yield held
    finally:
        release(held)


def open_tunnels() -> list[Tunnel]:
    """The tunnels open now (for tests and diagnostics)."""
    with _REGISTRY_LOCK:
        return list(_REGISTRY.values())
