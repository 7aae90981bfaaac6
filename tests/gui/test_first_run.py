"""First run: the welcome wizard creates a repository and adds a server, with inline validation,
"Test connection" against a real server, and the demo server; then "Back up now" runs as a job."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from app.core import secrets
from app.core.catalog import JobFilter
from app.core.localserver import LocalServer
from app.core.profile import Profile
from app.gui import main as gui_main
from app.gui.welcome import WelcomeWizard
from app.gui.window import MainWindow
from tests.gui.conftest import Boxes

PASSPHRASE = "correct horse battery"


def start(qtbot: QtBot) -> tuple[MainWindow, WelcomeWizard]:
    window = gui_main.create_window([])
    qtbot.addWidget(window)
    wizard = window.wizard
    assert isinstance(wizard, WelcomeWizard) and wizard.isVisible()
    return window, wizard


def fill_repository(wizard: WelcomeWizard, location: Path, passphrase: str = PASSPHRASE,
                    confirm: str | None = None) -> None:
    page = wizard.repository_page
    page.form.set_values({"name": "local", "location": str(location), "passphrase": passphrase})
    page.confirm.setText(passphrase if confirm is None else confirm)


def fill_server(wizard: WelcomeWizard, server: LocalServer, user: str = "root") -> None:
    wizard.server_page.form.set_values({"name": "source", "socket": server.socket, "user": user,
                                        "password": ""})


def test_a_fresh_profile_opens_the_wizard_and_ends_with_a_repository_and_a_server(
        qtbot: QtBot, tmp_path: Path, source_server: LocalServer) -> None:
    window, wizard = start(qtbot)
    fill_repository(wizard, tmp_path / "backups")
    wizard.next()
    assert wizard.currentPage() is wizard.server_page
    assert (tmp_path / "backups" / "config").exists()
    repo_id = wizard.repo.config["id"]  # type: ignore[union-attr]
    assert secrets.get_secret(secrets.REPOSITORY_SERVICE, repo_id) == PASSPHRASE

    page = wizard.server_page
    fill_server(wizard, source_server, user="nobody")
    with qtbot.waitSignal(page.test_done, timeout=20000) as bad:
        page.test_button.click()
    assert bad.args == ["failed"] and "Access denied" in page.test_result.text()
    fill_server(wizard, source_server)
    with qtbot.waitSignal(page.test_done, timeout=20000) as good:
        page.test_button.click()
    assert good.args == ["ok"] and page.test_result.text().startswith("Connected: 10.")

    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: window.wizard is None)
    profile = Profile.load()
    assert [s.name for s in profile.servers] == ["source"]
    assert [r.location for r in profile.repositories] == [str(tmp_path / "backups")]
    assert window.repo is not None and window.current_server() is not None
    assert window.backup_action.isEnabled()


def test_the_repository_page_explains_each_mistake_under_its_field(qtbot: QtBot, tmp_path: Path) -> None:
    _, wizard = start(qtbot)
    page = wizard.repository_page
    fill_repository(wizard, tmp_path / "r", passphrase="")
    wizard.next()
    assert page.form.problem("passphrase") == "Passphrase is required."
    fill_repository(wizard, tmp_path / "r", passphrase="short")
    wizard.next()
    assert page.form.problem("passphrase") == "Use at least 8 characters."
    fill_repository(wizard, tmp_path / "r", confirm="something else")
    wizard.next()
    assert "differ" in page.form.problem("passphrase")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "photo.jpg").write_bytes(b"x")
    fill_repository(wizard, tmp_path / "full")
    wizard.next()
    assert "not empty" in page.form.problem("location")
    assert wizard.currentPage() is page and not (tmp_path / "full" / "config").exists()


def test_opening_an_existing_repository_with_a_wrong_passphrase_is_refused(
        qtbot: QtBot, tmp_path: Path) -> None:
    _, wizard = start(qtbot)
    fill_repository(wizard, tmp_path / "r")
    wizard.next()
    _, again = start(qtbot)
    again.repository_page.open_radio.setChecked(True)
    fill_repository(again, tmp_path / "r", passphrase="not the passphrase")
    again.next()
    assert "passphrase" in again.repository_page.form.problem("passphrase").lower()
    assert again.currentPage() is again.repository_page


def test_server_fields_are_validated_before_any_connection(qtbot: QtBot, tmp_path: Path) -> None:
    _, wizard = start(qtbot)
    fill_repository(wizard, tmp_path / "r")
    wizard.next()
    page = wizard.server_page
    page.form.set_values({"name": "", "socket": str(tmp_path / "nothing.sock"), "user": ""})
    page.test_button.click()
    assert page.form.problem("name") == "Name is required."
    assert page.form.problem("user") == "User is required."
    assert "No socket" in page.form.problem("socket")
    assert page.job_thread is None   # nothing was started


def _ready_window(qtbot: QtBot, tmp_path: Path, server: LocalServer) -> MainWindow:
    window, wizard = start(qtbot)
    fill_repository(wizard, tmp_path / "backups")
    wizard.next()
    fill_server(wizard, server)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: window.wizard is None)
    return window


def test_back_up_now_shows_progress_and_records_the_job(qtbot: QtBot, tmp_path: Path,
                                                        source_server: LocalServer) -> None:
    window = _ready_window(qtbot, tmp_path, source_server)
    with qtbot.waitSignal(window.backup_done, timeout=120000) as done:
        row = window.backup_now()
        assert row is not None
        qtbot.waitUntil(lambda: row.bar.value() > 0 or not row.running, timeout=60000)
    assert done.args == ["ok"]
    assert row.outcome == "ok" and row.message.startswith("Backup ") and "rows" in row.message
    assert window.model.rowCount() == 1
    selected = window.selected_manifest()
    assert selected is not None and selected["id"] == row.result.backup_id   # shown at once
    jobs = window.catalog.jobs(JobFilter(kinds=("backup",)))
    assert [j["status"] for j in jobs] == ["ok"] and jobs[0]["rows"] > 40000
    assert window.history.model.rowCount() == 1


def test_a_cancelled_backup_leaves_nothing_and_is_recorded(qtbot: QtBot, tmp_path: Path,
                                                           source_server: LocalServer) -> None:
    window = _ready_window(qtbot, tmp_path, source_server)
    with qtbot.waitSignal(window.backup_done, timeout=120000) as done:
        row = window.backup_now()
        assert row is not None
        row.cancel_button.click()
    assert done.args == ["cancelled"]
    assert window.repo is not None and window.repo.list_backups() == []
    assert [j["status"] for j in window.catalog.jobs()] == ["cancelled"]


def test_closing_during_a_backup_asks_first(qtbot: QtBot, tmp_path: Path, boxes: Boxes,
                                            source_server: LocalServer) -> None:
    window = _ready_window(qtbot, tmp_path, source_server)
    row = window.backup_now()
    assert row is not None
    from PySide6.QtWidgets import QMessageBox
    boxes.answer = QMessageBox.StandardButton.No
    window.close()
    assert window.isVisible() and row.running and boxes.kinds() == ["question"]
    boxes.answer = QMessageBox.StandardButton.Yes
    window.close()
    assert not window.isVisible() and not row.running
    statuses = [j["status"] for j in window.catalog.jobs()]
    assert statuses in (["cancelled"], ["ok"])   # "ok" only if it finished before the answer
    assert window.repo is not None and len(window.repo.list_backups()) == statuses.count("ok")


@pytest.mark.slow
def test_the_demo_server_is_one_click_away(qtbot: QtBot, tmp_path: Path) -> None:
    window, wizard = start(qtbot)
    fill_repository(wizard, tmp_path / "backups")
    wizard.next()
    page = wizard.server_page
    with qtbot.waitSignal(page.demo_done, timeout=120000) as ready:
        page.demo_button.click()
    assert ready.args == ["ok"], page.demo_status.text()
    assert page.form.values()["name"] == "demo (Sakila)"
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: window.wizard is None)
    assert window.current_server() is not None and window.current_server().demo  # type: ignore[union-attr]
    try:
        with qtbot.waitSignal(window.backup_done, timeout=120000) as done:
            window.backup_now()
        assert done.args == ["ok"]
        backup = window.repo.list_backups()[0]  # type: ignore[union-attr]
        assert [d["name"] for d in backup["databases"]] == ["sakila"]
    finally:
        window.close()
    assert window.demo is None
