"""Job threads outlive the widgets that started them: closing a window or a wizard while its job
runs must not destroy a running thread (Qt would abort the whole program)."""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.gui.jobs import JobWorker, run_in_thread


def test_a_job_survives_the_widget_that_started_it(qtbot: QtBot) -> None:
    release = threading.Event()
    started = threading.Event()

    def work(_progress: object, _cancel: object) -> str:
        started.set()
        release.wait(10)
        return "done"

    owner = QWidget()
    worker = JobWorker(work)   # type: ignore[arg-type]
    results: list[str] = []
    worker.finished.connect(results.append)
    thread = run_in_thread(worker, owner)
    qtbot.waitUntil(started.is_set)
    shiboken6.delete(owner)            # the window goes away while the job still runs
    assert thread.isRunning()
    with qtbot.waitSignal(thread.finished, timeout=10000):
        release.set()
    qtbot.waitUntil(lambda: results == ["done"])
