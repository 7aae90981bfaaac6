"""Forms built from the profile's field declarations, with inline validation.

A `FieldForm` shows one row per declared `Field` (label, editor, a line of help or of error) and
checks values with the same `validate` the engine uses, so a form can never accept what the
engine would refuse.

Kinds a form edits by itself: text, secret, int, path, file, folder, bool (a check box), choice (a
combo box of `Field.choices`, or of `set_choices`) and list (comma-separated names).  Any other kind
is bound by the owner: `FieldForm(fields, editors={key: widget})`, where the widget has a `changed`
signal, `value()` and `set_value(value)` (the cron editor, a checkable list of repositories).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core.profile import Field, validate
from app.gui.field_texts import field_text, translate
from app.gui.i18n import tr

ERROR_STYLE = "color: #dc3545;"
OK_STYLE = "color: #28a745;"
HELP_STYLE = "color: palette(placeholder-text);"


class _PathEdit(QWidget):
    """A line edit with a Browse… button for files and folders."""

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit()
        self.button = QPushButton(tr("Browse…"))
        self.button.clicked.connect(self._browse)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)

    def _browse(self) -> None:
        if self.kind == "folder":
            chosen = QFileDialog.getExistingDirectory(self, tr("Choose a folder"), self.edit.text())
        else:
            chosen, _ = QFileDialog.getOpenFileName(self, tr("Choose a file"), self.edit.text())
        if chosen:
            self.edit.setText(chosen)


class FieldForm(QWidget):
    """Editors for `fields`; `changed` fires on any edit."""

    changed = Signal()

    def __init__(self, fields: tuple[Field, ...], parent: QWidget | None = None, *,
                 editors: dict[str, QWidget] | None = None) -> None:
        super().__init__(parent)
        self.fields = fields
        self.kinds = {f.key: f.kind for f in fields}
        self.bound: dict[str, Any] = dict(editors or {})
        self.editors: dict[str, QWidget] = {}
        self.notes: dict[str, QLabel] = {}
        layout = QFormLayout(self)
        for f in fields:
            editor = self._editor(f)
            self.editors[f.key] = editor
            note = QLabel(field_text(f.help))
            note.setWordWrap(True)
            note.setStyleSheet(HELP_STYLE)
            note.setVisible(bool(f.help))
            self.notes[f.key] = note
            cell = QWidget()
            column = QVBoxLayout(cell)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            column.addWidget(editor)
            column.addWidget(note)
            # A check box carries its own label; the row's label would only repeat it.
            label = QLabel("" if f.kind == "bool" else field_text(f.label) + (" *" if f.required else ""))
            label.setBuddy(self._focus_widget(editor))
            layout.addRow(label, cell)

    def _editor(self, f: Field) -> QWidget:
        if f.key in self.bound:
            bound: QWidget = self.bound[f.key]
            self.bound[f.key].changed.connect(self.changed)
            bound.setObjectName(f"field-{f.key}")
            return bound
        if f.kind == "bool":
            box = QCheckBox(field_text(f.label))
            box.setChecked(bool(f.default))
            box.toggled.connect(self.changed)
            box.setObjectName(f"field-{f.key}")
            return box
        if f.kind == "choice":
            combo = QComboBox()
            combo.setObjectName(f"field-{f.key}")
            self._fill(combo, tuple((value, field_text(label)) for value, label in f.choices), f.default)
            combo.currentIndexChanged.connect(self.changed)
            return combo
        if f.kind == "int":
            spin = QSpinBox()
            spin.setRange(f.minimum, f.maximum or 2_000_000_000)
            spin.setValue(int(f.default or f.minimum))
            spin.valueChanged.connect(self.changed)
            spin.setObjectName(f"field-{f.key}")
            # A number needs no full-width box; a narrow one reads as a number.
            spin.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            return spin
        if f.kind in ("file", "folder"):
            path = _PathEdit(f.kind)
            path.edit.setPlaceholderText(field_text(f.placeholder))
            path.edit.textChanged.connect(self.changed)
            path.edit.setObjectName(f"field-{f.key}")
            return path
        edit = QLineEdit()
        edit.setObjectName(f"field-{f.key}")
        edit.setPlaceholderText(field_text(f.placeholder))
        if f.default is not None:
            edit.setText(self._as_text(f.default))
        if f.kind == "secret":
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.textChanged.connect(self.changed)
        return edit

    @staticmethod
    def _fill(combo: QComboBox, choices: tuple[tuple[str, str], ...], current: Any) -> None:
        blocked = combo.blockSignals(True)
        combo.clear()
        for value, label in choices:
            combo.addItem(label, value)
        if current and combo.findData(current) < 0:
            combo.addItem(str(current), current)   # a value no longer offered still shows
        combo.setCurrentIndex(max(0, combo.findData(current)) if combo.count() else -1)
        combo.blockSignals(blocked)

    def set_choices(self, key: str, choices: tuple[tuple[str, str], ...]) -> None:
        """Offer other (value, label) choices in a choice field, keeping its value when offered."""
        combo = self.editors[key]
        assert isinstance(combo, QComboBox)
        before = combo.currentData()
        self._fill(combo, choices, before if any(v == before for v, _ in choices) else None)
        if combo.currentData() != before:
            self.changed.emit()

    def _as_text(self, value: Any) -> str:
        if isinstance(value, list | tuple):
            return ", ".join(str(item) for item in value)
        return "" if value is None else str(value)

    @staticmethod
    def _focus_widget(editor: QWidget) -> QWidget:
        return editor.edit if isinstance(editor, _PathEdit) else editor

    def line_edit(self, key: str) -> QLineEdit:
        """The text editor of a field (for tests and for focus)."""
        editor = self.editors[key]
        widget = editor.edit if isinstance(editor, _PathEdit) else editor
        assert isinstance(widget, QLineEdit)
        return widget

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, editor in self.editors.items():
            if key in self.bound:
                out[key] = self.bound[key].value()
            elif isinstance(editor, QCheckBox):
                out[key] = editor.isChecked()
            elif isinstance(editor, QComboBox):
                out[key] = editor.currentData()
            elif self.kinds[key] == "list" and isinstance(editor, QLineEdit):
                out[key] = [item.strip() for item in editor.text().split(",") if item.strip()]
            elif isinstance(editor, QSpinBox):
                out[key] = editor.value()
            elif isinstance(editor, _PathEdit):
                out[key] = editor.edit.text().strip()
            elif isinstance(editor, QLineEdit):
                out[key] = editor.text() if editor.echoMode() == QLineEdit.EchoMode.Password \
                    else editor.text().strip()
        return out

    def set_values(self, values: dict[str, Any]) -> None:
        for key, value in values.items():
            editor = self.editors.get(key)
            if key in self.bound:
                self.bound[key].set_value(value)
            elif isinstance(editor, QCheckBox):
                editor.setChecked(bool(value))
            elif isinstance(editor, QComboBox):
                if value and editor.findData(value) < 0:
                    editor.addItem(str(value), value)   # a value no longer offered still shows
                editor.setCurrentIndex(editor.findData(value))
            elif isinstance(editor, QSpinBox):
                editor.setValue(int(value or 0))
            elif isinstance(editor, _PathEdit):
                editor.edit.setText(str(value or ""))
            elif isinstance(editor, QLineEdit):
                editor.setText(self._as_text(value))

    def check(self) -> bool:
        """Validate, show each problem under its field, focus the first; True when all is well."""
        problems = validate(self.fields, self.values(), translate)
        self.show_problems(problems)
        return not problems

    def show_problems(self, problems: dict[str, str], focus: bool = True) -> None:
        """Each problem under its field, help under the others; `focus` moves to the first one
        (not while the user types: live checks would pull the cursor away)."""
        first: QWidget | None = None
        for f in self.fields:
            note = self.notes[f.key]
            if f.key in problems and self._shows_own_problem(f.key):
                first = first or self.editors[f.key]
            elif f.key in problems:
                note.setText(problems[f.key])
                note.setStyleSheet(ERROR_STYLE)
                note.setVisible(True)
                first = first or self._focus_widget(self.editors[f.key])
            else:
                note.setText(field_text(f.help))
                note.setStyleSheet(HELP_STYLE)
                note.setVisible(bool(f.help))
        if first is not None and focus:
            first.setFocus()

    def _shows_own_problem(self, key: str) -> bool:
        """A bound editor with a `problem()` method says what is wrong itself, where it is typed."""
        return key in self.bound and callable(getattr(self.bound[key], "problem", None))

    def problem(self, key: str) -> str:
        """The problem shown under a field ('' when none)."""
        if self._shows_own_problem(key):
            return str(self.bound[key].problem())
        note = self.notes[key]
        return note.text() if note.styleSheet() == ERROR_STYLE and not note.isHidden() else ""
