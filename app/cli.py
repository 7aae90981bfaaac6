"""The command line: `custode [--repo LOCATION] [--json] COMMAND ...` (contract in README).

Exit status: 0 done, 1 the operation failed, 2 bad usage or configuration, 3 damage found.  Every
error is one line on stderr; `--debug` adds the traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import os
import re
import signal
import sqlite3
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

from app import __version__
from app.core import journal, keys, secrets
from app.core.backup import BackupOptions, run_backup
from app.core.catalog import Catalog, JobRun, now_iso
from app.core.errors import ConfigError, CustodeError, DamageFound
from app.core.export import export_sql
from app.core.jobs import CancelToken, Progress, default_backup_jobs, default_jobs, human_size
from app.core.locks import repository_lock
from app.core.rebuild import remember_backup
from app.core.repository import Repository, read_config
from app.core.restore import RestoreOptions, cleanup_server, plan_restore, run_restore
from app.core.server import ServerSpec
from app.core.sqltext import comment_text
from app.core.storage import open_storage
from app.core.verify import verify_backups


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise ConfigError(f"{message} (see '{self.prog} --help')")


def _global_options(parser: argparse.ArgumentParser, suppress: bool) -> None:
    default: Any = argparse.SUPPRESS if suppress else None
    parser.add_argument("--repo", default=default, metavar="LOCATION",
                        help="repository: a folder, s3://bucket/prefix, sftp://user@host/path, "
                             "ftps://user@host/path or rclone:remote:path (or set CUSTODE_REPO; "
                             "see docs/STORAGE.md)")
    parser.add_argument("--s3-endpoint", default=default, metavar="URL",
                        help="S3-compatible service for an s3:// repository (else AWS_ENDPOINT_URL "
                             "or AWS itself)")
    parser.add_argument("--trust-host-key", default=default, metavar="SHA256:...",
                        help="for an sftp:// repository or an ssh= tunnel in the server URL: "
                             "trust the SSH server's host key if it has "
                             "exactly this fingerprint (saved in Custode's known_hosts)")
    parser.add_argument("--json", action="store_true", default=default,
                        help="print results as JSON on stdout")
    parser.add_argument("--password-file", default=default, metavar="FILE",
                        help="read the repository passphrase from FILE")
    parser.add_argument("--recovery-key-file", default=default, metavar="FILE",
                        help="open the repository with the key from its recovery sheet, typed into "
                             "FILE (or set CUSTODE_RECOVERY_KEY)")
    parser.add_argument("--debug", action="store_true", default=default,
                        help="show full tracebacks (for bug reports)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="custode", description="Back up MySQL and MariaDB servers, prove the "
                     "backups restore, restore in a hurry.")
    parser.add_argument("--version", action="version", version=f"custode {__version__}")
    _global_options(parser, suppress=False)
    common = _Parser(add_help=False)
    _global_options(common, suppress=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=help_text, description=help_text, parents=[common])

    p = command("init", "create an encrypted repository")
    p.add_argument("--compression", choices=["zstd", "gzip"], default="zstd")

    p = command("backup", "back up a server; prints the backup id")
    _server_option(p)
    _database_options(p)
    p.add_argument("--all-databases", action="store_true",
                   help="every database, with users and grants")
    p.add_argument("--tables", type=_csv, default=[], metavar="DB.T,...")
    p.add_argument("--users", action="store_true", help="include users and grants")
    p.add_argument("--type", default="full", choices=["full", "differential", "incremental"])
    p.add_argument("--jobs", "-j", type=_jobs, default=default_backup_jobs(),
                   help=f"parallel connections (default {default_backup_jobs()})")
    p.add_argument("--strict", action="store_true",
                   help="refuse to save a backup that could not read every object as it is "
                        "(a view whose table is gone, a routine that no longer compiles)")

    command("list", "the backups in the repository, newest first")

    p = command("show", "what a backup holds")
    p.add_argument("backup", metavar="ID")

    p = command("restore", "restore a backup to a server")
    p.add_argument("backup", metavar="ID|latest")
    _server_option(p)
    _database_options(p)
    p.add_argument("--tables", type=_csv, default=[], metavar="DB.T,...")
    p.add_argument("--rename", action="append", default=[], metavar="OLD=NEW",
                   help="restore database OLD under the name NEW (repeatable)")
    p.add_argument("--until", metavar="'YYYY-MM-DD HH:MM:SS'",
                   help="point-in-time recovery (needs archived binary logs)")
    p.add_argument("--yes", action="store_true", help="do not ask before replacing anything")
    p.add_argument("--no-safety-copy", action="store_true",
                   help="drop what the restore replaces instead of keeping it")
    p.add_argument("--force", action="store_true",
                   help="allow a restore into a system schema (mysql, sys)")
    p.add_argument("--jobs", "-j", type=_jobs, default=default_jobs(),
                   help=f"parallel connections (default {default_jobs()}: one per core, at most 4)")
    p.add_argument("--wait-for-locks", type=_seconds, default=10, metavar="SECONDS",
                   help="how long the swap waits for sessions that hold the target's tables "
                        "(default 10); after that nothing is changed and they are named")

    p = command("cleanup", "finish or undo what stopped restores left on a server "
                           "(every restore does this first)")
    _server_option(p)
    p.add_argument("--dry-run", action="store_true", help="only say what would be done")

    p = command("verify", "check every object's hash and authentication tag")
    p.add_argument("backup", nargs="?", metavar="ID|latest")
    p.add_argument("--all", action="store_true", help="every backup in the repository")

    p = command("export", "write a backup as one plain SQL file")
    p.add_argument("backup", metavar="ID|latest")
    p.add_argument("--format", required=True, choices=["sql"])
    p.add_argument("-o", "--output", metavar="FILE", help="file to write (default: stdout)")

    p = command("key", "change the repository passphrase; print a recovery sheet")
    actions = p.add_subparsers(dest="key_command", metavar="ACTION", parser_class=_Parser,
                               required=True)
    text = "set a new passphrase (from CUSTODE_NEW_PASSWORD, --new-password-file or a prompt)"
    p = actions.add_parser("passwd", parents=[common], help=text, description=text)
    p.add_argument("--new-password-file", metavar="FILE", help="read the new passphrase from FILE")
    text = "the master key and the steps to restore with it, to print and keep in a safe"
    p = actions.add_parser("recovery-sheet", parents=[common], help=text, description=text)
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write to FILE (HTML when it ends in .html) instead of stdout")

    from app.cli_copy import add_commands as add_copy_commands  # builds on this module
    add_copy_commands(command, common, _Parser)

    from app.cli_retention import add_commands as retention_commands  # forget, prune, unlock
    retention_commands(command)

    command("gui", "open the desktop application")
    return parser


def _server_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--server", default=os.environ.get("CUSTODE_SERVER"), metavar="URL",
                        help="mysql://user@host[:port] or mysql://user@localhost/?socket=PATH "
                             "(or set CUSTODE_SERVER); add ?ssh=user@sshhost[:port]&ssh-key=FILE "
                             "to go through an SSH tunnel (host as seen from the SSH server)")


def _database_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--databases", type=_names, default=[], metavar="A,B")
    parser.add_argument("--database", action="append", default=[], dest="database_names",
                        metavar="NAME", help="one database by its exact name (repeatable): for a "
                                             "name holding a comma")


def _names(text: str) -> list[str]:
    names = _csv(text)
    if not names:
        raise argparse.ArgumentTypeError("give at least one name (leave the option out for all)")
    return names


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of connections") from None
    if not 1 <= value <= 64:
        raise argparse.ArgumentTypeError(f"{value} connections: give 1 to 64")
    return value


def _seconds(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of seconds") from None
    if not 1 <= value <= 86400:
        raise argparse.ArgumentTypeError(f"{value} is not between 1 and 86400 seconds")
    return value


def _csv(text: str) -> list[str]:
    """A comma-separated list; a comma inside backticks (`a,b`.t) belongs to the name."""
    parts = re.findall(r"(?:`(?:[^`]|``)*`|[^,])+", text)
    return [part.strip() for part in parts if part.strip()]


# -- secrets ---------------------------------------------------------------------------------------
def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stderr.isatty()


def repository_passphrase(args: argparse.Namespace, location: str, *, new: bool = False) -> str:
    if os.environ.get("CUSTODE_PASSWORD"):
        return os.environ["CUSTODE_PASSWORD"]
    if args.password_file:
        return secrets.read_secret_file(args.password_file)
    if not new:
        repo_id = read_config(open_storage(location)).get("id", "")
        stored = secrets.get_secret(secrets.REPOSITORY_SERVICE, repo_id)
        if stored:
            return stored
    if not _interactive():
        raise ConfigError("no repository passphrase: set CUSTODE_PASSWORD, use --password-file, "
                          "or run on a terminal to be asked")
    passphrase = getpass.getpass(f"passphrase for {location}: ")
    if new and getpass.getpass("again: ") != passphrase:
        raise ConfigError("the two passphrases differ; nothing was created")
    return passphrase


def _recovery_key(args: argparse.Namespace) -> str | None:
    """The recovery sheet's key when one was given (it then stands for the passphrase)."""
    if os.environ.get("CUSTODE_RECOVERY_KEY"):
        return os.environ["CUSTODE_RECOVERY_KEY"]
    if getattr(args, "recovery_key_file", None):
        try:
            return Path(args.recovery_key_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read the recovery key file {args.recovery_key_file}: "
                              f"{getattr(exc, 'strerror', None) or exc}") from None
    return None


def server_password(spec: ServerSpec) -> str | None:
    if "MYSQL_PWD" in os.environ:
        return os.environ["MYSQL_PWD"]
    stored = secrets.get_secret(secrets.SERVER_SERVICE, spec.url)
    if stored is not None:
        return stored
    if _interactive():
        return getpass.getpass(f"password for {spec.url} (empty for none): ")
    return None


@contextlib.contextmanager
def _sftp_prompts(args: argparse.Namespace) -> Iterator[None]:
    """For an sftp:// repository or a server URL with ssh= (an SSH tunnel): --trust-host-key or
    the host-key question, and a password prompt."""
    location = str(getattr(args, "repo", None) or os.environ.get("CUSTODE_REPO", ""))
    server = str(getattr(args, "server", None) or "")
    if not location.lower().startswith("sftp://") and "ssh=" not in server:
        yield
        return
    from app.core import storage_sftp  # paramiko is imported only for SFTP
    given = getattr(args, "trust_host_key", None)

    def trust(error: storage_sftp.UnknownHostKey) -> bool:
        where = storage_sftp.host_entry(error.host, error.port)
        if given:
            if given.removeprefix("SHA256:") != error.fingerprint.removeprefix("SHA256:"):
                raise ConfigError(f"the host key of {where} is {error.key_type} {error.fingerprint}, "
                                  f"not the {given} given with --trust-host-key; nothing was trusted")
        elif _interactive():
            sys.stderr.write(f"The host key of {where} is not known yet.\n"
                             f"{error.key_type} key fingerprint is {error.fingerprint}.\n"
                             "Trust this host key? [y/N] ")
            sys.stderr.flush()
            if sys.stdin.readline().strip().lower() not in ("y", "yes"):
                return False
        else:
            return False
        print(f"note: trusted the {error.key_type} host key {error.fingerprint} of {where} (saved "
              f"in {storage_sftp.custode_known_hosts()})", file=sys.stderr)
        return True

    def password(account: str) -> str | None:
        return getpass.getpass(f"password for {account}: ") if _interactive() else None

    previous = storage_sftp.PROMPTS
    storage_sftp.PROMPTS = storage_sftp.Prompts(trust_host=trust, password=password)
    try:
        yield
    finally:
        storage_sftp.PROMPTS = previous


def _open_repo(args: argparse.Namespace) -> Repository:
    location = _location(args)
    recovery_key = _recovery_key(args)
    if recovery_key is not None:
        return keys.open_with_recovery_key(location, recovery_key)
    storage = open_storage(location)
    return Repository.open(storage, repository_passphrase(args, location))


def _location(args: argparse.Namespace) -> str:
    location = args.repo or os.environ.get("CUSTODE_REPO", "")
    if not location:
        raise ConfigError("no repository given: use --repo LOCATION or set CUSTODE_REPO")
    if getattr(args, "s3_endpoint", None):
        if not str(location).lower().startswith("s3://"):
            raise ConfigError("--s3-endpoint is only for s3:// repositories")
        from app.core.storage_s3 import with_endpoint  # boto3 is imported only for S3
        location = with_endpoint(str(location), args.s3_endpoint)
    return str(location)


def _server(args: argparse.Namespace) -> tuple[ServerSpec, str | None]:
    spec = ServerSpec.parse(args.server or "")
    return spec, server_password(spec)


# -- output ----------------------------------------------------------------------------------------
def _duration(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


class _ProgressLine:
    """One self-rewriting status line on a terminal; silent otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.shown = False

    def __call__(self, p: Progress) -> None:
        if not self.enabled:
            return
        eta = f" ETA {_duration(p.eta)}" if p.eta is not None else ""
        percent = f"{p.fraction * 100:5.1f}% " if p.total_bytes else ""
        text = (f"{p.phase}: {percent}{human_size(p.done_bytes)} {human_size(p.rate)}/s"
                f"{eta} {p.current}")[:100]
        sys.stderr.write("\r" + text.ljust(100))
        sys.stderr.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r" + " " * 100 + "\r")
            sys.stderr.flush()


def _emit(args: argparse.Namespace, data: Any, text: str) -> None:
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
    elif text:
        print(text)


# -- commands --------------------------------------------------------------------------------------
class _NoRecord:
    """Stands in for a catalog record when the catalog cannot be opened."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def set(self, **values: Any) -> None:
        self.values.update(values)

    def log(self, _line: str) -> None:
        pass


@contextlib.contextmanager
def _recorded(kind: str, repo: Repository | None = None, **values: Any) -> Iterator[Any]:
    """Record a job in the local catalog (the GUI's history), its audit log, and the journal of
    `repo` (from which `catalog rebuild` recovers the history); never stops the job itself."""
    def warn(message: str) -> None:
        print(f"note: {message}", file=sys.stderr)

    on_finish = journal.writer(repo, warn) if repo is not None else None
    try:
        catalog = Catalog.open_default()
    except (OSError, sqlite3.Error, RuntimeError) as exc:
        print(f"note: this job is not recorded in the local catalog ({exc})", file=sys.stderr)
        record = _NoRecord()
        status = "failed"
        try:
            yield record
            status = "ok"
        finally:
            if on_finish is not None:
                on_finish({"kind": kind, "status": status, "started": now_iso(),
                           "finished": now_iso(), **values, **record.values})
        return
    outcome = "failed"
    try:
        with catalog.job(kind, on_finish=on_finish, **values) as run:
            yield run
            outcome = str(run.values.get("status", "ok"))
    finally:
        target = str(values.get("repository") or values.get("server") or "")
        detail = " ".join(f"{k}={v}" for k, v in values.items() if k in ("server", "backup_id") and v)
        with contextlib.suppress(sqlite3.Error):
            catalog.audit(kind, target, f"{outcome} {detail}".strip())
        catalog.close()


def _audit(action: str, target: str, detail: str = "") -> None:
    """One line in the local audit log (best effort: a missing catalog never stops a command)."""
    try:
        catalog = Catalog.open_default()
    except (OSError, sqlite3.Error, RuntimeError):
        return
    try:
        catalog.audit(action, target, detail)
    except sqlite3.Error:
        pass
    finally:
        catalog.close()


def cmd_init(args: argparse.Namespace) -> int:
    location = _location(args)
    passphrase = repository_passphrase(args, location, new=True)
    repo = Repository.init(open_storage(location), passphrase, compression=args.compression)
    stored = False
    if not os.environ.get("CUSTODE_PASSWORD") and not args.password_file:
        stored = secrets.set_secret(secrets.REPOSITORY_SERVICE, repo.config["id"], passphrase)
    note = " (passphrase saved in the keyring)" if stored else ""
    _audit("init", location, f"repository {repo.config['id']}")
    _emit(args, {"repository": location, "id": repo.config["id"], "keyring": stored},
          f"created repository {repo.config['id'][:8]} at {location}{note}\n"
          "Keep the passphrase safe: without it the backups cannot be read.")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    if (args.databases or args.database_names) and args.all_databases:
        raise ConfigError("give --databases or --all-databases, not both")
    repo = _open_repo(args)
    spec, password = _server(args)
    databases = [*args.databases, *args.database_names]
    options = BackupOptions(databases=databases or None, all_databases=args.all_databases,
                            tables=args.tables, users=args.users, jobs=args.jobs,
                            backup_type=args.type, strict=args.strict)
    line = _ProgressLine(sys.stderr.isatty() and not args.json)
    try:
        with (_recorded("backup", repo, server=spec.url, repository=repo.storage.location) as run,
              repository_lock(repo.storage, exclusive=False, operation="backup")):
            result = run_backup(repo, spec, password, options, progress=line, cancel=CancelToken())
            t = result.manifest["totals"]
            run.set(backup_id=result.backup_id, bytes=t["plain_bytes"], stored_bytes=t["new_bytes"],
                    rows=t["rows"])
            if isinstance(run, JobRun):
                remember_backup(run.catalog, repo, {**result.manifest, "id": result.backup_id})
    finally:
        line.close()
    m = result.manifest
    summary = {"id": result.backup_id, "tables": t["tables"], "rows": t["rows"],
               "bytes": t["plain_bytes"], "new_bytes": t["new_bytes"], "seconds": m["duration"],
               "consistency": m["consistency"], "binlog": m["binlog"]}
    if args.json:
        _emit(args, summary, "")
    else:
        print(result.backup_id)
        print(f"backed up {t['tables']} tables, {t['rows']} rows, {human_size(t['plain_bytes'])} of SQL "
              f"({human_size(t['new_bytes'])} new in the repository) in {m['duration']:.1f} s",
              file=sys.stderr)
        for warning in m.get("warnings", []):
            print(f"warning: {warning}", file=sys.stderr)
        if m["consistency"] != "global-read-lock":
            print("note: no RELOAD privilege for the global read lock; used one consistent "
                  "transaction on one connection", file=sys.stderr)
    return 0


def _summary(m: dict[str, Any]) -> dict[str, Any]:
    tables = [t for d in m["databases"] for t in d["tables"]]
    return {"id": m["id"], "short_id": m["id"][:8], "finished": m["finished"], "type": m["type"],
            "server": m["server"]["url"], "databases": [d["name"] for d in m["databases"]],
            "tables": len(tables), "rows": sum(t["rows"] for t in tables),
            "bytes": sum(t["bytes"] for t in tables)}


def cmd_list(args: argparse.Namespace) -> int:
    repo = _open_repo(args)
    backups = [_summary(m) for m in repo.list_backups()]
    _warn_unreadable(repo)
    lines = [f"{'ID':8}  {'FINISHED (UTC)':20}  {'TYPE':5}  {'ROWS':>10}  {'SIZE':>10}  SERVER / DATABASES"]
    for b in backups:
        dbs = ",".join(b["databases"])
        lines.append(f"{b['short_id']:8}  {b['finished']:20}  {b['type']:5}  {b['rows']:>10}  "
                     f"{human_size(b['bytes']):>10}  {b['server']} {dbs}")
    if not backups:
        lines = ["no backups yet: make one with 'custode backup --server URL'"]
    _emit(args, backups, "\n".join(lines))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    repo = _open_repo(args)
    m = repo.load_backup(repo.resolve(args.backup))
    if args.json:
        _emit(args, {**_summary(m), "binlog": m["binlog"], "consistency": m["consistency"],
                     "server_version": m["server"]["version"],
                     "contents": [{"database": d["name"], "tables": [
                         {"name": t["name"], "rows": t["rows"], "bytes": t["bytes"],
                          "engine": t["engine"]} for t in d["tables"]],
                         "views": len(d["views"]), "routines": len(d["routines"]),
                         "triggers": len(d["triggers"]), "events": len(d["events"]),
                         "sequences": len(d["sequences"])} for d in m["databases"]],
                     "users": len(m.get("users", []))}, "")
        return 0
    binlog = m["binlog"]
    lines = [f"backup {m['id']}", f"  type        {m['type']}",
             f"  taken       {m['started']} .. {m['finished']} ({m['duration']:.1f} s, {m['consistency']})",
             f"  server      {comment_text(m['server']['url'])} ({comment_text(m['server']['version'])})",
             "  binlog      " + (f"{binlog['file']}:{binlog['position']} gtid {binlog['gtid']}"
                                 if binlog else "not enabled on the server")]
    if m.get("users"):
        lines.append(f"  users       {len(m['users'])} accounts and roles with their grants")
    for d in m["databases"]:
        others = ", ".join(f"{len(d[k])} {k}" for k in ("views", "routines", "triggers", "events",
                                                        "sequences") if d[k])
        lines.append(f"\n  database {comment_text(d['name'])} "
                     f"({comment_text(d['charset'])}/{comment_text(d['collation'])})"
                     + (f": {others}" if others else ""))
        for t in d["tables"]:
            size = human_size(t["bytes"])
            lines.append(f"    {comment_text(t['name']):40} {t['rows']:>12} rows {size:>12}  "
                         f"{comment_text(t['engine'])}")
    _emit(args, None, "\n".join(lines))
    return 0


def _warn_unreadable(repo: Repository) -> None:
    for backup_id, why in repo.unreadable:
        print(f"warning: backup {backup_id[:12]} cannot be read and is left out: {why}; "
              "'custode verify --all' says more", file=sys.stderr)


def _confirm(plan_replaces: list[str], targets: list[str], yes: bool,
             merges: Sequence[str] = ()) -> None:
    if not (plan_replaces or merges) or yes:
        return
    listing = ", ".join(comment_text(name) for name in plan_replaces[:5]) + (
        f" and {len(plan_replaces) - 5} more" if len(plan_replaces) > 5 else "")
    into = ", ".join(comment_text(name) for name in merges)
    what = (f"replace {len(plan_replaces)} objects ({listing})" if plan_replaces else "") + \
        (" and " if plan_replaces and merges else "") + \
        (f"write into the existing database{'s' if len(merges) > 1 else ''} {into}, which the "
         "backup did not come from" if merges else "")
    if not _interactive():
        raise ConfigError(f"the restore would {what}; rerun with --yes to go ahead (a safety "
                          "copy is kept)")
    print(f"This restore would {what}.", file=sys.stderr)
    expected = ",".join(targets)
    answer = input(f"Type {expected!r} to go ahead: ")
    if answer.strip() != expected:
        raise ConfigError("not confirmed; nothing was changed")


def cmd_restore(args: argparse.Namespace) -> int:
    if args.until:
        raise ConfigError("--until needs archived binary logs, which this version does not have "
                          "yet; restore a backup without it")
    rename: dict[str, str] = {}
    for item in args.rename:
        old, eq, new = item.partition("=")
        if not eq or not old or not new:
            raise ConfigError(f"--rename {item!r} must be written OLD=NEW")
        if old in rename:
            raise ConfigError(f"--rename gives database {comment_text(old)} two new names "
                              f"({comment_text(rename[old])} and {comment_text(new)}): give one")
        rename[old] = new
    repo = _open_repo(args)
    spec, password = _server(args)
    backup_id = repo.resolve(args.backup)
    _warn_unreadable(repo)
    options = RestoreOptions(databases=[*args.databases, *args.database_names], tables=args.tables,
                             rename=rename, safety_copy=not args.no_safety_copy, jobs=args.jobs,
                             lock_wait=args.wait_for_locks, force=args.force)
    plan = plan_restore(repo, backup_id, spec, password, options)
    for warning in plan.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    _confirm(plan.replaces, [d.target for d in plan.databases], args.yes, plan.merges)
    line = _ProgressLine(sys.stderr.isatty() and not args.json)
    try:
        with (_recorded("restore", repo, server=spec.url, repository=repo.storage.location,
                        backup_id=backup_id) as run,
              repository_lock(repo.storage, exclusive=False, operation="restore",
                              read_only_ok=True) as lock):
            if lock.note:
                print(f"note: {lock.note}", file=sys.stderr)
            report = run_restore(repo, plan, spec, password, options, progress=line)
            run.set(rows=report.rows, bytes=plan.bytes)
            if report.safety_schema:
                run.log(f"replaced objects kept in {report.safety_schema}")
            run.log(f"objects loaded with LOAD DATA: {report.objects_load_data}, with INSERTs: "
                    f"{report.objects_insert}")
    finally:
        line.close()
    for settled in report.settled:
        print(f"settled a stopped restore first: {settled}", file=sys.stderr)
    text = (f"restored {report.tables} tables, {report.rows} rows into "
            f"{', '.join(comment_text(name) for name in report.databases)} in {report.seconds:.1f} s")
    if report.safety_schema:
        text += f"\nreplaced objects are kept in the database {report.safety_schema}"
    elif report.replaced:
        text += f"\n{len(report.replaced)} replaced objects were dropped (--no-safety-copy)"
    if report.users_created:
        text += f"\ncreated users: {', '.join(report.users_created)}"
    _emit(args, {"backup": backup_id, "databases": report.databases, "tables": report.tables,
                 "rows": report.rows, "seconds": round(report.seconds, 3),
                 "safety_schema": report.safety_schema, "replaced": report.replaced,
                 "users_created": report.users_created,
                 "objects_load_data": report.objects_load_data,
                 "objects_insert": report.objects_insert,
                 "load_data_retried": report.load_data_retried, "settled": report.settled}, text)
    return 0


def cmd_cleanup(args: argparse.Namespace) -> int:
    spec, password = _server(args)
    lines = cleanup_server(spec, password, dry_run=args.dry_run)
    _emit(args, {"server": spec.url, "dry_run": args.dry_run, "leftovers": lines},
          "\n".join(lines) or "nothing to clean up: no stopped restore left anything on this server")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    repo = _open_repo(args)
    if args.all:
        ids = repo.backup_ids()
    elif args.backup:
        ids = [repo.resolve(args.backup)]
    else:
        raise ConfigError("say which backup to verify: an ID, 'latest' or --all")
    line = _ProgressLine(sys.stderr.isatty() and not args.json)
    try:
        with (_recorded("verify", repo, repository=repo.storage.location,
                        backup_id=ids[0] if len(ids) == 1 else "") as run,
              repository_lock(repo.storage, exclusive=False, operation="verify",
                              read_only_ok=True) as lock):
            if lock.note:
                print(f"note: {lock.note}", file=sys.stderr)
            report = verify_backups(repo, ids, progress=line)
            damage = f"{len(report.damaged)} damaged objects; these backups cannot be fully restored"
            run.set(bytes=report.bytes)
            if not report.ok:
                run.set(status="damaged", message=damage)
    finally:
        line.close()
    rate = report.bytes / report.seconds / 2**20 if report.seconds else 0
    _emit(args, {"backups": ids, "objects": report.objects, "bytes": report.bytes,
                 "seconds": round(report.seconds, 3), "damaged": report.damaged},
          f"checked {len(ids)} backups, {report.objects} objects, {human_size(report.bytes)} in "
          f"{report.seconds:.1f} s ({rate:.0f} MiB/s): "
          + ("no damage found" if report.ok else f"{len(report.damaged)} DAMAGED"))
    vanished = journal.vanished_backups(repo, set(repo.backup_ids())) if args.all else []
    for backup_id, finished in vanished:
        print(f"missing: backup {backup_id[:12]} (finished {finished or 'at an unknown time'}) is in "
              "the repository's journal but its manifest is gone, and no forget removed it",
              file=sys.stderr)
    if not report.ok:
        for problem in sorted(report.damaged.values()):
            print(f"damaged: {problem}", file=sys.stderr)
        raise DamageFound(damage)
    if vanished:
        raise DamageFound(f"{len(vanished)} backup{'s' if len(vanished) > 1 else ''} the journal "
                          "recorded are gone from the repository")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    repo = _open_repo(args)
    backup_id = repo.resolve(args.backup)
    if not args.output or args.output == "-":
        export_sql(repo, backup_id, sys.stdout.buffer)
        return 0
    target = Path(args.output)
    temp = target.with_name(f".{target.name}.partial")
    try:
        with open(temp, "wb") as handle:
            size = export_sql(repo, backup_id, handle)
        os.replace(temp, target)
    except OSError as exc:
        raise ConfigError(f"cannot write {target}: {exc.strerror}") from None
    finally:
        temp.unlink(missing_ok=True)
    _emit(args, {"file": str(target), "bytes": size}, "")
    print(f"wrote {target} ({human_size(size)})", file=sys.stderr)
    return 0


def cmd_key(args: argparse.Namespace) -> int:
    from app.cli_keys import key_passwd, key_recovery_sheet  # it builds on this module's helpers
    if args.key_command == "passwd":
        return key_passwd(args)
    return key_recovery_sheet(args)


def cmd_copy(args: argparse.Namespace) -> int:
    from app.cli_copy import cmd_copy as run
    return run(args)


def cmd_catalog(args: argparse.Namespace) -> int:
    from app.cli_copy import cmd_catalog as run
    return run(args)


def cmd_retention(args: argparse.Namespace) -> int:
    from app.cli_retention import COMMANDS as retention  # forget, prune, unlock
    return retention[args.command](args)


def cmd_gui(args: argparse.Namespace) -> int:
    from app.gui.main import main as gui_main
    return gui_main(["--repo", args.repo] if args.repo else [])


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "init": cmd_init, "backup": cmd_backup, "list": cmd_list, "show": cmd_show,
    "restore": cmd_restore, "verify": cmd_verify, "export": cmd_export, "key": cmd_key,
    "copy": cmd_copy, "catalog": cmd_catalog, "gui": cmd_gui, "cleanup": cmd_cleanup,
    "forget": cmd_retention, "prune": cmd_retention, "unlock": cmd_retention}


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM (a service manager stopping us, `kill`) unwinds like Ctrl-C: a restore before its
    commit is undone, a backup leaves no manifest, and the message says so."""
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate)
    debug = "--debug" in argv
    try:
        args = build_parser().parse_args(argv)
        if not args.command:
            build_parser().print_help()
            return 2
        with _sftp_prompts(args):
            return COMMANDS[args.command](args)
    except CustodeError as exc:
        if debug:
            traceback.print_exc()
        print(f"custode: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("custode: interrupted; nothing half-done was kept", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - a bug: one line, traceback only with --debug
        if debug:
            traceback.print_exc()
        print(f"custode: internal error: {type(exc).__name__}: {exc} (run with --debug and "
              "report it)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
