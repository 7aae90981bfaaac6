"""Jobs off the GUI thread: any engine call, with progress, cancel and a one-line outcome.

A `JobWorker` runs `work(progress, cancel)` in its own `QThread` and only emits signals; it never
touches a widget.  The engine calls the progress callback from its pool threads; emitting a
signal from there is safe, and Qt queues the call to slots living in the GUI thread.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal, Slot

from app.core.errors import Cancelled, CustodeError
from app.core.jobs import CancelToken, Progress, ProgressCallback, human_size
from app.gui.i18n import QT_TR_NOOP, tr, tr_value

Work = Callable[[ProgressCallback, CancelToken], Any]

# Job kinds and statuses as the catalog stores them (and engine phases), as the user reads them.
KIND_TEXT = {"backup": QT_TR_NOOP("backup"), "restore": QT_TR_NOOP("restore"),
             "verify": QT_TR_NOOP("verify"), "test-restore": QT_TR_NOOP("test-restore"),
             "export": QT_TR_NOOP("export")}
STATUS_TEXT = {"running": QT_TR_NOOP("running"), "ok": QT_TR_NOOP("ok"), "failed": QT_TR_NOOP("failed"),
               "cancelled": QT_TR_NOOP("cancelled"), "damaged": QT_TR_NOOP("damaged")}


def kind_text(kind: str) -> str:
    """A job kind (or progress phase) in words: `restore` -> `restore` / `ripristino`."""
    return tr_value(KIND_TEXT, kind)


def status_text(status: str) -> str:
    """A job status in words: `failed` -> `failed` / `fallito`."""
    return tr_value(STATUS_TEXT, status)


class JobWorker(QObject):
    """Emits `progress` while running, then exactly one of `finished`, `failed`, `cancelled`."""

    progress = Signal(object)   # Progress
    finished = Signal(object)   # whatever `work` returned
    failed = Signal(str)        # a one-line message
    cancelled = Signal()

    def __init__(self, work: Work, token: CancelToken | None = None) -> None:
        super().__init__()
        self.work = work
        self.token = token or CancelToken()

    @Slot()
    def run(self) -> None:
        try:
            result = self.work(self._report, self.token)
        except Cancelled:
            self.cancelled.emit()
        except CustodeError as exc:
            if self.token.cancelled:
                self.cancelled.emit()
            else:
                self.failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - a bug: one line for the user, trace on stderr
            traceback.print_exc()
            self.failed.emit(tr("internal error: {error} (please report it)")
                             .format(error=f"{type(exc).__name__}: {exc}"))
        else:
            self.finished.emit(result)

    def _report(self, snapshot: Progress) -> None:
        self.progress.emit(snapshot)

    def release(self) -> None:
        """Drop the work (the closure or bound method that holds its page, window or the worker
        itself): called in the GUI thread once the job has ended, so that no reference cycle
        keeps the worker for the garbage collector."""
        self.work = _ended


def run_in_thread(worker: JobWorker, parent: QObject) -> QThread:
    """Run `worker` in a new thread; the worker is released (in the GUI thread) once it is done.

    Connect the worker's signals before calling this.  The application owns the thread and keeps
    it (and the worker) until it has finished, whatever becomes of `parent`.
    """
    # The application owns the thread, not `parent`: a window or wizard closed while its job still
    # runs must not destroy a running QThread (Qt aborts the program).  It is waited for at exit.
    app = QCoreApplication.instance()
    if app is not None and not _EXIT_HOOKED:
        app.aboutToQuit.connect(_wait_for_runners)
        _EXIT_HOOKED.append(True)
    thread = _Runner(worker, app if app is not None else parent)
    # Started once the GUI thread is back in its event loop, so that the caller's connections to
    # `finished` (made after this returns) cannot miss a job that ends at once.
    QTimer.singleShot(0, thread.begin)
    return thread


class _Runner(QThread):
    """A thread that runs one worker.  The worker itself never changes thread: it is created,
    connected and destroyed in the GUI thread, and only its `run` executes here, emitting signals
    that Qt queues to the GUI thread.  (Moving a Python QObject into a worker thread meant that it
    was destroyed or moved back there, and PySide then waited for the GIL while Qt held its
    connection lock: a deadlock with a GUI thread connecting a signal or destroying a widget, or a
    crash when the garbage collector freed it later.)"""

    def __init__(self, worker: JobWorker, parent: QObject) -> None:
        super().__init__(parent)
        self.worker: JobWorker | None = worker
        self._pending = True
        _RUNNERS.add(self)
        self.finished.connect(self._release)      # queued: runs in the GUI thread

    def begin(self) -> None:
        """Start the thread (once)."""
        if self._pending:
            self._pending = False
            self.start()

    def isRunning(self) -> bool:
        return self._pending or super().isRunning()

    def wait(self, *args: Any) -> bool:
        """Wait for the end of the job, starting it first if it has not started yet."""
        self.begin()
        return bool(super().wait(*args))

    def run(self) -> None:
        worker = self.worker
        if worker is not None:
            worker.run()

    @Slot()
    def _release(self) -> None:
        """In the GUI thread, once `run` has returned: break the worker's reference cycles.

        A worker is a QObject of the GUI thread owned by Python.  Left in a cycle (a work that is
        the worker's own bound method, as the dashboard's probe had; a page holding its worker
        whose work closure holds the page or the window) it was destroyed by the cyclic garbage
        collector, which runs in whichever thread allocates: often another job's thread, which
        then ran the destructor of a GUI-thread QObject while the GUI thread ran Qt (the
        segmentation fault under load).  Without its work, the worker is freed by reference
        counting, here, when its last owner lets it go."""
        if self.worker is not None:
            self.worker.release()
        self.worker = None
        _RUNNERS.discard(self)


def _ended(_progress: ProgressCallback, _cancel: CancelToken) -> None:
    raise RuntimeError("this job has already run")


def describe_progress(p: Progress) -> str:
    """'412 MiB of 930 MiB · 48 MiB/s · about 11 s left · shop.orders' from the engine's counters."""
    done = human_size(p.done_bytes)
    parts = [tr("{done} of {total}").format(done=done, total=human_size(p.total_bytes))
             if p.total_bytes else done]
    if p.elapsed >= 0.5 and p.rate > 0:
        parts.append(f"{human_size(p.rate)}/s")
    eta = p.eta
    if eta is not None:
        parts.append(tr("about {time} left").format(time=format_seconds(eta)))
    if p.current:
        parts.append(p.current)
    return " · ".join(parts)


def sentence(error: object) -> str:
    """An engine message (`wrong passphrase for ...`) as a sentence for a dialog or a label."""
    text = str(error).strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def format_seconds(value: float) -> str:
    if value < 10:
        return f"{value:.1f} s"
    seconds = round(value)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


_RUNNERS: set[_Runner] = set()   # threads still running their worker (they need a reference)
_EXIT_HOOKED: list[bool] = []


def _wait_for_runners() -> None:
    for runner in list(_RUNNERS):
        runner.wait()

