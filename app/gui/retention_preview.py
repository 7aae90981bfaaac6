"""The retention preview: a calendar of what a plan's policy keeps and removes, and what goes next.

With a repository's real backups it shows those; without any (a new plan) it simulates one backup
a day at the plan's hour over the last 15 months, so the shape of the policy can be seen before
the first run.  Kept days are green, removed days red and struck through; the summary says how
many backups stay, by which rule, and which backup the next run will remove.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtGui import QBrush, QColor, QFont, QTextCharFormat
from PySide6.QtWidgets import QCalendarWidget, QLabel, QVBoxLayout, QWidget

from app.core.retention import Backup, Decision, Policy, apply
from app.gui.i18n import tr

_DURATION = re.compile(r"(\d+)([hdwmy])")
_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1),
          "m": timedelta(days=30), "y": timedelta(days=365)}
KEPT = QColor("#28a745")
REMOVED = QColor("#dc3545")
SIMULATED_DAYS = 455


def policy_of(values: dict[str, Any]) -> Policy:
    """A plan's keep fields (app/core/plans.py) as a retention policy; a month counts 30 days and
    a year 365 for keep-within."""
    within = timedelta(0)
    for number, unit in _DURATION.findall(str(values.get("keep_within") or "").replace(" ", "").lower()):
        within += int(number) * _UNITS[unit]
    counts = {key: max(0, int(values.get(key) or 0)) for key in
              ("keep_last", "keep_daily", "keep_weekly", "keep_monthly", "keep_yearly")}
    return Policy(**counts, keep_within=within or None)


def simulated_backups(now: datetime, days: int = SIMULATED_DAYS, hour: int = 2) -> list[Backup]:
    """One backup a day at `hour` UTC for the last `days` days (the newest today or yesterday)."""
    last = now.astimezone(UTC).replace(hour=hour, minute=0, second=0, microsecond=0)
    if last > now:
        last -= timedelta(days=1)
    return [Backup(id=f"day-{i}", time=last - timedelta(days=i), group="plan") for i in range(days)]


def next_removed(backups: list[Backup], policy: Policy, now: datetime) -> Decision | None:
    """The backup kept today that the next run (a day from now) will remove, if any."""
    today = {d.id: d for d in apply(backups, policy, now) if d.keep}
    newest = max((b.time for b in backups if b.time), default=now)
    group = next((b.group for b in backups if b.time == newest), "plan")
    tomorrow = Backup(id="next-run", time=max(now, newest) + timedelta(days=1), group=group)
    after = apply([*backups, tomorrow], policy, now + timedelta(days=1))
    gone = [d for d in after if not d.keep and d.id in today]
    return today[gone[0].id] if gone else None


class RetentionPreview(QWidget):
    """`show_policy(policy, backups, now)`; backups None means simulated daily backups."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(False)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.calendar)
        layout.addWidget(self.summary)
        self.decisions: list[Decision] = []
        self._marked: list[QDate] = []

    def show_policy(self, policy: Policy, backups: list[Backup] | None, now: datetime) -> None:
        simulated = backups is None
        items = simulated_backups(now) if backups is None else backups
        for old in self._marked:
            self.calendar.setDateTextFormat(old, QTextCharFormat())
        self._marked = []
        self.decisions = apply(items, policy, now)
        by_day: dict[date, bool] = {}
        for decision in self.decisions:
            if decision.backup.time is not None:
                day = decision.backup.time.astimezone(UTC).date()
                by_day[day] = by_day.get(day, False) or decision.keep
        for day, keep in by_day.items():
            look = QTextCharFormat()
            look.setForeground(QBrush(KEPT if keep else REMOVED))
            look.setFontWeight(QFont.Weight.Bold if keep else QFont.Weight.Normal)
            look.setFontStrikeOut(not keep)
            marked = QDate(day.year, day.month, day.day)
            self.calendar.setDateTextFormat(marked, look)
            self._marked.append(marked)
        if by_day:
            newest = max(by_day)
            self.calendar.setSelectedDate(QDate(newest.year, newest.month, newest.day))
        self.summary.setText(self._summary(policy, items, simulated, now))

    def _summary(self, policy: Policy, items: list[Backup], simulated: bool, now: datetime) -> str:
        kept = [d for d in self.decisions if d.keep]
        rules: Counter[str] = Counter()
        for decision in kept:
            for reason in decision.reasons:
                rules[reason.split(" ", 1)[0]] += 1
        parts = [tr("Keeps {kept} of {total} backups.").format(kept=len(kept), total=len(items))]
        if simulated:
            parts.insert(0, tr("No backups yet: simulated one backup a day for 15 months."))
        going = next_removed(items, policy, now)
        if going is not None and going.backup.time is not None:
            parts.append(tr("The next run removes the backup of {date} (kept now by: {reasons}).").format(
                date=going.backup.time.astimezone(UTC).strftime("%Y-%m-%d"),
                reasons=", ".join(going.reasons)))
        else:
            parts.append(tr("The next run removes no backup."))
        return " ".join(parts)
