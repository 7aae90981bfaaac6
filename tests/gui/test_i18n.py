"""English and Italian: the translation files stay in step with the sources, Italian is complete and
safe to format, and the GUI really switches language (Custode's texts and Qt's own buttons)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWizard
from pytestqt.qtbot import QtBot

from app.core.catalog import Catalog
from app.core.profile import Profile
from app.core.repository import Repository
from app.gui import i18n
from app.gui.i18n import current_language, install_language, number, tr
from app.gui.jobpanel import JobsPanel
from app.gui.restore_wizard import RestoreWizard
from app.gui.welcome import WelcomeWizard
from tests.gui.fakes import make_backups

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "resources" / "translations"
TS_FILES = sorted(TRANSLATIONS.glob("custode_*.ts"))
TOOLS = Path(sys.executable).parent
PLACEHOLDER = re.compile(r"\{(\w*)\}")
TAG = re.compile(r"</?\w+>")
Key = tuple[str, str, str, bool]   # context, source, disambiguation, plural


def messages(path: Path) -> dict[Key, list[str]]:
    """Every message of a .ts file: its key, and its translation (one entry per plural form)."""
    out: dict[Key, list[str]] = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            if translation.get("type") in ("vanished", "obsolete"):
                continue
            plural = message.get("numerus") == "yes"
            forms = ([f.text or "" for f in translation.iter("numerusform")] if plural
                     else [translation.text or ""])
            key = (name, message.findtext("source") or "", message.findtext("comment") or "", plural)
            out[key] = forms
    return out


@pytest.fixture
def italian(qapp: QApplication) -> Iterator[None]:
    assert install_language(qapp, "it")
    try:
        yield
    finally:
        install_language(qapp, "en")


def test_there_are_translation_files() -> None:
    assert [p.name for p in TS_FILES] == ["custode_en.ts", "custode_it.ts"]


def test_ts_files_hold_every_text_of_the_sources(tmp_path: Path) -> None:
    """lupdate over the sources into a copy finds no text the committed files lack, nor drops one."""
    for path in TS_FILES:
        shutil.copy(path, tmp_path / path.name)
    env = dict(os.environ, PYSIDE6_BIN=str(TOOLS), TRANSLATIONS=str(tmp_path))
    subprocess.run([str(ROOT / "scripts" / "update-translations")], env=env, check=True,
                   capture_output=True)
    for path in TS_FILES:
        committed, current = set(messages(path)), set(messages(tmp_path / path.name))
        new = sorted(source for _, source, _, _ in current - committed)
        gone = sorted(source for _, source, _, _ in committed - current)
        assert not new and not gone, (f"{path.name} is out of step with the sources (new: {new}; "
                                      f"no longer used: {gone}): run scripts/update-translations "
                                      "and translate what is new")


@pytest.mark.parametrize("path", TS_FILES, ids=lambda p: p.name)
def test_every_text_is_translated(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert 'type="unfinished"' not in text, f"{path.name} has unfinished translations"
    for (_, source, _, plural), forms in messages(path).items():
        assert len(forms) == (2 if plural else 1), f"{source!r}: {len(forms)} forms in {path.name}"
        assert all(form.strip() for form in forms), f"{source!r} has no translation in {path.name}"


def test_italian_covers_every_text() -> None:
    english_plurals = {key for key in messages(TRANSLATIONS / "custode_en.ts")}
    italian = messages(TRANSLATIONS / "custode_it.ts")
    assert english_plurals == {key for key in italian if key[3]}
    assert len(italian) > 150


@pytest.mark.parametrize("path", TS_FILES, ids=lambda p: p.name)
def test_qm_is_compiled_from_the_ts(path: Path, tmp_path: Path) -> None:
    # lrelease is deterministic (the same .ts gives the same bytes), so bytes can be compared.
    compiled = tmp_path / "out.qm"
    subprocess.run([str(TOOLS / "pyside6-lrelease"), "-silent", str(path), "-qm", str(compiled)], check=True)
    assert compiled.read_bytes() == path.with_suffix(".qm").read_bytes(), \
        f"{path.with_suffix('.qm').name} is older than {path.name}: run scripts/update-translations"


@pytest.mark.parametrize("path", TS_FILES, ids=lambda p: p.name)
def test_translations_keep_placeholders_tags_and_shortcuts(path: Path) -> None:
    """A {name} lost or added would make .format() raise in the GUI; %n, tags and & matter too."""
    for (_, source, _, _), forms in messages(path).items():
        for form in forms:
            where = f"{path.name}: {source!r} -> {form!r}"
            assert Counter(PLACEHOLDER.findall(form)) == Counter(PLACEHOLDER.findall(source)), where
            assert ("%n" in form) == ("%n" in source), where
            assert Counter(TAG.findall(form)) == Counter(TAG.findall(source)), where
            assert form.count("&") == source.count("&"), where


def test_english_plurals_read_right_without_installing_anything() -> None:
    assert current_language() == "en"
    assert tr("%n table(s)", "", 1) == "1 table"
    assert tr("%n table(s)", "", 3) == "3 tables"
    assert tr("%n job(s)", "", 10000) == "10,000 jobs"
    assert tr("Which backup?") == "Which backup?"


def test_every_italian_text_is_found_at_run_time(italian: None) -> None:
    """The context lupdate gives bare tr() calls is the one tr() looks in."""
    for (context, source, comment, plural), forms in messages(TRANSLATIONS / "custode_it.ts").items():
        if context != i18n.CONTEXT:
            continue
        if plural:
            assert tr(source, comment, 1) == forms[0].replace("%n", "1")
            assert tr(source, comment, 1234) == forms[1].replace("%n", "1\u00a0234")
        else:
            assert tr(source, comment) == forms[0]


def test_install_language(qapp: QApplication, italian: None) -> None:
    assert current_language() == "it"
    assert tr("%n table(s)", "", 1) == "1 tabella" and tr("%n table(s)", "", 0) == "0 tabelle"
    assert number(1234567) == "1\u00a0234\u00a0567"
    assert not install_language(qapp, "de")
    assert current_language() == "it" and tr("Which backup?") == "Quale backup?"
    assert install_language(qapp, "en")
    assert current_language() == "en" and tr("Which backup?") == "Which backup?"
    assert number(1234567) == "1,234,567"
    assert set(i18n.LANGUAGES) == {"en", "it"}


def make_wizard(qtbot: QtBot, tmp_path: Path, repo: Repository, name: str) -> RestoreWizard:
    ids = make_backups(repo)
    jobs = JobsPanel()
    qtbot.addWidget(jobs)
    wizard = RestoreWizard(repo, repo.storage.location, Profile(tmp_path / f"{name}.json"),
                           Catalog(tmp_path / f"{name}.sqlite"), jobs, repo.list_backups(), selected=ids[0])
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def test_restore_wizard_in_italian_then_english(qapp: QApplication, qtbot: QtBot, tmp_path: Path,
                                                repo: Repository, italian: None) -> None:
    wizard = make_wizard(qtbot, tmp_path, repo, "it")
    assert wizard.currentId() == RestoreWizard.CONTENTS
    assert wizard.windowTitle() == "Ripristina un backup"
    assert wizard.currentPage().title() == "Che cosa ripristinare?"
    assert wizard.contents_page.summary.text() == "2 database, 7 tabelle, 33\u00a0941 righe, 1.8 MiB di SQL"
    header = wizard.contents_page.tree.model().headerData(0, Qt.Orientation.Horizontal)
    assert header == "Nome"
    # Qt's own buttons come from Qt's Italian catalog.
    assert wizard.buttonText(QWizard.WizardButton.NextButton).replace("&", "") == "Successivo >"
    assert wizard.buttonText(QWizard.WizardButton.CancelButton) == "Annulla"
    assert wizard.source_page.title() == "Quale backup?"
    wizard.button(QWizard.WizardButton.NextButton).click()
    assert wizard.currentId() == RestoreWizard.TARGET
    # The Designer form translates through its own context (RestoreTarget).
    assert wizard.target_page.ui.serverLabel.text() == "Server di &destinazione:"
    assert "Nessun server configurato" in wizard.target_page.ui.serverNote.text()

    assert install_language(qapp, "en")
    english = make_wizard(qtbot, tmp_path, repo, "en")
    assert english.currentPage().title() == "What should be restored?"
    assert english.buttonText(QWizard.WizardButton.NextButton).replace("&", "") == "Next >"
    assert english.buttonText(QWizard.WizardButton.CancelButton) == "Cancel"
    assert english.contents_page.summary.text().startswith("2 databases, 7 tables, 33,941 rows")


def test_welcome_wizard_in_italian(qtbot: QtBot, tmp_path: Path, italian: None) -> None:
    wizard = WelcomeWizard(Profile(tmp_path / "profile.json"))
    qtbot.addWidget(wizard)
    assert wizard.windowTitle() == "Benvenuti in Custode"
    assert wizard.repository_page.title() == "Dove salvare i backup?"
    assert wizard.server_page.test_button.text() == "Prova la connessione"
