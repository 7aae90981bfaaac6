"""The restore wizard, driven like a user would, onto a real throwaway server.

Restored data is checked with the independent fingerprint (row counts, a hash of every row, every
definition), the same referee as the engine's round-trip tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from app.core.backup import BackupOptions, run_backup
from app.core.catalog import Catalog
from app.core.localserver import LocalServer
from app.core.profile import Profile, ServerEntry
from app.core.repository import Repository
from app.core.restore import RestoreOptions, plan_restore, run_restore
from app.core.server import ServerSpec
from app.core.storage import LocalStorage
from app.gui.jobpanel import JobsPanel
from app.gui.restore_contents import ContentsModel
from app.gui.restore_wizard import RestoreWizard
from tests.gui.conftest import Boxes
from tests.helpers.fingerprint import diff
from tests.helpers.fixtures import TEST_KDF
from tests.helpers.servers import databases_of, drop_user_databases, execute, fingerprint_of

DATABASES = ["sakila", "hostile", "hostile_other"]


@pytest.fixture(scope="module")
def backup(tmp_path_factory: pytest.TempPathFactory, source_server: LocalServer) -> tuple[Repository, str]:
    repo = Repository.init(LocalStorage(tmp_path_factory.mktemp("wizard") / "repo"), "pw", kdf=TEST_KDF)
    result = run_backup(repo, ServerSpec.parse(source_server.url), "", BackupOptions(databases=DATABASES))
    return repo, result.backup_id


@pytest.fixture
def target(target_server: LocalServer) -> Iterator[LocalServer]:
    drop_user_databases(target_server)
    yield target_server
    drop_user_databases(target_server)


def entry_for(name: str, server: LocalServer) -> ServerEntry:
    spec = ServerSpec.parse(server.url)
    return ServerEntry(name=name, user=spec.user, socket=spec.socket or "", has_password=False)


def assert_same(expected: dict[str, Any], actual: dict[str, Any]) -> None:
    differences = diff(expected, actual)
    assert not differences, "\n".join(differences[:20])


class Driver:
    """A wizard with its jobs panel, and the moves a user makes."""

    def __init__(self, qtbot: QtBot, tmp_path: Path, backup: tuple[Repository, str],
                 servers: list[ServerEntry], selected: str | None = None) -> None:
        self.qtbot = qtbot
        repo, _ = backup
        self.profile = Profile(tmp_path / "profile.json", servers=servers)
        self.catalog = Catalog(tmp_path / "catalog.sqlite")
        self.jobs = JobsPanel()
        qtbot.addWidget(self.jobs)
        self.wizard = RestoreWizard(repo, repo.storage.location, self.profile, self.catalog, self.jobs,
                                    repo.list_backups(), selected=selected)
        qtbot.addWidget(self.wizard)
        self.wizard.show()

    def next(self) -> None:
        self.wizard.button(QWizard.WizardButton.NextButton).click()

    def commit(self) -> None:
        button = self.wizard.button(QWizard.WizardButton.CommitButton)
        assert button.isEnabled(), "the Restore button is disabled"
        button.click()

    def to_check(self, server: str, rename: dict[str, str] | None = None) -> str:
        """From the contents page: pick the server and names, go to the checks; their outcome."""
        self.next()
        assert self.wizard.currentId() == RestoreWizard.TARGET
        page = self.wizard.target_page
        page.ui.serverBox.setCurrentIndex(page.ui.serverBox.findData(server))
        table = page.ui.namesTable
        for row in range(table.rowCount()):
            source = table.item(row, 0).text()
            if rename and source in rename:
                table.item(row, 1).setText(rename[source])
        with self.qtbot.waitSignal(self.wizard.check_page.checked, timeout=30000) as blocker:
            self.next()
        return str(blocker.args[0])

    def restore(self) -> str:
        with self.qtbot.waitSignal(self.wizard.run_page.ended, timeout=120000) as blocker:
            self.commit()
        outcome = str(blocker.args[0])
        return outcome if outcome != "failed" else f"failed: {self.wizard.run_page.detail.text()}"


@pytest.mark.slow
def test_whole_backup_onto_another_server_restores_identical(
        qtbot: QtBot, tmp_path: Path, backup: tuple[Repository, str], source_server: LocalServer,
        target: LocalServer, boxes: Boxes) -> None:
    drive = Driver(qtbot, tmp_path, backup, [entry_for("source", source_server), entry_for("target", target)],
                   selected=backup[1])
    wizard = drive.wizard
    assert wizard.currentId() == RestoreWizard.CONTENTS   # opened on the chosen backup
    manifest = backup[0].load_backup(backup[1])
    tables, rows, _ = wizard.contents_page.model.totals()  # type: ignore[union-attr]
    assert tables == sum(len(d["tables"]) + len(d["sequences"]) for d in manifest["databases"])
    assert rows == manifest["totals"]["rows"]
    assert f"{rows:,} rows" in wizard.contents_page.summary.text()

    assert drive.to_check("target") == "ok"
    check = wizard.check_page
    text = check.report.toPlainText()
    assert "Connected to target" in text and "Space:" in text and "Nothing on the target is replaced" in text
    assert not check.confirm.isVisible()   # nothing replaced: no typed confirmation
    assert drive.restore() == "ok"

    assert_same(fingerprint_of(source_server, DATABASES), fingerprint_of(target, DATABASES))
    report = wizard.run_page.report.toPlainText()
    assert f"{rows:,} rows" in report and "sakila" in report
    assert wizard.button(QWizard.WizardButton.FinishButton).isVisible()
    assert not wizard.button(QWizard.WizardButton.CancelButton).isVisible()   # only Finish is left
    [job] = drive.catalog.jobs()
    assert (job["kind"], job["status"], job["backup_id"], job["rows"]) == ("restore", "ok", backup[1], rows)
    assert boxes.shown == []


@pytest.mark.slow
def test_some_tables_under_a_new_name(qtbot: QtBot, tmp_path: Path, backup: tuple[Repository, str],
                                      source_server: LocalServer, target: LocalServer) -> None:
    drive = Driver(qtbot, tmp_path, backup, [entry_for("target", target)], selected=backup[1])
    page = drive.wizard.contents_page
    model = page.model
    assert model is not None
    page.none_button.click()
    assert not drive.wizard.button(QWizard.WizardButton.NextButton).isEnabled()   # nothing chosen
    page.search.setText("film_")
    visible = {page.proxy.index(r, 0, page.proxy.index(0, 0)).data()
               for r in range(page.proxy.rowCount(page.proxy.index(0, 0)))}
    assert visible == {"film_actor", "film_category", "film_text"}
    for item in model.databases():
        if item.data(Qt.ItemDataRole.UserRole) == "sakila":
            for row in range(item.rowCount()):
                if item.child(row, 0).text() in ("film_actor", "actor"):
                    item.child(row, 0).setCheckState(Qt.CheckState.Checked)
    assert model.selection() == (["sakila"], ["sakila.actor", "sakila.film_actor"], False)

    assert drive.to_check("target", rename={"sakila": "sakila_copy"}) == "ok"
    assert drive.restore() == "ok"
    assert "sakila" not in databases_of(target)
    restored = fingerprint_of(target, ["sakila"], {"sakila": "sakila_copy"})["sakila"]["tables"]
    source = fingerprint_of(source_server, ["sakila"])["sakila"]["tables"]
    assert set(restored) == {"actor", "film_actor"}
    assert_same({k: source[k] for k in restored}, restored)


@pytest.mark.slow
def test_replacing_asks_for_the_typed_name_and_keeps_a_safety_copy(
        qtbot: QtBot, tmp_path: Path, backup: tuple[Repository, str], source_server: LocalServer,
        target: LocalServer) -> None:
    repo, backup_id = backup
    spec = ServerSpec.parse(target.url)
    options = RestoreOptions(databases=["sakila"])
    run_restore(repo, plan_restore(repo, backup_id, spec, "", options), spec, "", options)
    execute(target, "UPDATE sakila.actor SET first_name='CHANGED' WHERE actor_id=1")

    drive = Driver(qtbot, tmp_path, backup, [entry_for("target", target)], selected=backup_id)
    for item in drive.wizard.contents_page.model.databases():  # type: ignore[union-attr]
        if item.data(Qt.ItemDataRole.UserRole) != "sakila":
            item.setCheckState(Qt.CheckState.Unchecked)
    assert drive.to_check("target") == "ok"
    check = drive.wizard.check_page
    assert "existing objects will be replaced" in check.report.toPlainText()
    assert "table sakila.actor" in check.report.toPlainText()
    commit = drive.wizard.button(QWizard.WizardButton.CommitButton)
    assert check.confirm.isVisible() and not commit.isEnabled()
    check.confirm.setText("sakil")
    assert not commit.isEnabled()
    check.confirm.setText("sakila")
    assert commit.isEnabled()
    assert drive.restore() == "ok"

    assert_same(fingerprint_of(source_server, ["sakila"]), fingerprint_of(target, ["sakila"]))
    report = drive.wizard.run_page.report_html(drive.wizard.run_page.row.result.report)  # type: ignore[union-attr]
    safety = drive.wizard.run_page.row.result.report.safety_schema  # type: ignore[union-attr]
    assert safety and safety in report
    connection = target.connect()
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT first_name FROM `{safety}`.actor WHERE actor_id=1")
            assert cursor.fetchone()[0] == "CHANGED"   # what was replaced is kept
    finally:
        connection.close()


@pytest.mark.slow
def test_cancel_while_restoring_leaves_the_target_as_it_was(
        qtbot: QtBot, tmp_path: Path, backup: tuple[Repository, str], target: LocalServer,
        boxes: Boxes) -> None:
    drive = Driver(qtbot, tmp_path, backup, [entry_for("target", target)], selected=backup[1])
    assert drive.to_check("target") == "ok"
    with qtbot.waitSignal(drive.wizard.run_page.ended, timeout=60000) as blocker:
        drive.commit()
        drive.wizard.reject()          # Cancel (or Escape) while it runs: asks, then stops
        assert drive.wizard.isVisible()   # the wizard stays to say how it ended
    assert blocker.args == ["cancelled"]
    assert [kind for kind, _, _ in boxes.shown] == ["question"]
    assert databases_of(target).isdisjoint(DATABASES)
    assert not any(name.startswith("custode_") for name in databases_of(target))
    assert "left as it was" in drive.wizard.run_page.report.toPlainText()
    [job] = drive.catalog.jobs()
    assert job["status"] == "cancelled"


def test_an_unreachable_target_is_reported_and_blocks_the_restore(
        qtbot: QtBot, tmp_path: Path, backup: tuple[Repository, str]) -> None:
    gone = ServerEntry(name="gone", user="root", socket=str(tmp_path / "no.sock"), has_password=False)
    drive = Driver(qtbot, tmp_path, backup, [gone], selected=backup[1])
    assert drive.to_check("gone") == "failed"
    check = drive.wizard.check_page
    text = check.report.toPlainText()
    assert "no.sock" in text and "Nothing was changed" in text
    assert not drive.wizard.button(QWizard.WizardButton.CommitButton).isEnabled()
    assert check.again.isEnabled()


def test_target_names_are_checked_before_going_on(qtbot: QtBot, tmp_path: Path,
                                                 backup: tuple[Repository, str], target: LocalServer) -> None:
    drive = Driver(qtbot, tmp_path, backup, [entry_for("target", target)], selected=backup[1])
    drive.next()
    page = drive.wizard.target_page
    table, note = page.ui.namesTable, page.ui.namesNote
    next_button = drive.wizard.button(QWizard.WizardButton.NextButton)
    assert next_button.isEnabled() and note.text() == ""
    names = {table.item(r, 0).text(): r for r in range(table.rowCount())}
    for value, message in (("", "Give sakila a name"), ("hostile", "Two databases would be restored as"),
                           ("custode_x", "Custode's own"), ("a" * 65, "at most 64"),
                           ("a.b", "cannot hold")):
        table.item(names["sakila"], 1).setText(value)
        assert message in note.text()
        assert not next_button.isEnabled()
    table.item(names["sakila"], 1).setText("sakila_2")
    assert note.text() == "" and next_button.isEnabled()
    page.ui.safetyCopy.setChecked(False)
    assert "gone for good" in page.ui.safetyNote.text()


def test_contents_ticks_turn_into_restore_options(backup: tuple[Repository, str]) -> None:
    manifest = backup[0].load_backup(backup[1])
    model = ContentsModel(manifest)
    assert sorted(model.selection()[0]) == sorted(DATABASES) and model.selection()[1:] == ([], True)
    [sakila] = [i for i in model.databases() if i.data(Qt.ItemDataRole.UserRole) == "sakila"]
    sakila.setCheckState(Qt.CheckState.Unchecked)
    assert all(sakila.child(r, 0).checkState() == Qt.CheckState.Unchecked for r in range(sakila.rowCount()))
    assert sorted(model.selection()[0]) == ["hostile", "hostile_other"]
    assert model.selection()[1:] == ([], False)
    sakila.child(0, 0).setCheckState(Qt.CheckState.Checked)
    assert sakila.checkState() == Qt.CheckState.PartiallyChecked
    first = sakila.child(0, 0).text()
    databases, tables, everything = model.selection()
    assert sorted(databases) == sorted(DATABASES) and tables == [f"sakila.{first}"] and not everything
    [sakila_entry] = [d for d in manifest["databases"] if d["name"] == "sakila"]
    table = next(t for t in sakila_entry["tables"] if t["name"] == first)
    others = sum(t["rows"] for d in manifest["databases"] if d["name"] != "sakila" for t in d["tables"])
    assert model.totals()[1] == table["rows"] + others


def test_window_restore_opens_the_wizard_on_the_selected_backup(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, backup: tuple[Repository, str]) -> None:
    from app.gui import main as gui_main
    monkeypatch.setenv("CUSTODE_PASSWORD", "pw")
    window = gui_main.create_window(["--repo", backup[0].storage.location])
    qtbot.addWidget(window)
    assert window.restore_action.isEnabled()
    window.select_backup(backup[1])
    window.restore_action.trigger()
    wizard = window.restore_wizard
    assert wizard is not None and wizard.currentId() == RestoreWizard.CONTENTS
    assert wizard.manifest["id"] == backup[1]
    assert not window.restore_action.isEnabled()   # one restore wizard at a time
    wizard.reject()
    assert window.restore_wizard is None and window.restore_action.isEnabled()
