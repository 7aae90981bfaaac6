"""Plans: cron schedules checked, timed and said in words; plans kept in the profile."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.core.errors import ConfigError
from app.core.plans import (
    Plan,
    cron_problem,
    describe,
    format_run,
    from_now,
    next_runs,
    validate_plan,
)
from app.core.profile import Profile, RepositoryEntry, ServerEntry


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(("expression", "says"), [
    ("* * *", "Use five fields"),
    ("0 0 * * * 0", "Use five fields"),
    ("61 * * * *", "The minute field '61' is not valid: use 0-59"),
    ("0 24 * * *", "The hour field '24' is not valid: use 0-23"),
    ("0 0 0 * *", "The day of month field '0' is not valid"),
    ("0 0 * 13 *", "The month field '13' is not valid"),
    ("0 0 * * mon-xyz", "The weekday field 'mon-xyz' is not valid"),
    ("*/0 * * * *", "The minute field '*/0' is not valid"),
    ("0 0 30 2 *", "This schedule never runs"),
])
def test_a_bad_expression_is_told_what_is_wrong(expression: str, says: str) -> None:
    problem = cron_problem(expression)
    assert problem is not None and problem.startswith(says), problem
    with pytest.raises(ConfigError, match="schedule"):
        next_runs(expression, utc(2026, 1, 1))


def test_good_expressions_pass() -> None:
    for expression in ("30 2 * * *", "0 * * * *", "15 3 * * tue", "0 4 L * *", "*/15 9-17 * * 1-5"):
        assert cron_problem(expression) is None, expression


def test_next_runs_follow_the_calendar_from_an_injected_moment() -> None:
    # Strictly after "now": a run due at this very minute is not repeated.
    assert next_runs("30 2 * * *", utc(2026, 1, 30, 2, 30), 3) == [
        utc(2026, 1, 31, 2, 30), utc(2026, 2, 1, 2, 30), utc(2026, 2, 2, 2, 30)]
    # Day 31 skips the shorter months; L is the last day, leap years included.
    assert [r.month for r in next_runs("0 3 31 * *", utc(2026, 1, 31, 12))] == [3, 5, 7, 8, 10]
    assert [r.date().isoformat() for r in next_runs("0 3 L * *", utc(2028, 1, 31, 12), 3)] == [
        "2028-02-29", "2028-03-31", "2028-04-30"]
    # Across the year end, and in UTC there is no DST shift in late March.
    weekly = next_runs("15 1 * * sun", utc(2026, 12, 30), 2)
    assert weekly == [utc(2027, 1, 3, 1, 15), utc(2027, 1, 10, 1, 15)]
    hourly = next_runs("0 * * * *", utc(2026, 3, 29, 0, 30), 3)
    assert [r.hour for r in hourly] == [1, 2, 3] and all(r.tzinfo is UTC for r in hourly)


def test_schedules_in_words_in_english_and_italian() -> None:
    assert describe("30 2 * * *") == "At 02:30, every day"
    assert describe("30 2 * * *", "it") == "Alle 02:30, ogni giorno"
    assert describe("15 3 * * 2") == "At 03:15, only on Tuesday"
    assert describe("15 3 * * 2", "it") == "Alle 03:15, solo il martedì"
    assert describe("0 4 1 * *", "it") == "Alle 04:00, il giorno 1 del mese"
    assert describe("0 0 29 2 *", "it").endswith("solo in febbraio")
    assert describe("0 * * * *") == "Every hour"
    assert format_run(utc(2026, 11, 24, 2, 30)) == "Tue 24 Nov 2026 02:30"
    assert format_run(utc(2026, 11, 24, 2, 30), "it") == "mar 24 nov 2026 02:30"
    assert from_now(utc(2026, 1, 2, 3, 10), utc(2026, 1, 1, 12)) == "in 15 hours"
    assert from_now(utc(2026, 1, 3, 12), utc(2026, 1, 1, 12), "it") == "tra 2 giorni"


def _profile(tmp_path: Path) -> Profile:
    profile = Profile.load()
    profile.put_server(ServerEntry(name="shop", host="db.example.com"), password="pw-shop")
    profile.put_repository(RepositoryEntry("local", str(tmp_path / "r1")))
    profile.put_repository(RepositoryEntry("nas", str(tmp_path / "r2")))
    return profile


def test_plans_round_trip_through_the_profile(tmp_path: Path) -> None:
    profile = _profile(tmp_path)
    plan = Plan("nightly", "shop", ["local", "nas"], schedule="0 3 * * *", databases=["shop"],
                backup_type="incremental", keep_within="7d", keep_yearly=2, verify=False)
    profile.put_plan(plan)
    profile.save()
    again = Profile.load()
    assert again.plans == [plan] and again.plan("nightly") is not None
    assert again.plan("nightly").primary == "local"  # type: ignore[union-attr]


def test_a_profile_written_before_plans_existed_still_loads(tmp_path: Path) -> None:
    path = Profile.default_path()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"version": 1, "servers": [{"name": "old", "user": "root"}],
                                "repositories": [{"name": "local", "location": "/r"}],
                                "settings": {"language": "it"}}))
    profile = Profile.load()
    assert profile.plans == [] and profile.server("old") is not None
    profile.save()
    assert json.loads(path.read_text())["plans"] == []


def test_what_a_plan_uses_cannot_be_removed_and_renames_follow(tmp_path: Path) -> None:
    profile = _profile(tmp_path)
    profile.put_plan(Plan("nightly", "shop", ["local", "nas"]))
    with pytest.raises(ConfigError, match="the server 'shop' is used by the plan 'nightly'; "
                                          "change or remove the plan first"):
        profile.remove_server("shop")
    with pytest.raises(ConfigError, match="the repository 'nas' is used by the plan 'nightly'"):
        profile.remove_repository("nas")
    assert profile.server("shop") is not None and profile.repository("nas") is not None
    assert profile.server("shop").password() == "pw-shop"  # type: ignore[union-attr]

    profile.rename_server("shop", "shop-db")
    profile.rename_repository("nas", "offsite")
    assert profile.plans[0].server == "shop-db" and profile.plans[0].repositories == ["local", "offsite"]
    with pytest.raises(ConfigError, match="another repository is already named 'local'"):
        profile.rename_repository("offsite", "local")
    profile.remove_plan("nightly")
    profile.remove_server("shop-db")
    profile.remove_repository("offsite")
    assert profile.servers == [] and [r.name for r in profile.repositories] == ["local"]


def test_a_plan_is_checked_against_the_profile(tmp_path: Path) -> None:
    profile = _profile(tmp_path)
    values = Plan("p", "gone", ["local"], schedule="0 25 * * *", keep_daily=0, keep_weekly=0,
                  keep_monthly=0).values()
    problems = validate_plan(values, ["shop"], ["local"], other_plans=["p"])
    assert problems == {
        "name": "Another plan has this name; choose another.",
        "server": "Unknown server 'gone': add it on the Servers page first.",
        "schedule": "The hour field '25' is not valid: use 0-23, a range a-b, a list a,b or a step */n.",
        "keep_last": "Keeps nothing: set at least one keep rule.",
    }
    assert validate_plan({**values, "repositories": []}, ["shop"], ["local"])["repositories"] == \
        "Repositories is required."
    with pytest.raises(ConfigError, match="plan 'p', server: Unknown server 'gone'"):
        profile.put_plan(Plan.from_values(values))
    assert profile.plans == []
