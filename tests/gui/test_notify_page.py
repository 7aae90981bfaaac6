"""The Notifications page: Send test through a real SMTP server and a real HTTP server, inline
validation, and what save() keeps (settings in the profile, secrets in the keyring)."""

from __future__ import annotations

import json
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.core import notify
from app.core.profile import Profile
from app.gui.forms import ERROR_STYLE, OK_STYLE
from app.gui.notify_page import STORED_PLACEHOLDER, ChannelBox, NotifyPage
from tests.core import test_notify as real
from tests.core.test_notify import PASSWORD, TOKEN, USER, Hook, Mailbox, free_port
from tests.helpers.fixtures import MemoryKeyring

# The real SMTP and HTTP servers of the core tests.
smtp_server, smtp_auth_server, webhook = real.smtp_server, real.smtp_auth_server, real.webhook


def make_page(qtbot: QtBot, path: Path) -> NotifyPage:
    page = NotifyPage(Profile.load(path))
    qtbot.addWidget(page)
    return page


def fill_email(box: ChannelBox, box_port: int, **values: str) -> None:
    box.setChecked(True)
    box.choices["security"].setCurrentIndex(box.choices["security"].findData("none"))
    box.form.set_values({"host": "127.0.0.1", "port": box_port, "user": USER, "password": PASSWORD,
                         "sender": "custode@example.com", "to": "dba@example.com", **values})


def send_test(qtbot: QtBot, box: ChannelBox) -> bool:
    with qtbot.waitSignal(box.tested, timeout=30000) as outcome:
        box.test_button.click()
        # The click returned at once: the sending happens in a worker thread.
        assert box.test_result.text() == "Sending…" and not box.test_button.isEnabled()
    assert box.test_button.isEnabled()
    return bool(outcome.args[0])


def test_send_test_mails_through_a_real_server_and_save_keeps_the_password_in_the_keyring(
        qtbot: QtBot, tmp_path: Path, smtp_auth_server: Mailbox, memory_keyring: MemoryKeyring) -> None:
    path = tmp_path / "profile.json"
    page = make_page(qtbot, path)
    box = page.boxes["email"]
    fill_email(box, smtp_auth_server.port)
    assert send_test(qtbot, box)
    assert box.test_result.text() == f"Sent to dba@example.com through 127.0.0.1:{smtp_auth_server.port}."
    assert box.test_result.styleSheet() == OK_STYLE
    assert smtp_auth_server.logins == [USER]
    assert smtp_auth_server.subjects() == ["[Custode] Custode test notification"]

    assert page.save()
    saved = json.loads(path.read_text(encoding="utf-8"))["settings"]["notifications"]
    assert saved["email"] == {"enabled": True, "host": "127.0.0.1", "port": smtp_auth_server.port,
                              "security": "none", "user": USER, "sender": "custode@example.com",
                              "to": "dba@example.com"}
    assert PASSWORD not in path.read_text(encoding="utf-8")
    assert memory_keyring.store[(notify.NOTIFY_SERVICE, "email.password")] == PASSWORD

    # Opened again, the page sends with the password from the keyring and says it is there.
    reopened = make_page(qtbot, path)
    again = reopened.boxes["email"]
    assert again.form.values()["password"] == ""
    assert again.form.line_edit("password").placeholderText() == STORED_PLACEHOLDER
    assert send_test(qtbot, again) and len(smtp_auth_server.envelopes) == 2


def test_a_wrong_password_is_shown_in_red_without_the_password(
        qtbot: QtBot, tmp_path: Path, smtp_auth_server: Mailbox) -> None:
    page = make_page(qtbot, tmp_path / "profile.json")
    box = page.boxes["email"]
    fill_email(box, smtp_auth_server.port, password="not-" + PASSWORD)
    assert not send_test(qtbot, box)
    assert box.test_result.styleSheet() == ERROR_STYLE
    assert box.test_result.text() == (f"SMTP server 127.0.0.1:{smtp_auth_server.port} refused the login: "
                                      "check user and password.")
    assert smtp_auth_server.envelopes == []


def test_a_bad_recipient_is_shown_under_its_field_and_nothing_is_sent_or_saved(
        qtbot: QtBot, tmp_path: Path, smtp_server: Mailbox) -> None:
    path = tmp_path / "profile.json"
    page = make_page(qtbot, path)
    box = page.boxes["email"]
    fill_email(box, smtp_server.port, user="", password="", to="dba@example.com, bob@")
    assert not page.save()
    assert box.form.problem("to") == "'bob@' is not an email address: separate addresses with commas."
    assert page.status.text() == "Fix the fields marked in red, or turn that channel off."
    assert not path.exists()
    box.test_button.click()
    assert box.job_thread is None and box.test_result.text() == ""   # refused before any thread
    assert smtp_server.envelopes == []

    box.setChecked(False)   # a channel that is off is not checked, so the rest can be saved
    assert page.save() and page.status.text() == ""
    assert notify.load_config(Profile.load(path).settings)["email"]["enabled"] is False


def test_webhook_send_test_posts_the_chosen_kind_and_redacts_an_unreachable_url(
        qtbot: QtBot, tmp_path: Path, webhook: Hook) -> None:
    page = make_page(qtbot, tmp_path / "profile.json")
    box = page.boxes["webhook"]
    box.setChecked(True)
    box.choices["flavour"].setCurrentIndex(box.choices["flavour"].findData("teams"))
    box.form.set_values({"url": f"{webhook.base}/workflows/{TOKEN}"})
    assert send_test(qtbot, box)
    assert box.test_result.text() == f"Delivered: the webhook at {webhook.base}/… accepted the message."
    assert webhook.json()["attachments"][0]["content"]["body"][0]["text"] == "Custode test notification"

    closed = f"http://127.0.0.1:{free_port()}"
    box.form.set_values({"url": f"{closed}/workflows/{TOKEN}"})
    assert not send_test(qtbot, box)
    assert box.test_result.styleSheet() == ERROR_STYLE
    assert box.test_result.text().startswith(f"Cannot reach the webhook at {closed}/…: ")
    assert TOKEN not in box.test_result.text()


def test_events_and_thresholds_are_saved(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "profile.json"
    page = make_page(qtbot, path)
    assert all(check.isChecked() for check in page.events.values())   # every alert on by default
    page.events["failure"].setChecked(False)
    page.thresholds["stale"].setValue(48)
    page.events["low_disk"].setChecked(False)
    assert not page.thresholds["low_disk"].isEnabled()   # a threshold follows its event
    page.desktop.setChecked(False)
    assert page.save()
    config = notify.load_config(Profile.load(path).settings)
    assert config["events"] == {"failure": False, "stale": True, "stale_hours": 48, "low_disk": False,
                                "low_disk_gib": 10, "verify_failed": True}
    assert not notify.desktop_enabled(config)
    reopened = make_page(qtbot, path)
    assert reopened.thresholds["stale"].value() == 48 and not reopened.events["failure"].isChecked()
