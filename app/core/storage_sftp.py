"""SFTP storage: a repository in a folder on an SSH server, through paramiko.

Location: `sftp://user@host[:port]/absolute/path` or `sftp://user@host[:port]/~/path` for a folder
under the login (home) folder; `?key=/path/to/private_key` picks the key to log in with.

Security, in this order:
- The server's host key is checked against ~/.ssh/known_hosts and Custode's own known_hosts (in
  the profile's config folder).  An unknown key raises `UnknownHostKey` (with the SHA256
  fingerprint, as `ssh-keygen -lf` prints it); it is trusted only by an explicit
  `trust_host_key()` (the CLI asks on a terminal or takes `--trust-host-key SHA256:...`, the GUI
  asks in a dialog).  A *changed* key raises `HostKeyChanged` and is never accepted here.
- Login: the `?key=` file alone when given; otherwise the ssh-agent's keys, then ~/.ssh/id_ed25519,
  id_ecdsa, id_rsa.  An encrypted key's passphrase comes from the keyring (service
  `custode-storage`, account `sshkey:/absolute/path`) or CUSTODE_SFTP_KEY_PASSPHRASE.  Then a
  password from CUSTODE_SFTP_PASSWORD, the keyring (service `custode-storage`, account
  `sftp://user@host:port`) or the prompt the caller installed (`PROMPTS.password`).  No secret is
  ever put in a message or a log.

Transfers: one SSH connection, a small pool of SFTP channels on it (paramiko's SFTPClient is not
safe for concurrent use by several threads, so each operation borrows a channel of its own).
Writes go to `.tmp-<random>` in the target folder, are fsync'ed (fsync@openssh.com when the server
has it) and renamed into place with posix-rename@openssh.com: a reader sees the whole file or
nothing.  A dropped connection is reconnected and the operation retried with back-off; a read
resumes where it stopped and a write restarts from a fresh temporary file (what was already sent is
kept in a spool file, so the caller's stream need not be replayable).  Wrong credentials, missing
permissions and unknown or changed host keys fail at once.
"""

from __future__ import annotations

import base64
import builtins
import contextlib
import hashlib
import hmac
import logging
import os
import posixpath
import re
import socket
import stat
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar
from urllib.parse import parse_qs, unquote, urlsplit

import paramiko
from paramiko.sftp import CMD_EXTENDED

from app.core import secrets
from app.core.errors import ConfigError, CustodeError, OperationFailed
from app.core.profile import config_dir

log = logging.getLogger(__name__)

DEFAULT_PORT = 22
PASSWORD_ENV = "CUSTODE_SFTP_PASSWORD"
KEY_PASSPHRASE_ENV = "CUSTODE_SFTP_KEY_PASSPHRASE"
TEMP_PREFIX = ".tmp-"
READ_BLOCK = 1 << 20            # what read() yields
WRITE_BLOCK = 1 << 20           # what a replayed spool is sent in
# Read requests in flight per file: None asks for the whole file at once (memory stays bounded by
# the SSH window, as data is only taken off the channel as it is consumed).  paramiko's bound is
# a 10 ms sleep loop: measured on a 100 MB file, 64 gave 5 MB/s, 256 75 MB/s, None 80-106 MB/s.
PREFETCH_REQUESTS: int | None = None
SPOOL_MEMORY = 16 << 20         # a write's copy for a retry stays in memory up to this, then on disk
MAX_CHANNELS = 8                # below OpenSSH's default MaxSessions (10)
DEFAULT_KEY_FILES = ("id_ed25519", "id_ecdsa", "id_rsa")
STORAGE_SERVICE = secrets.STORAGE_SERVICE
CHANNEL_TIMEOUT = 120.0         # an operation that hears nothing for this long counts as dropped

T = TypeVar("T")


# -- errors ----------------------------------------------------------------------------------------
def key_label(key_type: str) -> str:
    """The key type as `ssh-keygen -l` shows it: ED25519, ECDSA, RSA."""
    if "ed25519" in key_type:
        return "ED25519"
    if "ecdsa" in key_type:
        return "ECDSA"
    if "rsa" in key_type:
        return "RSA"
    return key_type.upper()


def fingerprint(blob: bytes) -> str:
    """SHA256 fingerprint of a public key blob, exactly as OpenSSH prints it."""
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")


class UnknownHostKey(ConfigError):
    """The server's host key is in no known_hosts file: the user must check and trust it."""

    def __init__(self, host: str, port: int, key: paramiko.PKey,
                 other_types: tuple[str, ...] = ()) -> None:
        self.host = host
        self.port = port
        self.key = key
        self.key_type = key_label(key.get_name())
        self.fingerprint = fingerprint(key.asbytes())
        self.other_types = other_types
        note = (f" (keys of another type, {', '.join(key_label(t) for t in other_types)}, are known "
                "for it)" if other_types else "")
        super().__init__(
            f"the host key of {host_entry(host, port)} is not known yet{note}: {self.key_type} "
            f"{self.fingerprint}; check it with the server's administrator (ssh-keygen -lf "
            f"/etc/ssh/ssh_host_{self.key_type.lower()}_key.pub), then run again with "
            f"--trust-host-key {self.fingerprint} or answer yes when asked")


class HostKeyChanged(ConfigError):
    """The server shows a different key than the one known for it: refused, never accepted here."""

    def __init__(self, host: str, port: int, key: paramiko.PKey, known: list[tuple[Path, str]]) -> None:
        self.host = host
        self.port = port
        self.key_type = key_label(key.get_name())
        self.fingerprint = fingerprint(key.asbytes())
        self.known = known          # (known_hosts file, fingerprint recorded there)
        entry = host_entry(host, port)
        files = " and ".join(f"ssh-keygen -R '{entry}' -f {path}" for path, _ in known)
        super().__init__(
            f"WARNING: the host key of {entry} has CHANGED (now {self.key_type} {self.fingerprint}, "
            f"known as {known[0][1]}): someone may be intercepting the connection "
            "(man-in-the-middle), so Custode refuses to connect; if the server's administrator "
            f"confirms the new key, remove the old one with {files} and connect again")


class AuthenticationFailed(ConfigError):
    """The server refused every way of logging in that Custode had."""


# -- locations -------------------------------------------------------------------------------------
def host_entry(host: str, port: int) -> str:
    """The host's name in known_hosts: `host` on port 22, `[host]:port` otherwise."""
    return host if port == DEFAULT_PORT else f"[{host}]:{port}"


@dataclass(frozen=True)
class SftpLocation:
    user: str
    host: str
    port: int
    path: str                 # absolute ("/srv/backups"), or relative to the login folder ("b", "")
    key_file: str | None = None

    @property
    def account(self) -> str:
        """Keyring account of the password: `sftp://user@host:port`."""
        return f"sftp://{self.user}@{_url_host(self.host)}:{self.port}"

    @property
    def url(self) -> str:
        port = "" if self.port == DEFAULT_PORT else f":{self.port}"
        path = self.path if self.path.startswith("/") else "/~" + ("/" + self.path if self.path else "")
        query = f"?key={self.key_file}" if self.key_file else ""
        return f"sftp://{self.user}@{_url_host(self.host)}{port}{path}{query}"


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def parse_location(location: str) -> SftpLocation:
    """`sftp://user@host[:port]/path[?key=FILE]` -> SftpLocation; ConfigError with the fix if bad."""
    usage = ("write it sftp://user@host[:port]/absolute/path or sftp://user@host[:port]/~/path "
             "(a folder under the login folder)")
    parts = urlsplit(location)
    if parts.scheme.lower() != "sftp" or not parts.hostname:
        raise ConfigError(f"bad SFTP location {location!r}: {usage}")
    if parts.password is not None:
        raise ConfigError("do not put a password in the SFTP location: set CUSTODE_SFTP_PASSWORD, "
                          "store it in the keyring, or use a key")
    try:
        port = parts.port or DEFAULT_PORT
    except ValueError:
        raise ConfigError(f"bad port in SFTP location {location!r}: {usage}") from None
    user = unquote(parts.username or "")
    if not user:
        raise ConfigError(f"the SFTP location {location!r} has no user name: {usage}")
    raw = unquote(parts.path)
    if raw == "/~" or raw.startswith("/~/"):
        path = raw[3:].strip("/")
    elif raw.startswith("/"):
        path = raw.rstrip("/") or "/"
    else:
        raise ConfigError(f"the SFTP location {location!r} has no folder: {usage}")
    if ".." in path.split("/"):
        raise ConfigError(f"the SFTP location {location!r} must not contain '..': {usage}")
    query = parse_qs(parts.query, keep_blank_values=True)
    unknown = set(query) - {"key"}
    if unknown:
        raise ConfigError(f"unknown option {sorted(unknown)[0]!r} in SFTP location: only ?key=FILE")
    key_file = query["key"][-1] if "key" in query else None
    if key_file == "":
        raise ConfigError("?key= in the SFTP location needs a file: ?key=/path/to/private_key")
    return SftpLocation(user, parts.hostname.lower(), port, path, key_file)


# -- host keys -------------------------------------------------------------------------------------
def custode_known_hosts() -> Path:
    """Custode's own known_hosts file, next to the profile."""
    return config_dir() / "known_hosts"


def known_hosts_files() -> list[Path]:
    return [Path.home() / ".ssh" / "known_hosts", custode_known_hosts()]


def _names_match(field: str, name: str) -> bool:
    """Does a known_hosts host field (comma list, patterns, |1| hashes) cover `name`?"""
    matched = False
    for pattern in field.split(","):
        negated = pattern.startswith("!")
        pattern = pattern.removeprefix("!")
        if pattern.startswith("|1|"):
            try:
                salt_b64, digest_b64 = pattern[3:].split("|", 1)
                salt = base64.b64decode(salt_b64)
                hit = hmac.compare_digest(
                    hmac.new(salt, name.encode(), hashlib.sha1).digest(), base64.b64decode(digest_b64))
            except (ValueError, TypeError):
                hit = False
        else:       # OpenSSH patterns know only * and ?; brackets are literal ([host]:port)
            regex = re.escape(pattern.lower()).replace(r"\*", ".*").replace(r"\?", ".")
            hit = re.fullmatch(regex, name) is not None
        if hit and negated:
            return False
        matched = matched or hit
    return matched


def _known_keys(name: str) -> Iterator[tuple[Path, str, str, bytes]]:
    """(file, marker, key type, key blob) of every line that names this host."""
    for path in known_hosts_files():
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if not fields or fields[0].startswith("#"):
                continue
            marker = ""
            if fields[0].startswith("@"):
                marker, fields = fields[0], fields[1:]
            if len(fields) < 3 or not _names_match(fields[0], name):
                continue
            try:
                blob = base64.b64decode(fields[2], validate=True)
            except ValueError:
                continue
            yield path, marker, fields[1], blob


def _same_kind(known_type: str, key: paramiko.PKey) -> bool:
    return key_label(known_type) == key_label(key.get_name())


def check_host_key(host: str, port: int, key: paramiko.PKey) -> None:
    """Return when the key is known for the host; raise UnknownHostKey or HostKeyChanged."""
    name = host_entry(host, port)
    blob = key.asbytes()
    mismatched: list[tuple[Path, str]] = []
    other_types: set[str] = set()
    matched = False
    for path, marker, known_type, known_blob in _known_keys(name):
        if marker == "@revoked":
            if known_blob == blob:
                raise HostKeyChanged(host, port, key, [(path, "revoked")])
            continue
        if marker:                       # @cert-authority: certificates are not used here
            continue
        if _same_kind(known_type, key):
            if known_blob == blob:
                matched = True
            else:
                mismatched.append((path, fingerprint(known_blob)))
        else:
            other_types.add(known_type)
    if mismatched:              # stricter than OpenSSH: an old key anywhere must be removed first
        raise HostKeyChanged(host, port, key, mismatched)
    if matched:
        return
    raise UnknownHostKey(host, port, key, tuple(sorted(other_types)))


def trust_host_key(host: str, port: int, key: paramiko.PKey) -> Path:
    """Add the key to Custode's known_hosts (replacing that host's key of the same type).

    The file is replaced atomically.  Returns its path.
    """
    path = custode_known_hosts()
    name = host_entry(host, port)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        lines = []
    kept = []
    for line in lines:
        fields = line.split()
        if (len(fields) >= 3 and not fields[0].startswith("@") and _names_match(fields[0], name)
                and _same_kind(fields[1], key)):
            continue
        kept.append(line)
    kept.append(f"{name} {key.get_name()} {key.get_base64()}")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=".known_hosts-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write("\n".join(kept) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return path


def _prefer_known_key_types(transport: paramiko.Transport, host: str, port: int) -> None:
    """Ask first for the key types already known for the host (as OpenSSH does)."""
    known = {key_label(t) for _, marker, t, _ in _known_keys(host_entry(host, port)) if not marker}
    if not known:
        return
    options = transport.get_security_options()
    types = list(options.key_types)
    options.key_types = [t for t in types if key_label(t) in known] + [
        t for t in types if key_label(t) not in known]


# -- prompts the caller may install (the CLI on a terminal) ----------------------------------------
@dataclass
class Prompts:
    """Ways to ask the user, set by the front end.  None means: do not ask, fail with the message.

    trust_host(error) -> True to trust the shown key (it is then added to Custode's known_hosts);
    password(account) -> the password, or None.
    """

    trust_host: Callable[[UnknownHostKey], bool] | None = None
    password: Callable[[str], str | None] | None = None


PROMPTS = Prompts()


def key_account(path: str | Path) -> str:
    """Keyring account of a private key's passphrase."""
    return f"sshkey:{Path(path).expanduser().absolute()}"


def _key_passphrase(path: Path) -> str | None:
    return (os.environ.get(KEY_PASSPHRASE_ENV)
            or secrets.get_secret(STORAGE_SERVICE, key_account(path)))


def load_private_key(path: Path, *, required: bool) -> paramiko.PKey | str:
    """The key, or (when not `required`) a short reason why it was skipped."""
    passphrase = _key_passphrase(path)
    try:
        return paramiko.PKey.from_path(path, passphrase.encode() if passphrase else None)
    except FileNotFoundError:
        if required:
            raise ConfigError(f"the key file {path} does not exist: fix ?key= in the location") from None
        return f"{path} (missing)"
    except OSError as exc:
        if required:
            raise ConfigError(f"cannot read the key file {path}: {exc.strerror}") from None
        return f"{path} (unreadable)"
    except TypeError:
        message = (f"the key {path} is encrypted and no passphrase was found: store it in the "
                   f"keyring (service {STORAGE_SERVICE}, account {key_account(path)}) or set "
                   f"{KEY_PASSPHRASE_ENV}")
        if required:
            raise ConfigError(message) from None
        return f"{path} (encrypted, no passphrase)"
    except (ValueError, paramiko.SSHException):
        reason = "wrong passphrase" if passphrase else "not a private key Custode can read"
        if required:
            raise ConfigError(f"cannot load the key {path}: {reason}") from None
        return f"{path} ({reason})"


# -- the storage -----------------------------------------------------------------------------------
class _SourceError(Exception):
    """Wraps an exception raised by the caller's stream during a write (never retried)."""

    def __init__(self, original: BaseException) -> None:
        super().__init__(str(original))
        self.original = original


class SftpStorage:
    """A repository folder on an SFTP server (see the module's docstring)."""

    def __init__(self, location: str | SftpLocation, *, attempts: int = 5, backoff: float = 0.5,
                 timeout: float = 20.0, max_channels: int = MAX_CHANNELS) -> None:
        self.target = location if isinstance(location, SftpLocation) else parse_location(location)
        self.location = self.target.url
        self._attempts = max(1, attempts)
        self._backoff = backoff
        self._timeout = timeout
        self._max_channels = max(1, max_channels)
        self._cond = threading.Condition()
        self._transport: paramiko.Transport | None = None
        self._generation = 0
        self._idle: list[paramiko.SFTPClient] = []
        self._leased = 0
        self._password: str | None = None     # kept in memory after it worked, for reconnects
        self._fsync_supported = True
        self.reconnects = 0

    # -- connection ---------------------------------------------------------------------------
    def connect(self) -> None:
        """Connect now (host key check and login) instead of at the first operation."""
        self._run("connect", "", lambda _sftp: None)

    def close(self) -> None:
        with self._cond:
            self._drop_connection()

    def __del__(self) -> None:
        # An unclosed paramiko Transport keeps its thread and socket alive: close with the object.
        try:
            if self._transport is not None:
                self._transport.close()
        except Exception:  # noqa: BLE001 - also at interpreter exit, when modules are gone
            pass

    def __enter__(self) -> SftpStorage:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _drop_connection(self) -> None:
        for sftp in self._idle:
            with contextlib.suppress(Exception):
                sftp.close()
        self._idle = []
        if self._transport is not None:
            with contextlib.suppress(Exception):
                self._transport.close()
        self._transport = None
        self._generation += 1
        self._cond.notify_all()

    def _open_transport(self) -> paramiko.Transport:
        t = self.target
        try:
            sock = socket.create_connection((t.host, t.port), timeout=self._timeout)
        except socket.gaierror:
            raise ConfigError(f"cannot find the SFTP host {t.host!r}: check the name in "
                              f"{self.location}") from None
        # Without TCP_NODELAY, Nagle's algorithm and delayed ACKs add ~40 ms to small requests
        # (measured: 1 MiB reads at 56-69 ms each, close() alone 42 ms).
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        transport = paramiko.Transport(sock)
        try:
            _prefer_known_key_types(transport, t.host, t.port)
            transport.start_client(timeout=self._timeout)
            key = transport.get_remote_server_key()
            try:
                check_host_key(t.host, t.port, key)
            except UnknownHostKey as unknown:
                if PROMPTS.trust_host is None or not PROMPTS.trust_host(unknown):
                    raise
                trust_host_key(t.host, t.port, key)
            self._authenticate(transport)
            transport.set_keepalive(30)
        except BaseException:
            transport.close()
            raise
        return transport

    def _keys(self) -> Iterator[tuple[str, paramiko.PKey | str]]:
        if self.target.key_file:
            path = Path(self.target.key_file).expanduser()
            yield str(path), load_private_key(path, required=True)
            return
        if os.environ.get("SSH_AUTH_SOCK"):
            try:
                agent_keys = paramiko.Agent().get_keys()
            except (paramiko.SSHException, OSError):
                agent_keys = ()
            for index, agent_key in enumerate(agent_keys):
                yield f"ssh-agent key {index + 1}", agent_key
        for name in DEFAULT_KEY_FILES:
            path = Path.home() / ".ssh" / name
            if path.exists():
                yield str(path), load_private_key(path, required=False)

    def _password_source(self) -> tuple[str | None, str]:
        if self._password is not None:
            return self._password, "the earlier login"
        if os.environ.get(PASSWORD_ENV):
            return os.environ[PASSWORD_ENV], PASSWORD_ENV
        stored = secrets.get_secret(STORAGE_SERVICE, self.target.account)
        if stored:
            return stored, f"the keyring ({STORAGE_SERVICE}, {self.target.account})"
        if PROMPTS.password is not None:
            typed = PROMPTS.password(self.target.account)
            if typed:
                return typed, "the prompt"
        return None, ""

    def _authenticate(self, transport: paramiko.Transport) -> None:
        user = self.target.user
        try:
            transport.auth_none(user)
            return
        except paramiko.BadAuthenticationType as exc:
            allowed = list(exc.allowed_types)
        except paramiko.AuthenticationException:
            allowed = ["publickey", "password"]
        tried: list[str] = []
        if "publickey" in allowed:
            for label, key in self._keys():
                if isinstance(key, str):
                    tried.append(key)
                    continue
                try:
                    transport.auth_publickey(user, key)
                    return
                except paramiko.AuthenticationException:
                    tried.append(f"key {label}")
        if "password" in allowed or "keyboard-interactive" in allowed:
            password, source = self._password_source()
            if password:
                try:
                    if "password" in allowed:
                        transport.auth_password(user, password)
                    else:
                        transport.auth_interactive(
                            user, lambda _title, _instr, prompts: [password for _ in prompts])
                    self._password = password
                    return
                except paramiko.AuthenticationException:
                    raise AuthenticationFailed(
                        f"{self.target.account} refused the password for {user} from {source}: "
                        "check the user name and the password") from None
        raise AuthenticationFailed(
            f"{self.target.account} refused the login of {user} (tried: "
            f"{', '.join(tried) or 'no key found'}; the server accepts {', '.join(allowed)}): "
            "use ?key=/path/to/private_key with a key in the server's authorized_keys, or give the "
            f"password in {PASSWORD_ENV} or the keyring ({STORAGE_SERVICE}, {self.target.account})")

    # -- channels ------------------------------------------------------------------------------
    def _acquire(self) -> tuple[paramiko.SFTPClient, int]:
        deadline = time.monotonic() + 10 * self._timeout
        with self._cond:
            while True:
                if self._transport is None or not self._transport.is_active():
                    if self._transport is not None:
                        self._drop_connection()
                    self._transport = self._open_transport()
                    self._idle = []
                if self._idle:
                    self._leased += 1
                    return self._idle.pop(), self._generation
                if self._leased < self._max_channels:
                    self._leased += 1
                    transport, generation = self._transport, self._generation
                    break
                if not self._cond.wait(timeout=max(0.0, deadline - time.monotonic())):
                    raise OperationFailed(f"all {self._max_channels} SFTP channels to {self.location} "
                                          "stayed busy; try again with fewer parallel jobs")
        try:
            client = paramiko.SFTPClient.from_transport(transport)
            if client is None:
                raise paramiko.SSHException("the server opened no SFTP channel")
            client.get_channel().settimeout(CHANNEL_TIMEOUT)
        except paramiko.ChannelException:
            with self._cond:
                self._leased -= 1
                if self._leased > 0:        # the server allows fewer sessions: use what we have
                    self._max_channels = self._leased
                    self._cond.notify_all()
            if self._leased > 0:
                return self._acquire()
            raise
        except BaseException:
            with self._cond:
                self._leased -= 1
                self._cond.notify_all()
            raise
        return client, generation

    def _release(self, client: paramiko.SFTPClient, generation: int, reuse: bool = True) -> None:
        with self._cond:
            self._leased -= 1
            channel = client.get_channel()
            healthy = (reuse and generation == self._generation and channel is not None
                       and not channel.closed and self._transport is not None
                       and self._transport.is_active())
            if healthy:
                self._idle.append(client)
            self._cond.notify_all()
        if not healthy:
            with contextlib.suppress(Exception):
                client.close()

    @contextlib.contextmanager
    def _channel(self) -> Iterator[tuple[paramiko.SFTPClient, int]]:
        client, generation = self._acquire()
        try:
            yield client, generation
        finally:
            self._release(client, generation)

    def _lost(self, exc: BaseException, generation: int | None) -> bool:
        """Was this failure the connection going away (worth reconnecting and retrying)?"""
        if isinstance(exc, paramiko.AuthenticationException | paramiko.BadHostKeyException
                      | socket.gaierror):
            return False
        if isinstance(exc, EOFError | paramiko.SSHException | ConnectionError | TimeoutError
                      | socket.timeout):
            return True
        if isinstance(exc, OSError) and not isinstance(exc, FileNotFoundError | PermissionError):
            with self._cond:
                return (generation is None or generation != self._generation
                        or self._transport is None or not self._transport.is_active())
        return False

    def _reset(self, generation: int | None) -> None:
        with self._cond:
            if generation is None or generation == self._generation:
                self._drop_connection()

    def _pause(self, attempt: int) -> None:
        time.sleep(min(10.0, self._backoff * 2 ** attempt))

    def _give_up(self, what: str, exc: BaseException) -> OperationFailed:
        reason = str(exc) or type(exc).__name__
        return OperationFailed(f"cannot {what} at {self.location}: the connection failed "
                               f"{self._attempts} times ({reason}); check the network and the "
                               "server, then run again")

    def _refused(self, what: str, path: str, exc: OSError) -> CustodeError:
        if isinstance(exc, PermissionError):
            return ConfigError(f"permission denied on {self.target.host}: cannot {what} {path}; "
                               f"check that {self.target.user} may write to that folder")
        reason = exc.strerror or (exc.args[0] if exc.args else type(exc).__name__)
        return OperationFailed(f"the SFTP server {self.target.host} could not {what} {path}: {reason}")

    def _run(self, what: str, path: str, operation: Callable[[paramiko.SFTPClient], T]) -> T:
        """Run `operation` on a borrowed channel; reconnect and retry when the connection drops."""
        for attempt in range(self._attempts):
            generation: int | None = None
            try:
                with self._channel() as (client, generation):
                    return operation(client)
            except (CustodeError, FileNotFoundError, ValueError):
                raise
            except Exception as exc:
                if not self._lost(exc, generation):
                    if isinstance(exc, OSError):
                        raise self._refused(what, path, exc) from None
                    raise
                log.info("SFTP %s %s: connection lost (%s); retrying", what, path, exc)
                self._reset(generation)
                self.reconnects += 1
                if attempt + 1 == self._attempts:
                    raise self._give_up(f"{what} {path}".strip(), exc) from None
                self._pause(attempt)
        raise AssertionError("unreachable")

    # -- names ---------------------------------------------------------------------------------
    def _remote(self, name: str) -> str:
        if name.startswith("/") or ".." in name.split("/") or "\\" in name:
            raise ValueError(f"bad storage name {name!r}")
        base = self.target.path
        if not name:
            return base or "."
        return posixpath.join(base, name) if base else name

    # -- the Storage protocol ------------------------------------------------------------------
    def exists(self, name: str) -> bool:
        path = self._remote(name)

        def probe(client: paramiko.SFTPClient) -> bool:
            try:
                return stat.S_ISREG(client.stat(path).st_mode or 0)
            except FileNotFoundError:
                return False

        return self._run("check", path, probe)

    def size(self, name: str) -> int:
        path = self._remote(name)

        def measure(client: paramiko.SFTPClient) -> int:
            try:
                return int(client.stat(path).st_size or 0)
            except FileNotFoundError:
                raise FileNotFoundError(name) from None

        return self._run("measure", path, measure)

    def delete(self, name: str) -> None:
        path = self._remote(name)

        def remove(client: paramiko.SFTPClient) -> None:
            with contextlib.suppress(FileNotFoundError):
                client.remove(path)

        self._run("delete", path, remove)

    def list(self, prefix: str) -> Iterator[str]:
        """Every file under the folder `prefix`, recursively, sorted; temporary files hidden."""
        return iter([name for name, _size, _changed in self._walk(prefix, temporary=False)])

    def temporary_files(self) -> Iterator[tuple[str, int, float]]:
        """The `.tmp-*` files that killed writers left: storage name, size, time of last change."""
        return iter(self._walk("", temporary=True))

    def _walk(self, prefix: str, temporary: bool) -> builtins.list[tuple[str, int, float]]:
        """(name, size, mtime) of the regular files under `prefix`, sorted: the temporary ones
        when `temporary`, else the others."""
        start = self._remote(prefix)
        prefix = prefix.strip("/")

        def walk(client: paramiko.SFTPClient) -> builtins.list[tuple[str, int, float]]:
            found: builtins.list[tuple[str, int, float]] = []
            pending = [(start, prefix)]
            while pending:
                folder, relative = pending.pop()
                try:
                    entries = client.listdir_attr(folder)
                except FileNotFoundError:
                    continue
                for entry in entries:
                    name = entry.filename
                    child = f"{relative}/{name}" if relative else name
                    mode = entry.st_mode or 0
                    if stat.S_ISDIR(mode):
                        pending.append((posixpath.join(folder, name), child))
                    elif stat.S_ISREG(mode) and name.startswith(TEMP_PREFIX) == temporary:
                        found.append((child, int(entry.st_size or 0), float(entry.st_mtime or 0)))
            return sorted(found)

        return self._run("list", start, walk)

    def read(self, name: str) -> Iterator[bytes]:
        """Stream the file in READ_BLOCK pieces; FileNotFoundError at once when it is missing."""
        path = self._remote(name)
        stream = self._read_stream(name, path)
        next(stream)                       # opens the file: a missing one raises here
        return stream

    def _read_stream(self, name: str, path: str) -> Iterator[bytes]:
        offset = 0
        attempt = 0
        opened = False
        complete = False
        while True:
            generation: int | None = None
            client: paramiko.SFTPClient | None = None
            try:
                client, generation = self._acquire()
                try:
                    try:
                        handle = client.open(path, "rb")
                    except FileNotFoundError:
                        complete = True           # nothing in flight: the channel is fine
                        raise FileNotFoundError(name) from None
                    with handle:
                        size = handle.stat().st_size or 0
                        handle.seek(offset)
                        if size > offset:
                            handle.prefetch(size, PREFETCH_REQUESTS)
                        if not opened:
                            opened = True
                            yield b""              # primed by read(): the file is there
                        while offset < size:
                            block = handle.read(min(READ_BLOCK, size - offset))
                            if not block:
                                raise OperationFailed(f"{path} on {self.target.host} ended at byte "
                                                      f"{offset} of {size} while being read")
                            offset += len(block)
                            attempt = 0
                            yield block
                    complete = True
                    return
                finally:
                    # A read abandoned half-way leaves answers in flight: the channel is not reused.
                    self._release(client, generation, reuse=complete)
            except (CustodeError, FileNotFoundError):
                raise
            except Exception as exc:
                if not self._lost(exc, generation):
                    if isinstance(exc, OSError):
                        raise self._refused("read", path, exc) from None
                    raise
                self._reset(generation)
                self.reconnects += 1
                attempt += 1
                if attempt >= self._attempts:
                    raise self._give_up(f"read {path}", exc) from None
                self._pause(attempt - 1)

    def write(self, name: str, blocks: Iterable[bytes]) -> int:
        """Write to a temporary file in the same folder, fsync, then rename over `name`."""
        path = self._remote(name)
        folder = posixpath.dirname(path)
        source = iter(blocks)
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY) as spool:
            state: dict[str, Any] = {"spooled": 0, "done": False, "temps": []}

            def attempt(client: paramiko.SFTPClient) -> int:
                for stale in state["temps"]:        # left by an attempt whose connection dropped
                    with contextlib.suppress(OSError):
                        client.remove(stale)
                temp = posixpath.join(folder, f"{TEMP_PREFIX}{uuid.uuid4().hex}")
                state["temps"] = [temp]
                try:
                    return self._write_once(client, folder, temp, path, source, spool, state)
                except BaseException:
                    with contextlib.suppress(Exception):
                        client.remove(temp)
                    raise

            try:
                return self._run("write", path, attempt)
            except _SourceError as failed:
                raise failed.original from None

    def _write_once(self, client: paramiko.SFTPClient, folder: str, temp: str, path: str,
                    source: Iterator[bytes], spool: IO[bytes], state: dict[str, Any]) -> int:
        try:
            handle = client.open(temp, "wb")
        except FileNotFoundError:
            self._makedirs(client, folder)
            handle = client.open(temp, "wb")
        with handle:
            handle.set_pipelined(True)
            spool.seek(0)
            while piece := spool.read(WRITE_BLOCK):      # what an earlier attempt already sent
                handle.write(piece)
            written = state["spooled"]
            while not state["done"]:
                try:
                    block = next(source)
                except StopIteration:
                    state["done"] = True
                    break
                except BaseException as exc:
                    raise _SourceError(exc) from exc
                if not block:
                    continue
                spool.seek(0, os.SEEK_END)
                spool.write(block)
                state["spooled"] = written = written + len(block)
                handle.write(block)
            handle.flush()
            if self._fsync_supported:
                self._fsync_supported = _fsync(client, handle)
        if client.stat(temp).st_size != written:
            raise OperationFailed(f"the SFTP server stored a different size for {path}; "
                                  "try again")
        client.posix_rename(temp, path)
        return int(written)

    def _makedirs(self, client: paramiko.SFTPClient, folder: str) -> None:
        """mkdir -p: create the missing folders from the top down."""
        missing: list[str] = []
        current = folder
        while current not in ("", ".", "/"):
            try:
                if stat.S_ISDIR(client.stat(current).st_mode or 0):
                    break
                raise OperationFailed(f"{current} on {self.target.host} is a file, not a folder")
            except FileNotFoundError:
                missing.append(current)
                current = posixpath.dirname(current)
        for each in reversed(missing):
            try:
                client.mkdir(each)
            except OSError as refused:
                # Made by another thread meanwhile?  Otherwise the refusal is the error.
                try:
                    made = stat.S_ISDIR(client.stat(each).st_mode or 0)
                except OSError:
                    made = False
                if not made:
                    raise refused from None


def _fsync(client: paramiko.SFTPClient, handle: paramiko.SFTPFile) -> bool:
    """Ask the server to fsync the file (OpenSSH's fsync@openssh.com).  False: it cannot."""
    try:
        client._request(CMD_EXTENDED, "fsync@openssh.com", handle.handle)
    except OSError as exc:
        if exc.errno is None and "unsupported" in str(exc).lower():
            log.info("the SFTP server does not support fsync@openssh.com; writes are not fsync'ed")
            return False
        raise
    return True


def open_transport(target: SftpLocation, *, timeout: float = 20.0) -> paramiko.Transport:
    """One logged-in SSH connection to `target`, for other users of SSH (the database tunnel).

    The same host-key check, trust prompt (PROMPTS) and login order as the storage; `target.url`
    and `target.account` name it in messages and in the keyring.  The caller closes it.
    """
    return SftpStorage(target, attempts=1, timeout=timeout)._open_transport()


def open_sftp(location: str) -> SftpStorage:
    """The opener registered in app.core.storage.REMOTE_KINDS: connects (and checks) at once."""
    storage = SftpStorage(location)
    storage.connect()
    return storage
