"""`custode forget`, `custode prune` and `custode unlock` (the engine: app/core/retention.py,
app/core/prune.py, app/core/locks.py).

forget and prune take the repository's exclusive lock (a dry run takes none and writes nothing,
and is not recorded in the history); `forget --prune` holds one lock for both.  unlock needs no
passphrase: lock files are plain JSON.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from app.cli import _emit, _location, _open_repo, _ProgressLine, _recorded
from app.core.errors import ConfigError
from app.core.jobs import CancelToken, human_size
from app.core.locks import STALE_AFTER, RepositoryLock, repository_lock, unlock
from app.core.prune import ForgetReport, PruneReport, forget, prune
from app.core.repository import Repository, read_config
from app.core.retention import Decision, Policy, parse_duration
from app.core.storage import open_storage

KEEP_OPTIONS = ("last", "hourly", "daily", "weekly", "monthly", "yearly")
PERIOD_HELP = {"last": "the N newest backups"} | {
    name: f"the newest backup of each of the last N {unit} that have one (UTC)"
    for name, unit in (("hourly", "hours"), ("daily", "days"), ("weekly", "ISO weeks"),
                       ("monthly", "months"), ("yearly", "years"))}


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} must not be negative")
    return value


def _duration(text: str) -> timedelta:
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_commands(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Add forget, prune and unlock to the parser of app/cli.py (`command` makes a subparser)."""
    p = command("forget", "apply a retention policy: delete the backups no --keep rule keeps "
                "(and nothing a kept backup needs)")
    for name in KEEP_OPTIONS:
        p.add_argument(f"--keep-{name}", type=_count, default=0, metavar="N",
                       help=PERIOD_HELP[name])
    p.add_argument("--keep-within", type=_duration, metavar="DURATION",
                   help="every backup within DURATION (e.g. 36h, 7d, 4w) of the newest one")
    p.add_argument("--dry-run", action="store_true",
                   help="say what would be kept and removed, change nothing")
    p.add_argument("--prune", action="store_true",
                   help="then delete the data no remaining backup uses")
    p = command("prune", "delete the data objects that no backup uses any more")
    p.add_argument("--dry-run", action="store_true", help="say what would be freed, change nothing")
    p = command("unlock", "remove stale repository locks (left by jobs that no longer run)")
    p.add_argument("--force", action="store_true",
                   help="remove every lock, also of jobs that may still be running")


def _policy(args: argparse.Namespace) -> Policy:
    policy = Policy(**{f"keep_{name}": getattr(args, f"keep_{name}") for name in KEEP_OPTIONS},
                    keep_within=args.keep_within)
    if policy.empty:
        raise ConfigError("give at least one --keep option (e.g. --keep-daily 7 --keep-weekly 4); "
                          "forget without one would keep everything")
    return policy


def _decision_json(d: Decision) -> dict[str, Any]:
    b = d.backup
    return {"id": b.id, "short_id": b.id[:8],
            "time": b.time.strftime("%Y-%m-%dT%H:%M:%SZ") if b.time else None,
            "server": b.server, "databases": list(b.databases), "type": b.type, "parent": b.parent,
            "keep": d.keep, "reasons": d.reasons}


def _forget_lines(report: ForgetReport, policy: Policy) -> list[str]:
    verb = "would remove" if report.dry_run else "remove"
    lines = [f"{'ID':8}  {'TAKEN (UTC)':16}  {'DECISION':12}  {'SERVER / DATABASES':40}  REASON"]
    for d in report.decisions:
        b = d.backup
        taken = b.time.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if b.time else "?"
        where = f"{b.server} {','.join(b.databases)}"
        lines.append(f"{b.id[:8]:8}  {taken:16}  {'keep' if d.keep else verb:12}  {where:40}  "
                     + ", ".join(d.reasons))
    for backup_id, why in report.unreadable.items():
        lines.append(f"{backup_id[:8]:8}  {'?':16}  {'keep':12}  {'?':40}  unreadable: {why}")
    removed = len(report.removed)
    total = len(report.decisions) + len(report.unreadable)
    lines.append(f"{'would keep' if report.dry_run else 'kept'} {report.kept} and "
                 f"{'would remove' if report.dry_run else 'removed'} {removed} of {total} backups "
                 f"({policy.describe()})")
    return lines


def _prune_json(report: PruneReport) -> dict[str, Any]:
    return {"dry_run": report.dry_run, "backups": report.backups, "objects": report.objects,
            "referenced": report.referenced, "deleted": report.deleted,
            "freed_bytes": report.freed_bytes, "locked_bytes": report.locked_bytes,
            "locked": [{"name": x.name, "until": x.until} for x in report.locked],
            "temporary_files": report.temporary, "temporary_bytes": report.temporary_bytes,
            "warnings": report.warnings}


def _prune_lines(report: PruneReport) -> list[str]:
    would = "would " if report.dry_run else ""
    lines = [f"{would}delete {report.deleted} unused objects, "
             f"{'freeing' if report.dry_run else 'freed'} {human_size(report.freed_bytes)}; "
             f"{report.referenced} objects stay, used by {report.backups} backups"]
    if report.temporary:
        lines.append(f"{would}delete {report.temporary} temporary files that killed jobs left "
                     f"({human_size(report.temporary_bytes)})")
    if report.locked:
        lines.append(f"{len(report.locked)} unused objects ({human_size(report.locked_bytes)}) are "
                     "under retention and stay until it ends; prune again then:")
        lines += [f"  {x.name}  until {x.until or 'unknown'}" for x in report.locked]
    return lines


def cmd_forget(args: argparse.Namespace) -> int:
    policy = _policy(args)
    repo = _open_repo(args)
    now = datetime.now(UTC)
    line = _ProgressLine(sys.stderr.isatty() and not args.json)
    pruned: PruneReport | None = None
    try:
        if args.dry_run:
            report = forget(repo, policy, now, dry_run=True, progress=line)
            if args.prune:
                pruned = prune(repo, dry_run=True, progress=line,
                               assume_forgotten=frozenset(report.removed))
        else:
            report, pruned = _forget_for_real(repo, policy, now, args.prune, line)
    finally:
        line.close()
    lines = _forget_lines(report, policy) + (_prune_lines(pruned) if pruned else [])
    _emit(args, {"dry_run": args.dry_run, "policy": policy.describe(),
                 "backups": [_decision_json(d) for d in report.decisions],
                 "unreadable": report.unreadable, "kept": report.kept,
                 "removed": report.removed,
                 "locked": [{"name": x.name, "until": x.until} for x in report.locked],
                 "prune": _prune_json(pruned) if pruned else None}, "\n".join(lines))
    for locked in report.locked:
        print(f"note: {locked.message}; that backup stays listed", file=sys.stderr)
    for warning in pruned.warnings if pruned else []:
        print(f"warning: {warning}", file=sys.stderr)
    return 0


def _forget_for_real(repo: Repository, policy: Policy, now: datetime, then_prune: bool,
                     line: _ProgressLine) -> tuple[ForgetReport, PruneReport | None]:
    cancel = CancelToken()
    location = repo.storage.location
    pruned = None
    with repository_lock(repo.storage, exclusive=True, operation="forget") as lock:
        with _recorded("forget", repo, repository=location) as run:
            report = forget(repo, policy, now, progress=line, cancel=cancel, held=lock)
            run.set(message=f"removed {len(report.removed)} backups, kept {report.kept} "
                            f"({policy.describe()})")
            for backup_id in report.removed:
                run.log(f"removed backup {backup_id}")
        if then_prune:
            pruned = _prune_recorded(repo, line, cancel, lock)
    return report, pruned


def _prune_recorded(repo: Repository, line: _ProgressLine, cancel: CancelToken,
                    lock: RepositoryLock) -> PruneReport:
    with _recorded("prune", repo, repository=repo.storage.location) as run:
        report = prune(repo, progress=line, cancel=cancel, held=lock)
        run.set(bytes=report.freed_bytes,
                message=f"deleted {report.deleted} objects, freed {human_size(report.freed_bytes)}"
                        + (f"; {len(report.locked)} under retention" if report.locked else ""))
        for locked in report.locked:
            run.log(f"kept under retention until {locked.until}: {locked.name}")
    return report


def cmd_prune(args: argparse.Namespace) -> int:
    repo = _open_repo(args)
    line = _ProgressLine(sys.stderr.isatty() and not args.json)
    try:
        if args.dry_run:
            report = prune(repo, dry_run=True, progress=line)
        else:
            with repository_lock(repo.storage, exclusive=True, operation="prune") as lock:
                report = _prune_recorded(repo, line, CancelToken(), lock)
    finally:
        line.close()
    _emit(args, _prune_json(report), "\n".join(_prune_lines(report)))
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0


def cmd_unlock(args: argparse.Namespace) -> int:
    location = _location(args)
    storage = open_storage(location)
    read_config(storage)              # says so when there is no repository at all
    if args.force:
        print("warning: --force removes the locks of jobs that may still be running; a prune "
              "beside a running backup can destroy that backup", file=sys.stderr)
    report = unlock(storage, force=args.force)
    now = datetime.now(UTC)
    lines = [f"removed {r.reason}" if not r.reason.startswith("forced") else
             f"removed lock of {r.lock.describe(now)}" for r in report.removed]
    lines += [f"kept the live lock of {x.describe(now)}: it becomes stale "
              f"{STALE_AFTER // 60:.0f} min after its last refresh; use --force only if you are "
              "sure that job no longer runs" for x in report.live]
    lines += [f"could not remove {x.name}: {why}" for x, why in report.undeletable]
    if not lines:
        lines = ["no locks: nothing to do"]
    _emit(args, {"removed": [{"name": r.lock.name, "reason": r.reason} for r in report.removed],
                 "live": [{"name": x.name, "operation": x.operation, "host": x.host,
                           "pid": x.pid, "user": x.user} for x in report.live],
                 "undeletable": [{"name": x.name, "message": why} for x, why in report.undeletable]},
          "\n".join(lines))
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "forget": cmd_forget, "prune": cmd_prune, "unlock": cmd_unlock}
