"""Jobs off the GUI thread: any engine call, with progress, cancel and a one-line outcome.

A `JobWorker` runs `work(progress, cancel)` in its own `QThread` and only emits signals; it never
touches a widget.  The engine calls the progress callback from its pool threads; emitting a
signal from there is safe, and Qt queues the call to slots living in the GUI thread.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

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
        # Quit from here, not through a queued signal: the GUI thread may be blocked waiting
        # for this thread (closing the window cancels jobs and waits for them).
        thread = QThread.currentThread()
        if thread is not None:
            thread.quit()

    def _report(self, snapshot: Progress) -> None:
        self.progress.emit(snapshot)


def run_in_thread(worker: JobWorker, parent: QObject) -> QThread:
    """Move `worker` to a new thread and start it; the worker is released (in the GUI thread)
    once the thread has finished.

    Connect the worker's signals before calling this; keep a reference to the thread until its
    `finished` signal.
    """
    thread = QThread(parent)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    keeper = _Keeper(worker)
    thread.finished.connect(keeper.release)
    thread.start()
    return thread


class _Keeper(QObject):
    """Holds a worker until its thread has finished, then lets it go in the GUI thread.

    A Python QObject must not be destroyed in its worker thread (nor moved back from there): Qt
    would hold its connection lock while PySide waits for the GIL, and a GUI thread holding the GIL
    and waiting for that lock (connecting a signal, destroying a widget) deadlocks with it.  So
    the last reference to the worker is dropped here, in the GUI thread, once the thread is gone.
    """

    def __init__(self, worker: JobWorker) -> None:
        super().__init__()          # created in the GUI thread, so `release` runs there
        self.worker: JobWorker | None = worker
        _KEEPERS.add(self)

    @Slot()
    def release(self) -> None:
        self.worker = None
        _KEEPERS.discard(self)


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


_KEEPERS: set[_Keeper] = set()   # keepers of running workers (a keeper needs a reference too)

