"""The Settings dialog's list pages: servers, repositories and plans, each a list and an editor.

Every page edits the dialog's draft profile, never the real one: an edit that passes the checks
is written into the draft at once (so the Plans page sees a server added a moment ago), one that
does not stays in the form with its problems shown, and the page will not let go of it.  Secrets
typed here are only collected; the dialog stores them when the user saves.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, cast

from PySide6.QtCore import QAbstractItemModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.core import secrets
from app.core.errors import ConfigError
from app.core.plans import PLAN_FIELDS, Plan, validate_plan
from app.core.profile import (
    REPOSITORY_FIELDS,
    SERVER_FIELDS,
    Profile,
    RepositoryEntry,
    ServerEntry,
    validate,
)
from app.core.retention import Backup
from app.gui.connection_test import ConnectionTest
from app.gui.cron_editor import CronEditor
from app.gui.field_texts import translate
from app.gui.forms import FieldForm
from app.gui.i18n import current_language, tr
from app.gui.jobs import sentence
from app.gui.repository_status import RepositoryStatusPanel
from app.gui.retention_preview import RetentionPreview, policy_of
from app.gui.welcome import RepositoryPage, WelcomeWizard


def unique_name(base: str, taken: list[str]) -> str:
    """`base`, or `base 2`, `base 3`…: the first one not in `taken`."""
    return next(name for n in range(1, len(taken) + 2)
                if (name := base if n == 1 else f"{base} {n}") not in taken)


class EntryPage(QWidget):
    """A list of named entries and an editor for the selected one.

    Signals:
        validity: False while the editor holds values that cannot be kept.
    """

    validity = Signal(bool)

    def __init__(self, draft: Profile, form: FieldForm, add_label: str) -> None:
        super().__init__()
        self.draft = draft
        self.form = form
        self.current: str | None = None
        self.list = QListWidget()
        self.list.setMaximumWidth(180)
        self.list.currentTextChanged.connect(self._selected)
        self.add_button = QPushButton(add_label)
        self.add_button.clicked.connect(self.add)
        self.remove_button = QPushButton(tr("Remove"))
        self.remove_button.clicked.connect(self.remove)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        left.addLayout(buttons)
        self.editor = QWidget()
        self.editor_layout = QVBoxLayout(self.editor)
        # The margins move from the form to the whole editor, so the rows below it line up.
        form_layout = form.layout()
        assert form_layout is not None
        self.editor_layout.setContentsMargins(form_layout.contentsMargins())
        form_layout.setContentsMargins(0, 0, 0, 0)
        self.editor_layout.addWidget(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.editor)
        row = QHBoxLayout(self)
        row.addLayout(left)
        row.addWidget(scroll, 1)
        form.changed.connect(self._edited)

    # -- what each page says -----------------------------------------------------------------------
    def names(self) -> list[str]:
        raise NotImplementedError

    def load(self, name: str) -> None:
        """Show the draft's entry `name` in the form."""
        raise NotImplementedError

    def problems(self) -> dict[str, str]:
        raise NotImplementedError

    def store(self) -> str:
        """Write the form's (valid) values into the draft; the entry's name afterwards."""
        raise NotImplementedError

    def add(self) -> None:
        raise NotImplementedError

    def discard(self, name: str) -> None:
        """Remove `name` from the draft; `ConfigError` when it may not go."""
        raise NotImplementedError

    # -- shared behaviour --------------------------------------------------------------------------
    def refresh(self, select: str | None = None) -> None:
        """Fill the list from the draft and show `select` (or the current entry, or the first)."""
        names = self.names()
        wanted = select if select in names else self.current if self.current in names else None
        blocked = self.list.blockSignals(True)
        self.list.clear()
        self.list.addItems(names)
        self.list.blockSignals(blocked)
        self.current = None
        if names:
            self.list.setCurrentRow(names.index(wanted) if wanted else 0)   # loads it
        self.editor.setEnabled(bool(names))
        self.remove_button.setEnabled(bool(names))
        self.validity.emit(True)

    def commit(self) -> bool:
        """True when the editor's values are in the draft; else show why and keep the focus here."""
        if self.current is None:
            return True
        problems = self.problems()
        self.form.show_problems(problems)
        return not problems

    def _selected(self, name: str) -> None:
        if not name or name == self.current:
            return
        if not self.commit():
            blocked = self.list.blockSignals(True)   # stay on the entry that needs fixing
            self.list.setCurrentRow(self.names().index(self.current or ""))
            self.list.blockSignals(blocked)
            return
        self.current = name
        blocked = self.form.blockSignals(True)
        self.load(name)
        self.form.blockSignals(blocked)
        self.form.show_problems({}, focus=False)

    def _edited(self) -> None:
        if self.current is None:
            return
        problems = self.problems()
        self.form.show_problems(problems, focus=False)
        if not problems:
            try:
                name = self.store()
            except ConfigError as exc:   # a clash that the field checks could not see
                self.form.show_problems({"name": sentence(exc)}, focus=False)
                self.validity.emit(False)
                return
            if name != self.current:
                self.list.currentItem().setText(name)
                self.current = name
        self.validity.emit(not problems)

    def remove(self) -> None:
        if self.current is None:
            return
        try:
            self.discard(self.current)
        except ConfigError as exc:
            QMessageBox.warning(self, tr("Cannot remove"), sentence(exc))
            return
        self.current = None
        self.refresh()


class ServersPage(EntryPage):
    """Servers, with Test connection; typed passwords wait in `passwords` until the dialog saves."""

    def __init__(self, draft: Profile) -> None:
        super().__init__(draft, FieldForm(SERVER_FIELDS), tr("Add"))
        self.passwords: dict[str, str] = {}                                  # name -> typed
        self.first_urls = {s.name: s.url for s in draft.servers}            # name -> URL at start
        self.tester = ConnectionTest(self._test_target)
        self.editor_layout.addWidget(self.tester)
        self.editor_layout.addStretch(1)
        self.form.changed.connect(self.tester.clear)
        self.refresh()

    def names(self) -> list[str]:
        return [s.name for s in self.draft.servers]

    def load(self, name: str) -> None:
        entry = self.draft.server(name)
        assert entry is not None
        self.form.set_values({**vars(entry), "password": self.passwords.get(name, "")})
        stored = entry.has_password and name in self.first_urls
        self.form.line_edit("password").setPlaceholderText(
            tr("unchanged (kept in the keyring)") if stored else "")
        self.tester.clear()

    def problems(self) -> dict[str, str]:
        values = self.form.values()
        problems = validate(SERVER_FIELDS, values, translate)
        if values["name"] != self.current and self.draft.server(values["name"]) is not None:
            problems.setdefault("name", tr("Another server has this name; choose another."))
        return problems

    def store(self) -> str:
        assert self.current is not None
        values = self.form.values()
        old = self.draft.server(self.current)
        assert old is not None
        if values["name"] != self.current:
            self.draft.rename_server(self.current, values["name"])
            for table in (self.passwords, self.first_urls):
                if self.current in table:
                    table[values["name"]] = table.pop(self.current)
        entry = ServerEntry.from_values(values)
        entry.demo = old.demo
        entry.has_password = bool(values["password"]) or (old.has_password and entry.name in self.first_urls)
        self.passwords.pop(entry.name, None)
        if values["password"]:
            self.passwords[entry.name] = values["password"]
        self.draft.put_server(entry)   # no password given: the keyring is left alone
        return entry.name

    def add(self) -> None:
        if self.commit():
            name = unique_name("server", self.names())
            self.draft.put_server(ServerEntry(name=name, has_password=False))
            self.refresh(select=name)

    def discard(self, name: str) -> None:
        self.draft.remove_server(name, forget_password=False)   # the dialog forgets it on save
        self.passwords.pop(name, None)

    def _test_target(self) -> tuple[ServerEntry, str | None] | None:
        if not self.form.check():
            return None
        values = self.form.values()
        first_url = self.first_urls.get(self.current or "")
        password = values["password"] or (
            secrets.get_secret(secrets.SERVER_SERVICE, first_url) if first_url else None)
        return ServerEntry.from_values(values), password


class RepositoryList(QListWidget):
    """Repositories to check, in an order the user can drag: the first checked is the primary."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setMaximumHeight(84)   # about four names; more scroll
        self.itemChanged.connect(lambda _item: self.changed.emit())
        model = cast(QAbstractItemModel, self.model())
        model.rowsMoved.connect(lambda *_args: self.changed.emit())

    def value(self) -> list[str]:
        return [self.item(i).text() for i in range(self.count())
                if self.item(i).checkState() == Qt.CheckState.Checked]

    def set_value(self, value: Any, offered: list[str] | None = None) -> None:
        chosen = [str(name) for name in value or []]
        offered = offered if offered is not None else [self.item(i).text() for i in range(self.count())]
        blocked = self.blockSignals(True)
        self.clear()
        for name in chosen + [n for n in offered if n not in chosen]:
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsDragEnabled)
            item.setCheckState(Qt.CheckState.Checked if name in chosen else Qt.CheckState.Unchecked)
            self.addItem(item)
        self.blockSignals(blocked)


class PlansPage(EntryPage):
    """Plans: what, where, when (the cron editor) and how long to keep."""

    def __init__(self, draft: Profile, now: Callable[[], datetime] = datetime.now) -> None:
        repositories = RepositoryList()
        schedule = CronEditor(current_language(), now)
        super().__init__(draft, FieldForm(PLAN_FIELDS, editors={"repositories": repositories,
                                                               "schedule": schedule}), tr("Add"))
        self.repositories, self.schedule = repositories, schedule
        self.now = now
        # Known backups of a server (by URL) for the retention preview; None: simulate daily ones.
        self.backups_for: Callable[[str], list[Backup]] | None = None
        heading = QLabel(tr("<b>What this retention keeps</b>"))
        self.editor_layout.addWidget(heading)
        self.preview = RetentionPreview()
        self.editor_layout.addWidget(self.preview)
        self.form.changed.connect(self.update_preview)
        self.editor_layout.addStretch(1)
        self.refresh()

    def update_preview(self) -> None:
        """Show what the edited plan's keep rules keep of its server's backups (or of simulated ones)."""
        values = self.form.values()
        server = self.draft.server(str(values.get("server") or ""))
        backups = self.backups_for(server.url) if server is not None and self.backups_for else None
        self.preview.show_policy(policy_of(values), backups or None,
                                 self.now().astimezone(UTC))

    def refresh(self, select: str | None = None) -> None:
        """Also offer the draft's current servers and repositories (another page may have changed them)."""
        blocked = self.form.blockSignals(True)
        self.form.set_choices("server", tuple((s.name, s.name) for s in self.draft.servers))
        self.repositories.set_value([], [r.name for r in self.draft.repositories])
        self.form.blockSignals(blocked)
        super().refresh(select)

    def names(self) -> list[str]:
        return [p.name for p in self.draft.plans]

    def load(self, name: str) -> None:
        plan = self.draft.plan(name)
        assert plan is not None
        values = plan.values()
        self.repositories.set_value(values.pop("repositories"), [r.name for r in self.draft.repositories])
        self.form.set_values(values)
        self.update_preview()

    def problems(self) -> dict[str, str]:
        others = [n for n in self.names() if n != self.current]
        return validate_plan(self.form.values(), [s.name for s in self.draft.servers],
                             [r.name for r in self.draft.repositories], others, translate)

    def store(self) -> str:
        plan = Plan.from_values(self.form.values())
        self.draft.put_plan(plan, replacing=self.current)
        return plan.name

    def add(self) -> None:
        if self.commit():
            server = self.draft.servers[0].name if self.draft.servers else ""
            repositories = [r.name for r in self.draft.repositories[:1]]
            plan = Plan(unique_name("nightly", self.names()), server, repositories)
            self.draft.plans.append(plan)   # maybe not valid yet (no server): the editor says why
            self.refresh(select=plan.name)
            self._edited()

    def discard(self, name: str) -> None:
        self.draft.remove_plan(name)


class RepositoriesPage(EntryPage):
    """Repositories: add (create or open, with the passphrase), rename, forget."""

    def __init__(self, draft: Profile) -> None:
        super().__init__(draft, FieldForm(REPOSITORY_FIELDS[:1]), tr("Add…"))
        self.location = QLabel()
        self.location.setWordWrap(True)
        self.location.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.editor_layout.addWidget(self.location)
        self.status = RepositoryStatusPanel()
        self.editor_layout.addWidget(self.status)
        self.editor_layout.addStretch(1)
        self.refresh()

    def names(self) -> list[str]:
        return [r.name for r in self.draft.repositories]

    def load(self, name: str) -> None:
        entry = self.draft.repository(name)
        assert entry is not None
        self.form.set_values({"name": entry.name})
        self.location.setText(tr("Location: {location}").format(location=entry.location))
        self.status.show_location(entry.location)

    def problems(self) -> dict[str, str]:
        values = self.form.values()
        problems = validate(self.form.fields, values, translate)
        if values["name"] != self.current and self.draft.repository(values["name"]) is not None:
            problems.setdefault("name", tr("Another repository has this name; choose another."))
        return problems

    def store(self) -> str:
        assert self.current is not None
        name = str(self.form.values()["name"])
        if name != self.current:
            self.draft.rename_repository(self.current, name)
        return name

    def add(self) -> None:
        if not self.commit():
            return
        dialog = AddRepositoryDialog(self.draft, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.repository is not None:
            self.draft.put_repository(dialog.repository)
            self.refresh(select=dialog.repository.name)

    def discard(self, name: str) -> None:
        self.draft.remove_repository(name)


class AddRepositoryDialog(QDialog):
    """The first-run wizard's repository page in a dialog: create or open, passphrase, keyring."""

    def __init__(self, draft: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.draft = draft
        self.repo: Any = None                        # set by the page, as in the wizard
        self.repository: RepositoryEntry | None = None
        self.setWindowTitle(tr("Add a repository"))
        # The page only needs somewhere to put `repo` and `repository`; see the report.
        self.page = RepositoryPage(cast(WelcomeWizard, self))
        self.page.form.set_values({"name": unique_name("local", [r.name for r in draft.repositories])})
        layout = QVBoxLayout(self)
        heading = QLabel(f"<b>{self.page.title()}</b><br>{self.page.subTitle()}")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        layout.addWidget(self.page)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 420)

    def accept(self) -> None:
        values = self.page.form.values()
        if self.draft.repository(values["name"]) is not None:
            self.page.form.show_problems({"name": tr("Another repository has this name; choose another.")})
            return
        known = next((r for r in self.draft.repositories if r.location == values["location"]), None)
        if known is not None:
            self.page.form.show_problems({"location": tr("This repository is already here as '{name}'.")
                                          .format(name=known.name)})
            return
        if self.page.validatePage():   # creates or opens it, may remember the passphrase
            super().accept()
