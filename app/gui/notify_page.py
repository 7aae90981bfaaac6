"""The Notifications settings page: channels, events, and a Send test button per channel.

Forms come from the declarations in `app.core.notify`.  `FieldForm` has no editor for the "bool"
and "choice" kinds, so this page adds those itself: a channel's "enabled" flag is its group box's
check box, a choice is a combo box put in the form's own layout at its declared place.
Send test runs in a `JobWorker` thread and shows the outcome under the button.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QThread, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core import notify, secrets
from app.core.notify import CHANNELS, EVENT_FIELDS, NOTIFY_SERVICE, THRESHOLDS, ChannelResult
from app.core.profile import Field, Profile
from app.gui.field_texts import field_text, translate
from app.gui.forms import ERROR_STYLE, HELP_STYLE, OK_STYLE, FieldForm
from app.gui.i18n import QT_TR_NOOP, tr
from app.gui.jobs import JobWorker, run_in_thread

FORM_KINDS = ("text", "int", "path", "file", "folder", "secret")   # what FieldForm can edit
STORED_PLACEHOLDER = QT_TR_NOOP("Stored in the OS keyring (type to replace it)")
NO_KEYRING = QT_TR_NOOP("No OS keyring could keep this, and alerts need it to send on their own: "
                        "unlock or set up a keyring.")


class ChannelBox(QGroupBox):
    """One sending channel: its check box, its form, Send test and the test's outcome.

    Signals:
        tested(bool): a Send test ended (True when it was delivered).
    """

    tested = Signal(bool)

    def __init__(self, channel: str, section: dict[str, Any], parent: QWidget | None = None) -> None:
        declared = CHANNELS[channel]
        super().__init__(field_text(declared[0].label), parent)
        self.channel = channel
        self.setCheckable(True)
        self.setObjectName(f"channel-{channel}")
        self.form = FieldForm(tuple(f for f in declared if f.kind in FORM_KINDS))
        self.choices: dict[str, QComboBox] = {}
        rows = self.form.layout()
        assert isinstance(rows, QFormLayout)
        for f in (f for f in declared if f.kind == "choice"):
            self.choices[f.key] = combo = QComboBox()
            combo.setObjectName(f"field-{f.key}")
            for value, label in f.choices:
                combo.addItem(field_text(label), value)
            place = sum(1 for g in declared[:declared.index(f)] if g.kind in FORM_KINDS)
            rows.insertRow(place, field_text(f.label), combo)
        self.test_button = QPushButton(tr("Send test"))
        self.test_button.clicked.connect(self.send_test)
        self.test_result = QLabel()
        self.test_result.setWordWrap(True)
        self.test_result.setObjectName(f"test-result-{channel}")
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.test_result, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addLayout(test_row)
        self.stored: frozenset[str] = frozenset()
        self.job_thread: QThread | None = None
        self.last_ok = False
        self.set_section(section)
        self.form.changed.connect(self.test_result.clear)

    def set_section(self, section: dict[str, Any]) -> None:
        self.setChecked(bool(section.get("enabled")))
        self.form.set_values({k: v for k, v in section.items() if k in self.form.editors})
        for key, combo in self.choices.items():
            combo.setCurrentIndex(max(0, combo.findData(section.get(key))))
        self.stored = frozenset(f.key for f in notify.secret_fields(self.channel)
                                if notify.keyring_lookup(notify.secret_account(self.channel, f.key)))
        for f in notify.secret_fields(self.channel):
            self.form.line_edit(f.key).setPlaceholderText(tr(STORED_PLACEHOLDER) if f.key in self.stored
                                                          else field_text(f.placeholder))

    def values(self) -> dict[str, Any]:
        """Everything on screen, typed secrets included."""
        values = {"enabled": self.isChecked(), **self.form.values()}
        values.update({key: combo.currentData() for key, combo in self.choices.items()})
        return values

    def section(self) -> dict[str, Any]:
        """What goes into the profile: no secrets."""
        secret_keys = {f.key for f in notify.secret_fields(self.channel)}
        return {k: v for k, v in self.values().items() if k not in secret_keys}

    def typed_secrets(self) -> dict[str, str]:
        """{keyring account: secret} for the secrets typed on screen."""
        values = self.form.values()
        return {notify.secret_account(self.channel, f.key): values[f.key]
                for f in notify.secret_fields(self.channel) if values.get(f.key)}

    def check(self) -> bool:
        """Validate and show each problem under its field."""
        found = notify.problems(self.channel, self.values(), self.stored, translate)
        self.form.show_problems(found)
        return not found

    def store_secrets(self) -> bool:
        """Put the typed secrets in the keyring; False (and an inline message) when none can keep them."""
        for account, secret in self.typed_secrets().items():
            key = account.split(".", 1)[1]
            if not secrets.set_secret(NOTIFY_SERVICE, account, secret):
                self.form.show_problems({key: tr(NO_KEYRING)})
                return False
            self.form.line_edit(key).clear()
            self.stored |= {key}
            self.form.line_edit(key).setPlaceholderText(tr(STORED_PLACEHOLDER))
        return True

    def send_test(self) -> None:
        if self.job_thread is not None or not self.check():
            return
        channel, config, typed = self.channel, {self.channel: self.values()}, self.typed_secrets()

        def lookup(account: str) -> str | None:   # runs in the worker: the keyring may be slow
            return typed.get(account) or notify.keyring_lookup(account)

        worker = JobWorker(lambda _progress, _cancel: notify.send_one(
            config, channel, notify.sample_notification(), lookup))
        worker.finished.connect(self._tested)
        worker.failed.connect(self._failed)
        self.test_result.setStyleSheet(HELP_STYLE)
        self.test_result.setText(tr("Sending…"))
        self.test_button.setEnabled(False)
        # run_in_thread keeps thread and worker with the application: a dialog closed mid-test
        # neither destroys the thread nor collects its worker; the send ends within its timeout.
        self.job_thread = run_in_thread(worker, self)
        self.job_thread.finished.connect(self._thread_finished)

    def _tested(self, result: ChannelResult) -> None:
        self._show(result.ok, result.message)

    def _failed(self, message: str) -> None:
        self._show(False, message)

    def _show(self, ok: bool, text: str) -> None:
        self.test_result.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        self.test_result.setText(text)
        self.last_ok = ok

    def _thread_finished(self) -> None:
        if self.job_thread is not None:
            self.job_thread.deleteLater()
        self.job_thread = None
        self.test_button.setEnabled(True)
        self.tested.emit(self.last_ok)   # announced only once the button takes clicks again


class NotifyPage(QWidget):
    """Edits `profile.settings["notifications"]`; `save()` validates and writes it."""

    def __init__(self, profile: Profile, parent: QWidget | None = None, *, write: bool = True) -> None:
        super().__init__(parent)
        self.profile = profile
        self.write = write   # False: a dialog that edits a draft writes the profile itself
        config = notify.load_config(profile.settings)
        body = QWidget()
        column = QVBoxLayout(body)
        intro = QLabel(tr("Custode warns you when something needs you. Alerts go to every channel "
                          "turned on below; Send test tries one channel with what is on screen."))
        intro.setWordWrap(True)
        column.addWidget(intro)
        self.boxes = {channel: ChannelBox(channel, config[channel]) for channel in notify.SENDING_CHANNELS}
        for box in self.boxes.values():
            column.addWidget(box)
        self.desktop = QCheckBox(field_text(notify.DESKTOP_FIELDS[0].label))
        self.desktop.setChecked(notify.desktop_enabled(config))
        column.addWidget(self.desktop)
        column.addWidget(self._events_box(config["events"]))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setStyleSheet(ERROR_STYLE)
        column.addWidget(self.status)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def _events_box(self, events: dict[str, Any]) -> QGroupBox:
        box = QGroupBox(tr("Notify when"))
        grid = QGridLayout(box)
        self.events: dict[str, QCheckBox] = {}
        self.thresholds: dict[str, QSpinBox] = {}
        fields = {f.key: f for f in EVENT_FIELDS}
        for row, event in enumerate(notify.EVENTS):
            check = self.events[event] = QCheckBox(field_text(fields[event].label))
            check.setObjectName(f"event-{event}")
            check.setChecked(bool(events.get(event)))
            grid.addWidget(check, row, 0)
            if event in THRESHOLDS:
                spin = self.thresholds[event] = self._threshold(fields[THRESHOLDS[event]],
                                                                events.get(THRESHOLDS[event]))
                spin.setEnabled(check.isChecked())
                check.toggled.connect(spin.setEnabled)
                grid.addWidget(spin, row, 1)
        grid.setColumnStretch(2, 1)
        return box

    @staticmethod
    def _threshold(f: Field, value: Any) -> QSpinBox:
        spin = QSpinBox()
        spin.setObjectName(f"field-{f.key}")
        spin.setRange(f.minimum, f.maximum)
        spin.setValue(int(value or f.default))
        spin.setSuffix(f" {field_text(f.placeholder)}")   # an event threshold's placeholder is its unit
        spin.setToolTip(field_text(f.label))
        return spin

    def config(self) -> dict[str, dict[str, Any]]:
        """The settings on screen, without secrets."""
        events: dict[str, Any] = {event: check.isChecked() for event, check in self.events.items()}
        events.update({THRESHOLDS[event]: spin.value() for event, spin in self.thresholds.items()})
        return {**{channel: box.section() for channel, box in self.boxes.items()},
                "desktop": {"enabled": self.desktop.isChecked()}, "events": events}

    def save(self) -> bool:
        """Validate, keep typed secrets in the keyring and write the profile; False shows why inline."""
        valid = [box.check() for box in self.boxes.values()]   # every box shows its problems
        if not all(valid):
            self.status.setText(tr("Fix the fields marked in red, or turn that channel off."))
            return False
        if not all(box.store_secrets() for box in self.boxes.values()):
            self.status.setText(tr("A secret could not be kept: see the field marked in red."))
            return False
        self.profile.settings["notifications"] = self.config()
        if not self.write:
            self.status.clear()
            return True
        try:
            self.profile.save()
        except OSError as exc:
            self.status.setText(tr("Could not save the settings in {path}: {error}; check that "
                                   "folder's permissions.").format(path=self.profile.path,
                                                                   error=exc.strerror or exc))
            return False
        self.status.clear()
        return True
