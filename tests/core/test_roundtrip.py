"""A backup restores identical: data (row counts and a hash of every row) and every definition.

The referee is tests/helpers/fingerprint.py, written independently of the engine.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from app.core.backup import BackupOptions, run_backup
from app.core.export import export_sql
from app.core.localserver import LocalServer
from app.core.repository import Repository
from app.core.restore import RestoreOptions, plan_restore, run_restore
from app.core.server import ServerSpec
from tests.helpers.roundtrip import assert_no_difference
from tests.helpers.servers import client_command, execute, fingerprint_of

DATABASES = ["sakila", "hostile", "hostile_other"]


@pytest.fixture(scope="module")
def full_backup(tmp_path_factory: pytest.TempPathFactory,
                source_server: LocalServer) -> tuple[Repository, str]:
    from app.core.storage import LocalStorage
    from tests.helpers.fixtures import TEST_KDF
    repo = Repository.init(LocalStorage(tmp_path_factory.mktemp("rt") / "repo"), "pw", kdf=TEST_KDF)
    result = run_backup(repo, ServerSpec.parse(source_server.url), "",
                        BackupOptions(databases=DATABASES, jobs=3))
    return repo, result.backup_id


def test_restore_to_another_server_is_identical(full_backup: tuple[Repository, str],
                                                source_server: LocalServer,
                                                empty_target: LocalServer) -> None:
    repo, backup_id = full_backup
    spec = ServerSpec.parse(empty_target.url)
    plan = plan_restore(repo, backup_id, spec, "", RestoreOptions(jobs=3))
    assert plan.replaces == []
    report = run_restore(repo, plan, spec, "", RestoreOptions(jobs=3))
    assert report.safety_schema is None
    assert_no_difference(fingerprint_of(source_server, DATABASES), fingerprint_of(empty_target, DATABASES))
    # LOAD DATA was used wherever the literals allow it. An object it warns about is rolled
    # back and loaded again with INSERTs: here only the two tables whose values the server flags
    # on any write (a FLOAT(10,4) that float rounding took to -1000000, beyond its declared
    # range; the '' member of an ENUM, stored by an invalid value), not a reading difference.
    tables = [t for d in repo.load_backup(backup_id)["databases"] for t in d["tables"]]
    fast = sum(len(t["objects"]) for t in tables if t["load_data"])
    assert report.load_data_retried == ["t_num", "t_zero"]
    assert (report.objects_load_data, report.objects_insert) == (
        fast - 2, sum(len(t["objects"]) for t in tables) - fast + 2)
    assert fast > 10


def test_with_inserts_only_the_restore_is_identical_too(full_backup: tuple[Repository, str],
                                                       source_server: LocalServer,
                                                       empty_target: LocalServer) -> None:
    # A target that refuses LOAD DATA LOCAL gets every row as INSERTs, which the server reads as
    # bytes (character_set_client = binary): names, text in every character set, ENUM members
    # and invalid UTF-8 in BLOBs must come back the same.
    repo, backup_id = full_backup
    spec = ServerSpec.parse(empty_target.url)
    execute(empty_target, "SET GLOBAL local_infile = 0")
    try:
        report = run_restore(repo, plan_restore(repo, backup_id, spec, "", RestoreOptions(jobs=2)),
                             spec, "", RestoreOptions(jobs=2))
    finally:
        execute(empty_target, "SET GLOBAL local_infile = 1")
    assert report.objects_load_data == 0 and report.objects_insert > 10
    assert_no_difference(fingerprint_of(source_server, DATABASES), fingerprint_of(empty_target, DATABASES))


def test_which_tables_load_with_load_data(full_backup: tuple[Repository, str]) -> None:
    repo, backup_id = full_backup
    flags = {(d["name"], t["name"]): t["load_data"]
             for d in repo.load_backup(backup_id)["databases"] for t in d["tables"]}
    # Numbers, dates and times, utf8 text, ENUM, JSON, INET6, UUID: yes.  A BLOB (_binary'..'),
    # a BIT (b'..'), a geometry (X'..') or a latin1/sjis column (_charset X'..') needs INSERTs.
    for name in ("t_int", "t_num", "t_time", "t_str", "t_enum_set", "t_json", "t_inet_uuid"):
        assert flags[("hostile", name)], name
    assert flags[("sakila", "rental")] and flags[("sakila", "payment")]
    for name in ("t_bin", "t_bit", "t_geo", "t_charsets"):
        assert not flags[("hostile", name)], name
    assert not flags[("sakila", "staff")]        # its picture is a BLOB


def test_restore_under_new_names_is_identical(full_backup: tuple[Repository, str],
                                              source_server: LocalServer) -> None:
    repo, backup_id = full_backup
    spec = ServerSpec.parse(source_server.url)
    rename = {"hostile": "hostile_copy", "hostile_other": "hostile_other_copy"}
    options = RestoreOptions(databases=["hostile", "hostile_other"], rename=rename)
    try:
        run_restore(repo, plan_restore(repo, backup_id, spec, "", options), spec, "", options)
        assert_no_difference(fingerprint_of(source_server, ["hostile", "hostile_other"]),
                     fingerprint_of(source_server, ["hostile", "hostile_other"], rename))
    finally:
        connection = source_server.connect()
        with connection.cursor() as cursor:
            for name in rename.values():
                cursor.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.close()


def test_export_loads_with_the_stock_client_identically(full_backup: tuple[Repository, str],
                                                        source_server: LocalServer,
                                                        empty_target: LocalServer,
                                                        tmp_path: Path) -> None:
    repo, backup_id = full_backup
    dump = tmp_path / "export.sql"
    with open(dump, "wb") as handle:
        export_sql(repo, backup_id, handle)
    with open(dump, "rb") as handle:
        result = subprocess.run(client_command(empty_target), stdin=handle, capture_output=True,
                                check=False)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert_no_difference(fingerprint_of(source_server, DATABASES), fingerprint_of(empty_target, DATABASES))


def test_manifest_records_rows_checksums_and_binlog(full_backup: tuple[Repository, str],
                                                    source_server: LocalServer) -> None:
    repo, backup_id = full_backup
    manifest = repo.load_backup(backup_id)
    assert manifest["consistency"] == "global-read-lock"
    assert manifest["binlog"]["file"].startswith("binlog.")
    tables = {(d["name"], t["name"]): t for d in manifest["databases"] for t in d["tables"]}
    connection = source_server.connect()
    with connection.cursor() as cursor:
        for (database, table), entry in tables.items():
            cursor.execute(f"SELECT COUNT(*) FROM `{database}`.`{table.replace('`', '``')}`")
            assert entry["rows"] == cursor.fetchone()[0], (database, table)
            if entry["engine"].lower() == "innodb" and not entry["has_virtual"]:
                cursor.execute(f"CHECKSUM TABLE `{database}`.`{table.replace('`', '``')}`")
                assert entry["checksum"] == cursor.fetchone()[1], (database, table)
    connection.close()
    assert tables[("sakila", "rental")]["rows"] == 16044


def test_a_second_backup_of_unchanged_data_stores_almost_nothing(
        full_backup: tuple[Repository, str], source_server: LocalServer) -> None:
    repo, first_id = full_backup
    first = repo.load_backup(first_id)
    second = run_backup(repo, ServerSpec.parse(source_server.url),
                        "", BackupOptions(databases=DATABASES, jobs=2)).manifest
    assert second["totals"]["plain_bytes"] == first["totals"]["plain_bytes"]
    assert second["totals"]["new_bytes"] == 0
    assert {o["id"] for d in second["databases"] for t in d["tables"] for o in t["objects"]} == \
        {o["id"] for d in first["databases"] for t in d["tables"] for o in t["objects"]}
