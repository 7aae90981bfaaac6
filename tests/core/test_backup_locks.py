"""A backup of a server with many databases while an application writes to it.

The definitions of 2,000 tables take seconds to read. They used to be read under
`FLUSH TABLES WITH READ LOCK`, and every write on the server waited for them (7.1 s with these 100
databases, 72 s with 500). Now only DDL waits while they are read (MariaDB's BACKUP STAGE
BLOCK_DDL); commits are blocked just long enough to start the snapshots.
"""

from __future__ import annotations

import threading
import time

from app.core.errors import OperationFailed
from app.core.localserver import LocalServer
from app.core.repository import Repository
from tests.helpers.roundtrip import assert_same, backup, restore
from tests.helpers.servers import execute

DATABASES = 100
TABLES = 20
STALL_LIMIT = 1.0       # seconds a writer may wait, on a shared 2-core machine


def many_databases(server: LocalServer, count: int = DATABASES) -> list[str]:
    names = [f"cz_many_{d:03}" for d in range(count)]
    statements = []
    for name in names:
        statements.append(f"CREATE DATABASE {name}")
        for t in range(TABLES):
            statements.append(f"CREATE TABLE {name}.t{t:02} (id INT AUTO_INCREMENT PRIMARY KEY, "
                              "v VARCHAR(20), n INT)")
            statements.append(f"INSERT INTO {name}.t{t:02} (v, n) VALUES ('a', {t}), ('b', {d_of(name)})")
        statements.append(f"CREATE TRIGGER {name}.up BEFORE INSERT ON {name}.t00 "
                          "FOR EACH ROW SET NEW.v = UPPER(NEW.v)")
        statements.append(f"CREATE VIEW {name}.firsts AS SELECT id, v FROM {name}.t01")
    execute(server, *statements)
    return names


def d_of(name: str) -> int:
    return int(name.rsplit("_", 1)[1])


class Writer(threading.Thread):
    """An application: an insert every 20 ms, each row numbered by a sequence; records the
    longest time one insert took."""

    def __init__(self, server: LocalServer) -> None:
        super().__init__(daemon=True)
        self.connection = server.connect()
        with self.connection.cursor() as cursor:
            cursor.execute("CREATE DATABASE cz_app")
            cursor.execute("CREATE SEQUENCE cz_app.numbers NOCACHE")   # each number stored at once
            cursor.execute("CREATE TABLE cz_app.orders (id BIGINT PRIMARY KEY, at DOUBLE)")
        self.stop = threading.Event()
        self.longest = 0.0
        self.count = 0

    def run(self) -> None:
        with self.connection.cursor() as cursor:
            while not self.stop.is_set():
                started = time.monotonic()
                cursor.execute("INSERT INTO cz_app.orders VALUES (NEXTVAL(cz_app.numbers), %s)",
                               (started,))
                self.connection.commit()
                self.longest = max(self.longest, time.monotonic() - started)
                self.count += 1
                time.sleep(0.02)

    def finish(self) -> None:
        self.stop.set()
        self.join()
        self.connection.close()


def test_writers_never_wait_for_a_backup_of_many_databases(own: LocalServer, empty_target: LocalServer,
                                                           repo: Repository) -> None:
    names = many_databases(own)
    writer = Writer(own)
    writer.start()
    try:
        time.sleep(0.3)
        started = time.monotonic()
        backup_id, _ = backup(repo, own, ["cz_app", *names])   # its sequence read first
        took = time.monotonic() - started
    finally:
        writer.finish()
    print(f"backup of {DATABASES * TABLES} tables: {took:.1f} s; {writer.count} inserts, the longest "
          f"{writer.longest * 1000:.0f} ms")
    assert writer.count > 20                     # the application really wrote during the backup
    assert writer.longest < STALL_LIMIT, f"an insert waited {writer.longest:.1f} s for the backup"
    manifest = repo.load_backup(backup_id)
    locks = manifest["locks"]
    print(f"writes blocked {locks['writes_blocked'] * 1000:.1f} ms, DDL blocked {locks['ddl_blocked']:.2f} s")
    assert locks["ddl_lock"] == "backup-stage" and locks["writes_blocked"] < STALL_LIMIT
    assert manifest["totals"]["tables"] == DATABASES * TABLES + 1
    restore(repo, backup_id, empty_target)
    assert_same(own, empty_target, names)       # rows, row hashes and every definition
    # The restored sequence is ahead of every row the snapshot holds: the application, moved to
    # the restored server, never draws a number already used.
    connection = empty_target.connect()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*), MAX(id) FROM cz_app.orders")
            rows, highest = cursor.fetchone()
            cursor.execute("SELECT NEXTVAL(cz_app.numbers)")
            (drawn,) = cursor.fetchone()
    finally:
        connection.close()
    assert rows > 0 and drawn > highest, (rows, highest, drawn)


def test_ddl_during_the_dump_is_named_in_a_warning(own: LocalServer, repo: Repository) -> None:
    execute(own, "CREATE DATABASE cz_ddl", "CREATE TABLE cz_ddl.t (id INT PRIMARY KEY)")
    stop = threading.Event()
    altered = [0]

    def alter() -> None:
        connection = own.connect()
        try:
            with connection.cursor() as cursor:
                while not stop.is_set():
                    cursor.execute("ALTER TABLE cz_ddl.t FORCE")   # waits while DDL is blocked
                    altered[0] += 1
                    time.sleep(0.01)
        finally:
            connection.close()

    quiet = backup(repo, own, ["sakila"])[1]
    assert not [w for w in quiet["warnings"] if "DDL" in w]
    thread = threading.Thread(target=alter, daemon=True)
    thread.start()
    try:
        while not altered[0]:
            time.sleep(0.01)
        try:
            _, manifest = backup(repo, own, ["sakila", "cz_ddl"])
        except OperationFailed as exc:
            # The rebuilt table could not be read in the snapshot: the backup says which and why.
            assert "table cz_ddl.t was changed by a DDL statement" in str(exc)
            assert "nothing was saved" in str(exc)
        else:
            # Read after the rebuild: the backup is kept, and says that DDL ran meanwhile.
            assert any("DDL statements" in w and "ran on the server during the backup" in w
                       for w in manifest["warnings"]), manifest["warnings"]
    finally:
        stop.set()
        thread.join()


def test_a_long_alter_running_when_the_backup_starts(own: LocalServer, repo: Repository) -> None:
    """An ALTER TABLE that copies a big table is running when the backup starts: blocking DDL
    lets it run on to its last stage, where it waits for the backup lock while the definitions
    are read (an in-place ALTER holding its table there made that read deadlock: the backup
    lets go and reads again, see _definitions_without_global_lock). The backup succeeds, its
    definition of the table matches the rows it holds, and the ALTER ends."""
    names = many_databases(own, 50)      # read first: the ALTER reaches its last stage meanwhile
    execute(own, "CREATE DATABASE cz_alter",
            "CREATE TABLE cz_alter.big (id INT PRIMARY KEY, v VARCHAR(60))",
            "INSERT INTO cz_alter.big SELECT seq, MD5(seq) FROM cz_alter.seq_1_to_100000")
    took: list[float] = []

    def alter() -> None:
        connection = own.connect()
        try:
            started = time.monotonic()
            with connection.cursor() as cursor:
                cursor.execute("ALTER TABLE cz_alter.big ADD COLUMN extra INT DEFAULT 7, "
                               "ALGORITHM=COPY")
            took.append(time.monotonic() - started)
        finally:
            connection.close()

    thread = threading.Thread(target=alter, daemon=True)
    thread.start()
    time.sleep(0.05)                      # the copy is under way
    _, manifest = backup(repo, own, [*names, "cz_alter"])
    thread.join()
    table = next(t for t in manifest["databases"][-1]["tables"] if t["name"] == "big")
    print(f"ALTER took {took[0]:.1f} s; the backup's definition "
          f"{'has' if 'extra' in table['create'] else 'lacks'} the new column")
    assert took, "the ALTER did not finish"
    assert table["rows"] == 100_000
    assert ("`extra`" in table["create"]) == ("extra" in table["columns"])   # definition = rows
    assert manifest["locks"]["writes_blocked"] < STALL_LIMIT
