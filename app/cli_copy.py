"""`custode copy` and `custode catalog rebuild` (the engine is app/core/copy.py and rebuild.py).

The target repository's passphrase comes from `CUSTODE_TO_PASSWORD`, `--to-password-file`, the
keyring (under the target's repository id), or a prompt on a terminal.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable

from app.cli import _emit, _interactive, _open_repo, _ProgressLine, _recorded, repository_passphrase
from app.core import secrets
from app.core.catalog import Catalog, JobRun
from app.core.copy import copy_backups
from app.core.errors import ConfigError, CustodeError
from app.core.jobs import CancelToken, human_size
from app.core.locks import repository_lock
from app.core.profile import Profile
from app.core.rebuild import rebuild_catalog, remember_backup
from app.core.repository import Repository, read_config
from app.core.storage import open_storage


def add_commands(command: Callable[[str, str], argparse.ArgumentParser],
                 common: argparse.ArgumentParser, parser_class: type[argparse.ArgumentParser]) -> None:
    """Register `copy` and `catalog` through build_parser's `command(name, help)` factory."""
    p = command("copy", "copy backups to another repository (verified against the source hashes)")
    p.add_argument("backup", nargs="?", metavar="ID|latest")
    p.add_argument("--all", action="store_true", help="every backup that the target lacks")
    p.add_argument("--to", required=True, metavar="LOCATION", help="the target repository")
    p.add_argument("--to-password-file", metavar="FILE",
                   help="read the target's passphrase from FILE (or set CUSTODE_TO_PASSWORD)")
    p.add_argument("--jobs", "-j", type=int, default=2, help="objects copied at once (default 2)")
    p = command("catalog", "the local catalog of jobs behind the history and the charts")
    actions = p.add_subparsers(dest="catalog_command", metavar="ACTION", parser_class=parser_class,
                               required=True)
    text = ("rebuild the catalog from the repositories: --repo, or every repository of the "
            "profile (passphrases from the keyring)")
    actions.add_parser("rebuild", parents=[common], help=text, description=text)


def target_passphrase(args: argparse.Namespace, location: str) -> str:
    if os.environ.get("CUSTODE_TO_PASSWORD"):
        return os.environ["CUSTODE_TO_PASSWORD"]
    if args.to_password_file:
        return secrets.read_secret_file(args.to_password_file)
    stored = secrets.get_secret(secrets.REPOSITORY_SERVICE, read_config(open_storage(location)).get("id", ""))
    if stored:
        return stored
    if not _interactive():
        raise ConfigError("no passphrase for the target repository: set CUSTODE_TO_PASSWORD, use "
                          "--to-password-file, or run on a terminal to be asked")
    return getpass.getpass(f"passphrase for {location}: ")


def cmd_copy(args: argparse.Namespace) -> int:
    source = _open_repo(args)
    target = Repository.open(open_storage(args.to), target_passphrase(args, args.to))
    if args.all:
        manifests = source.list_backups()[::-1]      # oldest first
    elif args.backup:
        manifests = [source.load_backup(source.resolve(args.backup))]
    else:
        raise ConfigError("say which backup to copy: an ID, 'latest' or --all")
    ids = [str(m["id"]) for m in manifests]
    line = _ProgressLine(sys.stderr.isatty() and not args.json)
    try:
        servers = {str(m["server"]["url"]) for m in manifests}
        with (_recorded("copy", target, repository=args.to, server=servers.pop() if len(servers) == 1 else "",
                        backup_id=ids[0] if len(ids) == 1 else "") as run,
              repository_lock(source.storage, exclusive=False, operation="copy", read_only_ok=True),
              repository_lock(target.storage, exclusive=False, operation="copy")):
            def copied(backup_id: str) -> None:
                run.log(f"copied backup {backup_id}")
                if isinstance(run, JobRun):
                    remember_backup(run.catalog, target, target.load_backup(backup_id))

            report = copy_backups(source, target, ids, jobs=args.jobs, progress=line,
                                  cancel=CancelToken(), on_copied=copied)
            run.set(bytes=report.bytes, stored_bytes=report.stored_bytes)
    finally:
        line.close()
    _emit(args, {"copied": report.copied, "already_there": report.present,
                 "objects_sent": report.objects_sent, "objects_present": report.objects_present,
                 "bytes": report.bytes, "stored_bytes": report.stored_bytes,
                 "seconds": round(report.seconds, 3)},
          f"copied {len(report.copied)} backups to {args.to} ({len(report.present)} were already "
          f"there): {report.objects_sent} objects sent, {human_size(report.stored_bytes)} stored, "
          f"{report.objects_present} already present; every object read back and checked")
    return 0


def cmd_catalog(args: argparse.Namespace) -> int:
    sources: list[tuple[str, Repository]] = []
    problems: list[str] = []
    if args.repo or os.environ.get("CUSTODE_REPO"):
        repo = _open_repo(args)
        sources.append((repo.storage.location, repo))
    else:
        profile = Profile.load()
        if not profile.repositories:
            raise ConfigError("no repository to rebuild from: give --repo LOCATION (or add "
                              "repositories to the profile)")
        for entry in profile.repositories:
            try:
                storage = open_storage(entry.location)
                passphrase = repository_passphrase(args, entry.location)
                sources.append((entry.location, Repository.open(storage, passphrase)))
            except CustodeError as exc:
                problems.append(f"{entry.name}: {exc}")
    catalog = Catalog.open_default()
    try:
        report = rebuild_catalog(catalog, sources)
        catalog.audit("catalog-rebuild", ", ".join(location for location, _ in sources),
                      f"{report.jobs_added} jobs, {report.backups_added} backups added")
    finally:
        catalog.close()
    problems += report.problems
    _emit(args, {"repositories": report.repositories, "jobs_added": report.jobs_added,
                 "backups_added": report.backups_added, "backups": report.backups_seen,
                 "backups_forgotten": report.backups_forgotten, "problems": problems},
          f"read {report.repositories} repositories: {report.jobs_added} jobs from their journals "
          f"and {report.backups_added} backups from their manifests added to the catalog "
          f"({report.backups_seen} backups in all)")
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    return 1 if problems and not sources else 0
