"""Job threads outlive the widgets that started them: closing a window or a wizard while its job
runs must not destroy a running thread (Qt would abort the whole program)."""

from __future__ import annotations

import gc
import threading
import weakref

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.gui.dashboard import StatusProbe
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


def test_a_finished_job_leaves_nothing_for_the_collector_to_destroy_in_another_thread(
        qtbot: QtBot) -> None:
    """The crash under load: the dashboard's probe passed its own bound method as its work, so
    once its job ended the worker (a QObject of the GUI thread, owned by Python) was reachable only
    from that cycle.  The cyclic collector runs in whichever thread allocates; here it is forced at
    the point that crashed, inside the next job's thread.  The first worker must have been released
    and destroyed by Qt in the GUI thread, not by the collector in the job's thread."""
    gc.collect()
    gui_thread = threading.get_ident()
    freed_in: list[int] = []
    probe = StatusProbe([], [], 1.0)    # checks nothing: a job that ends at once
    watch = weakref.ref(probe, lambda _ref: freed_in.append(threading.get_ident()))
    first = run_in_thread(probe, QWidget())
    with qtbot.waitSignal(first.finished, timeout=10000):
        pass
    del probe, first

    def collect(_progress: object, _cancel: object) -> int:
        return gc.collect()             # in this job's thread, as an allocation there would

    second = JobWorker(collect)  # type: ignore[arg-type]
    with qtbot.waitSignal(second.finished, timeout=10000):
        run_in_thread(second, QWidget())
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qtbot.waitUntil(lambda: watch() is None)
    assert freed_in == [gui_thread]
