"""Fixtures for the GUI tests: message boxes that never block, a repository with backups.

`CUSTODE_TEST_GC=aggressive` (set by scripts/stress-gui) makes the cyclic garbage collector run
at almost every allocation, in whichever thread allocates: the condition under which a Qt wrapper
freed at the wrong moment crashes the process.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from app.core.repository import Repository
from tests.gui.fakes import make_backups

if os.environ.get("CUSTODE_TEST_GC") == "aggressive":
    gc.set_threshold(1, 1, 1)


class Boxes:
    """Records every QMessageBox the code under test shows, instead of showing it."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str, str]] = []   # (kind, title, text)
        self.answer = QMessageBox.StandardButton.Yes     # what question() answers

    def kinds(self) -> list[str]:
        return [kind for kind, _, _ in self.shown]

    def text(self) -> str:
        return "\n".join(f"{title}: {text}" for _, title, text in self.shown)


@pytest.fixture(autouse=True)
def boxes(monkeypatch: pytest.MonkeyPatch) -> Iterator[Boxes]:
    recorder = Boxes()
    for kind in ("information", "warning", "critical", "question"):
        def fake(_parent: Any, title: str, text: str, *_args: Any, _kind: str = kind,
                 **_kwargs: Any) -> QMessageBox.StandardButton:
            recorder.shown.append((_kind, title, text))
            return recorder.answer if _kind == "question" else QMessageBox.StandardButton.Ok
        monkeypatch.setattr(QMessageBox, kind, staticmethod(fake))
    yield recorder


@pytest.fixture
def backup_ids(repo: Repository) -> list[str]:
    """Three backups in `repo`, newest first."""
    return make_backups(repo)
