"""The restore wizard's last two pages: pre-flight checks with confirmation, then the restore.

`CheckPage` plans the restore on the real target in a worker (connection, version, space,
max_allowed_packet, name clashes) and shows every check; nothing changes anywhere yet.  When the
restore would replace something, the user types the target names, as `custode restore` asks.
`RunPage` runs the restore as a job of the window's jobs panel (so closing the window asks first)
and shows live progress, then the report: what was restored, what was replaced and where the
safety copy is.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from app.core import journal
from app.core.demo import DemoServer
from app.core.jobs import CancelToken, Progress, ProgressCallback, human_size
from app.core.locks import repository_lock
from app.core.profile import ServerEntry
from app.core.restore import RestoreOptions, RestorePlan, RestoreReport, plan_restore, run_restore
from app.gui.forms import ERROR_STYLE, OK_STYLE
from app.gui.i18n import tr
from app.gui.jobpanel import JobRow
from app.gui.jobs import JobWorker, describe_progress, format_seconds, kind_text, run_in_thread, sentence

if TYPE_CHECKING:
    from app.gui.restore_wizard import RestoreWizard

OK_MARK, WARN_MARK, FAIL_MARK = "✔", "⚠", "✖"
SHOWN_REPLACED = 30


def _line(mark: str, text: str, colour: str = "") -> str:
    style = f' style="color:{colour}"' if colour else ""
    return f"<p><span{style}>{mark}</span>&nbsp; {html.escape(sentence(text))}</p>"


def ask_password(page: QWizardPage, entry: ServerEntry) -> tuple[bool, str | None]:
    """(go on, password) for `entry`: from the keyring, or typed (not kept)."""
    password = entry.password()
    if password is not None or not entry.has_password or entry.demo:
        return True, password
    text, ok = QInputDialog.getText(page, tr("Server password"),
                                    tr("Password for {server}:").format(server=entry.url),
                                    QLineEdit.EchoMode.Password)
    return ok, text if ok else None


class CheckPage(QWizardPage):
    """Plans the restore on the target and asks for the typed confirmation when needed."""

    checked = Signal(str)   # "ok" or "failed", when a check has ended (for tests)

    def __init__(self, wizard: RestoreWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle(tr("Pre-flight checks"))
        self.setSubTitle(tr("Custode checks the target before anything changes."))
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, tr("&Restore"))
        self.plan: RestorePlan | None = None
        self.password: str | None = None
        self.generation = 0   # which check's answer counts
        layout = QVBoxLayout(self)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        layout.addWidget(self.busy)
        self.report = QTextBrowser()
        self.report.setOpenLinks(False)
        layout.addWidget(self.report, 1)
        self.again = QPushButton(tr("Check &again"))
        self.again.clicked.connect(self._start)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.again)
        layout.addLayout(row)
        self.confirm_label = QLabel()
        self.confirm_label.setWordWrap(True)
        self.confirm = QLineEdit()
        self.confirm.setObjectName("confirm-target")
        self.confirm.textChanged.connect(lambda *_: self.completeChanged.emit())
        layout.addWidget(self.confirm_label)
        layout.addWidget(self.confirm)

    def initializePage(self) -> None:
        self._start()

    def cleanupPage(self) -> None:
        self.generation += 1   # a check still running is ignored when it ends
        self.plan = None

    def _start(self) -> None:
        entry = self.owner.target
        assert entry is not None
        self.plan = None
        self.confirm.clear()
        self.confirm_label.setVisible(False)
        self.confirm.setVisible(False)
        self.again.setEnabled(False)
        self.completeChanged.emit()
        go_on, self.password = ask_password(self, entry)
        if not go_on:
            self._show_failure(tr("no password was given for the target server"))
            return
        self.busy.setVisible(True)
        self.report.setHtml("<p>" + tr("Connecting to {server} and checking…")
                            .format(server=html.escape(entry.name)) + "</p>")
        wizard, options, password = self.owner, self.owner.restore_options(), self.password
        backup_id = str(wizard.manifest["id"])

        def work(_progress: ProgressCallback, _cancel: CancelToken) -> RestorePlan:
            if entry.demo:
                (wizard.ensure_demo or start_demo)(entry)
            return plan_restore(wizard.repo, backup_id, entry.spec(), password, options)

        # A relay living in the GUI thread (not closures, which would run in the worker's thread)
        # that remembers which check it answers for; the worker may be gone when its answer lands.
        self.generation += 1
        reply = _Reply(self, self.generation)
        worker = reply.worker = JobWorker(work)   # a reference keeps the worker alive
        worker.finished.connect(reply.planned)
        worker.failed.connect(reply.failed)
        thread = run_in_thread(worker, wizard)
        wizard.threads.append(thread)
        thread.finished.connect(lambda: wizard.threads.remove(thread))
        thread.finished.connect(thread.deleteLater)
        thread.finished.connect(reply.deleteLater)

    def _show_failure(self, message: str) -> None:
        self.busy.setVisible(False)
        self.again.setEnabled(True)
        self.report.setHtml(_line(FAIL_MARK, message, "#dc3545")
                            + "<p>" + tr("Nothing was changed. Fix this (or go <b>Back</b> and choose "
                                         "another target), then press <b>Check again</b>.") + "</p>")
        self.checked.emit("failed")

    def _show_plan(self, plan: RestorePlan) -> None:
        entry = self.owner.target
        assert entry is not None
        self.plan = plan
        self.busy.setVisible(False)
        self.again.setEnabled(True)
        parts = [_line(OK_MARK, tr("connected to {name} ({url})").format(name=entry.name, url=entry.url),
                       "#28a745")]
        parts += [_line(OK_MARK, check, "#28a745") for check in plan.checks]
        parts += [_line(WARN_MARK, warning, "#b58900") for warning in plan.warnings]
        new = [d.target for d in plan.databases if not d.exists]
        if new:
            parts.append(_line(OK_MARK, tr("created new: {databases}").format(databases=", ".join(new)),
                               "#28a745"))
        parts.append(_line(OK_MARK, tr("to restore: {tables}, {rows}, {size} of SQL").format(
            tables=tr("%n table(s)", "", sum(len(d.tables) for d in plan.databases)),
            rows=tr("%n row(s)", "", plan.rows), size=human_size(plan.bytes)), "#28a745"))
        if plan.users:
            parts.append(_line(OK_MARK, tr("users and grants: %n account(s), created where missing", "",
                                           len(plan.users)), "#28a745"))
        replaced = plan.replaces
        if plan.merges:
            parts.append(_line(WARN_MARK, tr("writes into existing databases the backup did not come "
                                             "from: {databases}").format(
                databases=html.escape(", ".join(plan.merges))), "#b58900"))
        if plan.needs_confirmation:
            self.confirm_label.setText(tr("To go ahead, type {confirmation}:")
                                       .format(confirmation=f"<b>{html.escape(plan.confirmation)}</b>"))
            self.confirm_label.setVisible(True)
            self.confirm.setPlaceholderText(plan.confirmation)
            self.confirm.setVisible(True)
            self.confirm.setFocus()
        if replaced:
            keep = (tr("a safety copy of them is kept on the target") if self.owner.safety_copy
                    else tr("NO safety copy will be kept"))
            listing = "".join(f"<li>{html.escape(r)}</li>" for r in replaced[:SHOWN_REPLACED])
            hidden = len(replaced) - SHOWN_REPLACED
            more = "<li>" + tr("… and %n more", "", hidden) + "</li>" if hidden > 0 else ""
            parts.append(_line(WARN_MARK, tr("%n existing object(s) will be replaced; {safety}", "",
                                             len(replaced)).format(safety=keep),
                               "#b58900") + f"<ul>{listing}{more}</ul>")
        else:
            parts.append(_line(OK_MARK, tr("nothing on the target is replaced"), "#28a745"))
        self.report.setHtml("".join(parts))
        self.completeChanged.emit()
        self.checked.emit("ok")

    def isComplete(self) -> bool:
        plan = self.plan
        if plan is None:
            return False
        return not plan.needs_confirmation or self.confirm.text().strip() == plan.confirmation


class _Reply(QObject):
    """Hands one check's answer to the page, unless a newer check has started since."""

    def __init__(self, page: CheckPage, generation: int) -> None:
        super().__init__(page)
        self.page, self.generation = page, generation
        self.worker: JobWorker | None = None

    @Slot(object)
    def planned(self, plan: RestorePlan) -> None:
        if self.generation == self.page.generation:
            self.page._show_plan(plan)

    @Slot(str)
    def failed(self, message: str) -> None:
        if self.generation == self.page.generation:
            self.page._show_failure(message)


def start_demo(entry: ServerEntry) -> None:
    """Start the demo server behind `entry` when it is not running (in a worker thread)."""
    demo = DemoServer(Path(entry.socket).parent)
    if not demo.running():
        demo.start()


@dataclass
class RestoreOutcome:
    report: RestoreReport
    summary: str


class RunPage(QWizardPage):
    """Runs the restore and shows how it went; `ended(outcome)` fires once."""

    ended = Signal(str)   # "ok", "failed" or "cancelled"

    def __init__(self, wizard: RestoreWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle(tr("Restoring"))
        self.row: JobRow | None = None
        self.outcome = ""
        layout = QVBoxLayout(self)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        layout.addWidget(self.bar)
        self.detail = QLabel(tr("Starting…"))
        self.detail.setWordWrap(True)
        layout.addWidget(self.detail)
        self.report = QTextBrowser()
        self.report.setVisible(False)
        layout.addWidget(self.report, 1)
        layout.addStretch(0)

    def initializePage(self) -> None:
        wizard, check = self.owner, self.owner.check_page
        plan, entry, password = check.plan, wizard.target, check.password
        assert plan is not None and entry is not None
        options: RestoreOptions = wizard.restore_options()
        repo, location, catalog = wizard.repo, wizard.location, wizard.catalog
        backup_id = str(wizard.manifest["id"])
        self.setSubTitle(tr("Backup {id} onto {server}. Cancel stops it; until the last step the target "
                            "stays exactly as it was.").format(id=backup_id[:8], server=entry.name))

        def work(progress: ProgressCallback, cancel: CancelToken) -> RestoreOutcome:
            with (catalog.job("restore", on_finish=journal.writer(repo), server=entry.url,
                              repository=location, backup_id=backup_id) as run,
                  repository_lock(repo.storage, exclusive=False, operation="restore", read_only_ok=True)):
                report = run_restore(repo, plan, entry.spec(), password, options, progress, cancel)
                run.set(rows=report.rows, bytes=plan.bytes)
                summary = tr("Restored {tables}, {rows} into {databases} in {time}.").format(
                    tables=tr("%n table(s)", "", report.tables), rows=tr("%n row(s)", "", report.rows),
                    databases=", ".join(report.databases), time=format_seconds(report.seconds))
                run.log(summary)
                if report.safety_schema:
                    run.log(tr("replaced objects kept in {schema}").format(schema=report.safety_schema))
            return RestoreOutcome(report, summary)

        self.row = wizard.jobs.start(tr("Restore of {id} onto {server}").format(id=backup_id[:8],
                                                                               server=entry.name), work)
        self.row.worker.progress.connect(self._progress)
        self.row.ended.connect(self._ended)

    def stop_requested(self) -> bool:
        """True when a running restore takes the Cancel (after asking); False lets the wizard close."""
        row = self.row
        if row is None or not row.running:
            return False
        answer = QMessageBox.question(self, tr("Stop the restore?"),
                                      tr("Stop the restore? Until its last step the target stays exactly "
                                         "as it was."), QMessageBox.StandardButton.Yes |
                                      QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes and row.running:
            row.cancel()
            self.detail.setText(tr("Stopping…"))
        return True

    def _progress(self, progress: Progress) -> None:
        if self.row is None or self.row.worker.token.cancelled:
            return
        self.bar.setValue(int(progress.fraction * 1000))
        self.detail.setText(f"{kind_text(progress.phase).capitalize()}: {describe_progress(progress)}")

    def _ended(self, outcome: str) -> None:
        row = self.row
        assert row is not None
        self.outcome = outcome
        self.report.setVisible(True)
        if outcome == "ok":
            self.setTitle(tr("Restore complete"))
            self.bar.setValue(1000)
            self.detail.setStyleSheet(OK_STYLE)
            self.detail.setText(row.result.summary)
            self.report.setHtml(self.report_html(row.result.report))
        else:
            self.setTitle(tr("Restore cancelled") if outcome == "cancelled" else tr("Restore failed"))
            self.detail.setStyleSheet(ERROR_STYLE)
            self.detail.setText(row.message)
            unchanged = outcome == "cancelled" or "nothing was changed" in row.message
            self.report.setHtml(("<p>" + tr("The target was left as it was before the restore.") + "</p>"
                                 if unchanged else "")
                                + "<p>" + tr("The full log is in <b>History</b>.") + "</p>")
        self.setSubTitle("")
        self.owner.setOption(QWizard.WizardOption.NoCancelButton, True)   # only Finish is left
        self.completeChanged.emit()
        self.ended.emit(outcome)

    def report_html(self, report: RestoreReport) -> str:
        name = self.owner.target.name if self.owner.target else ""
        what = tr("%n table(s)", "", report.tables) + ", " + tr("%n row(s)", "", report.rows)
        parts = ["<p>" + tr("{what} restored into {databases} on {server} in {time}.").format(
            what=f"<b>{what}</b>",
            databases=f"<b>{html.escape(', '.join(report.databases))}</b>", server=html.escape(name),
            time=format_seconds(report.seconds)) + "</p>"]
        if report.replaced and report.safety_schema:
            parts.append("<p>" + tr("%n replaced object(s) are kept in the database {schema} on the target. "
                                    "Drop it when you no longer need it.", "", len(report.replaced))
                         .format(schema=f"<b>{html.escape(report.safety_schema)}</b>") + "</p>")
        elif report.replaced:
            parts.append("<p>" + tr("%n replaced object(s) were dropped (no safety copy).", "",
                                    len(report.replaced)) + "</p>")
        if report.replaced:
            parts.append("<ul>" + "".join(f"<li>{html.escape(r)}</li>" for r in report.replaced[:50])
                         + "</ul>")
        if report.users_created:
            parts.append("<p>" + tr("Users created: {users}.").format(
                users=html.escape(", ".join(report.users_created))) + "</p>")
        return "".join(parts)

    def isComplete(self) -> bool:
        return bool(self.outcome)
