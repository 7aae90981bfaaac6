"""Fixtures for the GUI tests: message boxes that never block, a repository with backups.

Every GUI test runs with the application's own collector (app/gui/collector.py): cyclic garbage
is freed by the GUI thread only, as in `custode-gui`.  `CUSTODE_TEST_GC=aggressive` (set by
scripts/stress-gui) lowers the thresholds to (1, 1, 1) and makes that collector look at every
turn of the event loop: a Qt wrapper that only a reference cycle keeps, or one freed at the
wrong moment, then shows up at once.  `CUSTODE_TEST_GC=aggressive-anywhere` lowers the thresholds
but leaves the collection to Python, in whichever thread allocates: the condition before the
application had its own collector, kept to measure against.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from app.core.repository import Repository
from app.gui.collector import GuiCollector
from tests.gui.fakes import make_backups

GC_MODE = os.environ.get("CUSTODE_TEST_GC", "")
if GC_MODE in ("aggressive", "aggressive-anywhere"):
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
def collector(qapp: QApplication) -> Iterator[GuiCollector]:
    """The application's collector, for the length of one test (Python's own after it)."""
    own = GuiCollector(interval_ms=0, full_min_gap=0.0) if GC_MODE == "aggressive" else GuiCollector()
    if GC_MODE != "aggressive-anywhere":
        own.install()
    yield own
    own.uninstall()
    del own


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
