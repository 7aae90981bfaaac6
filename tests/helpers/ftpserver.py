"""A real FTPS server for the tests: pyftpdlib's TLS_FTPHandler in its own process on 127.0.0.1.

TLS is required on the control and the data channels, with a self-signed certificate (for
127.0.0.1 and localhost) made here with `cryptography`; the client trusts that one file
(`ftps://...?ca=<cert>`).  The server is stopped by its pid.

Faults a test can ask for, through a JSON file in the server's folder (read at each transfer, used
once): {"drop_retr_after": N} cuts the connection after N bytes of a download,
{"drop_stor_after": N} after N bytes of an upload.  Started with `no_overwrite=True`, renaming
onto an existing file is refused (550), as some servers do; with `plain=True` it is a plain FTP
server without TLS (which a client must refuse before sending the password).

Run as a program (`python -m tests.helpers.ftpserver ...`) it is the server itself.
"""

from __future__ import annotations

import argparse
import datetime
import ipaddress
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
USER = "backup"
PASSWORD = "ftp secret 🔑"


def make_certificate(folder: Path) -> Path:
    """A self-signed certificate (with its key in the same PEM file) for 127.0.0.1 and localhost."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "custode test ftps")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([
                x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    pem = folder / "server.pem"
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM) + key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    ca = folder / "ca.pem"
    ca.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return ca


class FtpsServer:
    """The server process: `home` is the user's folder, `ca` the certificate a client trusts."""

    def __init__(self, folder: Path, *, no_overwrite: bool = False, plain: bool = False) -> None:
        self.folder = folder
        self.home = folder / "home"
        self.home.mkdir(parents=True, exist_ok=True)
        self.ca = make_certificate(folder)
        self.faults = folder / "faults.json"
        self.no_overwrite = no_overwrite
        self.plain = plain
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def location(self, path: str = "repo", user: str = USER) -> str:
        return f"ftps://{user}@127.0.0.1:{self.port}/{path}?ca={self.ca}"

    @property
    def account(self) -> str:
        return f"ftps://{USER}@127.0.0.1:{self.port}"

    def start(self) -> None:
        args = [sys.executable, "-m", "tests.helpers.ftpserver", "--port", str(self.port),
                "--home", str(self.home), "--cert", str(self.folder / "server.pem"),
                "--faults", str(self.faults)]
        if self.no_overwrite:
            args.append("--no-overwrite")
        if self.plain:
            args.append("--plain")
        log = open(self.folder / "server.log", "ab")  # noqa: SIM115 - handed to the process
        self.process = subprocess.Popen(args, cwd=ROOT, stdout=log, stderr=log,
                                        env={**os.environ, "PYTHONPATH": str(ROOT)})
        log.close()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("the FTPS server did not start: "
                                   + (self.folder / "server.log").read_text(errors="replace"))
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    if sock.recv(3) == b"220":
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the FTPS server did not answer within 15 s")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None

    def inject(self, **faults: int) -> None:
        self.faults.write_text(json.dumps(faults))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# -- the server process ------------------------------------------------------------------------
def _serve(options: argparse.Namespace) -> None:
    from pyftpdlib.authorizers import DummyAuthorizer
    from pyftpdlib.filesystems import AbstractedFS
    from pyftpdlib.handlers import FTPHandler, TLS_FTPHandler
    from pyftpdlib.servers import FTPServer

    faults_file = Path(options.faults)

    def take_fault(kind: str) -> int | None:
        try:
            faults: dict[str, int] = json.loads(faults_file.read_text())
        except (OSError, ValueError):
            return None
        value = faults.pop(kind, None)
        if value is not None:
            faults_file.write_text(json.dumps(faults))
        return value

    class Cutting:
        """A file that cuts the client's connections once `limit` bytes went through it."""

        def __init__(self, handle: Any, limit: int, channel: Any) -> None:
            self.handle, self.left, self.channel = handle, limit, channel

        def _cut(self) -> None:
            data = getattr(self.channel, "data_channel", None)
            for sock in (getattr(data, "socket", None), getattr(self.channel, "socket", None)):
                if sock is not None:
                    try:
                        sock.sock_shutdown(socket.SHUT_RDWR)  # pyOpenSSL connection
                    except Exception:  # noqa: BLE001 - best effort: the point is to break it
                        pass
            self.channel.close()

        def read(self, size: int = -1) -> bytes:
            if self.left <= 0:
                self._cut()
                return b""
            data: bytes = self.handle.read(min(size, self.left) if size > 0 else self.left)
            self.left -= len(data)
            return data

        def write(self, data: bytes) -> int:
            if self.left <= 0:
                self._cut()
                raise OSError("connection cut by the test")
            self.left -= len(data)
            written: int = self.handle.write(data)
            return written

        def __getattr__(self, name: str) -> Any:
            return getattr(self.handle, name)

    class FaultyFS(AbstractedFS):  # type: ignore[misc]
        def open(self, filename: str, mode: str) -> Any:
            handle = super().open(filename, mode)
            limit = take_fault("drop_retr_after" if "r" in mode else "drop_stor_after")
            return handle if limit is None else Cutting(handle, limit, self.cmd_channel)

        def rename(self, src: str, dst: str) -> None:
            if options.no_overwrite and os.path.exists(dst):
                raise OSError(17, "File exists")
            super().rename(src, dst)

    authorizer = DummyAuthorizer()
    authorizer.add_user(USER, PASSWORD, options.home, perm="elradfmwMT")
    handler = FTPHandler if options.plain else TLS_FTPHandler
    handler.certfile = options.cert  # type: ignore[attr-defined]
    handler.authorizer = authorizer
    handler.abstracted_fs = FaultyFS
    handler.tls_control_required = True  # type: ignore[attr-defined]
    handler.tls_data_required = True  # type: ignore[attr-defined]
    handler.passive_ports = None
    handler.auth_failed_timeout = 0.1   # pyftpdlib waits 3 s before saying 530
    handler.banner = "custode test FTPS server"
    server = FTPServer(("127.0.0.1", options.port), handler)
    server.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--home", required=True)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--faults", required=True)
    parser.add_argument("--no-overwrite", action="store_true")
    parser.add_argument("--plain", action="store_true", help="plain FTP, no TLS (a refusal test)")
    _serve(parser.parse_args())
