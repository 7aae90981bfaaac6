"""A cron schedule editor: presets for the usual cases, the expression itself, and what it means.

The expression is the single source of truth: a preset writes it, typing it selects the preset
it matches (or Custom), and every change shows at once what is wrong with it or, when it is
fine, the schedule in words and the next five runs with their dates.  Times are the computer's
local wall clock, as the scheduler reads them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QRadioButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.plans import cron_problem, describe, format_run, from_now, next_runs
from app.core.profile import translated
from app.gui.field_texts import translate
from app.gui.forms import ERROR_STYLE, HELP_STYLE
from app.gui.i18n import QT_TR_NOOP, tr

PRESETS = (("hourly", QT_TR_NOOP("Hourly")), ("daily", QT_TR_NOOP("Daily")),
           ("weekly", QT_TR_NOOP("Weekly")), ("monthly", QT_TR_NOOP("Monthly")),
           ("custom", QT_TR_NOOP("Custom")))
# Cron weekday numbers in the order people read a week.
WEEKDAYS = ((QT_TR_NOOP("on Monday"), 1), (QT_TR_NOOP("on Tuesday"), 2), (QT_TR_NOOP("on Wednesday"), 3),
            (QT_TR_NOOP("on Thursday"), 4), (QT_TR_NOOP("on Friday"), 5), (QT_TR_NOOP("on Saturday"), 6),
            (QT_TR_NOOP("on Sunday"), 0))
RUNS_SHOWN = 5

_NUMBER = r"(\d{1,2})"
_PATTERNS = {   # expression -> preset, with the numbers the preset's controls show
    "hourly": re.compile(rf"{_NUMBER} \* \* \* \*"),
    "daily": re.compile(rf"{_NUMBER} {_NUMBER} \* \* \*"),
    "weekly": re.compile(rf"{_NUMBER} {_NUMBER} \* \* ([0-7])"),
    # Days 1-28 and the last day: a monthly preset must run every month.
    "monthly": re.compile(rf"{_NUMBER} {_NUMBER} ([1-9]|1\d|2[0-8]|L) \* \*"),
}


class CronEditor(QWidget):
    """Edits one cron expression; `changed` fires on every edit.

    Args:
        language: "en" or "it", for the schedule in words and the dates.
        now: the moment the next runs are counted from (tests inject a fixed one).
    """

    changed = Signal()

    def __init__(self, language: str = "en", now: Callable[[], datetime] = datetime.now,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language = language
        self.now = now
        self._problem = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._preset_row())
        layout.addLayout(self._details_row())
        self.expression = QLineEdit()
        self.expression.setObjectName("cron-expression")
        self.expression.setPlaceholderText(tr("minute hour day month weekday, e.g. 30 2 * * *"))
        self.expression.textChanged.connect(self._typed)
        layout.addWidget(self.expression)
        self.meaning = QLabel()
        self.meaning.setObjectName("cron-meaning")
        self.meaning.setWordWrap(True)
        layout.addWidget(self.meaning)
        self.runs = QListWidget()
        self.runs.setObjectName("cron-runs")
        self.runs.setFixedHeight(self.runs.fontMetrics().height() * RUNS_SHOWN
                                 + 2 * self.runs.frameWidth() + 8)
        layout.addWidget(self.runs)
        note = QLabel(tr("Times are this computer's local time."))
        note.setStyleSheet(HELP_STYLE)
        layout.addWidget(note)
        self.set_value("30 2 * * *")

    def _preset_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.group = QButtonGroup(self)
        self.presets: dict[str, QRadioButton] = {}
        for key, label in PRESETS:
            button = self.presets[key] = QRadioButton(tr(label))
            button.setObjectName(f"preset-{key}")
            self.group.addButton(button)
            button.toggled.connect(lambda on, key=key: self._preset_chosen(key) if on else None)
            row.addWidget(button)
        row.addStretch(1)
        return row

    def _details_row(self) -> QGridLayout:
        grid = QGridLayout()
        self.minute = QSpinBox()
        self.minute.setRange(0, 59)
        self.minute.setPrefix(tr("at minute") + " ")
        self.time = QTimeEdit(QTime(2, 30))
        self.time.setDisplayFormat("HH:mm")
        self.weekday = QComboBox()
        for name, number in WEEKDAYS:
            self.weekday.addItem(tr(name), number)
        self.day = QComboBox()
        for day in range(1, 29):
            self.day.addItem(tr("on day {day}").format(day=day), str(day))
        self.day.addItem(tr("on the last day"), "L")
        for column, widget in enumerate((self.weekday, self.day, self.minute, self.time)):
            grid.addWidget(widget, 0, column)
        grid.setColumnStretch(4, 1)
        self.minute.valueChanged.connect(self._detail_changed)
        self.time.timeChanged.connect(self._detail_changed)
        self.weekday.currentIndexChanged.connect(self._detail_changed)
        self.day.currentIndexChanged.connect(self._detail_changed)
        return grid

    # -- the value ---------------------------------------------------------------------------------
    def value(self) -> str:
        return " ".join(self.expression.text().split())

    def set_value(self, value: Any) -> None:
        self.expression.setText(str(value or ""))
        self._typed(self.expression.text())   # also when the text was already this one

    def problem(self) -> str:
        """What is wrong with the expression ('' when nothing)."""
        return self._problem

    def preset(self) -> str:
        return next(key for key, button in self.presets.items() if button.isChecked())

    # -- keeping presets, expression and meaning in step -------------------------------------------
    def _preset_chosen(self, key: str) -> None:
        self._show_details(key)
        if key == "custom":
            self.expression.setFocus()
            return
        self._write_expression()

    def _detail_changed(self) -> None:
        if self.preset() != "custom":
            self._write_expression()

    def _write_expression(self) -> None:
        minute, hour = self.time.time().minute(), self.time.time().hour()
        key = self.preset()
        text = {"hourly": f"{self.minute.value()} * * * *",
                "daily": f"{minute} {hour} * * *",
                "weekly": f"{minute} {hour} * * {self.weekday.currentData()}",
                "monthly": f"{minute} {hour} {self.day.currentData()} * *"}[key]
        blocked = self.expression.blockSignals(True)   # the preset is already right
        self.expression.setText(text)
        self.expression.blockSignals(blocked)
        self._refresh()

    def _typed(self, text: str) -> None:
        """Select the preset the typed expression matches and set its controls to match."""
        text = " ".join(text.split())
        numbers: tuple[str, ...]
        key, numbers = "custom", ()
        for name, pattern in _PATTERNS.items():
            found = pattern.fullmatch(text)
            if found and cron_problem(text) is None:
                key, numbers = name, tuple(found.groups())
                break
        controls = (self.minute, self.time, self.weekday, self.day, *self.presets.values())
        blocked = [widget.blockSignals(True) for widget in controls]
        if key == "hourly":
            self.minute.setValue(int(numbers[0]))
        elif key != "custom":
            self.time.setTime(QTime(int(numbers[1]), int(numbers[0])))
        if key == "weekly":
            self.weekday.setCurrentIndex(self.weekday.findData(int(numbers[2]) % 7))
        if key == "monthly":
            self.day.setCurrentIndex(self.day.findData(numbers[2]))
        self.presets[key].setChecked(True)
        for widget, was in zip(controls, blocked, strict=True):
            widget.blockSignals(was)
        self._show_details(key)
        self._refresh()

    def _show_details(self, key: str) -> None:
        self.minute.setVisible(key == "hourly")
        self.time.setVisible(key in ("daily", "weekly", "monthly"))
        self.weekday.setVisible(key == "weekly")
        self.day.setVisible(key == "monthly")

    def _refresh(self) -> None:
        expression = self.value()
        problem = cron_problem(expression) if expression else tr("A schedule is required.")
        self._problem = translated(problem, translate) if problem else ""
        self.runs.clear()
        if self._problem:
            self.meaning.setStyleSheet(ERROR_STYLE)
            self.meaning.setText(self._problem)
        else:
            self.meaning.setStyleSheet("font-weight: bold;")
            self.meaning.setText(describe(expression, self.language))
            now = self.now()
            for when in next_runs(expression, now, RUNS_SHOWN):
                self.runs.addItem(f"{format_run(when, self.language)}  ·  "
                                  f"{from_now(when, now, self.language)}")
        self.changed.emit()
