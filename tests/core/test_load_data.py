"""The restore's LOAD DATA path: identical results, a server that refuses it, damage found while
streaming, and a request for a file that was never offered."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pymysql
import pytest
from pymysql.converters import escape_string

from app.core import loaddata
from app.core.backup import BackupOptions, run_backup
from app.core.errors import DamageFound
from app.core.localserver import LocalServer
from app.core.repository import Repository
from app.core.restore import RestoreOptions, RestoreReport, plan_restore, run_restore
from app.core.server import ServerSpec
from tests.helpers.fingerprint import diff
from tests.helpers.servers import databases_of, drop_user_databases, execute, fingerprint_of

TRICKY = [   # as stored: text that looks like LOAD DATA's own syntax and escapes
    "'it's', a (test)", "back\\slash \\N and \\0 and \\Z", "NULL", "", "tab\there, comma",
    "line\nbreak", "ends with a quote'", "'", "),(", "(1,2)", "emoji \U0001F600 and ünïcödé",
    "nul \x00 byte", "ctrl-z \x1a", "\\", "'),('",
]


@pytest.fixture
def notes(target_server: LocalServer) -> Iterator[LocalServer]:
    """Text that looks like the LOAD DATA syntax itself, NULL against 'NULL', numbers, dates."""
    drop_user_databases(target_server)
    values = ",".join(f"({i}, '{escape_string(v)}', {i * 1.25}, '2024-01-{i + 1:02d} 10:00:0{i % 10}')"
                      for i, v in enumerate(TRICKY))
    execute(target_server,
            "CREATE DATABASE notes", "USE notes",
            "CREATE TABLE notes.n (id INT PRIMARY KEY, body TEXT, amount DOUBLE, at DATETIME, "
            "nothing VARCHAR(5) DEFAULT NULL, KEY (amount))",
            f"INSERT INTO notes.n (id, body, amount, at) VALUES {values}",
            "INSERT INTO notes.n SELECT seq + 100, REPEAT(CONCAT('row ', seq, ', '), seq % 50), "
            "seq / 3, '2020-01-01' + INTERVAL seq SECOND, IF(seq % 2, NULL, 'x') "
            "FROM seq_1_to_20000")
    yield target_server
    drop_user_databases(target_server)


def _state(server: LocalServer) -> dict[str, Any]:
    return fingerprint_of(server, ["notes"])


def _round_trip(repo: Repository, server: LocalServer) -> tuple[dict[str, Any], RestoreReport]:
    before = _state(server)
    spec = ServerSpec.parse(server.url)
    backup_id = run_backup(repo, spec, "", BackupOptions(databases=["notes"], jobs=2)).backup_id
    execute(server, "DROP DATABASE notes")
    options = RestoreOptions(jobs=2)
    report = run_restore(repo, plan_restore(repo, backup_id, spec, "", options), spec, "", options)
    return before, report


def test_rows_that_look_like_the_syntax_load_identically(repo: Repository, notes: LocalServer) -> None:
    before, report = _round_trip(repo, notes)
    assert not diff(before, _state(notes))
    assert report.objects_load_data >= 1 and report.objects_insert == 0
    assert report.load_data_retried == []


def test_a_server_that_refuses_load_data_local_gets_inserts(repo: Repository,
                                                             notes: LocalServer) -> None:
    execute(notes, "SET GLOBAL local_infile = 0")
    try:
        before, report = _round_trip(repo, notes)
    finally:
        execute(notes, "SET GLOBAL local_infile = 1")
    assert not diff(before, _state(notes))
    assert report.objects_load_data == 0 and report.objects_insert >= 1


def test_damage_found_while_streaming_leaves_the_target_unchanged(repo: Repository,
                                                                  notes: LocalServer,
                                                                  tmp_path: Path) -> None:
    spec = ServerSpec.parse(notes.url)
    backup_id = run_backup(repo, spec, "", BackupOptions(databases=["notes"], jobs=2)).backup_id
    execute(notes, "DELETE FROM notes.n WHERE id > 5000")
    before = _state(notes)
    manifest = repo.load_backup(backup_id)
    table = manifest["databases"][0]["tables"][0]
    assert table["load_data"]
    path = tmp_path / "repo" / repo.object_path(table["objects"][-1]["id"])
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    options = RestoreOptions(jobs=2)
    with pytest.raises(DamageFound, match=r"damaged.*nothing was changed"):
        run_restore(repo, plan_restore(repo, backup_id, spec, "", options), spec, "", options)
    assert not diff(before, _state(notes))
    assert databases_of(notes) == {"notes"}


def test_a_file_that_was_not_offered_is_never_sent(notes: LocalServer, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("(1,'do not send me')")
    connection = pymysql.connect(unix_socket=notes.socket, user="root", password="",
                                 autocommit=True, local_infile=True)
    try:
        with pytest.raises(loaddata.LocalFileRefused, match="did not offer"):
            connection.query(f"LOAD DATA LOCAL INFILE '{secret}' INTO TABLE notes.n {loaddata.OPTIONS} "
                             "(id, body)")
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM notes.n WHERE body = 'do not send me'")
            assert cursor.fetchone()[0] == 0
    finally:
        connection.close()
