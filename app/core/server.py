"""Servers: parsing `mysql://` URLs and opening connections with the session settings we rely on.

A URL never holds a password.  The caller passes the password (from MYSQL_PWD, the keyring or a
prompt); it goes to the server in the authentication handshake and nowhere else.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pymysql

from app.core.errors import ConfigError, OperationFailed
from app.core.sqltext import comment_text

# Every session that reads or writes data uses UTC, so TIMESTAMP values never shift.
SESSION_SETUP = (
    "SET SESSION time_zone = '+00:00'",
    "SET SESSION net_read_timeout = 3600",
    "SET SESSION net_write_timeout = 3600",
    "SET SESSION wait_timeout = 28800",
)


@dataclass(frozen=True)
class ServerSpec:
    """Where a server is and who we are there.  No password in here, ever."""

    user: str = "root"
    host: str = "localhost"
    port: int = 3306
    socket: str | None = None
    ssl_ca: str | None = None
    ssl_cert: str | None = None
    ssl_key: str | None = None
    ssh: str | None = None          # user@host[:port] of an SSH server to tunnel through
    ssh_key: str | None = None      # its private key (else the SSH agent and ~/.ssh keys)

    @classmethod
    def parse(cls, url: str) -> ServerSpec:
        if not url:
            raise ConfigError("no server given: use --server mysql://user@host or set CUSTODE_SERVER")
        try:
            parts = urlsplit(url)
            parts.port   # noqa: B018 - a bad port or IPv6 address raises here, not later
        except ValueError as exc:
            raise ConfigError(f"cannot read the server URL {url!r}: {exc} (write it "
                              "mysql://user@host:port, an IPv6 address in brackets: [::1])") from None
        if parts.scheme not in ("mysql", "mariadb"):
            raise ConfigError(f"server URL must start with mysql://, got {url.split('://')[0]!r}")
        if parts.password is not None:
            raise ConfigError("do not put the password in the server URL: use MYSQL_PWD, "
                              "the keyring or the prompt")
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        empty = sorted(k for k, v in query.items() if not v.strip())
        if empty:   # an empty socket= would quietly mean TCP to localhost:3306, maybe another server
            raise ConfigError(f"{empty[0]}= is empty in the server URL: give its value or leave "
                              "it out")
        unknown = set(query) - {"socket", "ssl-ca", "ssl-cert", "ssl-key", "ssh", "ssh-key"}
        if unknown:
            raise ConfigError(f"unknown server URL parameter {sorted(unknown)[0]!r} "
                              "(known: socket, ssl-ca, ssl-cert, ssl-key, ssh, ssh-key)")
        if query.get("ssh"):
            from app.core.tunnel import SshTarget
            SshTarget.parse(query["ssh"])            # a bad one is refused now, with the fix
            if query.get("socket"):
                raise ConfigError("a server URL with ssh= reaches the database over TCP: "
                                  "give host and port (as seen from the SSH server), not socket=")
        elif query.get("ssh-key"):
            raise ConfigError("ssh-key= in the server URL needs ssh=user@host of the SSH server")
        port = parts.port or 3306
        return cls(user=unquote(parts.username or "root"), host=parts.hostname or "localhost",
                   port=port, socket=query.get("socket"), ssl_ca=query.get("ssl-ca"),
                   ssl_cert=query.get("ssl-cert"), ssl_key=query.get("ssl-key"),
                   ssh=query.get("ssh") or None, ssh_key=query.get("ssh-key") or None)

    @property
    def url(self) -> str:
        """The URL that names this server (safe to show and to store)."""
        text = f"mysql://{self.user}@{self.host}"
        if self.socket:
            params = [f"socket={self.socket}"]
        else:
            text += f":{self.port}"
            params = []
        params += [f"{k}={v}" for k, v in (("ssl-ca", self.ssl_ca), ("ssl-cert", self.ssl_cert),
                                            ("ssl-key", self.ssl_key), ("ssh", self.ssh),
                                            ("ssh-key", self.ssh_key)) if v]
        return text + ("/?" + "&".join(params) if params else "")

    def connect(self, password: str | None, database: str | None = None,
                **options: Any) -> pymysql.connections.Connection:
        """Open a connection in utf8mb4 and UTC; errors become one readable line."""
        kwargs: dict[str, Any] = {"user": self.user, "password": password or "",
                                  "charset": "utf8mb4", "autocommit": True,
                                  "connect_timeout": 15, "database": database}
        if self.ssh:
            return self._connect_through_tunnel(kwargs, options)
        if self.socket:
            kwargs["unix_socket"] = self.socket
            if not (self.ssl_ca or self.ssl_cert or self.ssl_key):
                # No TLS over a local socket: PyMySQL would otherwise build a TLS context for
                # every connection (22 ms each, measured) and encrypt the socket whenever the
                # server offers TLS on it.
                kwargs["ssl_disabled"] = True
        else:
            kwargs.update(host=self.host, port=self.port)
        return self._open(kwargs, options)

    def _connect_through_tunnel(self, kwargs: dict[str, Any],
                                options: dict[str, Any]) -> pymysql.connections.Connection:
        """Connect to 127.0.0.1:<tunnel port>; the tunnel stays open while the connection does."""
        from app.core import tunnel

        assert self.ssh is not None
        shared = tunnel.lease(tunnel.SshTarget.parse(self.ssh, self.ssh_key), self.host, self.port)
        lease = _Lease(shared)
        kwargs.update(host="127.0.0.1", port=shared.port)
        try:
            connection = self._open(kwargs, options, shared)
        except BaseException:
            lease()
            raise
        connection.__class__ = _TunnelledConnection
        connection._custode_lease = lease
        weakref.finalize(connection, lease)           # also when it is dropped without close()
        return connection

    def _open(self, kwargs: dict[str, Any], options: dict[str, Any],
              through: Any = None) -> pymysql.connections.Connection:
        if self.ssl_ca or self.ssl_cert or self.ssl_key:
            kwargs["ssl"] = {k: v for k, v in (("ca", self.ssl_ca), ("cert", self.ssl_cert),
                                               ("key", self.ssl_key)) if v}
        kwargs.update(options)
        try:
            connection = pymysql.connect(**kwargs)
        except pymysql.err.MySQLError as exc:
            reason = through.probe() if through is not None and exc.args[:1] in ((2003,), (2013,)) else None
            raise OperationFailed(reason or f"cannot connect to {self.url}: {describe(exc)}") from None
        except OSError as exc:
            raise OperationFailed(f"cannot connect to {self.url}: {exc.strerror or exc}") from None
        with connection.cursor() as cursor:
            for statement in SESSION_SETUP:
                cursor.execute(statement)
            # A user the server does not know may still get in, as an anonymous account (''@host,
            # made by old installers): it sees no database, and every name would "not exist".
            cursor.execute("SELECT CURRENT_USER()")
            account = str(cursor.fetchone()[0])
        if account.startswith("@") and self.user:
            connection.close()
            raise OperationFailed(f"cannot connect to {self.url}: the server has no user "
                                  f"{comment_text(self.user)} and let the login in as its anonymous "
                                  f"account ({comment_text(account)}), which sees nothing: check the "
                                  "user in the server URL")
        return connection


class _Lease:
    """A hold on a shared tunnel, given back once (at close, or when the connection is lost)."""

    def __init__(self, held: Any) -> None:
        self._held: Any = held
        self._lock = threading.Lock()

    def __call__(self) -> None:
        with self._lock:
            held, self._held = self._held, None
        if held is not None:
            from app.core import tunnel
            tunnel.release(held)


class _TunnelledConnection(pymysql.connections.Connection):
    """A connection through an SSH tunnel: closing it gives back its lease on the tunnel."""

    _custode_lease: Callable[[], Any]

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._custode_lease()

    def _force_close(self) -> None:
        super()._force_close()
        self._custode_lease()


def describe(exc: BaseException) -> str:
    """A MySQL error as one line without the error-number tuple noise."""
    args: tuple[object, ...] = tuple(getattr(exc, "args", ()))
    if len(args) >= 2 and isinstance(args[0], int):
        return f"{args[1]} (error {args[0]})"
    return str(exc) or type(exc).__name__


@dataclass(frozen=True)
class ServerInfo:
    version: str
    flavor: str  # "mariadb" or "mysql"
    major_minor: tuple[int, int]

    @classmethod
    def read(cls, connection: pymysql.connections.Connection) -> ServerInfo:
        with connection.cursor() as cursor:
            cursor.execute("SELECT VERSION()")
            version = str(cursor.fetchone()[0])
        flavor = "mariadb" if "mariadb" in version.lower() else "mysql"
        numbers = version.split("-", 1)[0].split(".")
        return cls(version, flavor, (int(numbers[0]), int(numbers[1])))

