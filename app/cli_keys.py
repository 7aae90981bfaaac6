"""`custode key passwd` and `custode key recovery-sheet` (the engine is app/core/keys.py).

The current passphrase comes from where every command takes it (`CUSTODE_PASSWORD`,
`--password-file`, the keyring, a prompt), or the recovery key stands for it
(`CUSTODE_RECOVERY_KEY`, `--recovery-key-file`).  The new one comes from `CUSTODE_NEW_PASSWORD`,
`--new-password-file`, or is asked twice on a terminal.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from app.cli import _emit, _interactive, _location, _open_repo, _recovery_key, repository_passphrase
from app.core import keys, secrets
from app.core.errors import ConfigError
from app.core.recovery import write_private_file
from app.core.repository import read_config
from app.core.storage import open_storage


def new_passphrase(args: argparse.Namespace) -> str:
    if os.environ.get("CUSTODE_NEW_PASSWORD"):
        return os.environ["CUSTODE_NEW_PASSWORD"]
    if args.new_password_file:
        return secrets.read_secret_file(args.new_password_file)
    if not _interactive():
        raise ConfigError("no new passphrase: set CUSTODE_NEW_PASSWORD, use --new-password-file, "
                          "or run on a terminal to be asked")
    passphrase = getpass.getpass("new passphrase: ")
    problem = keys.passphrase_problem(passphrase)
    if problem:   # said before the second prompt, not after it
        raise ConfigError(problem)
    if getpass.getpass("again: ") != passphrase:
        raise ConfigError("the two new passphrases differ; the passphrase was not changed")
    return passphrase


def key_passwd(args: argparse.Namespace) -> int:
    location = _location(args)
    recovery_key = _recovery_key(args)
    old = repository_passphrase(args, location) if recovery_key is None else ""
    new = new_passphrase(args)
    if recovery_key is None:
        in_keyring = keys.change_passphrase(location, old, new)
    else:
        in_keyring = keys.reset_passphrase(location, recovery_key, new)
    repo_id = str(read_config(open_storage(location)).get("id", ""))
    note = " (the keyring now holds the new one)" if in_keyring else ""
    _emit(args, {"repository": location, "id": repo_id, "keyring": in_keyring},
          f"changed the passphrase of repository {repo_id[:8]} at {location}{note}")
    stale = [source for source, given in (("CUSTODE_PASSWORD", os.environ.get("CUSTODE_PASSWORD")),
                                          (args.password_file, args.password_file)) if given]
    if stale:
        print(f"note: {' and '.join(stale)} still hold{'s' if len(stale) == 1 else ''} the old "
              "passphrase; update what your scheduled jobs use", file=sys.stderr)
    return 0


def key_recovery_sheet(args: argparse.Namespace) -> int:
    repo = _open_repo(args)
    target = Path(args.output) if args.output and args.output != "-" else None
    html = target is not None and target.suffix.lower() in (".html", ".htm")
    sheet = keys.sheet_for(repo, html=html)
    if target is None:
        _emit(args, {"sheet": sheet}, sheet)
        return 0
    write_private_file(target, sheet)
    _emit(args, {"file": str(target), "format": "html" if html else "text"}, "")
    print(f"wrote the recovery sheet to {target}: print it, keep it in a safe, then delete the "
          "file (it opens every backup)", file=sys.stderr)
    return 0
