"""The Settings dialog: servers (with Test connection), repositories and plans, saved or not at all."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QLabel
from pytestqt.qtbot import QtBot

from app.core import secrets
from app.core.localserver import LocalServer
from app.core.plans import Plan
from app.core.profile import Profile, RepositoryEntry, ServerEntry
from app.gui.settings import SettingsDialog
from tests.gui.conftest import Boxes

NOW = datetime(2026, 11, 23, 12, 0)


@pytest.fixture
def profile(tmp_path: Path) -> Profile:
    """A saved profile: two servers (one with a password), two repositories, one plan."""
    profile = Profile.load()
    profile.put_server(ServerEntry(name="shop", host="db.example.com"), password="shop-pw")
    profile.put_server(ServerEntry(name="crm", host="crm.example.com", has_password=False))
    profile.put_repository(RepositoryEntry("local", str(tmp_path / "r1")))
    profile.put_repository(RepositoryEntry("nas", str(tmp_path / "r2")))
    profile.put_plan(Plan("nightly", "shop", ["local", "nas"]))
    profile.settings["notifications"] = {"desktop": {"enabled": True}}
    profile.save()
    return profile


def open_dialog(qtbot: QtBot, profile: Profile, page: str) -> SettingsDialog:
    dialog = SettingsDialog(profile, now=lambda: NOW)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.show_page(page)
    return dialog


def test_a_plan_made_in_the_dialog_lands_in_the_profile_file(qtbot: QtBot, profile: Profile) -> None:
    dialog = open_dialog(qtbot, profile, "Plans")
    page = dialog.plans
    page.add_button.click()
    assert page.current == "nightly 2"
    page.form.set_values({"name": "crm weekly", "server": "crm", "databases": ["crm", "audit"],
                          "backup_type": "incremental", "keep_within": "14d", "verify": False})
    page.repositories.set_value(["nas", "local"])          # nas first: the primary
    page.schedule.presets["weekly"].click()
    assert page.list.currentItem().text() == "crm weekly" and dialog.save_button.isEnabled()
    dialog.save_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = json.loads(profile.path.read_text())["plans"]
    assert [p["name"] for p in saved] == ["nightly", "crm weekly"]
    assert saved[1] | {"schedule": "?"} == {
        "name": "crm weekly", "server": "crm", "repositories": ["nas", "local"], "schedule": "?",
        "databases": ["crm", "audit"], "backup_type": "incremental", "keep_last": 0,
        "keep_within": "14d", "keep_daily": 7, "keep_weekly": 4, "keep_monthly": 12, "keep_yearly": 0,
        "verify": False, "notify_on_failure": True}
    assert saved[1]["schedule"] == "30 2 * * 1"
    assert Profile.load().plan("crm weekly") == profile.plan("crm weekly")


def test_cancel_leaves_the_file_and_the_keyring_as_they_were(qtbot: QtBot, profile: Profile) -> None:
    before = profile.path.read_bytes()
    dialog = open_dialog(qtbot, profile, "Servers")
    dialog.servers.form.set_values({"name": "shop-db", "port": 3307, "password": "new-pw"})
    dialog.servers.add_button.click()
    assert dialog.show_page("Plans")
    assert dialog.plans.form.values()["server"] == "shop-db"      # the rename reached the plan
    dialog.plans.form.set_values({"keep_daily": 30})
    dialog.general.form.set_values({"language": "it"})
    dialog.reject()
    assert profile.path.read_bytes() == before
    assert Profile.load() == profile and profile.server("shop") is not None
    assert secrets.get_secret(secrets.SERVER_SERVICE, "mysql://root@db.example.com:3306") == "shop-pw"
    assert secrets.get_secret(secrets.SERVER_SERVICE, "mysql://root@db.example.com:3307") is None


def test_a_bad_schedule_says_why_and_disables_save(qtbot: QtBot, profile: Profile) -> None:
    dialog = open_dialog(qtbot, profile, "Plans")
    schedule = dialog.plans.schedule
    schedule.expression.clear()
    qtbot.keyClicks(schedule.expression, "0 25 * * *")
    assert schedule.meaning.text().startswith("The hour field '25' is not valid: use 0-23")
    assert dialog.plans.form.problem("schedule") == schedule.meaning.text()
    assert not dialog.save_button.isEnabled()
    assert not dialog.show_page("Servers")                       # the page holds on to it
    schedule.expression.clear()
    qtbot.keyClicks(schedule.expression, "0 23 * * *")
    assert dialog.save_button.isEnabled() and schedule.runs.count() == 5
    assert schedule.runs.item(0).text() == "Mon 23 Nov 2026 23:00  ·  in 11 hours"


def test_retention_that_keeps_nothing_is_refused(qtbot: QtBot, profile: Profile) -> None:
    dialog = open_dialog(qtbot, profile, "Plans")
    dialog.plans.form.set_values({"keep_daily": 0, "keep_weekly": 0, "keep_monthly": 0})
    assert dialog.plans.form.problem("keep_last") == "Keeps nothing: set at least one keep rule."
    assert not dialog.save_button.isEnabled()
    dialog.plans.form.set_values({"keep_within": "7"})
    assert dialog.plans.form.problem("keep_within").startswith("Write a duration such as 12h, 7d")
    dialog.plans.form.set_values({"keep_within": "7d"})
    assert dialog.save_button.isEnabled() and dialog.plans.form.problem("keep_last") == ""


def test_what_a_plan_uses_cannot_be_removed(qtbot: QtBot, profile: Profile, boxes: Boxes) -> None:
    dialog = open_dialog(qtbot, profile, "Servers")
    dialog.servers.remove_button.click()                         # "shop", used by "nightly"
    assert boxes.shown == [("warning", "Cannot remove", "The server 'shop' is used by the plan "
                            "'nightly'; change or remove the plan first.")]
    assert dialog.servers.names() == ["shop", "crm"]
    dialog.servers.list.setCurrentRow(1)
    dialog.servers.remove_button.click()                         # "crm" is free to go
    assert dialog.servers.names() == ["shop"]
    dialog.show_page("Repositories")
    dialog.repositories.remove_button.click()
    assert "The repository 'local' is used by the plan 'nightly'" in boxes.text()
    dialog.save_button.click()
    assert [s.name for s in Profile.load().servers] == ["shop"]


def test_saving_a_moved_server_moves_its_password_and_renames_follow(
        qtbot: QtBot, profile: Profile) -> None:
    dialog = open_dialog(qtbot, profile, "Servers")
    dialog.servers.form.set_values({"name": "shop-db", "port": 3307})
    dialog.show_page("Repositories")
    dialog.repositories.form.set_values({"name": "offsite"})
    dialog.repositories.list.setCurrentRow(1)
    dialog.repositories.form.set_values({"name": "offsite"})    # taken: said, and kept out
    assert dialog.repositories.form.problem("name") == "Another repository has this name; choose another."
    dialog.repositories.form.set_values({"name": "nas"})
    with qtbot.waitSignal(dialog.settings_changed) as changed:
        dialog.general.form.set_values({"language": "it", "theme": "dark"})
        dialog.save_button.click()
    assert changed.args == [{"language": "it", "theme": "dark"}]
    again = Profile.load()
    assert again.plans[0].server == "shop-db" and again.plans[0].repositories == ["offsite", "nas"]
    assert again.server("shop-db").password() == "shop-pw"  # type: ignore[union-attr]
    assert secrets.get_secret(secrets.SERVER_SERVICE, "mysql://root@db.example.com:3306") is None
    assert again.settings["notifications"] == {"desktop": {"enabled": True}}   # another page's


def test_an_added_page_is_saved_with_the_rest(qtbot: QtBot, profile: Profile) -> None:
    class Page(QLabel):
        def __init__(self) -> None:
            super().__init__("keys")
            self.answers = [False, True]

        def save(self) -> bool:
            return self.answers.pop(0)

    dialog = open_dialog(qtbot, profile, "General")
    extra = Page()
    dialog.add_page("Keys", extra)
    dialog.save_button.click()
    assert dialog.isVisible() and dialog.stack.currentWidget() is extra   # False keeps it open
    dialog.save_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted and not extra.answers


def test_adding_a_repository_creates_it_with_its_passphrase(
        qtbot: QtBot, profile: Profile, tmp_path: Path) -> None:
    dialog = open_dialog(qtbot, profile, "Repositories")
    added: list[QDialog] = []

    def fill_and_accept() -> None:
        from app.gui.settings_pages import AddRepositoryDialog
        adder = dialog.findChild(AddRepositoryDialog)
        assert adder is not None and adder.isVisible()
        added.append(adder)
        adder.page.form.set_values({"location": str(tmp_path / "new"), "passphrase": "long enough"})
        adder.page.confirm.setText("long enough")
        adder.accept()

    from PySide6.QtCore import QTimer
    QTimer.singleShot(0, fill_and_accept)
    dialog.repositories.add_button.click()
    assert added and dialog.repositories.names() == ["local", "nas", "local 2"]
    assert (tmp_path / "new" / "config").exists()
    dialog.save_button.click()
    assert Profile.load().repository("local 2") == RepositoryEntry("local 2", str(tmp_path / "new"))


def test_test_connection_against_a_real_server_and_a_wrong_socket(
        qtbot: QtBot, profile: Profile, source_server: LocalServer, tmp_path: Path) -> None:
    dialog = open_dialog(qtbot, profile, "Servers")
    page, tester = dialog.servers, dialog.servers.tester
    page.add_button.click()
    page.form.set_values({"name": "source", "socket": source_server.socket, "user": "root"})
    with qtbot.waitSignal(tester.done, timeout=20000) as good:
        tester.button.click()
    assert good.args == ["ok"] and tester.result.text().startswith("Connected: 10.")

    page.form.set_values({"socket": str(tmp_path / "nothing.sock")})
    tester.button.click()                                   # refused before connecting
    assert not tester.running
    assert page.form.problem("socket") == "No socket at this path (is the server running?)."
    not_a_socket = tmp_path / "plain-file.sock"
    not_a_socket.write_text("")
    page.form.set_values({"socket": str(not_a_socket)})
    with qtbot.waitSignal(tester.done, timeout=20000) as bad:
        tester.button.click()
    assert bad.args == ["failed"]
    assert tester.result.text().startswith(f"Cannot connect to mysql://root@localhost/?socket={not_a_socket}")
    assert tester.result.text().endswith(".") and "Traceback" not in tester.result.text()
