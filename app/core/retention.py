"""Retention policy: which backups `forget` keeps and why (pure: no storage, no clock).

The rules are restic's `forget` rules:

* backups are considered newest first, each group on its own (a group is one server URL and one
  selection, like restic's `--group-by host,paths`);
* `keep_last N` keeps the N newest backups;
* `keep_hourly/daily/weekly/monthly/yearly N` keep, for each of the N most recent periods that
  hold a backup, the newest backup of that period (periods without a backup do not count, so a
  pause in backups never makes the rules keep less);
* `keep_within D` keeps every backup taken within D of the group's newest backup (not of *now*:
  a repository whose backups stopped a month ago keeps its last week of backups, not nothing),
  or of `now` when the newest backup is dated in the future (a host's clock ran ahead);
* a backup kept by any rule keeps what it needs: the parent chain of a differential or
  incremental backup (reason "needed by <id> (<type>)"), across groups too;
* an empty policy keeps everything (the CLI refuses it; a program may pass one to list).

Periods are taken in UTC by default, deliberately: the manifests and `custode list` show UTC, so a
decision can be checked against the listing; the result does not depend on which workstation runs
`forget` (a scheduled one and one from a laptop abroad agree); and UTC has no daylight-saving days
of 23 or 25 hours.  A caller may pass another `tz` (e.g. the machine's local zone).  Weeks are ISO
weeks (Monday to Sunday, week 1 holds the year's first Thursday), so 2026-12-31 is in 2026-W53 and
2027-01-01 too.  A backup's time is when it started (the moment its data shows), or when it
finished if the manifest has no start.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

__all__ = ["Backup", "Decision", "Policy", "apply", "format_duration", "parse_duration"]


@dataclass(frozen=True)
class Policy:
    """How many backups of each kind to keep; 0 (or None) means the rule is not used."""

    keep_last: int = 0
    keep_hourly: int = 0
    keep_daily: int = 0
    keep_weekly: int = 0
    keep_monthly: int = 0
    keep_yearly: int = 0
    keep_within: timedelta | None = None

    def __post_init__(self) -> None:
        for name in ("keep_last", "keep_hourly", "keep_daily", "keep_weekly", "keep_monthly",
                     "keep_yearly"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        if self.keep_within is not None and self.keep_within < timedelta(0):
            raise ValueError("keep_within must not be negative")

    @property
    def empty(self) -> bool:
        return not (self.keep_last or self.keep_hourly or self.keep_daily or self.keep_weekly
                    or self.keep_monthly or self.keep_yearly or self.keep_within)

    def describe(self) -> str:
        parts = [f"{label} {getattr(self, name)}" for name, label in _BUCKET_LABELS
                 if getattr(self, name)]
        if self.keep_last:
            parts.insert(0, f"last {self.keep_last}")
        if self.keep_within:
            parts.append(f"within {format_duration(self.keep_within)}")
        return ", ".join(parts) or "keep everything"


@dataclass(frozen=True)
class Backup:
    """What the policy needs to know of one backup."""

    id: str
    time: datetime | None         # aware; None when the manifest has no readable date
    group: str = ""
    type: str = "full"
    parent: str | None = None
    server: str = ""
    databases: tuple[str, ...] = ()

    @classmethod
    def from_manifest(cls, manifest: Mapping[str, Any]) -> Backup:
        server = manifest.get("server") or {}
        url = str(server.get("url", "")) if isinstance(server, Mapping) else str(server)
        selection = manifest.get("selection") or {}
        group = url + " " + json.dumps(selection, sort_keys=True, separators=(",", ":"))
        databases = tuple(str(d.get("name", "")) for d in manifest.get("databases") or []
                          if isinstance(d, Mapping))
        parent = manifest.get("parent")
        return cls(id=str(manifest["id"]),
                   time=_parse_time(manifest.get("started") or manifest.get("finished")),
                   group=group, type=str(manifest.get("type") or "full"),
                   parent=str(parent) if parent else None, server=url, databases=databases)


@dataclass
class Decision:
    """Kept or removed, and every rule that kept it."""

    backup: Backup
    keep: bool = False
    reasons: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.backup.id

    def _keep(self, reason: str) -> None:
        self.keep = True
        self.reasons.append(reason)


_BUCKET_LABELS = (("keep_hourly", "hourly"), ("keep_daily", "daily"), ("keep_weekly", "weekly"),
                  ("keep_monthly", "monthly"), ("keep_yearly", "yearly"))


def _period_functions() -> dict[str, Callable[[datetime], str]]:
    def weekly(t: datetime) -> str:
        year, week, _ = t.isocalendar()
        return f"{year}-W{week:02d}"

    return {"hourly": lambda t: t.strftime("%Y-%m-%d %H:00"),
            "daily": lambda t: t.strftime("%Y-%m-%d"),
            "weekly": weekly,
            "monthly": lambda t: t.strftime("%Y-%m"),
            "yearly": lambda t: t.strftime("%Y")}


PERIODS = _period_functions()


def apply(backups: Iterable[Backup | Mapping[str, Any]], policy: Policy, now: datetime, *,
          tz: tzinfo = UTC) -> list[Decision]:
    """Decide for every backup; the result is newest first, groups interleaved by time.

    `now` only bounds keep_within: it measures back from the group's newest backup, or from `now`
    if that backup is dated later (a backup host whose clock ran a year ahead must not make
    `--keep-within 7d` remove every real backup).
    """
    items = [b if isinstance(b, Backup) else Backup.from_manifest(b) for b in backups]
    decisions = sorted((Decision(b) for b in items), key=_order, reverse=True)
    if policy.empty:
        for decision in decisions:
            decision._keep("no policy: everything kept")
        return decisions
    groups: dict[str, list[Decision]] = {}
    for decision in decisions:
        if decision.backup.time is None:
            decision._keep("no valid date: kept")
            continue
        groups.setdefault(decision.backup.group, []).append(decision)
    for members in groups.values():
        _apply_group(members, policy, now, tz)
    _keep_parents(decisions)
    return decisions


def _order(decision: Decision) -> tuple[datetime, str]:
    return (decision.backup.time or datetime.max.replace(tzinfo=UTC), decision.backup.id)


def _apply_group(members: list[Decision], policy: Policy, now: datetime, tz: tzinfo) -> None:
    """`members` newest first, every one with a time."""
    for decision in members[:policy.keep_last]:
        decision._keep(f"last {policy.keep_last}")
    for attribute, label in _BUCKET_LABELS:
        wanted: int = getattr(policy, attribute)
        if not wanted:
            continue
        period_of = PERIODS[label]
        previous: str | None = None
        for decision in members:
            assert decision.backup.time is not None
            period = period_of(decision.backup.time.astimezone(tz))
            if period == previous:
                continue
            previous = period
            decision._keep(f"{label} {period}")
            wanted -= 1
            if not wanted:
                break
    if policy.keep_within:
        newest = members[0].backup.time
        assert newest is not None
        reference = min(newest, now if now.tzinfo else now.replace(tzinfo=UTC))
        for decision in members:
            assert decision.backup.time is not None
            if reference - decision.backup.time <= policy.keep_within:
                decision._keep(f"within {format_duration(policy.keep_within)}")


def _keep_parents(decisions: list[Decision]) -> None:
    """Keep every backup that a kept differential or incremental backup needs to restore."""
    by_id = {d.id: d for d in decisions}
    for decision in [d for d in decisions if d.keep]:
        child = decision
        seen = {child.id}
        while child.backup.parent and child.backup.parent not in seen:
            parent = by_id.get(child.backup.parent)
            if parent is None:
                break          # already gone: nothing left to protect
            seen.add(parent.id)
            if not parent.keep:   # a parent kept by a rule needs no extra reason
                parent._keep(f"needed by {child.id[:8]} ({child.backup.type})")
            child = parent


def _parse_time(text: object) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}


def parse_duration(text: str) -> timedelta:
    """`36h`, `7d`, `4w` or a sum such as `1w3d12h`; ValueError with a readable message."""
    cleaned = text.strip().lower()
    total = timedelta(0)
    number = ""
    for char in cleaned:
        if char.isdigit():
            number += char
        elif char in _UNITS and number:
            total += int(number) * _UNITS[char]
            number = ""
        else:
            break
    else:
        if not number and cleaned:
            return total
    raise ValueError(f"{text!r} is not a duration: write e.g. 36h, 7d, 4w or 1w3d")


def format_duration(delta: timedelta) -> str:
    """The inverse of parse_duration, for reasons and messages: `7d`, `1w3d`, `36h`."""
    hours = int(delta.total_seconds() // 3600)
    weeks, hours = divmod(hours, 7 * 24)
    days, hours = divmod(hours, 24)
    text = "".join(f"{value}{unit}" for value, unit in ((weeks, "w"), (days, "d"), (hours, "h"))
                   if value)
    return text or f"{int(delta.total_seconds())}s"
