"""A throwaway MariaDB server in a folder of its own.

Used by the test suite, by the demo server and by test-restore: `mariadb-install-db` creates a data
directory, `mariadbd` serves it on a unix socket only (no TCP), and the server is stopped by its
process id.  Nothing here touches the system's own MariaDB service or its configuration files
(`--no-defaults` everywhere).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pymysql

from app.core.errors import ConfigError, OperationFailed

_SEARCH_DIRS = ("/usr/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin", "/usr/local/mysql/bin")


def find_program(name: str) -> str | None:
    """Find a server program, also in sbin folders that are not on a normal user's PATH."""
    found = shutil.which(name)
    if found:
        return found
    for folder in _SEARCH_DIRS:
        candidate = Path(folder) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


class LocalServer:
    """A MariaDB server owned by this process, living entirely inside `datadir`.

    Args:
        datadir: folder for the data files, socket, pid file and error log (created if missing).
        binlog: turn on binary logging (row format) for tests and demos of point-in-time recovery.
        extra_args: further `mariadbd` options.
    """

    def __init__(self, datadir: Path, *, binlog: bool = False, server_id: int = 1,
                 extra_args: list[str] | None = None) -> None:
        self.datadir = Path(datadir)
        self.binlog = binlog
        self.server_id = server_id
        self.extra_args = list(extra_args or [])
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def socket(self) -> str:
        return str(self.datadir / "sock")

    @property
    def url(self) -> str:
        return f"mysql://root@localhost/?socket={self.socket}"

    @property
    def alive(self) -> bool:
        """True while the server this object started is running."""
        return self._process is not None and self._process.poll() is None

    def start(self, timeout: float = 60.0) -> None:
        if self.alive:
            return   # never a second server on the same data directory (and a lost pid)
        installer = find_program("mariadb-install-db") or find_program("mysql_install_db")
        server = find_program("mariadbd") or find_program("mysqld")
        if not installer or not server:
            raise ConfigError("MariaDB server is not installed; install it with "
                              "'sudo apt-get install mariadb-server' (Debian/Ubuntu)")
        self.datadir.mkdir(parents=True, exist_ok=True)
        user_args = ["--user=root"] if os.geteuid() == 0 else []
        if not (self.datadir / "mysql").is_dir():
            result = subprocess.run(
                [installer, "--no-defaults", *user_args, f"--datadir={self.datadir}",
                 "--auth-root-authentication-method=normal", "--skip-test-db"],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
            if result.returncode != 0:
                tail = result.stdout.decode(errors="replace").strip().splitlines()[-1:]
                raise OperationFailed(f"mariadb-install-db failed: {' '.join(tail)}")
        tmpdir = self.datadir.parent / f"{self.datadir.name}-tmp"   # not shared with other servers
        tmpdir.mkdir(exist_ok=True)
        args = [server, "--no-defaults", *user_args, f"--datadir={self.datadir}",
                f"--socket={self.socket}", "--skip-networking", f"--tmpdir={tmpdir}",
                f"--pid-file={self.datadir / 'pid'}", f"--log-error={self.datadir / 'err.log'}",
                "--innodb-buffer-pool-size=256M", "--max-allowed-packet=256M",
                "--innodb-flush-log-at-trx-commit=2", "--skip-name-resolve",
                "--character-set-server=utf8mb4", "--collation-server=utf8mb4_general_ci",
                *self.extra_args]
        if self.binlog:
            args += [f"--log-bin={self.datadir / 'binlog'}", f"--server-id={self.server_id}",
                     "--binlog-format=ROW"]
        self._process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise OperationFailed(f"mariadbd exited at start: {self.last_error_line()}")
            try:
                self.connect().close()
                return
            except pymysql.err.OperationalError:
                time.sleep(0.1)
        self.stop()
        raise OperationFailed(f"mariadbd did not answer within {timeout:.0f} s")

    def last_error_line(self) -> str:
        log = self.datadir / "err.log"
        if not log.exists():
            return "no error log"
        lines = [line for line in log.read_text(errors="replace").splitlines() if "ERROR" in line]
        return lines[-1] if lines else "see " + str(log)

    def connect(self, database: str | None = None) -> pymysql.connections.Connection:
        return pymysql.connect(unix_socket=self.socket, user="root", password="",
                               database=database, charset="utf8mb4", autocommit=True)

    def stop(self) -> None:
        """Stop the server by its pid: SIGTERM, wait for a clean shutdown, then SIGKILL."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def kill(self) -> None:
        """Kill the server by its pid with SIGKILL, as a crash would (fault tests); `start`
        brings it back on the same data directory, through InnoDB's crash recovery."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()

    def __enter__(self) -> LocalServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
