"""The Settings dialog: general options, servers, repositories and plans, one page each.

The pages edit a copy of the profile; Save checks every page, stores typed passwords in the
keyring and writes the profile once, atomically; Cancel leaves file and keyring as they were.
Other pages (notifications, keys) join with `add_page`; one with a `save() -> bool` method is
saved with the rest, and a False keeps the dialog open on it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.core import secrets
from app.core.profile import SETTINGS_FIELDS, Profile
from app.gui.forms import HELP_STYLE, FieldForm
from app.gui.i18n import QT_TR_NOOP, tr
from app.gui.settings_pages import EntryPage, PlansPage, RepositoriesPage, ServersPage


class GeneralPage(QWidget):
    """Language and theme, declared in `SETTINGS_FIELDS` and kept in `profile.settings`."""

    def __init__(self, settings: dict[str, Any]) -> None:
        super().__init__()
        self.form = FieldForm(SETTINGS_FIELDS)
        self.form.set_values({f.key: settings.get(f.key, f.default) for f in SETTINGS_FIELDS})
        note = QLabel(tr("The language also sets how schedules are said in words."))
        note.setStyleSheet(HELP_STYLE)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(note)
        layout.addStretch(1)

    def values(self) -> dict[str, Any]:
        return self.form.values()


class SettingsDialog(QDialog):
    """Edits `profile`; `accepted` means it was saved.

    Signals:
        settings_changed: the General values (language, theme) after a save that changed them.
    """

    settings_changed = Signal(dict)

    def __init__(self, profile: Profile, parent: QWidget | None = None, *,
                 now: Callable[[], datetime] = datetime.now) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Settings"))
        self.profile = profile
        self.draft = copy.deepcopy(profile)
        self.general = GeneralPage(self.draft.settings)
        self.servers = ServersPage(self.draft)
        self.repositories = RepositoriesPage(self.draft)
        self.plans = PlansPage(self.draft, now)
        self.page_list = QListWidget()
        self.page_list.setFixedWidth(160)
        self.stack = QStackedWidget()
        self.valid: dict[EntryPage, bool] = {}
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 15pt; font-weight: bold;")
        right = QVBoxLayout()
        right.addWidget(self.heading)
        right.addWidget(self.stack, 1)
        body = QHBoxLayout()
        body.addWidget(self.page_list)
        body.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.buttons)
        for title, page in ((QT_TR_NOOP("General"), self.general), (QT_TR_NOOP("Servers"), self.servers),
                            (QT_TR_NOOP("Repositories"), self.repositories),
                            (QT_TR_NOOP("Plans"), self.plans)):
            self.add_page(title, page)
        self.page_list.currentRowChanged.connect(self._page_chosen)
        self.page_list.setCurrentRow(0)
        self.resize(1060, 720)   # Italian labels and presets need the width

    # -- pages -------------------------------------------------------------------------------------
    def add_page(self, title: str, widget: QWidget) -> None:
        """Add a page at the end of the list (a `save() -> bool` method is called by Save).

        `title` is English (marked with QT_TR_NOOP by the caller) and shown translated; `show_page`
        finds the page by either.
        """
        item = QListWidgetItem(tr(title))
        item.setData(Qt.ItemDataRole.UserRole, title)
        self.page_list.addItem(item)
        self.stack.addWidget(widget)
        if isinstance(widget, EntryPage):
            self.valid[widget] = True
            widget.validity.connect(lambda ok, page=widget: self._validity(page, ok))

    def show_page(self, title: str) -> bool:
        """Go to the page called `title` (English, or as shown); False when it is not there or the
        current page holds on."""
        found = [item for row in range(self.page_list.count()) if (item := self.page_list.item(row))
                 and title in (item.text(), item.data(Qt.ItemDataRole.UserRole))]
        if not found:
            return False
        self.page_list.setCurrentItem(found[0])
        return self.page_list.currentItem() is found[0]

    def _page_chosen(self, row: int) -> None:
        leaving = self.stack.currentWidget()
        if row != self.stack.currentIndex() and isinstance(leaving, EntryPage) and not leaving.commit():
            blocked = self.page_list.blockSignals(True)   # stay until its problems are fixed
            self.page_list.setCurrentRow(self.stack.currentIndex())
            self.page_list.blockSignals(blocked)
            return
        entering = self.stack.widget(row)
        if isinstance(entering, PlansPage):
            entering.refresh()   # servers and repositories may have changed meanwhile
        self.stack.setCurrentIndex(row)
        self.heading.setText(self.page_list.item(row).text())

    def _validity(self, page: EntryPage, ok: bool) -> None:
        self.valid[page] = ok
        self.save_button.setEnabled(all(self.valid.values()))

    # -- saving ------------------------------------------------------------------------------------
    def accept(self) -> None:
        if self.stack.currentWidget() is not self.plans:
            self.plans.refresh()   # its choices may name a server renamed on another page since
        for index in range(self.stack.count()):
            page = self.stack.widget(index)
            save = getattr(page, "save", None)
            committed = page.commit() if isinstance(page, EntryPage) else True
            saved = committed and (bool(save()) if callable(save) else True)
            if not saved:
                self.page_list.setCurrentRow(index)
                return
        refused = self._store_passwords()
        general = self.general.values()
        changed = any(self.profile.settings.get(f.key, f.default) != general[f.key] for f in SETTINGS_FIELDS)
        before = copy.deepcopy(self.profile)
        self.profile.servers = copy.deepcopy(self.draft.servers)
        self.profile.repositories = copy.deepcopy(self.draft.repositories)
        self.profile.plans = copy.deepcopy(self.draft.plans)
        # Pages that edit the draft's settings (notifications) are carried over with General's.
        self.profile.settings = {**copy.deepcopy(self.draft.settings), **general}
        try:
            self.profile.save()
        except OSError as exc:
            self.profile.__dict__.update(before.__dict__)
            QMessageBox.critical(self, tr("Settings not saved"),
                                 tr("Could not write {path}: {error}; check that folder's permissions.")
                                 .format(path=self.profile.path, error=exc.strerror or exc))
            return
        if refused:
            QMessageBox.warning(self, tr("Keyring"),
                                tr("The keyring did not keep the password of {servers}: it will be "
                                   "asked for each time.").format(servers=", ".join(refused)))
        if changed:
            self.settings_changed.emit(general)
        super().accept()

    def _store_passwords(self) -> list[str]:
        """Typed passwords into the keyring, moved when a server's address changed, forgotten when
        no server uses them any more; the names whose password the keyring refused."""
        refused = []
        for entry in self.draft.servers:
            typed = self.servers.passwords.get(entry.name)
            first = self.servers.first_urls.get(entry.name)
            if not typed and first and first != entry.url:
                typed = secrets.get_secret(secrets.SERVER_SERVICE, first)
            if typed and not secrets.set_secret(secrets.SERVER_SERVICE, entry.url, typed):
                refused.append(entry.name)
        in_use = {s.url for s in self.draft.servers}
        for url in {s.url for s in self.profile.servers} - in_use:
            secrets.delete_secret(secrets.SERVER_SERVICE, url)
        return refused

    def done(self, result: int) -> None:
        self.servers.tester.wait()   # a running test must not outlive its page
        self.repositories.status.wait()
        super().done(result)
