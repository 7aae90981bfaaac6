"""`custode key passwd`, `custode key recovery-sheet` and the recovery key, from a shell."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

import pytest

from app.core.localserver import LocalServer
from tests.cli.test_cli import ROOT, assert_one_line_error, custode
from tests.helpers.servers import drop_user_databases

OLD = "cli pass phrase"
NEW = "a brand new passphrase"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("CUSTODE", "MYSQL"))}
    environment.update(CUSTODE_REPO=str(tmp_path / "repo"), CUSTODE_PASSWORD=OLD, PYTHONPATH=str(ROOT),
                       CUSTODE_HOME=str(tmp_path / "home"),
                       # never the user's real keyring from a test
                       PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    assert custode(environment, "init").returncode == 0
    return environment


def key_lines(sheet: str) -> str:
    """The master key lines of a text sheet, as a user types them into key.txt."""
    return "\n".join(line.strip() for line in sheet.splitlines() if re.match(r"\s+\d: ", line))


def test_passwd_changes_the_passphrase_and_says_what_still_holds_the_old_one(
        env: dict[str, str]) -> None:
    changed = custode({**env, "CUSTODE_NEW_PASSWORD": NEW}, "--json", "key", "passwd")
    assert changed.returncode == 0, changed.stderr
    assert json.loads(changed.stdout)["keyring"] is False
    assert changed.stderr.strip() == ("note: CUSTODE_PASSWORD still holds the old passphrase; "
                                      "update what your scheduled jobs use")
    assert_one_line_error(custode(env, "list"), 2, "wrong passphrase for this repository")
    assert custode({**env, "CUSTODE_PASSWORD": NEW}, "list").returncode == 0


def test_passwd_reads_both_passphrases_from_files(env: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "old.txt").write_text(OLD + "\n")
    (tmp_path / "new.txt").write_text(NEW + "\n")
    without = {k: v for k, v in env.items() if k != "CUSTODE_PASSWORD"}
    changed = custode(without, "key", "passwd", "--password-file", str(tmp_path / "old.txt"),
                      "--new-password-file", str(tmp_path / "new.txt"))
    assert changed.returncode == 0, changed.stderr
    assert changed.stdout.startswith("changed the passphrase of repository ")
    assert custode({**env, "CUSTODE_PASSWORD": NEW}, "list").returncode == 0


@pytest.mark.parametrize(("extra", "args", "text"), [
    ({"CUSTODE_NEW_PASSWORD": "short"}, ("key", "passwd"), "too short: use at least 10 characters"),
    ({}, ("key", "passwd"), "no new passphrase: set CUSTODE_NEW_PASSWORD"),
    ({"CUSTODE_PASSWORD": "not it", "CUSTODE_NEW_PASSWORD": NEW}, ("key", "passwd"),
     "wrong passphrase for this repository"),
    ({}, ("key",), "required: ACTION"),
    ({}, ("key", "recovery-sheet", "--recovery-key-file", "/nonexistent/key.txt"),
     "cannot read the recovery key file /nonexistent/key.txt"),
])
def test_mistakes_are_one_line_with_status_2_and_change_nothing(
        env: dict[str, str], extra: dict[str, str], args: tuple[str, ...], text: str) -> None:
    assert_one_line_error(custode({**env, **extra}, *args), 2, text)
    assert custode(env, "list").returncode == 0   # the old passphrase still opens it


def test_the_sheet_goes_to_stdout_or_to_a_private_html_file(env: dict[str, str], tmp_path: Path) -> None:
    shown = custode(env, "key", "recovery-sheet")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("CUSTODE RECOVERY SHEET") and OLD not in shown.stdout
    assert len(key_lines(shown.stdout).splitlines()) == 4
    target = tmp_path / "sheet.html"
    written = custode(env, "key", "recovery-sheet", "-o", str(target))
    assert written.returncode == 0 and "keep it in a safe" in written.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600      # it holds the master key
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and OLD not in page
    assert all(line in page for line in key_lines(shown.stdout).splitlines())


def test_a_lost_passphrase_the_recovery_key_restores_and_sets_a_new_one(
        env: dict[str, str], tmp_path: Path, target_server: LocalServer) -> None:
    drop_user_databases(target_server)
    connection = target_server.connect()
    with connection.cursor() as cursor:
        cursor.execute("CREATE DATABASE notes")
        cursor.execute("CREATE TABLE notes.n (id INT PRIMARY KEY, body TEXT)")
        cursor.execute("INSERT INTO notes.n VALUES (1, 'kept in a safe'), (2, NULL)")
    env = {**env, "CUSTODE_SERVER": target_server.url}
    assert custode(env, "backup", "--databases", "notes").returncode == 0
    sheet = custode(env, "key", "recovery-sheet").stdout
    key_file = tmp_path / "key.txt"
    key_file.write_text(key_lines(sheet) + "\n")

    # The passphrase is forgotten and its key file gone: only the sheet is left.
    for path in (tmp_path / "repo" / "keys").iterdir():
        path.unlink()
    assert_one_line_error(custode(env, "list"), 3, "has no key file")
    lost = {k: v for k, v in env.items() if k != "CUSTODE_PASSWORD"}

    restored = custode(lost, "--recovery-key-file", str(key_file), "--json", "restore", "latest",
                       "--rename", "notes=notes_recovered")
    assert restored.returncode == 0, restored.stderr
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM notes_recovered.n ORDER BY id")
        assert [r[0] for r in cursor.fetchall()] == ["kept in a safe", None]
    connection.close()
    by_env = custode({**lost, "CUSTODE_RECOVERY_KEY": " ".join(key_file.read_text().split())}, "list")
    assert by_env.returncode == 0 and "notes" in by_env.stdout

    lines = key_file.read_text().splitlines()
    typo = lines[1][:5] + ("0" if lines[1][5] != "0" else "1") + lines[1][6:]
    (tmp_path / "typo.txt").write_text("\n".join([lines[0], typo, *lines[2:]]))
    assert_one_line_error(custode(lost, "--recovery-key-file", str(tmp_path / "typo.txt"), "list"), 2,
                          "line 2 of the recovery key does not match the check characters")

    reset = custode({**lost, "CUSTODE_NEW_PASSWORD": NEW}, "key", "passwd", "--recovery-key-file",
                    str(key_file))
    assert reset.returncode == 0, reset.stderr
    assert "notes" in custode({**lost, "CUSTODE_PASSWORD": NEW}, "list").stdout
