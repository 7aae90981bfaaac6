"""The command line as a user meets it: a real process, environment variables, exit statuses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.catalog import Catalog
from app.core.localserver import LocalServer
from tests.helpers.servers import databases_of, drop_user_databases, execute, tables_of

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def env(tmp_path: Path, target_server: LocalServer) -> dict[str, str]:
    drop_user_databases(target_server)
    connection = target_server.connect()
    with connection.cursor() as cursor:
        cursor.execute("CREATE DATABASE notes")
        cursor.execute("CREATE TABLE notes.n (id INT PRIMARY KEY, body TEXT)")
        cursor.execute("INSERT INTO notes.n VALUES (1, 'first'), (2, 'ünïcödé 🦊'), (3, NULL)")
    connection.close()
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("CUSTODE", "MYSQL"))}
    environment.update(CUSTODE_REPO=str(tmp_path / "repo"), CUSTODE_PASSWORD="cli pass phrase",
                       CUSTODE_SERVER=target_server.url, PYTHONPATH=str(ROOT),
                       CUSTODE_HOME=str(tmp_path / "home"))
    return environment


def custode(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", *args], env=env, capture_output=True,
                          text=True, cwd=ROOT, check=False, timeout=120)


def assert_one_line_error(result: subprocess.CompletedProcess[str], status: int, text: str) -> None:
    assert result.returncode == status, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("custode: error: "), result.stderr
    assert text in lines[0]
    assert "Traceback" not in result.stderr


def test_the_whole_cycle_from_a_shell(env: dict[str, str], target_server: LocalServer,
                                      tmp_path: Path) -> None:
    assert custode(env, "init").returncode == 0
    backup = custode(env, "backup", "--databases", "notes")
    assert backup.returncode == 0, backup.stderr
    backup_id = backup.stdout.strip()
    assert len(backup_id) == 64

    listed = json.loads(custode(env, "--json", "list").stdout)
    assert [b["id"] for b in listed] == [backup_id] and listed[0]["rows"] == 3
    shown = json.loads(custode(env, "show", backup_id[:8], "--json").stdout)
    assert shown["contents"][0]["tables"][0] == {"name": "n", "rows": 3, "bytes": shown[
        "contents"][0]["tables"][0]["bytes"], "engine": "InnoDB"}
    verified = custode(env, "verify", "latest")
    assert verified.returncode == 0 and "no damage found" in verified.stdout

    refused = custode(env, "restore", "latest")          # would replace notes.n: must ask
    assert_one_line_error(refused, 2, "rerun with --yes")
    restored = custode(env, "--json", "restore", "latest", "--rename", "notes=notes2")
    assert restored.returncode == 0, restored.stderr
    assert json.loads(restored.stdout)["rows"] == 3

    exported = custode(env, "export", "latest", "--format", "sql", "-o", str(tmp_path / "x.sql"))
    assert exported.returncode == 0, exported.stderr
    assert "INSERT INTO `n` (`id`,`body`) VALUES (1,'first')" in (tmp_path / "x.sql").read_text()

    connection = target_server.connect()
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM notes2.n ORDER BY id")
        assert [r[0] for r in cursor.fetchall()] == ["first", "ünïcödé 🦊", None]
    connection.close()

    # Every job went into the local catalog, which the GUI's history shows.
    jobs = Catalog(tmp_path / "home" / "data" / "catalog.sqlite").jobs()
    assert [(j["kind"], j["status"]) for j in reversed(jobs)] == [
        ("backup", "ok"), ("verify", "ok"), ("restore", "ok")]
    assert jobs[-1]["backup_id"] == backup_id and jobs[-1]["rows"] == 3


def test_damage_gives_exit_status_3(env: dict[str, str], tmp_path: Path) -> None:
    custode(env, "init")
    custode(env, "backup", "--databases", "notes")
    victim = next(p for p in (tmp_path / "repo" / "data").rglob("*") if p.is_file())
    data = bytearray(victim.read_bytes())
    data[40] ^= 1
    victim.write_bytes(bytes(data))
    result = custode(env, "verify", "--all")
    assert result.returncode == 3
    assert "DAMAGED" in result.stdout and "Traceback" not in result.stderr
    last = Catalog(tmp_path / "home" / "data" / "catalog.sqlite").jobs()[0]
    assert (last["kind"], last["status"]) == ("verify", "damaged")


@pytest.mark.parametrize(("args", "status", "text"), [
    (("list",), 2, "no repository at"),
    (("backup", "--databases", "notes"), 2, "no repository at"),
    (("frobnicate",), 2, "invalid choice"),
    (("restore", "latest", "--rename", "broken"), 2, "OLD=NEW"),
])
def test_usage_mistakes_are_one_line_with_status_2(env: dict[str, str], args: tuple[str, ...],
                                                   status: int, text: str) -> None:
    assert_one_line_error(custode(env, *args), status, text)


@pytest.mark.parametrize(("args", "text"), [
    (("backup", "--databases", ""), "give at least one name"),
    (("backup", "--databases", "notes", "--all-databases"), "not both"),
    (("backup", "--jobs", "0"), "give 1 to 64"),
    (("restore", "latest", "--jobs", "-3"), "give 1 to 64"),
    (("restore", "latest", "--rename", "notes=a", "--rename", "notes=b"), "two new names"),
    (("restore", "latest", "--wait-for-locks", "soon"), "whole number of seconds"),
])
def test_bad_input_is_refused_before_anything_runs(env: dict[str, str], args: tuple[str, ...],
                                                   text: str) -> None:
    custode(env, "init")
    assert_one_line_error(custode(env, *args), 2, text)


def test_bad_servers_files_and_targets_get_one_clear_line(env: dict[str, str], tmp_path: Path,
                                                          target_server: LocalServer) -> None:
    custode(env, "init")
    for url, text in (("mysql://root@[::1/", "Invalid IPv6 URL"),
                      ("mysql://root@localhost/?socket=", "socket= is empty"),
                      (target_server.url + "&ssh=", "ssh= is empty")):
        assert_one_line_error(custode({**env, "CUSTODE_SERVER": url}, "backup"), 2, text)
    (tmp_path / "pw").write_bytes(b"\xffsecret\n")
    without = {k: v for k, v in env.items() if k != "CUSTODE_PASSWORD"}
    assert_one_line_error(custode(without, "--password-file", str(tmp_path / "pw"), "list"), 2,
                          "is not UTF-8 text (byte 0xff")
    (tmp_path / "plain").write_text("a file")
    assert_one_line_error(custode({**env, "CUSTODE_REPO": str(tmp_path / "plain")}, "init"), 1,
                          "Not a directory")
    # A database whose name holds a comma: selected exactly with --database.
    execute(target_server, "CREATE DATABASE `a,b`", "CREATE TABLE `a,b`.t (i INT)",
            "INSERT INTO `a,b`.t VALUES (7)")
    made = custode(env, "backup", "--database", "a,b")
    assert made.returncode == 0, made.stderr
    assert "backed up 1 tables, 1 rows" in made.stderr
    # Into an existing database the backup did not come from, or a system schema: not without
    # being asked, and a system schema not without --force either.
    execute(target_server, "CREATE DATABASE other", "CREATE TABLE other.keep (i INT)")
    into_other = custode(env, "restore", "latest", "--rename", "a,b=other")
    assert_one_line_error(into_other, 2, "write into the existing database other, which the backup")
    into_mysql = custode(env, "restore", "latest", "--rename", "a,b=mysql", "--yes")
    assert_one_line_error(into_mysql, 2, "system schema mysql: give --force")
    assert databases_of(target_server) >= {"other"}
    done = custode(env, "restore", "latest", "--rename", "a,b=other", "--yes")
    assert done.returncode == 0, done.stderr
    assert {"keep", "t"} <= tables_of(target_server, "other")


def test_wrong_passphrase_and_bad_server(env: dict[str, str]) -> None:
    custode(env, "init")
    assert_one_line_error(custode({**env, "CUSTODE_PASSWORD": "nope"}, "list"), 2, "wrong passphrase")
    assert_one_line_error(custode(env, "backup", "--databases", "nope"), 2, "does not exist")
    unreachable = custode({**env, "CUSTODE_SERVER": "mysql://root@localhost/?socket=/nonexistent"},
                          "backup")
    assert_one_line_error(unreachable, 1, "cannot connect to mysql://root@localhost")


def test_a_user_the_server_does_not_know_is_named_not_taken_for_missing_databases(
        env: dict[str, str], target_server: LocalServer) -> None:
    # Old installers leave an anonymous account: an unknown user then gets in, and sees nothing.
    execute(target_server, "CREATE USER IF NOT EXISTS ''@'localhost'")
    try:
        custode(env, "init")
        url = target_server.url.replace("root@", "nosuchuser@")
        result = custode({**env, "CUSTODE_SERVER": url}, "backup", "--databases", "notes")
        assert_one_line_error(result, 1, "the server has no user nosuchuser and let the login in as "
                                         "its anonymous account (@localhost)")
    finally:
        execute(target_server, "DROP USER IF EXISTS ''@'localhost'")


def test_the_server_password_never_shows(env: dict[str, str], target_server: LocalServer) -> None:
    connection = target_server.connect()
    with connection.cursor() as cursor:
        cursor.execute("CREATE USER IF NOT EXISTS 'op'@'localhost' IDENTIFIED BY 'Very$ecret1'")
        cursor.execute("GRANT ALL ON *.* TO 'op'@'localhost'")
    connection.close()
    custode(env, "init")
    url = target_server.url.replace("root@", "op@")
    wrong = custode({**env, "CUSTODE_SERVER": url, "MYSQL_PWD": "Wrong$ecret2"}, "backup")
    assert_one_line_error(wrong, 1, "Access denied")
    assert "Wrong$ecret2" not in wrong.stderr + wrong.stdout
    right = custode({**env, "CUSTODE_SERVER": url, "MYSQL_PWD": "Very$ecret1", }, "--debug",
                    "backup", "--databases", "notes")
    assert right.returncode == 0, right.stderr
    assert "Very$ecret1" not in right.stderr + right.stdout


def test_version() -> None:
    result = subprocess.run([sys.executable, "-m", "app", "--version"], capture_output=True,
                            text=True, cwd=ROOT, check=False)
    assert result.returncode == 0 and result.stdout.startswith("custode ")


def test_show_and_backup_warnings_keep_a_hostile_name_on_one_line(env: dict[str, str],
                                                                  target_server: LocalServer) -> None:
    """A table named to forge output lines (or a terminal escape) is printed escaped."""
    forged = "x\nbackup 0000 restored OK\x1b[2J"
    connection = target_server.connect()
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE notes.`{forged}` (a INT)")
        cursor.execute(f"CREATE TABLE notes.`{forged}2` (a INT)")   # stays: `show` lists it
        cursor.execute("CREATE VIEW notes.`v\nfake` AS SELECT a FROM notes.`" + forged + "`")
        cursor.execute(f"DROP TABLE notes.`{forged}`")   # the view is broken now: a warning names it
    connection.close()
    assert custode(env, "init").returncode == 0
    backup = custode(env, "backup", "--databases", "notes")
    assert backup.returncode == 0, backup.stderr
    warning = [line for line in backup.stderr.splitlines() if "cannot be read" in line]
    assert len(warning) == 1 and "notes.v\\nfake" in warning[0], backup.stderr
    strict = custode(env, "backup", "--databases", "notes", "--strict")
    assert_one_line_error(strict, 1, "notes.v\\nfake")
    shown = custode(env, "show", "latest")
    assert shown.returncode == 0, shown.stderr
    assert "\x1b" not in shown.stdout and "\nbackup 0000" not in shown.stdout
    assert "x\\nbackup 0000 restored OK\\x1b[2J2" in shown.stdout


def test_verify_all_names_a_backup_whose_manifest_was_deleted_behind_custodes_back(
        env: dict[str, str], tmp_path: Path) -> None:
    custode(env, "init")
    first = custode(env, "backup", "--databases", "notes").stdout.strip()
    second = custode(env, "backup", "--databases", "notes").stdout.strip()
    assert custode(env, "verify", "--all").returncode == 0
    (tmp_path / "repo" / "backups" / second).unlink()      # by hand, or a lifecycle rule
    result = custode(env, "verify", "--all")
    assert result.returncode == 3, result.stderr
    assert f"missing: backup {second[:12]}" in result.stderr and "no forget removed it" in result.stderr
    assert first[:12] not in result.stderr
    # What forget removed is not missing.
    third = custode(env, "backup", "--databases", "notes").stdout.strip()
    assert custode(env, "forget", "--keep-last", "1").returncode == 0
    result = custode(env, "verify", "--all")
    assert f"missing: backup {second[:12]}" in result.stderr and first[:12] not in result.stderr
    assert third[:12] not in result.stderr
