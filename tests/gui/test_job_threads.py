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

from app.gui.collector import GuiCollector
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


class _Cycle:
    """Cyclic garbage that says in which thread it was freed."""

    def __init__(self, freed_in: list[str]) -> None:
        self.me = self
        self.freed_in = freed_in

    def __del__(self) -> None:
        self.freed_in.append(threading.current_thread().name)


def test_cyclic_garbage_is_only_ever_freed_by_the_gui_thread(qtbot: QtBot,
                                                             collector: GuiCollector) -> None:
    """With the application's collector, a job's thread can allocate as much as it likes: the
    collection (and every destructor of cyclic garbage, a Qt wrapper's included) stays in the GUI
    thread, between two events."""
    freed_in: list[str] = []
    collections: list[str] = []

    def watch(phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(threading.current_thread().name)

    gc.callbacks.append(watch)
    try:
        def allocate(_progress: object, _cancel: object) -> int:
            for _ in range(50 * gc.get_threshold()[0]):
                _Cycle(freed_in)        # garbage at once, and far past every threshold
            return len(freed_in)

        worker = JobWorker(allocate)  # type: ignore[arg-type]
        with qtbot.waitSignal(worker.finished, timeout=30000) as done:
            run_in_thread(worker, QWidget())
        qtbot.waitUntil(lambda: len(freed_in) >= 50 * gc.get_threshold()[0], timeout=10000)
    finally:
        gc.callbacks.remove(watch)
    assert done.args == [0]             # nothing was collected while the job's thread ran
    assert collections and set(collections) == {threading.main_thread().name}
    assert set(freed_in) == {threading.main_thread().name}
