"""The cron editor: presets write the expression, typing selects the preset, the meaning follows."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QTime
from pytestqt.qtbot import QtBot

from app.gui.cron_editor import CronEditor

NOW = datetime(2026, 11, 23, 12, 0)    # a Monday


def editor(qtbot: QtBot, language: str = "en") -> CronEditor:
    widget = CronEditor(language, now=lambda: NOW)
    qtbot.addWidget(widget)
    return widget


def runs(widget: CronEditor) -> list[str]:
    return [widget.runs.item(i).text() for i in range(widget.runs.count())]


def test_presets_produce_the_expression(qtbot: QtBot) -> None:
    widget = editor(qtbot)
    widget.presets["hourly"].click()
    widget.minute.setValue(15)
    assert widget.value() == "15 * * * *"
    widget.presets["daily"].click()
    widget.time.setTime(QTime(4, 5))
    assert widget.value() == "5 4 * * *"
    widget.presets["weekly"].click()
    widget.weekday.setCurrentIndex(widget.weekday.findText("on Sunday"))
    assert widget.value() == "5 4 * * 0"
    widget.presets["monthly"].click()
    widget.day.setCurrentIndex(widget.day.findData("L"))
    assert widget.value() == "5 4 L * *"
    assert widget.meaning.text() == "At 04:05, on the last day of the month"
    # Only the controls the preset uses are shown.
    assert widget.time.isVisibleTo(widget) and widget.day.isVisibleTo(widget)
    assert not widget.weekday.isVisibleTo(widget) and not widget.minute.isVisibleTo(widget)


def test_typing_selects_the_matching_preset_and_its_controls(qtbot: QtBot) -> None:
    widget = editor(qtbot)
    widget.expression.clear()
    qtbot.keyClicks(widget.expression, "45 6 * * 3")
    assert widget.preset() == "weekly" and widget.weekday.currentText() == "on Wednesday"
    assert widget.time.time() == QTime(6, 45)
    widget.expression.clear()
    qtbot.keyClicks(widget.expression, "*/10 8-18 * * 1-5")
    assert widget.preset() == "custom" and widget.problem() == ""
    assert widget.meaning.text() == "Every 10 minutes, between 08:00 and 18:59, Monday through Friday"


def test_the_next_five_runs_follow_the_expression(qtbot: QtBot) -> None:
    widget = editor(qtbot)
    widget.set_value("30 2 * * *")
    assert widget.meaning.text() == "At 02:30, every day"
    assert runs(widget) == [
        "Tue 24 Nov 2026 02:30  ·  in 15 hours", "Wed 25 Nov 2026 02:30  ·  in 2 days",
        "Thu 26 Nov 2026 02:30  ·  in 3 days", "Fri 27 Nov 2026 02:30  ·  in 4 days",
        "Sat 28 Nov 2026 02:30  ·  in 5 days"]
    with qtbot.waitSignal(widget.changed):
        widget.presets["monthly"].click()
    assert [r.split("  ")[0] for r in runs(widget)] == [
        "Tue 1 Dec 2026 02:30", "Fri 1 Jan 2027 02:30", "Mon 1 Feb 2027 02:30",
        "Mon 1 Mar 2027 02:30", "Thu 1 Apr 2027 02:30"]


def test_a_bad_expression_says_what_is_wrong_and_shows_no_runs(qtbot: QtBot) -> None:
    widget = editor(qtbot)
    widget.expression.clear()
    qtbot.keyClicks(widget.expression, "0 25 * * *")
    assert widget.problem().startswith("The hour field '25' is not valid: use 0-23")
    assert widget.meaning.text() == widget.problem() and widget.runs.count() == 0
    widget.expression.clear()
    assert widget.problem() == "A schedule is required."


def test_italian_words_and_dates(qtbot: QtBot) -> None:
    widget = editor(qtbot, "it")
    widget.set_value("0 3 * * 2")
    assert widget.meaning.text() == "Alle 03:00, solo il martedì"
    assert runs(widget)[0] == "mar 24 nov 2026 03:00  ·  tra 15 ore"
