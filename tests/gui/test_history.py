"""History: the catalog's jobs, filtered by date range, kind, status, server and text; CSV export."""

from __future__ import annotations

import csv
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.core.catalog import Catalog
from app.gui.history import HistoryPage


def _iso(days_ago: float) -> str:
    return (datetime.now(UTC) - timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _catalog(tmp_path: Path) -> Catalog:
    catalog = Catalog(tmp_path / "catalog.sqlite")
    servers = ["mysql://root@shop:3306", "mysql://backup@crm:3306"]
    for i in range(2000):   # one job every ~1.5 hours over four months
        status = "failed" if i % 50 == 0 else "ok"
        catalog.add(kind="verify" if i % 10 == 0 else "backup", status=status,
                    server=servers[i % 2], started=_iso(i / 16), finished=_iso(i / 16),
                    seconds=12.5, bytes=1_000_000 + i, rows=1000 + i, backup_id=f"{i:064x}",
                    message="cannot connect to shop: timeout" if status == "failed" else "")
    return catalog


def test_filters_narrow_the_history(qtbot: QtBot, tmp_path: Path) -> None:
    catalog = _catalog(tmp_path)
    page = HistoryPage(catalog)
    qtbot.addWidget(page)
    assert page.range_box.currentText() == "Last 30 days"
    in_30_days = page.model.rowCount()
    assert 470 <= in_30_days <= 482   # 16 a day over 30 days
    page.range_box.setCurrentIndex(page.range_box.findData(0))    # all time
    assert page.model.rowCount() == 2000
    page.kind_box.setCurrentIndex(page.kind_box.findData("verify"))
    assert page.model.rowCount() == 200
    page.kind_box.setCurrentIndex(0)
    page.status_box.setCurrentIndex(page.status_box.findData("failed"))
    assert page.model.rowCount() == 40
    assert "40 failed" in page.summary.text()
    page.server_box.setCurrentIndex(page.server_box.findData("mysql://root@shop:3306"))
    assert page.model.rowCount() == 40   # every failure was on shop (even i)
    page.server_box.setCurrentIndex(page.server_box.findData("mysql://backup@crm:3306"))
    assert page.model.rowCount() == 0
    page.server_box.setCurrentIndex(0)
    page.status_box.setCurrentIndex(0)
    page.text_edit.setText("timeout")
    assert page.model.rowCount() == 40


def test_selecting_a_job_shows_its_details_and_error(qtbot: QtBot, tmp_path: Path) -> None:
    catalog = Catalog(tmp_path / "c.sqlite")
    with catalog.job("backup", server="mysql://root@a") as run:
        run.log("dumped 3 tables")
        run.set(bytes=2048, rows=5, backup_id="f" * 64)
    job_id = catalog.add(kind="restore", status="failed", server="mysql://root@a",
                         message="restore failed while loading data, target unchanged: disk full")
    page = HistoryPage(catalog)
    qtbot.addWidget(page)
    page.table.selectRow(0)
    assert page.model.jobs[0]["id"] == job_id
    assert "disk full" in page.details.toPlainText() and "Restore · failed" in page.details.toPlainText()
    page.table.selectRow(1)
    text = page.details.toPlainText()
    assert "dumped 3 tables" in text and "f" * 64 in text and "5 rows" in text


def test_csv_export_writes_what_is_shown(qtbot: QtBot, tmp_path: Path) -> None:
    catalog = _catalog(tmp_path)
    page = HistoryPage(catalog)
    qtbot.addWidget(page)
    page.status_box.setCurrentIndex(page.status_box.findData("failed"))
    target = tmp_path / "history.csv"
    with qtbot.waitSignal(page.exported) as exported:
        page.export_csv(target)
    assert exported.args == [str(target)]
    with target.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == page.model.rowCount() > 0
    assert {r["status"] for r in rows} == {"failed"}
    assert rows[0]["message"] == "cannot connect to shop: timeout"


def test_ten_thousand_jobs_load_fast(qtbot: QtBot, tmp_path: Path) -> None:
    catalog = Catalog(tmp_path / "c.sqlite")
    for i in range(10000):
        catalog.add(kind="backup", status="ok", server="mysql://root@a", started=_iso(i / 500))
    started = time.perf_counter()
    page = HistoryPage(catalog)
    qtbot.addWidget(page)
    page.range_box.setCurrentIndex(page.range_box.findData(0))
    page.show()
    qtbot.waitExposed(page)
    assert page.model.rowCount() == 10000
    assert time.perf_counter() - started < 1.5
