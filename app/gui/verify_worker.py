"""Verification off the GUI thread.

`VerifyWorker` lives in its own `QThread` and only emits signals; it never touches a widget.  The
engine calls the progress callback from its own pool threads, which is fine: emitting a signal is
thread-safe, and Qt queues the call to slots of objects living in the GUI thread.
"""

from __future__ import annotations

import traceback

from PySide6.QtCore import QObject, QThread, Signal, Slot

from app.core import verify
from app.core.errors import CustodeError
from app.core.jobs import CancelToken, Progress
from app.core.repository import Repository


class VerifyWorker(QObject):
    """Runs `verify_backups` once; emits `progress`, then `finished` or `failed` (never both)."""

    progress = Signal(object)   # Progress
    finished = Signal(object)   # VerifyReport
    failed = Signal(str)        # a one-line message

    def __init__(self, repo: Repository, backup_ids: list[str], token: CancelToken) -> None:
        super().__init__()
        self.repo = repo
        self.backup_ids = backup_ids
        self.token = token

    @Slot()
    def run(self) -> None:
        """Verify the backups; called in the worker thread when it starts."""
        try:
            report = verify.verify_backups(self.repo, self.backup_ids, progress=self._report,
                                           cancel=self.token)
        except CustodeError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - a bug: one line for the user, trace on stderr
            traceback.print_exc()
            self.failed.emit(f"internal error: {type(exc).__name__}: {exc} (please report it)")
        else:
            self.finished.emit(report)

    def _report(self, snapshot: Progress) -> None:
        self.progress.emit(snapshot)


def start_in_thread(worker: VerifyWorker, parent: QObject) -> QThread:
    """Move `worker` to a new thread, start it, and have both cleaned up when it is done.

    The caller connects its own slots to the worker's signals before calling this, and keeps
    references to both objects until the thread's `finished` signal.
    """
    thread = QThread(parent)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    worker.finished.connect(thread.quit)
    worker.failed.connect(thread.quit)
    thread.finished.connect(worker.deleteLater)
    thread.start()
    return thread
