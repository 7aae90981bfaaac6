"""The backup engine: one consistent snapshot across parallel connections, clean cancel, users."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator

import pytest

from app.core.backup import BackupOptions, run_backup
from app.core.errors import Cancelled, ConfigError
from app.core.jobs import CancelToken, Progress
from app.core.localserver import LocalServer
from app.core.repository import Repository
from app.core.restore import RestoreOptions, plan_restore, run_restore
from app.core.server import ServerSpec
from tests.helpers.servers import drop_user_databases, execute


@pytest.fixture
def bank(target_server: LocalServer) -> Iterator[LocalServer]:
    """Two account tables whose balances always add up to zero, plus bulk to make dumping slow."""
    drop_user_databases(target_server)
    execute(target_server,
            "CREATE DATABASE bank", "USE bank",
            "CREATE TABLE a (id INT PRIMARY KEY, balance BIGINT NOT NULL)",
            "CREATE TABLE b (id INT PRIMARY KEY, balance BIGINT NOT NULL)",
            "INSERT INTO a SELECT seq, 0 FROM seq_1_to_200",
            "INSERT INTO b SELECT seq, 0 FROM seq_1_to_200",
            "CREATE TABLE bulk (id INT PRIMARY KEY, pad VARCHAR(200))",
            "INSERT INTO bulk SELECT seq, REPEAT(MD5(seq), 6) FROM seq_1_to_60000")
    yield target_server
    drop_user_databases(target_server)


def _sum(server: LocalServer, database: str) -> int:
    connection = server.connect()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (SELECT SUM(balance) FROM {database}.a) + "
                       f"(SELECT SUM(balance) FROM {database}.b)")
        total = int(cursor.fetchone()[0])
    connection.close()
    return total


def test_parallel_connections_share_one_snapshot_while_writes_go_on(repo: Repository,
                                                                    bank: LocalServer) -> None:
    stop = threading.Event()
    transfers = [0]

    def transfer() -> None:   # moves money from a to b, one transaction at a time
        connection = bank.connect()
        rng = random.Random(7)
        with connection.cursor() as cursor:
            while not stop.is_set():
                amount, x, y = rng.randint(1, 100), rng.randint(1, 200), rng.randint(1, 200)
                cursor.execute("START TRANSACTION")
                cursor.execute("UPDATE bank.a SET balance = balance - %s WHERE id = %s", (amount, x))
                cursor.execute("UPDATE bank.b SET balance = balance + %s WHERE id = %s", (amount, y))
                cursor.execute("COMMIT")
                transfers[0] += 1
        connection.close()

    writer = threading.Thread(target=transfer)
    writer.start()
    try:
        results = [run_backup(repo, ServerSpec.parse(bank.url), "",
                              BackupOptions(databases=["bank"], jobs=4)) for _ in range(3)]
    finally:
        stop.set()
        writer.join()
    assert transfers[0] > 50, "the writer must really run during the backups"
    spec = ServerSpec.parse(bank.url)
    for n, result in enumerate(results):
        options = RestoreOptions(rename={"bank": f"bank_{n}"})
        run_restore(repo, plan_restore(repo, result.backup_id, spec, "", options), spec, "", options)
        assert _sum(bank, f"bank_{n}") == 0


def test_a_cancelled_backup_leaves_no_backup_behind(repo: Repository, bank: LocalServer) -> None:
    token = CancelToken()

    def cancel_midway(progress: Progress) -> None:
        if progress.done_bytes > 0:
            token.cancel()

    with pytest.raises(Cancelled):
        run_backup(repo, ServerSpec.parse(bank.url), "", BackupOptions(databases=["bank"], jobs=2),
                   progress=cancel_midway, cancel=token)
    assert repo.list_backups() == []


def test_users_and_grants_come_along_and_are_created_where_missing(
        repo: Repository, bank: LocalServer, source_server: LocalServer) -> None:
    connection = bank.connect()
    with connection.cursor() as cursor:
        cursor.execute("CREATE USER 'teller'@'%' IDENTIFIED BY 's3cret-pass'")
        cursor.execute("GRANT SELECT, INSERT ON bank.* TO 'teller'@'%'")
        cursor.execute("CREATE ROLE auditor")
        cursor.execute("GRANT SELECT ON bank.a TO auditor")
    connection.close()
    try:
        result = run_backup(repo, ServerSpec.parse(bank.url), "",
                            BackupOptions(databases=["bank"], users=True))
        users = {u["user"]: u for u in result.manifest["users"]}
        assert "teller" in users and users["auditor"]["role"]
        assert "s3cret-pass" not in str(result.manifest)    # only the server's hash is kept
        spec = ServerSpec.parse(source_server.url)
        options = RestoreOptions(users=True, databases=["bank"])
        report = run_restore(repo, plan_restore(repo, result.backup_id, spec, "", options),
                             spec, "", options)
        assert "teller@%" in report.users_created and "auditor" in report.users_created
        other = source_server.connect()
        with other.cursor() as cursor:
            cursor.execute("SHOW GRANTS FOR 'teller'@'%'")
            grants = " ".join(r[0] for r in cursor.fetchall())
        other.close()
        assert "GRANT SELECT, INSERT ON `bank`.*" in grants
    finally:
        for server in (bank, source_server):
            c = server.connect()
            with c.cursor() as cursor:
                cursor.execute("DROP USER IF EXISTS 'teller'@'%'")
                cursor.execute("DROP ROLE IF EXISTS auditor")
                if server is source_server:
                    cursor.execute("DROP DATABASE IF EXISTS bank")
            c.close()


def test_unknown_databases_and_tables_are_refused(repo: Repository, bank: LocalServer) -> None:
    spec = ServerSpec.parse(bank.url)
    with pytest.raises(ConfigError, match="does not exist"):
        run_backup(repo, spec, "", BackupOptions(databases=["nope"]))
    with pytest.raises(ConfigError, match=r"bank\.nope does not exist"):
        run_backup(repo, spec, "", BackupOptions(tables=["bank.nope"]))
    with pytest.raises(ConfigError, match="binary-log"):
        run_backup(repo, spec, "", BackupOptions(backup_type="incremental"))


def test_batches_too_long_for_group_concat_are_streamed_and_restore_identical(
        repo: Repository, bank: LocalServer, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.core import backup
    from tests.helpers.fingerprint import diff, fingerprint
    execute(bank, "USE bank", "CREATE TABLE bank.wide (id INT PRIMARY KEY, body MEDIUMTEXT, raw LONGBLOB)",
            "INSERT INTO bank.wide SELECT seq, REPEAT(CONCAT('é', seq, '\\n'), 200 + seq), "
            "UNHEX(REPEAT(MD5(seq), 50)) FROM seq_1_to_300")
    monkeypatch.setattr(backup, "GROUP_CONCAT_CAP", 4096)   # every batch overflows
    streamed: list[str] = []
    original_stream = backup._Backup._stream_rows

    def spy(self, connection, table, where, out, flush):  # type: ignore[no-untyped-def]
        streamed.append(where)
        return original_stream(self, connection, table, where, out, flush)

    monkeypatch.setattr(backup._Backup, "_stream_rows", spy)
    result = run_backup(repo, ServerSpec.parse(bank.url), "",
                        BackupOptions(tables=["bank.wide"], jobs=2))
    table = result.manifest["databases"][0]["tables"][0]
    assert table["rows"] == 300
    assert streamed   # the fallback really ran
    spec = ServerSpec.parse(bank.url)
    options = RestoreOptions(rename={"bank": "bank_copy"})
    run_restore(repo, plan_restore(repo, result.backup_id, spec, "", options), spec, "", options)
    connection = bank.connect()
    try:
        original = fingerprint(connection, ["bank"])["bank"]["tables"]["wide"]
        copy = fingerprint(connection, ["bank"], {"bank": "bank_copy"})["bank"]["tables"]["wide"]
    finally:
        connection.close()
    assert not diff(original, copy)


def test_a_user_who_cannot_read_everything_is_warned(repo: Repository, bank: LocalServer) -> None:
    execute(bank, "CREATE USER IF NOT EXISTS 'weak'@'localhost'",
            "GRANT SELECT ON bank.a TO 'weak'@'localhost'")
    try:
        spec = ServerSpec.parse(bank.url.replace("root@", "weak@"))
        manifest = run_backup(repo, spec, "", BackupOptions(databases=["bank"])).manifest
        assert [t["name"] for t in manifest["databases"][0]["tables"]] == ["a"]
        assert manifest["consistency"] == "single-transaction"   # no RELOAD: one snapshot
        assert any("NOT in this backup" in w and "bank" in w for w in manifest["warnings"])
        full = run_backup(repo, ServerSpec.parse(bank.url), "", BackupOptions(databases=["bank"]))
        assert full.manifest["warnings"] == []
    finally:
        execute(bank, "DROP USER IF EXISTS 'weak'@'localhost'")


def test_integer_keys_with_gaps_dense_stretches_and_extremes_restore_identical(
        repo: Repository, bank: LocalServer) -> None:
    """Integer keys are cut into aligned ranges without reading them first: a sparse start, huge
    gaps, a stretch far denser than the sample, negative and extreme values all come back."""
    from tests.helpers.fingerprint import diff, fingerprint
    execute(bank, "USE bank",
            "CREATE TABLE bank.ids (id BIGINT PRIMARY KEY, v VARCHAR(40))",
            # sparse sample (every 1000th value), then a dense stretch, then huge gaps
            "INSERT INTO bank.ids SELECT CAST(seq AS SIGNED) * 1000 - 9223372036854000000, CONCAT('s', seq) "
            "FROM seq_1_to_1000",
            "INSERT INTO bank.ids SELECT seq, REPEAT('d', seq % 40) FROM seq_1_to_60000",
            "INSERT INTO bank.ids VALUES (9223372036854775807, 'max'), (4000000000000, 'gap')",
            "CREATE TABLE bank.uids (id BIGINT UNSIGNED PRIMARY KEY, v INT)",
            "INSERT INTO bank.uids SELECT seq, seq FROM seq_1_to_5000",
            "INSERT INTO bank.uids VALUES (18446744073709551615, -1), (18446744073709551000, -2)",
            "CREATE TABLE bank.tiny (id TINYINT PRIMARY KEY, v INT)",
            "INSERT INTO bank.tiny SELECT CAST(seq AS SIGNED) - 129, seq FROM seq_1_to_255")
    spec = ServerSpec.parse(bank.url)
    tables = ["bank.ids", "bank.uids", "bank.tiny"]
    result = run_backup(repo, spec, "", BackupOptions(tables=tables, jobs=2))
    rows = {t["name"]: t["rows"] for t in result.manifest["databases"][0]["tables"]}
    assert rows == {"ids": 61002, "uids": 5002, "tiny": 255}
    again = run_backup(repo, spec, "", BackupOptions(tables=tables, jobs=2))
    assert again.manifest["totals"]["new_objects"] == 0   # the same cuts again: nothing new
    options = RestoreOptions(rename={"bank": "bank_copy"})
    run_restore(repo, plan_restore(repo, result.backup_id, spec, "", options), spec, "", options)
    connection = bank.connect()
    try:
        for name in ("ids", "uids", "tiny"):
            original = fingerprint(connection, ["bank"])["bank"]["tables"][name]
            copy = fingerprint(connection, ["bank"], {"bank": "bank_copy"})["bank"]["tables"][name]
            assert not diff(original, copy), name
    finally:
        connection.close()


def test_tables_whose_statistics_say_small_but_have_grown_are_backed_up_whole(
        repo: Repository, bank: LocalServer) -> None:
    # A table InnoDB's statistics call small is read in one statement with no sample; when they
    # lag behind (no automatic recalculation, rows added after ANALYZE) the read must still take
    # every row: 499 of 64 KiB (32 MB, several objects), or 5,000 small ones (the normal path).
    from tests.helpers.fingerprint import diff, fingerprint
    execute(bank, "CREATE DATABASE stale", "USE stale",
            "CREATE TABLE grown (id INT PRIMARY KEY, pad MEDIUMTEXT) STATS_AUTO_RECALC = 0",
            "CREATE TABLE many (id INT PRIMARY KEY, v INT) STATS_AUTO_RECALC = 0",
            "INSERT INTO grown VALUES (1, 'one')", "INSERT INTO many VALUES (1, 1)",
            "ANALYZE TABLE grown, many",
            "INSERT INTO grown SELECT seq, REPEAT(MD5(seq), 2048) FROM seq_2_to_500",
            "INSERT INTO many SELECT seq, seq FROM seq_2_to_5000")
    connection = bank.connect()
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_name, n_rows, clustered_index_size FROM mysql.innodb_table_stats "
                       "WHERE database_name = 'stale' ORDER BY 1")
        assert cursor.fetchall() == (("grown", 1, 1), ("many", 1, 1))   # what the backup believes
    connection.close()
    result = run_backup(repo, ServerSpec.parse(bank.url), "", BackupOptions(databases=["stale"], jobs=2))
    tables = {t["name"]: t for t in result.manifest["databases"][0]["tables"]}
    assert tables["grown"]["rows"] == 500 and len(tables["grown"]["objects"]) > 1
    assert tables["many"]["rows"] == 5000
    spec = ServerSpec.parse(bank.url)
    options = RestoreOptions(rename={"stale": "stale_copy"})
    run_restore(repo, plan_restore(repo, result.backup_id, spec, "", options), spec, "", options)
    connection = bank.connect()
    try:
        original = fingerprint(connection, ["stale"])
        copy = fingerprint(connection, ["stale"], {"stale": "stale_copy"})
    finally:
        connection.close()
    assert not diff(original, copy)
