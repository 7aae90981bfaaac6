"""The retention policy on simulated dates: exactly which backups each rule keeps, and why.

Expected dates are written out by hand from a calendar (not computed by the code under test).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from app.core.retention import Backup, Decision, Policy, apply, format_duration, parse_duration

NOW = datetime(2026, 11, 4, 12, 0, tzinfo=UTC)     # a Wednesday, ISO week 2026-W45


def _id(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def backup(moment: datetime, server: str = "mysql://root@db1:3306", databases: str = "shop",
           kind: str = "full", parent: str | None = None) -> dict[str, object]:
    """A manifest as far as retention reads it."""
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    manifest: dict[str, object] = {
        "id": _id(f"{server} {databases} {stamp}"), "type": kind, "started": stamp,
        "finished": (moment + timedelta(seconds=40)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "server": {"url": server}, "selection": {"databases": databases.split(","), "tables": []},
        "databases": [{"name": d} for d in databases.split(",")]}
    if parent:
        manifest["parent"] = parent
    return manifest


def daily(first: date, last: date, hour: int = 3) -> list[dict[str, object]]:
    days = (last - first).days + 1
    return [backup(datetime(first.year, first.month, first.day, hour, tzinfo=UTC) + timedelta(days=i))
            for i in range(days)]


def kept_days(decisions: list[Decision]) -> list[str]:
    return [d.backup.time.strftime("%Y-%m-%d") for d in decisions if d.keep]  # type: ignore[union-attr]


YEAR = daily(date(2025, 11, 5), date(2026, 11, 4))   # 365 daily backups at 03:00 UTC


def test_a_year_of_daily_backups_seven_daily() -> None:
    decisions = apply(YEAR, Policy(keep_daily=7), NOW)
    assert len(decisions) == 365
    assert kept_days(decisions) == ["2026-11-04", "2026-11-03", "2026-11-02", "2026-11-01",
                                    "2026-10-31", "2026-10-30", "2026-10-29"]
    assert decisions[0].reasons == ["daily 2026-11-04"]
    assert all(not d.keep and d.reasons == [] for d in decisions[7:])


def test_four_weekly_are_the_newest_of_each_iso_week() -> None:
    decisions = apply(YEAR, Policy(keep_weekly=4), NOW)
    # W45 (Mon 11-02 .. today, Wed 11-04), then the Sundays ending W44, W43, W42.
    assert kept_days(decisions) == ["2026-11-04", "2026-11-01", "2026-10-25", "2026-10-18"]
    assert [d.reasons for d in decisions if d.keep] == [
        ["weekly 2026-W45"], ["weekly 2026-W44"], ["weekly 2026-W43"], ["weekly 2026-W42"]]


def test_twelve_monthly_are_month_ends_and_yearly_stops_at_the_years_there_are() -> None:
    decisions = apply(YEAR, Policy(keep_monthly=12, keep_yearly=5), NOW)
    assert kept_days(decisions) == [
        "2026-11-04", "2026-10-31", "2026-09-30", "2026-08-31", "2026-07-31", "2026-06-30",
        "2026-05-31", "2026-04-30", "2026-03-31", "2026-02-28", "2026-01-31", "2025-12-31"]
    reasons = {kept_days([d])[0]: d.reasons for d in decisions if d.keep}
    assert reasons["2026-11-04"] == ["monthly 2026-11", "yearly 2026"]
    assert reasons["2025-12-31"] == ["monthly 2025-12", "yearly 2025"]   # year end
    assert reasons["2026-02-28"] == ["monthly 2026-02"]
    # Only two years hold backups: yearly 5 keeps two, it does not reach further back.
    assert sum(1 for d in decisions if any(r.startswith("yearly") for r in d.reasons)) == 2


def test_gfs_combined_is_the_union_with_every_rule_named() -> None:
    decisions = apply(YEAR, Policy(keep_last=2, keep_daily=7, keep_weekly=4, keep_monthly=12,
                                   keep_yearly=3), NOW)
    days = kept_days(decisions)
    assert days == ["2026-11-04", "2026-11-03", "2026-11-02", "2026-11-01", "2026-10-31",
                    "2026-10-30", "2026-10-29", "2026-10-25", "2026-10-18", "2026-09-30",
                    "2026-08-31", "2026-07-31", "2026-06-30", "2026-05-31", "2026-04-30",
                    "2026-03-31", "2026-02-28", "2026-01-31", "2025-12-31"]
    newest = decisions[0]
    assert newest.reasons == ["last 2", "daily 2026-11-04", "weekly 2026-W45", "monthly 2026-11",
                              "yearly 2026"]
    assert decisions[1].reasons == ["last 2", "daily 2026-11-03"]
    october_31 = next(d for d in decisions if kept_days([d]) == ["2026-10-31"])
    assert october_31.reasons == ["daily 2026-10-31", "monthly 2026-10"]
    assert sum(1 for d in decisions if not d.keep) == 365 - 19


def test_leap_day_and_iso_week_53_across_the_year_boundary() -> None:
    backups = daily(date(2026, 12, 20), date(2027, 1, 5)) + daily(date(2028, 2, 20), date(2028, 3, 1))
    decisions = apply(backups, Policy(keep_weekly=5, keep_monthly=4, keep_yearly=3), NOW)
    reasons = {kept_days([d])[0]: d.reasons for d in decisions if d.keep}
    assert reasons == {
        # 2028-02-28 (Mon) .. 2028-03-05 is W09: 1 March is its newest, not the leap day...
        "2028-03-01": ["weekly 2028-W09", "monthly 2028-03", "yearly 2028"],
        # ... but the leap day is February's newest.
        "2028-02-29": ["monthly 2028-02"],
        "2028-02-27": ["weekly 2028-W08"],
        "2028-02-20": ["weekly 2028-W07"],
        "2027-01-05": ["weekly 2027-W01", "monthly 2027-01", "yearly 2027"],
        # 2026-12-28 (Mon) .. 2027-01-03 (Sun) is 2026-W53: its newest is in January 2027,
        "2027-01-03": ["weekly 2026-W53"],
        # while the year's and December's newest is 31 December.
        "2026-12-31": ["monthly 2026-12", "yearly 2026"],
    }


def test_week_53_keeps_one_backup_for_the_whole_week() -> None:
    backups = daily(date(2026, 12, 28), date(2027, 1, 4))     # W53 Mon..Sun, then W01 Monday
    decisions = apply(backups, Policy(keep_weekly=3), NOW)
    assert [(kept_days([d])[0], d.reasons) for d in decisions if d.keep] == [
        ("2027-01-04", ["weekly 2027-W01"]), ("2027-01-03", ["weekly 2026-W53"])]


def test_hourly_and_periods_in_another_zone() -> None:
    hours = [backup(datetime(2026, 11, 4, 0, 15, tzinfo=UTC) + timedelta(minutes=30 * i))
             for i in range(10)]      # 00:15, 00:45, ... 04:45
    decisions = apply(hours, Policy(keep_hourly=3), NOW)
    assert [(d.backup.time.strftime("%H:%M"), d.reasons) for d in decisions if d.keep] == [  # type: ignore[union-attr]
        ("04:45", ["hourly 2026-11-04 04:00"]), ("03:45", ["hourly 2026-11-04 03:00"]),
        ("02:45", ["hourly 2026-11-04 02:00"])]
    # 23:30 UTC on 3 November is already 4 November at UTC+1: in that zone it shares a day.
    late = [backup(datetime(2026, 11, 3, 23, 30, tzinfo=UTC)), backup(datetime(2026, 11, 3, 22, 0,
                                                                                tzinfo=UTC))]
    in_utc = apply(late, Policy(keep_daily=2), NOW)
    assert [d.reasons for d in in_utc] == [["daily 2026-11-03"], []]
    plus_one = apply(late, Policy(keep_daily=2), NOW, tz=timezone(timedelta(hours=1)))
    assert [d.reasons for d in plus_one] == [["daily 2026-11-04"], ["daily 2026-11-03"]]


def test_keep_last_and_keep_within() -> None:
    decisions = apply(YEAR, Policy(keep_last=3), NOW)
    assert kept_days(decisions) == ["2026-11-04", "2026-11-03", "2026-11-02"]
    within = apply(YEAR, Policy(keep_within=timedelta(days=7)), NOW)
    # Within 7 days of the newest (03:00 on 4 November): 28 October 03:00 is exactly 7 days.
    assert kept_days(within) == ["2026-11-04", "2026-11-03", "2026-11-02", "2026-11-01",
                                 "2026-10-31", "2026-10-30", "2026-10-29", "2026-10-28"]
    assert within[0].reasons == ["within 1w"]


def test_keep_within_measures_from_the_newest_backup_not_from_now() -> None:
    stopped = daily(date(2026, 9, 1), date(2026, 9, 30))      # backups stopped five weeks ago
    decisions = apply(stopped, Policy(keep_within=timedelta(days=3)), NOW)
    assert kept_days(decisions) == ["2026-09-30", "2026-09-29", "2026-09-28", "2026-09-27"]
    # ... but a backup dated a year ahead (a host's clock ran wild) does not push the window away.
    skewed = [*YEAR[-5:], backup(datetime(2027, 11, 4, 3, tzinfo=UTC))]
    decisions = apply(skewed, Policy(keep_within=timedelta(days=2)), NOW)
    assert kept_days(decisions) == ["2027-11-04", "2026-11-04", "2026-11-03"]


def test_groups_by_server_and_selection() -> None:
    mixed = []
    for i in range(5):
        moment = NOW - timedelta(days=i, hours=1)
        mixed += [backup(moment, server="mysql://root@db1:3306"),
                  backup(moment + timedelta(minutes=5), server="mysql://root@db2:3306"),
                  backup(moment + timedelta(minutes=9), databases="shop,crm")]
    decisions = apply(mixed, Policy(keep_last=2), NOW)
    kept = [(d.backup.server, d.backup.databases) for d in decisions if d.keep]
    assert sorted(kept) == sorted([("mysql://root@db1:3306", ("shop",))] * 2
                                  + [("mysql://root@db2:3306", ("shop",))] * 2
                                  + [("mysql://root@db1:3306", ("shop", "crm"))] * 2)
    assert all(d.backup.time >= NOW - timedelta(days=1, hours=1) for d in decisions if d.keep)  # type: ignore[operator]


def test_a_kept_incremental_keeps_its_whole_chain() -> None:
    # A full backup every Sunday, then incrementals each day on the previous day's backup.
    backups: list[dict[str, object]] = []
    parent: str | None = None
    for day in range(1, 22):     # 2026-11-01 (Sunday) .. 2026-11-21
        moment = datetime(2026, 11, day, 3, tzinfo=UTC)
        full = moment.weekday() == 6
        manifest = backup(moment, kind="full" if full else "incremental",
                          parent=None if full else parent)
        backups.append(manifest)
        parent = str(manifest["id"])
    now = datetime(2026, 11, 21, 12, tzinfo=UTC)
    decisions = apply(backups, Policy(keep_daily=2), now)
    kept = [(kept_days([d])[0], d.backup.type, d.reasons) for d in decisions if d.keep]
    by_day = {b["started"][:10]: str(b["id"])[:8] for b in backups}  # type: ignore[index]
    assert kept == [
        ("2026-11-21", "incremental", ["daily 2026-11-21"]),
        ("2026-11-20", "incremental", ["daily 2026-11-20"]),
        ("2026-11-19", "incremental", [f"needed by {by_day['2026-11-20']} (incremental)"]),
        ("2026-11-18", "incremental", [f"needed by {by_day['2026-11-19']} (incremental)"]),
        ("2026-11-17", "incremental", [f"needed by {by_day['2026-11-18']} (incremental)"]),
        ("2026-11-16", "incremental", [f"needed by {by_day['2026-11-17']} (incremental)"]),
        ("2026-11-15", "full", [f"needed by {by_day['2026-11-16']} (incremental)"]),
    ]
    # The two older weeks go entirely: nothing kept needs them.
    assert sum(1 for d in decisions if not d.keep) == 14


def test_a_differential_keeps_its_full_even_in_another_group_and_rules_take_precedence() -> None:
    full = backup(datetime(2026, 10, 1, 3, tzinfo=UTC))
    other = backup(datetime(2026, 10, 2, 3, tzinfo=UTC))
    diff = backup(datetime(2026, 11, 3, 3, tzinfo=UTC), databases="shop,crm", kind="differential",
                  parent=str(full["id"]))
    decisions = apply([full, other, diff], Policy(keep_last=1), NOW)
    by_id = {d.id: d for d in decisions}
    assert by_id[str(diff["id"])].reasons == ["last 1"]
    assert by_id[str(other["id"])].reasons == ["last 1"]          # newest of its own group
    assert by_id[str(full["id"])].reasons == [f"needed by {str(diff['id'])[:8]} (differential)"]
    # A parent already gone, and a loop in broken manifests, do not upset anything.
    orphan = backup(NOW - timedelta(hours=2), kind="incremental", parent=_id("gone"))
    a = backup(NOW - timedelta(hours=3), server="x", kind="incremental", parent=_id("b"))
    a["parent"] = str(a["id"])
    decisions = apply([orphan, a], Policy(keep_last=1), NOW)
    assert [d.keep for d in decisions] == [True, True]


def test_empty_policy_and_undated_backups_are_kept() -> None:
    decisions = apply(YEAR[:3], Policy(), NOW)
    assert all(d.keep and d.reasons == ["no policy: everything kept"] for d in decisions)
    undated = {**YEAR[0], "started": "not a date", "finished": ""}
    decisions = apply([undated, *YEAR[-3:]], Policy(keep_last=1), NOW)
    assert [d.reasons for d in decisions if d.keep] == [["no valid date: kept"], ["last 1"]]
    assert Policy().empty and not Policy(keep_within=timedelta(hours=1)).empty
    with pytest.raises(ValueError):
        Policy(keep_daily=-1)


def test_backup_from_a_real_manifest_shape() -> None:
    b = Backup.from_manifest(backup(NOW, kind="differential", parent=_id("p")))
    assert b.type == "differential" and b.parent == _id("p") and b.time == NOW
    assert b.server == "mysql://root@db1:3306" and b.databases == ("shop",)


@pytest.mark.parametrize(("text", "delta"), [
    ("7d", timedelta(days=7)), ("36h", timedelta(hours=36)), ("4w", timedelta(weeks=4)),
    ("1w3d12h", timedelta(days=10, hours=12)), (" 2D ", timedelta(days=2))])
def test_durations(text: str, delta: timedelta) -> None:
    assert parse_duration(text) == delta
    assert parse_duration(format_duration(delta)) == delta


@pytest.mark.parametrize("text", ["", "7", "d", "7x", "-1d", "1.5d", "7d3"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration(text)
