"""Forms built from the profile's field declarations, with inline validation.

A `FieldForm` shows one row per declared `Field` (label, editor, a line of help or of error) and
checks values with the same `validate` the engine uses, so a form can never accept what the
engine would refuse.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core.profile import Field, validate

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
        self.button = QPushButton("Browse…")
        self.button.clicked.connect(self._browse)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)

    def _browse(self) -> None:
        if self.kind == "folder":
            chosen = QFileDialog.getExistingDirectory(self, "Choose a folder", self.edit.text())
        else:
            chosen, _ = QFileDialog.getOpenFileName(self, "Choose a file", self.edit.text())
        if chosen:
            self.edit.setText(chosen)


class FieldForm(QWidget):
    """Editors for `fields`; `changed` fires on any edit."""

    changed = Signal()

    def __init__(self, fields: tuple[Field, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields = fields
        self.editors: dict[str, QWidget] = {}
        self.notes: dict[str, QLabel] = {}
        layout = QFormLayout(self)
        for f in fields:
            editor = self._editor(f)
            self.editors[f.key] = editor
            note = QLabel(f.help)
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
            label = QLabel(f.label + (" *" if f.required else ""))
            label.setBuddy(self._focus_widget(editor))
            layout.addRow(label, cell)

    def _editor(self, f: Field) -> QWidget:
        if f.kind == "int":
            spin = QSpinBox()
            spin.setRange(f.minimum, f.maximum or 2_000_000_000)
            spin.setValue(int(f.default or f.minimum))
            spin.valueChanged.connect(self.changed)
            spin.setObjectName(f"field-{f.key}")
            return spin
        if f.kind in ("file", "folder"):
            path = _PathEdit(f.kind)
            path.edit.setPlaceholderText(f.placeholder)
            path.edit.textChanged.connect(self.changed)
            path.edit.setObjectName(f"field-{f.key}")
            return path
        edit = QLineEdit()
        edit.setObjectName(f"field-{f.key}")
        edit.setPlaceholderText(f.placeholder)
        if f.default is not None:
            edit.setText(str(f.default))
        if f.kind == "secret":
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.textChanged.connect(self.changed)
        return edit

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
            if isinstance(editor, QSpinBox):
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
            if isinstance(editor, QSpinBox):
                editor.setValue(int(value or 0))
            elif isinstance(editor, _PathEdit):
                editor.edit.setText(str(value or ""))
            elif isinstance(editor, QLineEdit):
                editor.setText(str(value or ""))

    def check(self) -> bool:
        """Validate, show each problem under its field, focus the first; True when all is well."""
        problems = validate(self.fields, self.values())
        self.show_problems(problems)
        return not problems

    def show_problems(self, problems: dict[str, str]) -> None:
        first: QWidget | None = None
        for f in self.fields:
            note = self.notes[f.key]
            if f.key in problems:
                note.setText(problems[f.key])
                note.setStyleSheet(ERROR_STYLE)
                note.setVisible(True)
                first = first or self._focus_widget(self.editors[f.key])
            else:
                note.setText(f.help)
                note.setStyleSheet(HELP_STYLE)
                note.setVisible(bool(f.help))
        if first is not None:
            first.setFocus()

    def problem(self, key: str) -> str:
        """The problem shown under a field ('' when none)."""
        note = self.notes[key]
        return note.text() if note.styleSheet() == ERROR_STYLE and not note.isHidden() else ""
