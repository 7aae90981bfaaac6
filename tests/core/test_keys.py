"""Repository keys: a passphrase change that no crash can lose, and a recovery sheet that works."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from app.core import keys, secrets, storage
from app.core.crypto import KdfParams
from app.core.errors import ConfigError, OperationFailed, WrongPassphrase
from app.core.repository import Repository, key_files
from app.core.storage import LocalStorage
from tests.gui.fakes import make_backup
from tests.helpers.fixtures import TEST_KDF, MemoryKeyring

OLD = "correct horse"          # the `repo` fixture's passphrase
NEW = "battery staple 42"


class Crash(BaseException):
    """Stands for the process dying at that point (nothing catches it on the way out)."""


def location(repo: Repository) -> str:
    return repo.storage.location


def opens(repo: Repository, passphrase: str) -> bool:
    try:
        Repository.open(LocalStorage(Path(location(repo))), passphrase)
    except WrongPassphrase:
        return False
    return True


def key_names(repo: Repository) -> list[str]:
    return [name for name, _ in key_files(repo.storage)]


def sheet_key(sheet: str) -> str:
    """The key lines of a plain-text sheet, as a user would copy them."""
    return "\n".join(line for line in sheet.splitlines() if re.match(r"\s+\d: ", line))


def test_after_a_change_the_old_passphrase_is_refused_and_the_new_one_reads_the_data(
        repo: Repository) -> None:
    object_id = repo.put(b"rows that must stay readable").object_id
    before = key_names(repo)
    keys.change_passphrase(location(repo), OLD, NEW)
    assert not opens(repo, OLD)
    reopened = Repository.open(LocalStorage(Path(location(repo))), NEW)
    assert reopened.read_all(object_id) == b"rows that must stay readable"
    after = key_files(repo.storage)
    assert len(after) == 1 and after[0][0] not in before          # a new file, the old one gone
    assert KdfParams.from_dict(after[0][1]["kdf"]) == TEST_KDF    # same key-derivation cost


def test_a_wrong_current_passphrase_or_a_weak_new_one_changes_nothing(repo: Repository) -> None:
    before = key_names(repo)
    with pytest.raises(WrongPassphrase, match="wrong passphrase for this repository"):
        keys.change_passphrase(location(repo), "not the passphrase", NEW)
    with pytest.raises(ConfigError, match="too short: use at least 10 characters"):
        keys.change_passphrase(location(repo), OLD, "short")
    with pytest.raises(ConfigError, match="same as the current one"):
        keys.change_passphrase(location(repo), OLD, OLD)
    assert key_names(repo) == before and opens(repo, OLD)


def test_the_keyring_follows_only_when_it_held_the_old_passphrase(
        repo: Repository, memory_keyring: MemoryKeyring) -> None:
    entry = (secrets.REPOSITORY_SERVICE, repo.config["id"])
    memory_keyring.store[entry] = OLD
    assert keys.change_passphrase(location(repo), OLD, NEW) is True
    assert memory_keyring.store[entry] == NEW

    memory_keyring.store[entry] = "something the user put there"
    assert keys.change_passphrase(location(repo), NEW, "third passphrase") is False
    assert memory_keyring.store[entry] == "something the user put there"

    del memory_keyring.store[entry]
    assert keys.change_passphrase(location(repo), "third passphrase", NEW) is False
    assert entry not in memory_keyring.store


def _crash_once(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> None:
    real = getattr(owner, name)
    calls = {"n": 0}

    def crashing(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 1:
            raise Crash(name)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, crashing)


@pytest.mark.parametrize(("owner", "name"), [
    (os, "replace"),               # new key file written and fsynced, not yet renamed into place
    (storage, "_fsync_dir"),       # renamed, the folder not yet synced
    (secrets, "set_secret"),       # new key file in place, keyring not yet updated
    (LocalStorage, "delete"),      # keyring updated, old key file not yet deleted
])
def test_a_crash_at_any_step_leaves_a_repository_that_opens(
        repo: Repository, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch,
        owner: Any, name: str) -> None:
    entry = (secrets.REPOSITORY_SERVICE, repo.config["id"])
    memory_keyring.store[entry] = OLD
    _crash_once(monkeypatch, owner, name)
    with pytest.raises(Crash):
        keys.change_passphrase(location(repo), OLD, NEW)
    monkeypatch.undo()
    assert opens(repo, OLD) or opens(repo, NEW)
    assert opens(repo, memory_keyring.store[entry])   # what the keyring holds still opens it
    if name == "replace":
        assert opens(repo, OLD) and not opens(repo, NEW)
    # Once the program runs again, the change can simply be made (again).
    current = OLD if opens(repo, OLD) else NEW
    if current == OLD:
        keys.change_passphrase(location(repo), OLD, NEW)
    assert opens(repo, NEW) and not opens(repo, OLD)


def test_a_failed_write_says_so_and_keeps_the_old_passphrase(
        repo: Repository, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*_args: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(OperationFailed, match="No space left on device"):
        keys.change_passphrase(location(repo), OLD, NEW)
    monkeypatch.undo()
    assert opens(repo, OLD) and not opens(repo, NEW)
    assert not [p for p in Path(location(repo), "keys").iterdir() if p.name.startswith(".tmp-")]


def test_the_sheet_holds_no_passphrase_and_its_key_opens_a_repository_whose_passphrase_is_lost(
        repo: Repository) -> None:
    backup_id = make_backup(repo, {"shop": {"orders": 42}})
    text = keys.recovery_sheet(location(repo), OLD)
    page = keys.recovery_sheet(location(repo), OLD, html=True)
    for sheet in (text, page):
        assert OLD not in sheet
        assert repo.config["id"] in sheet and location(repo) in sheet
        assert repo.config["created"] in sheet and "argon2id" in sheet
        assert "--recovery-key-file key.txt restore latest" in sheet
        for line in keys.recovery_key_lines(repo.master_key, repo.config["id"]):
            assert line in sheet
    assert page.startswith("<!DOCTYPE html>")
    assert repo.master_key.hex() not in text   # printed in groups with checks, not in one piece

    for name in key_names(repo):               # the passphrase (and every key file) is lost
        repo.storage.delete(name)
    with pytest.raises(Exception, match="no key file"):
        Repository.open(repo.storage, OLD)
    recovered = keys.open_with_recovery_key(location(repo), sheet_key(text))
    assert recovered.load_backup(backup_id)["databases"][0]["name"] == "shop"

    # ...and it gets a new passphrase from the same sheet.
    keys.reset_passphrase(location(repo), sheet_key(text), NEW)
    assert opens(repo, NEW) and len(key_names(repo)) == 1


def test_a_reset_replaces_every_old_key_file_and_the_keyring_entry(
        repo: Repository, memory_keyring: MemoryKeyring) -> None:
    entry = (secrets.REPOSITORY_SERVICE, repo.config["id"])
    memory_keyring.store[entry] = "a passphrase nobody remembers typing"
    key = sheet_key(keys.recovery_sheet(location(repo), OLD))
    assert keys.reset_passphrase(location(repo), key, NEW) is True
    assert memory_keyring.store[entry] == NEW
    assert opens(repo, NEW) and not opens(repo, OLD)
    with pytest.raises(ConfigError, match="too short"):
        keys.reset_passphrase(location(repo), key, "short")


def test_every_one_character_typo_is_caught_and_its_line_named(repo: Repository) -> None:
    lines = keys.recovery_key_lines(repo.master_key, repo.config["id"])
    for index, line in enumerate(lines):
        prefix, body = line.split(":", 1)
        for position, char in enumerate(body):
            if char == " ":
                continue
            for other in "0123456789abcdef".replace(char, ""):
                typo = body[:position] + other + body[position + 1:]
                typed = [*lines[:index], f"{prefix}:{typo}", *lines[index + 1:]]
                with pytest.raises(ConfigError, match=rf"^line {index + 1} of the recovery key "
                                                      "does not match the check characters"):
                    keys.parse_recovery_key("\n".join(typed), repo.config["id"])
        # two neighbours swapped, anywhere in the key characters
        digits = body.replace(" ", "")[:16]
        for position in range(15):
            if digits[position] == digits[position + 1]:
                continue
            swapped = digits[:position] + digits[position + 1] + digits[position] + digits[position + 2:]
            typed = [*lines[:index], swapped + body.replace(" ", "")[16:], *lines[index + 1:]]
            with pytest.raises(ConfigError, match=rf"^line {index + 1} of"):
                keys.parse_recovery_key("\n".join(typed), repo.config["id"])


def test_the_key_may_be_typed_loosely_but_not_wrongly(repo: Repository) -> None:
    repo_id = repo.config["id"]
    lines = keys.recovery_key_lines(repo.master_key, repo_id)
    bare = [line.split(":", 1)[1].replace(" ", "") for line in lines]
    for typed in ("\n".join(bare).upper(),                                  # no numbers, capitals
                  "".join(bare),                                            # one line (environment)
                  " ".join(lines),                                          # one line, numbered
                  "\n".join(f"{n} {b}" for n, b in enumerate(bare, 1)),     # "1 0c60..." no colon
                  "\n\n".join("-".join(b[i:i + 4] for i in range(0, 18, 4)) for b in bare)):
        assert keys.parse_recovery_key(typed, repo_id) == repo.master_key
    with pytest.raises(ConfigError, match="has 3 lines instead of 4"):
        keys.parse_recovery_key("\n".join(lines[:3]), repo_id)
    with pytest.raises(ConfigError, match="line 2 of the recovery key has 'o'"):
        keys.parse_recovery_key("\n".join([lines[0], lines[1].replace("0", "o", 1)
                                           if "0" in lines[1] else lines[1] + "o", *lines[2:]]), repo_id)
    with pytest.raises(ConfigError, match="line 3 of the recovery key has 17 characters"):
        keys.parse_recovery_key("\n".join([*lines[:2], lines[2][:-1], lines[3]]), repo_id)


def test_a_key_of_another_repository_is_refused(repo: Repository, tmp_path: Path) -> None:
    other = Repository.init(LocalStorage(tmp_path / "other"), OLD, kdf=TEST_KDF)
    foreign = "\n".join(keys.recovery_key_lines(other.master_key, other.config["id"]))
    with pytest.raises(ConfigError, match=r"^(no line|only line \d) of this recovery key matches "
                                          f"repository {repo.config['id'][:8]}"):
        keys.open_with_recovery_key(location(repo), foreign)
    # Each line's check passes by chance once in 256: a foreign sheet with one such line is still
    # foreign. (With the version-1 CRC a foreign sheet passed all four lines once in 256 ids: CI met
    # one, and an empty repository opened with another repository's key.)
    repo_id = repo.config["id"]
    key = os.urandom(32)
    own = keys.recovery_key_lines(key, repo_id)
    tally = {n: 0 for n in range(5)}
    lucky: list[str] = []
    for _ in range(20_000):
        lines = keys.recovery_key_lines(key, os.urandom(16).hex())
        passing = sum(a[-2:] == b[-2:] for a, b in zip(own, lines, strict=True))
        tally[passing] += 1
        lucky = lines if passing == 1 else lucky
    assert tally[4] == 0 and 150 < tally[1] < 500, tally      # about 4/256 and 1/2**32 of 20,000
    with pytest.raises(ConfigError, match=r"^only line \d of this recovery key matches repository"):
        keys.parse_recovery_key("\n".join(lucky), repo_id)
    # A sheet printed with the version-1 check still opens its repository, and a typo is still named.
    parts = [key[i:i + 8] for i in range(0, 32, 8)]
    old_sheet = [f"{n}:  {part.hex()}   {keys._line_check(repo_id, n, part, 1)}"
                 for n, part in enumerate(parts, 1)]
    assert keys.parse_recovery_key("\n".join(old_sheet), repo_id) == key
    typo = old_sheet[2][:5] + ("1" if old_sheet[2][5] != "1" else "2") + old_sheet[2][6:]
    with pytest.raises(ConfigError, match=r"^line 3 of the recovery key does not match"):
        keys.parse_recovery_key("\n".join([*old_sheet[:2], typo, old_sheet[3]]), repo_id)
    # A key whose checks were made for this repository still has to decrypt its backups.
    make_backup(repo, {"shop": {"orders": 1}})
    forged = "\n".join(keys.recovery_key_lines(os.urandom(32), repo.config["id"]))
    with pytest.raises(WrongPassphrase, match="does not decrypt the backups"):
        keys.open_with_recovery_key(location(repo), forged)
