"""The jobs panel: one row per running (or just finished) job, with progress, throughput, ETA and
Cancel.  Several jobs may run at once; a finished row stays until dismissed."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QThread, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from app.core.jobs import Progress
from app.gui.forms import ERROR_STYLE, OK_STYLE
from app.gui.i18n import tr
from app.gui.jobs import JobWorker, Work, describe_progress, kind_text, run_in_thread

WARN_STYLE = "color: #b58900;"


class JobRow(QFrame):
    """One job; `ended(outcome)` fires once with "ok", "failed" or "cancelled"."""

    ended = Signal(str)

    def __init__(self, title: str, work: Work, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = title
        self.outcome = ""
        self.result: Any = None
        self.message = ""
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title_label = QLabel("<b>" + html.escape(title) + "</b>")
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setValue(0)
        self.cancel_button = QPushButton(tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button = QPushButton(tr("Dismiss"))
        self.close_button.setVisible(False)
        self.close_button.clicked.connect(self.deleteLater)
        top.addWidget(self.title_label)
        top.addWidget(self.bar, 1)
        top.addWidget(self.cancel_button)
        top.addWidget(self.close_button)
        layout.addLayout(top)
        self.detail = QLabel(tr("Starting…"))
        self.detail.setWordWrap(True)
        layout.addWidget(self.detail)
        self.worker = JobWorker(work)
        self.worker.progress.connect(self._progress)
        self.worker.finished.connect(self._finished)
        self.worker.failed.connect(self._failed)
        self.worker.cancelled.connect(self._cancelled)
        self.job_thread: QThread | None = run_in_thread(self.worker, self)
        self.job_thread.finished.connect(self._thread_finished)

    @property
    def running(self) -> bool:
        return self.job_thread is not None and self.job_thread.isRunning()

    def cancel(self) -> None:
        self.worker.token.cancel()
        self.cancel_button.setEnabled(False)
        self.detail.setText(tr("Cancelling… (nothing is left half-done)"))

    def wait(self) -> None:
        if self.job_thread is not None:
            self.job_thread.wait()

    def _progress(self, progress: Progress) -> None:
        if self.worker.token.cancelled:
            return
        if progress.total_bytes:
            self.bar.setValue(int(progress.fraction * 1000))
        else:
            self.bar.setRange(0, 0)   # busy, no total known
        self.detail.setText(f"{kind_text(progress.phase).capitalize()}: {describe_progress(progress)}")

    def _finished(self, result: Any) -> None:
        self.result = result
        self.bar.setRange(0, 1000)
        self.bar.setValue(1000)
        self._end("ok", getattr(result, "summary", "") or tr("Done."), OK_STYLE)

    def _failed(self, message: str) -> None:
        self._end("failed", message[:1].upper() + message[1:], ERROR_STYLE)

    def _cancelled(self) -> None:
        self._end("cancelled", tr("Cancelled; nothing was left half-done."), WARN_STYLE)

    def _end(self, outcome: str, message: str, style: str) -> None:
        self.outcome, self.message = outcome, message
        self.detail.setText(message)
        self.detail.setStyleSheet(style)
        self.cancel_button.setVisible(False)
        self.close_button.setVisible(True)

    def _thread_finished(self) -> None:
        if self.job_thread is not None:
            self.job_thread.deleteLater()
        self.job_thread = None
        self.ended.emit(self.outcome or "failed")


class IdleRow(QFrame):
    """Stands in for the first job row while none runs, at the same height.

    The window's pages keep their size when a job starts: re-laying out the dashboard's charts
    costs tens of milliseconds of GUI thread, which the user would feel as a stutter.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title_label = QLabel(tr("No job running"))
        self.title_label.setEnabled(False)
        top.addWidget(self.title_label)
        for widget in (QProgressBar(), QPushButton(tr("Cancel"))):
            policy = widget.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            widget.setSizePolicy(policy)
            widget.setVisible(False)
            top.addWidget(widget, 1 if isinstance(widget, QProgressBar) else 0)
        layout.addLayout(top)
        self.detail = QLabel(tr("Back up now (Ctrl+B), verify or restore: jobs show their progress here."))
        self.detail.setEnabled(False)
        layout.addWidget(self.detail)


class JobsPanel(QWidget):
    """Holds the job rows; an idle line of the same height while there are none."""

    job_ended = Signal(object)   # the JobRow

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.rows: list[JobRow] = []
        self.idle = IdleRow(self)
        self.layout_.addWidget(self.idle)

    def start(self, title: str, work: Work,
              on_end: Callable[[JobRow], None] | None = None) -> JobRow:
        row = JobRow(title, work, self)
        self.rows.append(row)
        self.layout_.addWidget(row)
        row.destroyed.connect(lambda *_: self._forget(row))
        row.ended.connect(lambda _outcome: self._ended(row, on_end))
        self.idle.setVisible(False)
        return row

    def _ended(self, row: JobRow, on_end: Callable[[JobRow], None] | None) -> None:
        if on_end is not None:
            on_end(row)
        self.job_ended.emit(row)

    def _forget(self, row: JobRow) -> None:
        if not shiboken6.isValid(self):   # the panel went first (the window is closing)
            return
        if row in self.rows:
            self.rows.remove(row)
        self.idle.setVisible(not self.rows)

    def running(self) -> list[JobRow]:
        return [r for r in self.rows if r.running]

    def cancel_all(self) -> None:
        for row in self.running():
            row.cancel()
        for row in list(self.rows):
            row.wait()
