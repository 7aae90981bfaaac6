"""The retention preview: which backups a plan's keep rules keep, and which the next run removes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from app.core.retention import Backup, Policy
from app.gui.retention_preview import RetentionPreview, next_removed, policy_of, simulated_backups
from tests.gui.test_settings import open_dialog, profile  # noqa: F401 - the fixture

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def test_seven_daily_four_weekly_twelve_monthly_over_simulated_days(qtbot: QtBot) -> None:
    preview = RetentionPreview()
    qtbot.addWidget(preview)
    preview.show_policy(Policy(keep_daily=7, keep_weekly=4, keep_monthly=12), None, NOW)
    kept = sorted(d.backup.time.date().isoformat() for d in preview.decisions if d.keep)  # type: ignore[union-attr]
    # 7 days, the Sundays of ISO weeks 47 and 46 (weeks 48 and 49 are in the 7 days), then the
    # last day of each month back to January (November and December are in the 7 days).
    assert kept == ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31",
                    "2026-06-30", "2026-07-31", "2026-08-31", "2026-09-30", "2026-10-31",
                    "2026-11-15", "2026-11-22", "2026-11-26", "2026-11-27", "2026-11-28",
                    "2026-11-29", "2026-11-30", "2026-12-01", "2026-12-02"]
    text = preview.summary.text()
    assert "simulated one backup a day" in text and "Keeps 19 of 455 backups." in text
    # Tomorrow's backup pushes 26 November out of the seven days; no other rule holds it.
    assert "The next run removes the backup of 2026-11-26 (kept now by: daily 2026-11-26)" in text
    kept_look = preview.calendar.dateTextFormat(QDate(2026, 11, 15))
    gone_look = preview.calendar.dateTextFormat(QDate(2026, 11, 16))
    assert kept_look.foreground().color().name() == "#28a745" and not kept_look.fontStrikeOut()
    assert gone_look.foreground().color().name() == "#dc3545" and gone_look.fontStrikeOut()


def test_real_backups_and_keep_last(qtbot: QtBot) -> None:
    backups = [Backup(id=f"b{i}", time=NOW - timedelta(hours=6 * i), group="g") for i in range(5)]
    preview = RetentionPreview()
    qtbot.addWidget(preview)
    preview.show_policy(Policy(keep_last=2), backups, NOW)
    assert [d.id for d in preview.decisions if d.keep] == ["b0", "b1"]
    assert preview.summary.text().startswith("Keeps 2 of 5 backups.")
    assert next_removed(backups, Policy(keep_last=2), NOW).id == "b1"   # type: ignore[union-attr]
    assert next_removed(backups, Policy(keep_within=timedelta(days=30)), NOW) is None


def test_plan_fields_become_a_policy() -> None:
    assert policy_of({"keep_last": 3, "keep_daily": "7", "keep_within": "1y6m"}) == Policy(
        keep_last=3, keep_daily=7, keep_within=timedelta(days=365 + 180))
    assert policy_of({"keep_within": ""}).keep_within is None
    assert len(simulated_backups(NOW, days=10)) == 10


def test_the_plan_page_previews_what_its_rules_keep(qtbot: QtBot, profile) -> None:  # noqa: F811
    dialog = open_dialog(qtbot, profile, "Plans")
    page = dialog.plans
    page.now = lambda: NOW
    page.form.set_values({"keep_daily": 7, "keep_weekly": 4, "keep_monthly": 12, "keep_last": 0,
                          "keep_within": "", "keep_yearly": 0})
    page.update_preview()
    assert "Keeps 19 of 455 backups." in page.preview.summary.text()
    page.form.set_values({"keep_daily": 3})      # an edit updates the preview at once
    assert "Keeps 16 of 455 backups." in page.preview.summary.text()
