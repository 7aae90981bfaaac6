"""FTPS storage: a folder on an FTP server reached over explicit TLS (AUTH TLS, RFC 4217).

Location: ``ftps://user@host[:port]/path[?ca=/path/to/cert.pem]``.  The path is taken from the
user's login folder (as curl and most clients do); begin it with two slashes
(``ftps://user@host//srv/backups``) for an absolute path.  The server's certificate is checked
against the system's CAs, or only against the file given with ``?ca=`` (a self-signed server: give
its certificate).  Plain FTP is never used: a server that does not offer TLS is refused.

The password comes from ``CUSTODE_FTPS_PASSWORD`` or the keyring (service ``custode-storage``,
account ``ftps://user@host:port``); it never appears in a location, a message or a log.

Built on ftplib.  Connections are pooled (one per concurrent operation; the repository writes from
several threads) and every command uses absolute paths, so a connection carries no state between
operations.  Writes go to a hidden temporary name in the same folder and are renamed into place
once the server confirmed the whole transfer; an upload is teed into a spool file so that it can be
sent again after a broken connection.  Reads stream from the data socket and resume with REST at
the offset reached when a connection breaks.  Transient failures (network, 4xx replies) are retried
with back-off on a fresh connection; wrong credentials, an untrusted certificate or a refused
command fail at once with one line.
"""

from __future__ import annotations

import builtins
import datetime
import ftplib
import functools
import os
import posixpath
import socket
import ssl
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, TypeVar
from urllib.parse import parse_qs, unquote, urlsplit

from app.core import secrets
from app.core.errors import ConfigError, CustodeError, OperationFailed
from app.core.storage import READ_BLOCK

T = TypeVar("T")

DEFAULT_PORT = 21
PASSWORD_ENV = "CUSTODE_FTPS_PASSWORD"
TEMP_PREFIX = ".tmp-"
TIMEOUT = 30.0                 # seconds without progress on a socket before it counts as broken
ATTEMPTS = 5                   # tries of one operation (the first included)
BACKOFF = (0.5, 1.0, 2.0, 4.0)  # seconds to wait before the 2nd, 3rd... try
IDLE_LIMIT = 60.0              # a pooled connection idle for longer is closed rather than reused
MAX_IDLE = 8                   # pooled connections kept open
SPOOL_MEMORY = 8 << 20         # an upload's replay copy stays in memory up to this size


@dataclass(frozen=True)
class FtpsLocation:
    user: str
    host: str
    port: int
    path: str             # relative to the login folder, or absolute when it starts with "/"
    ca: str | None

    @property
    def account(self) -> str:
        """The keyring account of this server's password."""
        return f"ftps://{self.user}@{self.host}:{self.port}"


def parse_location(location: str) -> FtpsLocation:
    parts = urlsplit(location)
    if parts.scheme.lower() != "ftps":
        raise ConfigError(f"not an FTPS location: {location!r} (use ftps://user@host/path)")
    if parts.password is not None:
        raise ConfigError("do not put the FTPS password in the location: set "
                          f"{PASSWORD_ENV} or store it in the keyring")
    if not parts.username or not parts.hostname:
        raise ConfigError(f"FTPS location {location!r} needs a user and a host: "
                          "ftps://user@host[:port]/path")
    try:
        port = parts.port or DEFAULT_PORT
    except ValueError:
        raise ConfigError(f"bad port in FTPS location {location!r}") from None
    query = parse_qs(parts.query, keep_blank_values=True)
    unknown = sorted(set(query) - {"ca"})
    if unknown:
        raise ConfigError(f"unknown option {unknown[0]!r} in FTPS location: only ?ca=/path/to/cert.pem")
    ca = query["ca"][-1] if "ca" in query else None
    if ca is not None:
        ca = os.path.expanduser(ca)
        if not os.path.isfile(ca):
            raise ConfigError(f"the certificate file {ca} given with ?ca= does not exist")
    raw = unquote(parts.path)
    path = "/" + raw.lstrip("/") if raw.startswith("//") else raw.lstrip("/")
    path = posixpath.normpath(path) if path else ""
    if path == ".":
        path = ""
    if ".." in path.split("/"):
        raise ConfigError(f"FTPS location {location!r} must not contain '..'")
    return FtpsLocation(unquote(parts.username), parts.hostname, port, path, ca)


def ftps_password(where: FtpsLocation) -> str:
    """The password from the environment or the keyring; ConfigError saying how to give it."""
    password = os.environ.get(PASSWORD_ENV) or secrets.get_secret(secrets.STORAGE_SERVICE,
                                                                    where.account)
    if not password:
        raise ConfigError(f"no password for {where.account}: set {PASSWORD_ENV} or store it in "
                          f"the keyring (service {secrets.STORAGE_SERVICE}, account {where.account})")
    return password


def remember_password(location: str, password: str) -> bool:
    """Keep an FTPS password in the keyring for this location's server; False without a keyring."""
    return secrets.set_secret(secrets.STORAGE_SERVICE, parse_location(location).account, password)


def open_ftps(location: str) -> FtpsStorage:
    """Open (and log in to) the FTPS location; errors say what to fix in one line."""
    where = parse_location(location)
    storage = FtpsStorage(location, where, ftps_password(where))
    storage.connect_check()
    return storage


class _Client(ftplib.FTP_TLS):
    """FTP_TLS whose data connections resume the control connection's TLS session.

    Many servers (vsftpd's require_ssl_reuse, FileZilla Server, ProFTPD's TLSOptions) refuse a data
    connection that does not reuse it, so that nobody else can connect to the passive port.
    """

    def ntransfercmd(self, cmd: str, rest: int | str | None = None) -> tuple[socket.socket, int | None]:
        conn, size = ftplib.FTP.ntransfercmd(self, cmd, rest)
        if self._prot_p:  # type: ignore[attr-defined]
            session = getattr(self.sock, "session", None)
            conn = self.context.wrap_socket(conn, server_hostname=self.host, session=session)
        return conn, size


class _Missing(Exception):
    """Internal: the server said 550 for a file that a read asked for."""


class FtpsStorage:
    """A repository folder on an FTPS server (see the module's docstring)."""

    def __init__(self, location: str, where: FtpsLocation, password: str) -> None:
        self.location = location
        self.where = where
        self._password = password
        self._context = ssl.create_default_context(cafile=where.ca)
        self._lock = threading.Lock()
        self._idle: builtins.list[tuple[_Client, float]] = []
        self._base: str | None = None
        self._folders: set[str] = set()
        self._mlsd = True
        self.sleep: Callable[[float], None] = time.sleep

    def __repr__(self) -> str:
        return f"FtpsStorage({self.location!r})"

    # -- names ----------------------------------------------------------------------------------
    def _path(self, name: str) -> str:
        if not name or name.startswith("/") or ".." in name.split("/") or "\n" in name or "\r" in name:
            raise ValueError(f"bad storage name {name!r}")
        assert self._base is not None
        return posixpath.join(self._base, name)

    def _folder(self, prefix: str) -> str:
        assert self._base is not None
        if not prefix:
            return self._base
        return self._path(prefix.rstrip("/"))

    # -- connections ----------------------------------------------------------------------------
    def connect_check(self) -> None:
        """Log in once, so that a wrong password or certificate is reported when opening."""
        self._run("connecting", lambda client: None)

    def _connect(self) -> _Client:
        where = self.where
        client = _Client(context=self._context, timeout=TIMEOUT, encoding="utf-8")
        try:
            client.connect(where.host, where.port)
            try:
                client.auth()
            except ftplib.error_perm as exc:
                raise ConfigError(f"{where.host}:{where.port} does not offer FTP over TLS "
                                  f"(AUTH TLS refused: {_reply(exc)}); Custode never sends a "
                                  "password over plain FTP") from None
            try:
                client.login(where.user, self._password)
            except ftplib.error_perm as exc:
                raise ConfigError(f"the FTPS server {where.host}:{where.port} refused the login of "
                                  f"{where.user!r} ({_reply(exc)}): check the user and the password "
                                  f"({PASSWORD_ENV} or the keyring)") from None
            client.prot_p()
            client.voidcmd("TYPE I")
            if self._base is None:
                home = client.pwd()
                base = where.path if where.path.startswith("/") else posixpath.join(home, where.path)
                self._base = posixpath.normpath(base) if base != "/" else "/"
        except ssl.SSLCertVerificationError as exc:
            client.close()
            raise ConfigError(f"the TLS certificate of {where.host}:{where.port} is not trusted "
                              f"({exc.verify_message}): give the server's certificate or its CA "
                              "with ?ca=/path/to/cert.pem in the location") from None
        except socket.gaierror:
            client.close()
            raise ConfigError(f"cannot find the FTPS host {where.host!r}: check the location") from None
        except BaseException:
            client.close()
            raise
        return client

    def _checkout(self) -> _Client:
        now = time.monotonic()
        stale: builtins.list[_Client] = []
        client: _Client | None = None
        with self._lock:
            while self._idle:
                candidate, since = self._idle.pop()
                if now - since <= IDLE_LIMIT:
                    client = candidate
                    break
                stale.append(candidate)
        for old in stale:
            _close(old)
        return client if client is not None else self._connect()

    def _checkin(self, client: _Client) -> None:
        with self._lock:
            if len(self._idle) < MAX_IDLE:
                self._idle.append((client, time.monotonic()))
                return
        _close(client)

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for client, _since in idle:
            try:
                client.quit()
            except (OSError, EOFError, ftplib.Error):
                pass
            _close(client)

    def _run(self, what: str, operation: Callable[[_Client], T], *, hold: bool = False) -> T:
        """Run `operation` on a pooled connection, again on a new one after a transient failure.

        With `hold`, the connection stays with the caller (a download in progress) instead of
        going back to the pool.
        """
        last: BaseException | None = None
        for attempt in range(ATTEMPTS):
            if attempt:
                self.sleep(BACKOFF[min(attempt - 1, len(BACKOFF) - 1)])
            client: _Client | None = None
            try:
                client = self._checkout()
                result = operation(client)
            except _Missing:
                assert client is not None
                self._checkin(client)
                raise
            except ftplib.error_perm as exc:
                if client is not None:
                    self._checkin(client)
                raise OperationFailed(f"the FTPS server {self.where.host} refused {what} "
                                      f"({_reply(exc)}): check the user's permissions there") from None
            except BaseException as exc:
                if client is not None:
                    _close(client)
                if not _transient(exc):
                    raise
                last = exc
                continue
            if not hold:
                self._checkin(client)
            return result
        raise OperationFailed(f"{what} on the FTPS server {self.where.host}:{self.where.port} failed "
                              f"{ATTEMPTS} times ({_describe(last)}): check the network and the "
                              "server") from None

    # -- the Storage protocol -------------------------------------------------------------------
    def exists(self, name: str) -> bool:
        path = self._path(name)
        return self._run(f"checking {name}", lambda client: _size(client, path) is not None)

    def size(self, name: str) -> int:
        path = self._path(name)
        found = self._run(f"checking {name}", lambda client: _size(client, path))
        if found is None:
            raise FileNotFoundError(name)
        return found

    def delete(self, name: str) -> None:
        path = self._path(name)

        def delete(client: _Client) -> None:
            try:
                client.delete(path)
            except ftplib.error_perm:
                if _size(client, path) is not None:
                    raise
        self._run(f"deleting {name}", delete)

    def list(self, prefix: str) -> Iterator[str]:
        folder = self._folder(prefix)
        assert self._base is not None
        base = self._base.rstrip("/") + "/"
        found = self._run(f"listing {prefix or 'the repository'}", lambda client: self._walk(client, folder))
        return iter(sorted(path.removeprefix(base) for path in found))

    def temporary_files(self) -> Iterator[tuple[str, int, float]]:
        """The `.tmp-*` files that killed writers left: storage name, size, time of last change
        (0 when the server does not tell it: counted as old)."""
        folder = self._folder("")
        assert self._base is not None
        base = self._base.rstrip("/") + "/"

        def look(client: _Client) -> builtins.list[tuple[str, int, float]]:
            found = []
            for path in self._walk(client, folder, temporary=True):
                size = _size(client, path)
                if size is not None:
                    found.append((path.removeprefix(base), size, _modified(client, path)))
            return sorted(found)

        return iter(self._run("listing the repository's temporary files", look))

    def _walk(self, client: _Client, folder: str, temporary: bool = False) -> builtins.list[str]:
        files: builtins.list[str] = []
        pending = [folder]
        while pending:
            current = pending.pop()
            for name, kind in self._entries(client, current):
                if name in (".", "..") or not name or "/" in name:
                    continue
                path = posixpath.join(current, name)
                if kind == "dir":
                    pending.append(path)
                elif kind == "file" and name.startswith(TEMP_PREFIX) == temporary:
                    files.append(path)
        return files

    def _entries(self, client: _Client, folder: str) -> builtins.list[tuple[str, str]]:
        """(name, "file"|"dir"|other) of a folder; [] when it does not exist."""
        try:
            if self._mlsd:
                try:
                    return [(name, facts.get("type", "").lower())
                            for name, facts in client.mlsd(folder, facts=["type"])]
                except ftplib.error_perm as exc:
                    if not _reply(exc).startswith(("500", "502", "504")):
                        raise
                    self._mlsd = False          # an old server: parse LIST's Unix format
            lines: builtins.list[str] = []
            client.retrlines(f"LIST {folder}", lines.append)
            return [entry for line in lines if (entry := _parse_list_line(line))]
        except ftplib.error_perm:
            # Servers answer 550, 501 or 450 for a folder that is not there: ask directly.
            try:
                client.cwd(folder)
            except ftplib.error_perm:
                return []
            raise
        finally:
            client.voidcmd("TYPE I")          # retrlines switched to ASCII

    def read(self, name: str) -> Iterator[bytes]:
        """Start the download now (FileNotFoundError when there is none) and stream it in blocks."""
        path = self._path(name)
        try:
            opened = self._run(f"reading {name}", functools.partial(_retrieve, path=path, offset=0),
                               hold=True)
        except _Missing:
            raise FileNotFoundError(name) from None
        return self._stream(name, path, *opened)

    def _stream(self, name: str, path: str, client: _Client, conn: socket.socket) -> Iterator[bytes]:
        offset = 0
        resumes = 0
        current: tuple[_Client, socket.socket] | None = (client, conn)
        try:
            while current is not None:
                client, conn = current
                try:
                    block = _receive(conn, READ_BLOCK)
                    if not block:
                        _finish(conn)
                        client.voidresp()
                        current = None
                        self._checkin(client)
                        return
                except BaseException as exc:
                    current = None
                    _close_socket(conn)
                    _close(client)
                    if not _transient(exc) or resumes >= ATTEMPTS:
                        if _transient(exc):
                            raise OperationFailed(f"reading {name} from {self.where.host} kept failing "
                                                  f"({_describe(exc)}): check the network") from None
                        raise
                    resumes += 1
                    self.sleep(BACKOFF[0])
                    try:
                        current = self._run(f"reading {name}",
                                            functools.partial(_retrieve, path=path, offset=offset),
                                            hold=True)
                    except _Missing:
                        raise OperationFailed(f"{name} disappeared from {self.where.host} while "
                                              "being read") from None
                    continue
                offset += len(block)
                yield block
        finally:
            if current is not None:            # abandoned by the consumer half-way
                _close_socket(current[1])
                _close(current[0])

    def write(self, name: str, blocks: Iterable[bytes]) -> int:
        path = self._path(name)
        folder = posixpath.dirname(path)
        temp = posixpath.join(folder, f"{TEMP_PREFIX}{uuid.uuid4().hex}")
        source = iter(blocks)
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY) as spool:
            def upload(client: _Client) -> int:
                self._make_folders(client, folder)
                conn, _size = client.ntransfercmd(f"STOR {temp}")
                try:
                    for block in _replay_then_tee(spool, source):
                        conn.sendall(block)
                    _finish(conn)
                finally:
                    _close_socket(conn)
                client.voidresp()
                _rename(client, temp, path)
                return spool.tell()

            try:
                return self._run(f"writing {name}", upload)
            except BaseException:
                self._forget(temp)
                raise

    def _forget(self, temp: str) -> None:
        """Best effort: remove a temporary file left by a failed write (hidden from list anyway)."""
        try:
            client = self._checkout()
        except (CustodeError, OSError, EOFError, ftplib.Error):
            return
        try:
            client.delete(temp)
        except ftplib.error_perm:
            self._checkin(client)
        except (OSError, EOFError, ftplib.Error):
            _close(client)
        else:
            self._checkin(client)

    def _make_folders(self, client: _Client, folder: str) -> None:
        """mkdir -p, remembering folders that exist (a backup writes many files into few)."""
        missing: builtins.list[str] = []
        current = folder
        while current not in self._folders and current not in ("/", ""):
            missing.append(current)
            current = posixpath.dirname(current)
        for path in reversed(missing):
            try:
                client.mkd(path)
            except ftplib.error_perm:
                try:
                    client.cwd(path)           # it was there already
                except ftplib.error_perm as exc:
                    raise OperationFailed(f"cannot create the folder {path} on {self.where.host} "
                                          f"({_reply(exc)}): check the user's permissions") from None
            with self._lock:
                self._folders.add(path)


# -- helpers --------------------------------------------------------------------------------------

def _retrieve(client: _Client, *, path: str, offset: int) -> tuple[_Client, socket.socket]:
    try:
        conn, _size = client.ntransfercmd(f"RETR {path}", offset or None)
    except ftplib.error_perm as exc:
        if _reply(exc).startswith("550"):
            raise _Missing() from None
        raise
    return client, conn


def _size(client: _Client, path: str) -> int | None:
    try:
        size = client.size(path)
    except ftplib.error_perm as exc:
        if _reply(exc).startswith("550"):
            return None
        raise
    if size is None:
        raise ftplib.error_proto(f"no size for {path}")
    return int(size)


def _modified(client: _Client, path: str) -> float:
    """MDTM's time (UTC) as seconds since the epoch; 0 when the server has no MDTM."""
    try:
        reply = client.sendcmd(f"MDTM {path}")
    except ftplib.error_perm:
        return 0.0
    try:
        stamp = datetime.datetime.strptime(reply.split()[1][:14], "%Y%m%d%H%M%S")
    except (IndexError, ValueError):
        return 0.0
    return stamp.replace(tzinfo=datetime.UTC).timestamp()


def _rename(client: _Client, temp: str, path: str) -> None:
    try:
        client.rename(temp, path)
    except ftplib.error_perm:
        # Some servers (IIS, some Windows servers) refuse to rename onto an existing file.
        if _size(client, path) is None:
            raise
        client.delete(path)
        client.rename(temp, path)


def _replay_then_tee(spool: IO[bytes], source: Iterator[bytes]) -> Iterator[bytes]:
    """What an earlier try already took from the source (kept in `spool`), then the rest of it,
    copied into `spool` on the way so that a later try can send it again."""
    spool.seek(0)
    while block := spool.read(READ_BLOCK):
        yield block
    for block in source:
        if block:
            spool.write(block)
            yield block


def _receive(conn: socket.socket, size: int) -> bytes:
    """Up to `size` bytes from the data connection (fewer only at its end)."""
    parts: list[bytes] = []
    left = size
    while left > 0:
        piece = conn.recv(min(left, 1 << 18))
        if not piece:
            break
        parts.append(piece)
        left -= len(piece)
    return b"".join(parts)


def _finish(conn: socket.socket) -> None:
    if isinstance(conn, ssl.SSLSocket):
        conn.unwrap()


def _close_socket(conn: socket.socket) -> None:
    try:
        conn.close()
    except OSError:
        pass


def _close(client: _Client) -> None:
    try:
        client.close()
    except OSError:
        pass


def _parse_list_line(line: str) -> tuple[str, str] | None:
    """(name, kind) from a Unix-style LIST line: "drwxr-xr-x 2 u g 4096 Jan 1 10:00 name"."""
    fields = line.split(None, 8)
    if len(fields) < 9 or not fields[0] or fields[0][0] not in "-dl":
        return None
    return fields[8], {"-": "file", "d": "dir"}.get(fields[0][0], "link")


def _transient(exc: BaseException) -> bool:
    """A failure worth another try on a fresh connection (network, 4xx replies, broken replies)."""
    if isinstance(exc, (ssl.SSLCertVerificationError, socket.gaierror, FileNotFoundError)):
        return False
    return isinstance(exc, (ftplib.error_temp, ftplib.error_reply, ftplib.error_proto, EOFError,
                            OSError))


def _reply(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def _describe(exc: BaseException | None) -> str:
    if exc is None:
        return "no answer"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return "timed out"
    if isinstance(exc, EOFError):
        return "the server closed the connection"
    text = _reply(exc)
    return text if text != type(exc).__name__ else f"{type(exc).__name__}"
