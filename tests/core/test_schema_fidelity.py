"""What other projects' test suites caught: an export that runs what a name hides, MERGE tables,
packages, the database collation of stored programs, objects that no longer compile.

Each test builds its own databases on the session's source server (dropped afterwards), backs
them up, and restores them on the empty target server and through `export` + the stock client;
tests/helpers/fingerprint.py judges whether the copy is the same.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from app.core.errors import ConfigError, OperationFailed
from app.core.localserver import LocalServer
from app.core.repository import Repository
from app.core.restore import RestoreOptions, plan_restore, run_restore
from app.core.server import ServerSpec
from tests.helpers.fingerprint import diff
from tests.helpers.roundtrip import assert_same, backup, export_and_load, restore
from tests.helpers.servers import client_command, databases_of, drop_user_databases, execute, fingerprint_of

# Every character that has a meaning to the SQL parser or to the client, in names: new lines,
# quotes, backslashes, comment openers, the client's shell escape, backticks, control bytes.
HOSTILE_DATABASE = "cz_x\nCREATE DATABASE cz_injected_db; -- '\"\\`/*"
HOSTILE_TABLES = [
    "x\nCREATE DATABASE cz_injected; -- x",
    "t\n\\! touch {marker}\n#",
    "q'\"`\\\\`/* -- */ \x01\x1b\x7f é ☃",
    "semi;colon\rDROP DATABASE mysql;",   # (CR LF: the stock client reads LF, see FORMAT.md)
]


def literal(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


def q(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"



# -- 1. names that hide SQL and shell commands -----------------------------------------------------

@pytest.mark.parametrize("older_client", [False, True], ids=["sandbox", "no-sandbox"])
def test_hostile_names_round_trip_and_loading_the_export_runs_nothing_else(
        own: LocalServer, target_server: LocalServer, repo: Repository, tmp_path: Path,
        older_client: bool) -> None:
    marker = Path(f"/tmp/cz-owned-{os.getpid()}")    # short: a table name has 64 characters
    marker.unlink(missing_ok=True)
    tables = [name.format(marker=marker) for name in HOSTILE_TABLES]
    escape = literal("\n\\! touch " + str(marker))      # a value that tries the same
    execute(own, f"CREATE DATABASE {q(HOSTILE_DATABASE)}",
        *(f"CREATE TABLE {q(HOSTILE_DATABASE)}.{q(t)} (id INT PRIMARY KEY, {q(t + 'c')} TEXT)"
          for t in tables),
        *(f"INSERT INTO {q(HOSTILE_DATABASE)}.{q(t)} VALUES (1, {literal(t)}), "
          f"(2, {escape})" for t in tables),
        f"CREATE VIEW {q(HOSTILE_DATABASE)}.{q(tables[0] + 'v')} AS SELECT * FROM "
        f"{q(HOSTILE_DATABASE)}.{q(tables[1])}")
    backup_id, _ = backup(repo, own, [HOSTILE_DATABASE])

    restore(repo, backup_id, target_server)
    assert_same(own, target_server, [HOSTILE_DATABASE])

    drop_user_databases(target_server)
    loaded = export_and_load(repo, backup_id, target_server, tmp_path / "export.sql",
                             drop_first_line=older_client)
    assert loaded.returncode == 0, loaded.stderr.decode(errors="replace")
    assert_same(own, target_server, [HOSTILE_DATABASE])
    assert databases_of(target_server) == {HOSTILE_DATABASE}   # no cz_injected database
    assert not marker.exists(), "loading the export ran a shell command hidden in a table name"
    # The comment naming a table is one line, with the new line in the name written as \n.
    assert b"-- table cz_x\\nCREATE DATABASE cz_injected_db; -- '\"\\\\`/*.x\\nCREATE" in \
        (tmp_path / "export.sql").read_bytes()


def test_the_sandbox_line_stops_a_client_command_whatever_else_the_file_holds(
        target_server: LocalServer, tmp_path: Path) -> None:
    """The export's first line is what mariadb-dump writes: with it, the stock client refuses
    its own commands for the rest of the file."""
    from app.core.export import SANDBOX
    marker = tmp_path / "owned"
    path = tmp_path / "forged.sql"
    path.write_text(f"{SANDBOX}\nSELECT 1;\n\\! touch {marker}\n", encoding="utf-8")
    with open(path, "rb") as handle:
        result = subprocess.run(client_command(target_server), stdin=handle, capture_output=True,
                                check=False)
    assert result.returncode != 0 and b"sandbox" in result.stderr.lower()
    assert not marker.exists()


# -- 2. MERGE tables -----------------------------------------------------------------------------

@pytest.mark.parametrize("insert_method", ["NO", "LAST"])
def test_a_merge_table_is_restored_as_a_definition_and_its_rows_are_not_doubled(
        own: LocalServer, target_server: LocalServer, repo: Repository, tmp_path: Path,
        insert_method: str) -> None:
    # After mysqldump.test (Bug#19414 and the MERGE cases): the union is backed up with the
    # tables it unites, and named before them alphabetically.
    execute(own, "CREATE DATABASE cz_merge", "USE cz_merge",
        "CREATE TABLE cz_merge.t1 (a INT, b VARCHAR(10)) ENGINE=MyISAM",
        "CREATE TABLE cz_merge.t2 (a INT, b VARCHAR(10)) ENGINE=MyISAM",
        "INSERT INTO cz_merge.t1 VALUES (1, 'one'), (2, 'two')",
        "INSERT INTO cz_merge.t2 VALUES (3, 'three')",
        f"CREATE TABLE cz_merge.a_union (a INT, b VARCHAR(10)) ENGINE=MERGE UNION=(t1, t2) "
        f"INSERT_METHOD={insert_method}",
        "CREATE VIEW cz_merge.v AS SELECT COUNT(*) AS n FROM cz_merge.a_union")
    backup_id, manifest = backup(repo, own, ["cz_merge"])
    union = next(t for t in manifest["databases"][0]["tables"] if t["name"] == "a_union")
    assert union["objects"] == [] and union["rows"] == 0
    assert "MERGE" in union["definition_only"]

    restore(repo, backup_id, target_server)
    assert_same(own, target_server, ["cz_merge"])
    drop_user_databases(target_server)
    loaded = export_and_load(repo, backup_id, target_server, tmp_path / "export.sql")
    assert loaded.returncode == 0, loaded.stderr.decode(errors="replace")
    assert_same(own, target_server, ["cz_merge"])


# -- 3. packages ---------------------------------------------------------------------------------

PACKAGE = """CREATE PACKAGE cz_pkg.billing AS
  FUNCTION total(n INT) RETURN INT;
  PROCEDURE reset;
END"""
PACKAGE_BODY = """CREATE PACKAGE BODY cz_pkg.billing AS
  counter INT := 0;
  FUNCTION total(n INT) RETURN INT AS BEGIN RETURN n * 2 + counter; END;
  PROCEDURE reset AS BEGIN counter := 0; END;
END"""


def test_packages_and_their_bodies_are_backed_up_restored_and_exported(
        own: LocalServer, target_server: LocalServer, repo: Repository, tmp_path: Path) -> None:
    execute(own, "CREATE DATABASE cz_pkg", "USE cz_pkg", "SET SESSION sql_mode = 'ORACLE'", PACKAGE,
        PACKAGE_BODY)
    backup_id, manifest = backup(repo, own, ["cz_pkg"])
    kinds = [(r["type"], r["name"]) for r in manifest["databases"][0]["routines"]]
    assert kinds == [("PACKAGE", "billing"), ("PACKAGE BODY", "billing")]

    restore(repo, backup_id, target_server)
    assert_same(own, target_server, ["cz_pkg"])
    connection = target_server.connect()
    with connection.cursor() as cursor:
        cursor.execute("SELECT cz_pkg.billing.total(20)")
        assert cursor.fetchone()[0] == 40
    connection.close()

    drop_user_databases(target_server)
    loaded = export_and_load(repo, backup_id, target_server, tmp_path / "export.sql")
    assert loaded.returncode == 0, loaded.stderr.decode(errors="replace")
    assert_same(own, target_server, ["cz_pkg"])


def test_restoring_over_a_package_keeps_the_old_one_in_the_safety_copy(
        own: LocalServer, repo: Repository) -> None:
    execute(own, "CREATE DATABASE cz_pkg2", "USE cz_pkg2", "SET SESSION sql_mode = 'ORACLE'",
        PACKAGE.replace("cz_pkg.", "cz_pkg2."), PACKAGE_BODY.replace("cz_pkg.", "cz_pkg2."))
    backup_id, _ = backup(repo, own, ["cz_pkg2"])
    before = fingerprint_of(own, ["cz_pkg2"])
    spec = ServerSpec.parse(own.url)
    options = RestoreOptions(jobs=2, safety_copy=True)
    plan = plan_restore(repo, backup_id, spec, "", options)
    assert ("PACKAGE BODY", "billing") in plan.databases[0].replaced_other
    report = run_restore(repo, plan, spec, "", options)
    assert not diff(before, fingerprint_of(own, ["cz_pkg2"]))
    connection = own.connect()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT kind FROM {q(str(report.safety_schema))}._custode_replaced ORDER BY kind")
        assert [r[0] for r in cursor.fetchall()] == ["PACKAGE", "PACKAGE BODY"]
        cursor.execute(f"DROP DATABASE {q(str(report.safety_schema))}")
    connection.close()


def test_a_definition_that_is_not_utf8_is_backed_up_restored_over_and_kept_byte_for_byte(
        own: LocalServer, repo: Repository) -> None:
    # The server prints `_latin1 0xE9` as `_latin1'<E9>'`: SHOW CREATE VIEW is not UTF-8. The
    # backup used to stop with a UnicodeDecodeError; restoring over it, the safety copy too.
    execute(own, "CREATE DATABASE cz_bytes", "USE cz_bytes",
            "CREATE TABLE t (a CHAR(2) CHARACTER SET latin1 DEFAULT _latin1 0xE9E9)",
            "INSERT INTO t VALUES (DEFAULT)",
            "CREATE VIEW v AS SELECT _latin1 0xE9 AS e, _koi8r X'C1' AS k, a FROM t")
    backup_id, _ = backup(repo, own, ["cz_bytes"])
    before = fingerprint_of(own, ["cz_bytes"])
    assert "_latin1'\udce9'" in before["cz_bytes"]["views"]["v"]["create"]
    spec = ServerSpec.parse(own.url)
    options = RestoreOptions(jobs=2, safety_copy=True)
    report = run_restore(repo, plan_restore(repo, backup_id, spec, "", options), spec, "", options)
    assert not diff(before, fingerprint_of(own, ["cz_bytes"]))
    connection = own.connect()
    with connection.cursor() as cursor:
        cursor.execute("SELECT e, k, a FROM cz_bytes.v")
        assert cursor.fetchone() == ("é", "а", "éé")   # koi8r C1 is а
        cursor.execute(f"SELECT definition FROM {q(str(report.safety_schema))}._custode_replaced")
        assert b"_latin1'\xe9'" in cursor.fetchone()[0]
        cursor.execute(f"DROP DATABASE {q(str(report.safety_schema))}")
    connection.close()


# -- 4. the database collation of stored programs ----------------------------------------------

def test_stored_programs_keep_the_database_collation_they_were_created_under(
        own: LocalServer, target_server: LocalServer, repo: Repository, tmp_path: Path) -> None:
    # After mysqldump.test (Bug#30027, Bug#11766310): programs created while the database was
    # latin1; the database is utf8mb4 now.  CHARSET() of a CHAR parameter tells which one a
    # routine runs under.
    execute(own, "CREATE DATABASE cz_coll CHARACTER SET latin1",
        "CREATE TABLE cz_coll.t (c CHAR(10)) CHARACTER SET utf8mb4",
        "CREATE FUNCTION cz_coll.f(x CHAR(3)) RETURNS VARCHAR(64) DETERMINISTIC RETURN CHARSET(x)",
        "CREATE PROCEDURE cz_coll.p(x CHAR(3)) SELECT CHARSET(x)",
        "CREATE TRIGGER cz_coll.tr BEFORE INSERT ON cz_coll.t FOR EACH ROW SET NEW.c = 'x'",
        "CREATE EVENT cz_coll.e ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00' DISABLE "
        "DO SELECT 1",
        "ALTER DATABASE cz_coll CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
        "CREATE FUNCTION cz_coll.g(x CHAR(3)) RETURNS VARCHAR(64) DETERMINISTIC RETURN CHARSET(x)")
    backup_id, _ = backup(repo, own, ["cz_coll"])

    def charsets(server: LocalServer) -> tuple[str, str, str]:
        connection = server.connect()
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT cz_coll.f('a'), cz_coll.g('a'), DEFAULT_COLLATION_NAME "
                               "FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'cz_coll'")
                return tuple(cursor.fetchone())  # type: ignore[return-value]
        finally:
            connection.close()

    assert charsets(own) == ("latin1", "utf8mb4", "utf8mb4_unicode_ci")
    restore(repo, backup_id, target_server)
    assert_same(own, target_server, ["cz_coll"])
    assert charsets(target_server) == ("latin1", "utf8mb4", "utf8mb4_unicode_ci")
    drop_user_databases(target_server)
    loaded = export_and_load(repo, backup_id, target_server, tmp_path / "export.sql")
    assert loaded.returncode == 0, loaded.stderr.decode(errors="replace")
    assert_same(own, target_server, ["cz_coll"])
    assert charsets(target_server) == ("latin1", "utf8mb4", "utf8mb4_unicode_ci")


# -- 5. objects that no longer compile ------------------------------------------------------------

def _break_things(server: LocalServer) -> None:
    execute(server, "CREATE DATABASE cz_broken", "CREATE TABLE cz_broken.kept (a INT)",
        "INSERT INTO cz_broken.kept VALUES (1)",
        "CREATE TABLE cz_broken.gone (a INT)",
        "CREATE VIEW cz_broken.orphan AS SELECT a FROM cz_broken.gone",
        "CREATE VIEW cz_broken.fine AS SELECT a FROM cz_broken.kept",
        "DROP TABLE cz_broken.gone",
        "CREATE PROCEDURE cz_broken.stale() BEGIN DECLARE v INT; SELECT 1 INTO v; END",
        # A body that no longer parses (as after an upgrade, or an edit of mysql.proc).
        "UPDATE mysql.proc SET body = 'BEGIN SELECT 1 INTO no_such_var; END', "
        "body_utf8 = 'BEGIN SELECT 1 INTO no_such_var; END' "
        "WHERE db = 'cz_broken' AND name = 'stale'",
        "FLUSH TABLES")


def test_an_invalid_view_or_routine_is_a_warning_that_names_it_and_the_rest_restores(
        own: LocalServer, target_server: LocalServer, repo: Repository) -> None:
    _break_things(own)
    backup_id, manifest = backup(repo, own, ["cz_broken"])
    warnings = "\n".join(manifest["warnings"])
    assert "view cz_broken.orphan" in warnings and "procedure cz_broken.stale" in warnings
    assert "no_such_var" in warnings
    unreadable = {(u["kind"], u["name"]) for u in manifest["databases"][0]["unreadable"]}
    assert unreadable == {("view", "orphan"), ("procedure", "stale")}
    assert [v["name"] for v in manifest["databases"][0]["views"]] == ["fine"]
    restore(repo, backup_id, target_server)     # would fail on the orphan view otherwise
    restored = fingerprint_of(target_server, ["cz_broken"])["cz_broken"]
    assert set(restored["views"]) == {"fine"} and set(restored["tables"]) == {"kept"}
    assert restored["tables"]["kept"]["rows"] == 1


def test_with_strict_an_invalid_object_fails_the_backup_and_saves_nothing(
        own: LocalServer, repo: Repository) -> None:
    _break_things(own)
    with pytest.raises(OperationFailed, match=r"--strict.*cz_broken\.(orphan|stale)"):
        backup(repo, own, ["cz_broken"], strict=True)
    assert repo.list_backups() == []


# -- 6. functions a binary-logging target refuses ------------------------------------------------

def test_a_function_that_a_binlogging_target_would_refuse_stops_the_restore_before_anything_changes(
        own: LocalServer, repo: Repository) -> None:
    """MariaDB refuses a function declared neither DETERMINISTIC, NO SQL nor READS SQL DATA when it
    writes a binary log (error 1418), and a restore creates functions after the tables are in
    place: the plan must refuse first.  (The source server of the tests logs binary logs.)"""
    execute(own, "SET GLOBAL log_bin_trust_function_creators = 1")
    try:
        execute(own, "CREATE DATABASE cz_fn", "CREATE TABLE cz_fn.t (a INT)",
                "CREATE FUNCTION cz_fn.pick() RETURNS INT RETURN FLOOR(RAND() * 10)",
                "CREATE FUNCTION cz_fn.twice(x INT) RETURNS INT DETERMINISTIC RETURN x * 2")
    finally:
        execute(own, "SET GLOBAL log_bin_trust_function_creators = 0")
    backup_id, _ = backup(repo, own, ["cz_fn"])
    spec = ServerSpec.parse(own.url)
    options = RestoreOptions(jobs=2, rename={"cz_fn": "cz_fn_copy"})
    with pytest.raises(ConfigError, match=r"refuses function cz_fn_copy\.pick,.*log_bin_trust_function"):
        plan_restore(repo, backup_id, spec, "", options)
    assert "cz_fn_copy" not in databases_of(own)
