"""Repository keys: changing the passphrase, and the recovery key for a lost passphrase.

The master key never changes (objects depend on it, key files do not), so a new passphrase is a
new key file that wraps the same master key.  `change_passphrase` writes that file first (atomic:
temporary name, fsync, rename), reads it back, and only then deletes the key files the old
passphrase opened.  A crash at any step leaves a repository that opens with the old passphrase,
the new one, or both, never neither.

The recovery key is the master key itself, written on a sheet for a safe (`app.core.recovery`
renders it) in four lines of 16 hex characters, each followed by a 2-character check: a CRC-8 of
the line's bytes, its number and the repository id.  A CRC-8 catches every error confined to 8
adjacent bits, so any one mistyped character, or two swapped neighbours, is caught and its line
named; a sheet of another repository fails every line.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from app.core import crypto, secrets
from app.core.errors import ConfigError, DamageFound, WrongPassphrase
from app.core.profile import Field, Message
from app.core.recovery import SheetFacts, render_html, render_text
from app.core.repository import Repository, key_files, read_config, write_key_file
from app.core.storage import Storage, open_storage

MIN_PASSPHRASE = 10
RECOVERY_LINES = 4
LINE_BYTES = 8                      # 16 hex characters of key per line
LINE_CHARS = 2 * LINE_BYTES + 2     # and 2 of check
_CRC_POLY = 0x07                    # CRC-8 x^8+x^2+x+1: detects every burst of up to 8 bits
_NUMBER = re.compile(r"(^|\s)\d\s*[:.)]")   # "1:" in front of a line, as on the sheet
_SEPARATORS = re.compile(r"[\s\-|]+")


def passphrase_problem(passphrase: str) -> str | None:
    """Why a new passphrase is refused (one line, as errors are), or None."""
    if len(passphrase) < MIN_PASSPHRASE:
        return (f"the new passphrase is too short: use at least {MIN_PASSPHRASE} characters "
                "(a few unrelated words are easy to type and hard to guess)")
    return None


def _strength_check(value: Any, _values: dict[str, Any]) -> str | None:
    # passphrase_problem's sentence for the form (capitalised, with its full stop), as a template.
    if passphrase_problem(str(value)) is None:
        return None
    return Message("The new passphrase is too short: use at least {count} characters (a few unrelated "
                   "words are easy to type and hard to guess).", count=MIN_PASSPHRASE)


def _same_check(value: Any, values: dict[str, Any]) -> str | None:
    return None if value == values.get("new") else "The two new passphrases differ."


# The change-passphrase form: the GUI builds it from these, the CLI asks for the same things.
PASSPHRASE_FIELDS: tuple[Field, ...] = (
    Field("old", "Current passphrase", kind="secret"),
    Field("new", "New passphrase", kind="secret", required=True, check=_strength_check,
          help=f"At least {MIN_PASSPHRASE} characters."),
    Field("confirm", "New passphrase again", kind="secret", required=True, check=_same_check),
)


# -- changing the passphrase -----------------------------------------------------------------------
def _unlock(storage: Storage, passphrase: str) -> tuple[bytes, list[tuple[str, dict[str, Any]]]]:
    """The master key and every key file `passphrase` opens; WrongPassphrase when none."""
    files = key_files(storage)
    if not files:
        raise DamageFound(f"repository at {storage.location} has no key file")
    master_key = b""
    opened = []
    for name, document in files:   # each try costs one key derivation; there is usually one file
        try:
            master_key = crypto.unwrap_master_key(document, passphrase)
        except WrongPassphrase:
            continue
        opened.append((name, document))
    if not opened:
        raise WrongPassphrase("wrong passphrase for this repository")
    return master_key, opened


def change_passphrase(location: str, old: str, new: str, *,
                      kdf: crypto.KdfParams | None = None) -> bool:
    """Wrap the master key under `new` instead of `old`.

    The new key file keeps the old one's key-derivation cost unless `kdf` is given.  The keyring
    entry is replaced when it held `old`.  Returns True when the keyring now holds `new`.
    """
    problem = passphrase_problem(new)
    if problem:
        raise ConfigError(problem)
    if new == old:
        raise ConfigError("the new passphrase is the same as the current one: choose another")
    storage = open_storage(location)
    config = read_config(storage)
    master_key, opened = _unlock(storage, old)
    params = kdf or crypto.KdfParams.from_dict(opened[0][1]["kdf"])
    return _rewrap(storage, config, master_key, new, params, [name for name, _ in opened],
                   replace_in_keyring=lambda stored: stored == old)


def reset_passphrase(location: str, key_text: str, new: str, *,
                     kdf: crypto.KdfParams | None = None) -> bool:
    """Give a repository whose passphrase is lost a new one, proved by its recovery key.

    Every other key file is deleted: their passphrases are lost or meant to be revoked.  A keyring
    entry for the repository is replaced.  Returns True when the keyring now holds `new`.
    """
    problem = passphrase_problem(new)
    if problem:
        raise ConfigError(problem)
    storage, config, master_key = _recover(location, key_text)
    old_files = key_files(storage)
    params = kdf or (crypto.KdfParams.from_dict(old_files[0][1]["kdf"]) if old_files
                     else crypto.KdfParams())
    return _rewrap(storage, config, master_key, new, params, [name for name, _ in old_files],
                   replace_in_keyring=lambda _stored: True)


def _rewrap(storage: Storage, config: dict[str, Any], master_key: bytes, new: str,
            params: crypto.KdfParams, obsolete: list[str],
            replace_in_keyring: Callable[[str], bool]) -> bool:
    document = crypto.wrap_master_key(master_key, new, params)
    document["created"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    name = write_key_file(storage, document)
    # Read it back before anything is deleted: the old key files are the only other way in.
    if dict(key_files(storage)).get(name) != document:
        raise DamageFound(f"the new key file {name} did not read back as written; the old "
                          "passphrase still opens the repository")
    # The keyring follows before the old files go: a crash in between leaves both passphrases
    # working, and the keyring holding one that opens.
    repo_id = str(config.get("id", ""))
    stored = secrets.get_secret(secrets.REPOSITORY_SERVICE, repo_id)
    in_keyring = False
    if stored is not None and replace_in_keyring(stored):
        in_keyring = secrets.set_secret(secrets.REPOSITORY_SERVICE, repo_id, new)
    for old_name in obsolete:
        storage.delete(old_name)
    return in_keyring


# -- the recovery key ------------------------------------------------------------------------------
def _crc8(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ _CRC_POLY) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


def _line_check(repo_id: str, number: int, part: bytes, version: int = 2) -> str:
    """The two check characters of one sheet line.

    Version 1 (sheets printed before 2026-12) was one CRC over id, number and part: a CRC is linear,
    so another repository's sheet passed all four lines or none, all four once in 256 ids. Version 2
    keeps the CRC of the line (every typo within 8 bits is caught) and adds a hash of id and line
    number, so each line of a foreign sheet passes on its own chance, all four once in 2**32.
    """
    if version == 1:
        return f"{_crc8(b'custode-recovery-v1:' + repo_id.encode() + bytes([number]) + part):02x}"
    salt = hashlib.blake2b(b"custode-recovery-v2:" + repo_id.encode() + bytes([number]), digest_size=1)
    return f"{_crc8(b'custode-recovery-v2:' + bytes([number]) + part) ^ salt.digest()[0]:02x}"


def recovery_key_lines(master_key: bytes, repo_id: str) -> list[str]:
    """The master key as the sheet shows it: '1:  3f9a 12bc 9e01 77aa   c4' per line."""
    lines = []
    for index in range(RECOVERY_LINES):
        part = master_key[index * LINE_BYTES:(index + 1) * LINE_BYTES]
        text = part.hex()
        groups = " ".join(text[i:i + 4] for i in range(0, len(text), 4))
        lines.append(f"{index + 1}:  {groups}   {_line_check(repo_id, index + 1, part)}")
    return lines


def parse_recovery_key(key_text: str, repo_id: str) -> bytes:
    """The master key from a typed-in recovery key; ConfigError naming the line of any typo.

    Line numbers ("1:"), spaces, dashes and letter case are ignored; the four lines may also be
    given as one, numbered or not (as in an environment variable).
    """
    rows = [_SEPARATORS.sub("", _NUMBER.sub(" ", line)).lower()
            for line in key_text.splitlines() if line.strip()]
    if len(rows) == 1 and len(rows[0]) == RECOVERY_LINES * LINE_CHARS:
        rows = [rows[0][i:i + LINE_CHARS] for i in range(0, len(rows[0]), LINE_CHARS)]
    if len(rows) != RECOVERY_LINES:
        raise ConfigError(f"the recovery key has {len(rows)} lines instead of {RECOVERY_LINES}: "
                          "type every line of the sheet's key, each on its own line")
    parts: list[bytes] = []
    checks: list[str] = []
    for number, typed in enumerate(rows, 1):
        prefix = str(number)
        # "1 0c60 ..." typed without the sheet's colon: the line number is still in front.
        row = typed[len(prefix):] if len(typed) == LINE_CHARS + len(prefix) and \
            typed.startswith(prefix) else typed
        stray = next((c for c in row if c not in "0123456789abcdef"), None)
        if stray is not None:
            raise ConfigError(f"line {number} of the recovery key has {stray!r}, which the key never "
                              "uses (only 0-9 and a-f; an o is a zero): compare it with the sheet")
        if len(row) != LINE_CHARS:
            raise ConfigError(f"line {number} of the recovery key has {len(row)} characters instead "
                              f"of {LINE_CHARS} (16 of key and 2 of check): compare it with the sheet")
        parts.append(bytes.fromhex(row[:-2]))
        checks.append(row[-2:])
    def failing(version: int) -> list[str]:
        return [str(n) for n, (part, check) in enumerate(zip(parts, checks, strict=True), 1)
                if _line_check(repo_id, n, part, version) != check]
    failed, old_failed = failing(2), failing(1)
    if old_failed and len(old_failed) < len(failed):
        failed = old_failed          # a sheet printed before version 2, with a typo
    elif not old_failed:
        failed = []
    # A check has 256 values, so a line of another repository's key passes by chance once in 256:
    # one matching line of four is a foreign sheet, not three typos.
    if len(failed) >= RECOVERY_LINES - 1:
        matching = sorted(set(map(str, range(1, RECOVERY_LINES + 1))) - set(failed))
        which = f"only line {matching[0]}" if matching else "no line"
        raise ConfigError(f"{which} of this recovery key matches repository {repo_id[:8]}: "
                          "check that the sheet is for this repository")
    if failed:
        which = "line " + failed[0] if len(failed) == 1 else "lines " + ", ".join(failed)
        raise ConfigError(f"{which} of the recovery key do{'es' if len(failed) == 1 else ''} not "
                          "match the check characters: there is a typo; compare with the sheet")
    return b"".join(parts)


def open_with_recovery_key(location: str, key_text: str) -> Repository:
    """Open a repository with the key from its recovery sheet instead of a passphrase."""
    return Repository(*_recover(location, key_text))


def _recover(location: str, key_text: str) -> tuple[Storage, dict[str, Any], bytes]:
    storage = open_storage(location)
    config = read_config(storage)
    master_key = parse_recovery_key(key_text, str(config.get("id", "")))
    # The line checks already tie the key to this repository; a backup that decrypts proves it.
    repo = Repository(storage, config, master_key)
    ids = repo.backup_ids()[:3]
    for backup_id in ids:
        try:
            repo.load_backup(backup_id)
            return storage, config, master_key
        except DamageFound:
            continue   # a damaged manifest says nothing about the key: try the next
    if ids:
        raise WrongPassphrase(f"this recovery key does not decrypt the backups at {storage.location}: "
                              "check that the sheet is for this repository")
    return storage, config, master_key


def recovery_sheet(location: str, passphrase: str, *, html: bool = False) -> str:
    """The printable recovery sheet (plain text, or HTML) of the repository at `location`."""
    repo = Repository.open(open_storage(location), passphrase)
    return sheet_for(repo, html=html)


def sheet_for(repo: Repository, *, html: bool = False) -> str:
    """The recovery sheet of an opened repository (however it was opened)."""
    config = repo.config
    repo_id = str(config.get("id", ""))
    facts = SheetFacts(
        location=repo.storage.location, repo_id=repo_id, created=str(config.get("created", "?")),
        compression=str(config.get("compression", "zstd")),
        kdf=[dict(document.get("kdf", {})) for _, document in key_files(repo.storage)],
        key_lines=recovery_key_lines(repo.master_key, repo_id),
        printed=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))
    return render_html(facts) if html else render_text(facts)
