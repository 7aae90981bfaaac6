"""A real OpenSSH server for the SFTP tests: `/usr/sbin/sshd -D -e -f CONFIG` on 127.0.0.1.

It has its own host key, an authorized_keys file holding a generated client key, and the
`internal-sftp` subsystem; it is stopped by its pid.  `TcpProxy` sits between a client and the
server and can cut every connection on demand (a dropped network, for the retry tests).  A throwaway
system user with a password is made for the password tests when `useradd` works here.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import select
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SSHD = "/usr/sbin/sshd"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def keygen(path: Path, kind: str = "ed25519", passphrase: str = "", comment: str = "test") -> Path:
    """A new key pair at `path` and `path`.pub, made by ssh-keygen."""
    subprocess.run(["ssh-keygen", "-q", "-t", kind, "-N", passphrase, "-C", comment, "-f", str(path)],
                   check=True, capture_output=True)
    return path


def fingerprint_of(public_key_file: Path) -> str:
    """The SHA256 fingerprint as `ssh-keygen -lf` prints it (the referee for Custode's own)."""
    out = subprocess.run(["ssh-keygen", "-l", "-E", "sha256", "-f", str(public_key_file)],
                         check=True, capture_output=True, text=True).stdout
    return out.split()[1]


class SshServer:
    """One sshd process; `start()` waits until it answers with its SSH banner."""

    def __init__(self, folder: Path, port: int | None = None, host_key_type: str = "ed25519") -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.host = "127.0.0.1"
        self.host_key = keygen(folder / f"host_{host_key_type}", host_key_type, comment="host")
        self.client_key = keygen(folder / "client_ed25519", comment="client")
        self.authorized_keys = folder / "authorized_keys"
        shutil.copy(self.client_key.with_suffix(".pub"), self.authorized_keys)
        self.config = folder / "sshd_config"
        self.pid_file = folder / "sshd.pid"
        self.log = folder / "sshd.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def host_fingerprint(self) -> str:
        return fingerprint_of(self.host_key.with_suffix(".pub"))

    def start(self) -> None:
        Path("/run/sshd").mkdir(parents=True, exist_ok=True)
        self.config.write_text(
            f"Port {self.port}\n"
            f"ListenAddress {self.host}\n"
            f"HostKey {self.host_key}\n"
            f"PidFile {self.pid_file}\n"
            f"AuthorizedKeysFile {self.authorized_keys}\n"
            "UsePAM no\n"
            "StrictModes no\n"
            "PermitRootLogin prohibit-password\n"
            "PasswordAuthentication yes\n"
            "KbdInteractiveAuthentication no\n"
            "PubkeyAuthentication yes\n"
            "UseDNS no\n"
            "PrintMotd no\n"
            "MaxSessions 10\n"
            "LogLevel INFO\n"
            "Subsystem sftp internal-sftp\n")
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen([SSHD, "-D", "-e", "-f", str(self.config)],
                                            stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"sshd exited: {self.log.read_text()[-2000:]}")
            try:
                with socket.create_connection((self.host, self.port), timeout=1) as probe:
                    if probe.recv(64).startswith(b"SSH-2.0"):
                        return
            except OSError:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("sshd did not answer within 15 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


@dataclass
class PasswordUser:
    name: str
    password: str
    home: Path


def make_password_user(home: Path) -> PasswordUser | None:
    """A throwaway system user with a random password, or None when useradd/chpasswd fail here."""
    name = f"custode-t{secrets.token_hex(4)}"
    password = secrets.token_urlsafe(12)
    home.mkdir(parents=True, exist_ok=True)
    made = subprocess.run(["useradd", "--no-create-home", "--home-dir", str(home), "--shell",
                           "/bin/sh", "--no-user-group", name], capture_output=True, check=False)
    if made.returncode != 0:
        return None
    changed = subprocess.run(["chpasswd"], input=f"{name}:{password}\n".encode(), capture_output=True,
                             check=False)
    if changed.returncode != 0:
        remove_user(name)
        return None
    shutil.chown(home, user=name)
    return PasswordUser(name, password, home)


def remove_user(name: str) -> None:
    subprocess.run(["userdel", name], capture_output=True, check=False)


class TcpProxy:
    """Forwards 127.0.0.1:port to a target; `cut()` drops every open connection at once."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.connections: list[socket.socket] = []
        self.accepted = 0
        self.lock = threading.Lock()
        self.closed = False
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.connections += [client, upstream]
                self.accepted += 1
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    @staticmethod
    def _pump(a: socket.socket, b: socket.socket) -> None:
        peers = {a: b, b: a}
        try:
            while True:
                ready, _, _ = select.select([a, b], [], [], 1.0)
                for sock in ready:
                    data = sock.recv(1 << 16)
                    if not data:
                        return
                    peers[sock].sendall(data)
        except (OSError, ValueError):
            return
        finally:
            for sock in (a, b):
                with contextlib.suppress(OSError):
                    sock.close()

    def cut(self) -> None:
        """Drop every connection now (both sides see the TCP connection reset/closed)."""
        with self.lock:
            connections, self.connections = self.connections, []
        for sock in connections:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()

    def close(self) -> None:
        self.closed = True
        self.listener.close()
        self.cut()


@pytest.fixture(scope="session")
def ssh_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SshServer]:
    server = SshServer(tmp_path_factory.mktemp("sshd"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def password_user() -> Iterator[PasswordUser | None]:
    """A user with a password; its home is outside pytest's private (0700) temp folders."""
    home = Path(tempfile.mkdtemp(prefix="custode-sftp-home-"))
    home.chmod(0o755)
    user = make_password_user(home)
    try:
        yield user
    finally:
        if user is not None:
            remove_user(user.name)
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
def ssh_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private HOME without ~/.ssh keys or known_hosts, and no ssh-agent."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    for name in ("CUSTODE_SFTP_PASSWORD", "CUSTODE_SFTP_KEY_PASSPHRASE"):
        monkeypatch.delenv(name, raising=False)
    return home


def remote_folder(tmp_path: Path, name: str = "sftp-repo") -> str:
    """A folder path on the (local) server for one test; not created."""
    return os.fspath(tmp_path / name)
