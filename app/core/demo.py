"""The demo server: a private MariaDB with the Sakila sample, so a newcomer can back up and restore
something real within minutes, without touching a production server.

It lives in the data folder (`demo-server/`), listens only on a unix socket there, and is loaded
with Sakila (resources/sakila, BSD licence) through the stock `mariadb` client the first time.
A demo server left running by an earlier session is reused, and stopped by the pid it recorded.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pymysql

from app.core.errors import ConfigError, OperationFailed
from app.core.localserver import LocalServer, find_program
from app.core.profile import ServerEntry, data_dir

SAKILA = Path(__file__).resolve().parents[2] / "resources" / "sakila"
DEMO_NAME = "demo (Sakila)"
INSTALL_HINT = ("MariaDB is not installed on this computer, so there is no demo server. Install it "
                "with 'sudo apt-get install mariadb-server mariadb-client' (Debian/Ubuntu), then try again.")


def demo_available() -> str | None:
    """None when a demo server can be started here, else what to install."""
    if not (find_program("mariadbd") or find_program("mysqld")) or not find_program("mariadb"):
        return INSTALL_HINT
    return None


class DemoServer:
    def __init__(self, folder: Path | None = None) -> None:
        self.server = LocalServer(folder or data_dir() / "demo-server")
        self.attached = False

    @property
    def entry(self) -> ServerEntry:
        return ServerEntry(name=DEMO_NAME, user="root", socket=self.server.socket, demo=True)

    def running(self) -> bool:
        if self.server.alive:
            return True
        try:
            self.server.connect().close()
            return True
        except (pymysql.err.MySQLError, OSError):
            return False

    def start(self) -> None:
        """Start (or reuse) the demo server and load Sakila into it the first time."""
        hint = demo_available()
        if hint:
            raise ConfigError(hint)
        if self.running():
            self.attached = True
        else:
            self.server.start()
        if not self._has_sakila():
            for name in ("sakila-schema.sql", "sakila-data.sql"):
                self._load(SAKILA / name)

    def _has_sakila(self) -> bool:
        connection = self.server.connect()
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM information_schema.TABLES "
                               "WHERE TABLE_SCHEMA='sakila' AND TABLE_NAME='payment'")
                if not cursor.fetchone()[0]:
                    return False
                cursor.execute("SELECT COUNT(*) FROM sakila.payment")
                return bool(cursor.fetchone()[0])
        finally:
            connection.close()

    def _load(self, path: Path) -> None:
        client = find_program("mariadb")
        assert client is not None
        with open(path, "rb") as handle:
            result = subprocess.run([client, "--no-defaults", f"--socket={self.server.socket}",
                                     "--user=root"], stdin=handle, capture_output=True, check=False)
        if result.returncode != 0:
            message = result.stderr.decode(errors="replace").strip().splitlines()[-1:]
            raise OperationFailed(f"loading {path.name} into the demo server failed: {' '.join(message)}")

    def stop(self) -> None:
        """Stop the server: the one this process started, or the one it found by its pid file."""
        if not self.attached:
            self.server.stop()
            return
        pid_file = self.server.datadir / "pid"
        try:
            pid = int(pid_file.read_text().strip())
        except (OSError, ValueError):
            return
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.running():
            time.sleep(0.1)
