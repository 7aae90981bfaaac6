"""The catalog's dashboard queries: chart series, per-server summaries, space per repository."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.core.catalog import MIGRATIONS, Catalog, RepositoryUsage, SeriesPoint, to_iso

NOW = datetime.now(UTC).replace(microsecond=0)


def _at(days_ago: float) -> str:
    return to_iso(NOW - timedelta(days=days_ago))


def test_series_holds_good_jobs_of_a_kind_since_a_date_oldest_first(tmp_path: Path) -> None:
    catalog = Catalog(tmp_path / "c.sqlite")
    shop, crm = "mysql://root@shop:3306", "mysql://root@crm:3306"
    for days in (40, 20, 5, 1):
        catalog.add(kind="backup", status="ok", server=shop, started=_at(days), finished=_at(days),
                    seconds=days * 1.5, bytes=days * 1000, stored_bytes=days * 100)
    catalog.add(kind="backup", status="failed", server=shop, started=_at(2), finished=_at(2))
    catalog.add(kind="verify", status="ok", server=shop, started=_at(3), finished=_at(3))
    catalog.add(kind="backup", status="ok", server=crm, started=_at(3), finished=_at(3), seconds=None)

    month = catalog.series(shop, "backup", NOW - timedelta(days=30))
    assert month == [
        SeriesPoint(NOW - timedelta(days=20), 20000, 2000, 30.0),
        SeriesPoint(NOW - timedelta(days=5), 5000, 500, 7.5),
        SeriesPoint(NOW - timedelta(days=1), 1000, 100, 1.5),
    ]
    assert [p.finished for p in catalog.series(shop, "backup", NOW - timedelta(days=7))] == [
        NOW - timedelta(days=5), NOW - timedelta(days=1)]
    everyone = catalog.series(None, "backup", NOW - timedelta(days=7))
    assert [p.bytes for p in everyone] == [5000, 0, 1000]     # crm's backup 3 days ago is in it
    assert everyone[1].seconds == 0.0                          # an unknown duration is 0, not None
    assert [p.finished for p in catalog.series(shop, "verify", NOW - timedelta(days=7))] == [
        NOW - timedelta(days=3)]


def test_summaries_and_usage_per_server_and_repository(tmp_path: Path) -> None:
    catalog = Catalog(tmp_path / "c.sqlite")
    shop = "mysql://root@shop:3306"
    catalog.add(kind="backup", status="ok", server=shop, repository="/r1", started=_at(3),
                finished=_at(3), stored_bytes=700)
    catalog.add(kind="backup", status="ok", server=shop, repository="/r1", started=_at(1),
                finished=_at(1), stored_bytes=300)
    catalog.add(kind="backup", status="ok", server=shop, repository="/r2", started=_at(2),
                finished=_at(2), stored_bytes=50)
    catalog.add(kind="backup", status="failed", server=shop, repository="/r1", started=_at(0.5),
                message="cannot connect to shop: timeout")
    catalog.add(kind="backup", status="failed", server=shop, repository="/r1", started=_at(5),
                message="an older failure")
    catalog.add(kind="backup", status="damaged", server="mysql://root@crm:3306", started=_at(1),
                message="crm broke")

    summaries = catalog.summaries()
    assert set(summaries) == {shop, "mysql://root@crm:3306"}
    assert summaries[shop].last_good == NOW - timedelta(days=1)
    assert summaries[shop].good_count == 3
    assert summaries[shop].last_failure == NOW - timedelta(hours=12)
    assert summaries[shop].failure_message == "cannot connect to shop: timeout"
    crm = summaries["mysql://root@crm:3306"]
    assert crm.last_good is None and crm.good_count == 0 and crm.failure_message == "crm broke"
    assert catalog.repository_usage() == [RepositoryUsage(shop, "/r1", 1000, 2),
                                          RepositoryUsage(shop, "/r2", 50, 1)]


def test_a_catalog_of_schema_1_is_migrated_and_keeps_its_jobs(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0])
    db.execute("PRAGMA user_version = 1")
    db.execute("INSERT INTO jobs (kind, status, server, started, finished) "
               "VALUES ('backup', 'ok', 'mysql://root@a:3306', ?, ?)", (_at(1), _at(1)))
    db.commit()
    db.close()
    catalog = Catalog(path)
    assert catalog.schema_version == len(MIGRATIONS) >= 2
    assert catalog.summaries()["mysql://root@a:3306"].good_count == 1
    plan = " ".join(str(row) for row in catalog._db.execute(
        "EXPLAIN QUERY PLAN SELECT finished FROM jobs WHERE kind = 'backup' AND status = 'ok' "
        "AND finished >= '2024' ORDER BY finished"))
    assert "jobs_good_by_time" in plan    # the chart query reads the index, not the table
