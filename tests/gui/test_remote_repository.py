"""Adding a repository on S3 from the application: its key pair goes to the keyring, the
repository is created in the bucket, and the Repositories page reads its state."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from app.core import secrets
from app.core.profile import Profile
from app.gui.repository_status import RepositoryStatusPanel
from app.gui.settings_pages import AddRepositoryDialog
from tests.helpers.s3server import TEST_ACCESS_KEY, TEST_SECRET_KEY


@pytest.fixture
def no_aws_settings(monkeypatch: pytest.MonkeyPatch, s3_bucket: tuple[Any, str]) -> tuple[Any, str]:
    """A bucket, and a computer without AWS credentials of its own."""
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    return s3_bucket


def _dialog(qtbot: QtBot, location: str) -> AddRepositoryDialog:
    dialog = AddRepositoryDialog(Profile.load())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.page.form.set_values({"name": "offsite", "location": location, "passphrase": "long enough"})
    dialog.page.confirm.setText("long enough")
    return dialog


def test_an_s3_repository_with_a_key_pair_in_the_keyring(
        qtbot: QtBot, s3_endpoint: str, no_aws_settings: tuple[Any, str]) -> None:
    client, bucket = no_aws_settings
    location = f"s3://{bucket}/custode?endpoint={s3_endpoint}"
    dialog = _dialog(qtbot, location)
    page = dialog.page
    assert page.key_id.isVisible() and page.storage_secret.isVisible()
    assert "AWS settings" in page.remote_note.text()

    dialog.accept()                      # no credentials anywhere: told, nothing created
    assert dialog.result() != dialog.DialogCode.Accepted
    assert page.form.problem("location").startswith(f"No S3 credentials for s3://{bucket}/custode: ")
    assert client.list_objects_v2(Bucket=bucket).get("KeyCount", 0) == 0

    page.key_id.setText(TEST_ACCESS_KEY)
    page.storage_secret.setText(TEST_SECRET_KEY)
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted, page.form.problem("location")
    assert dialog.repository is not None and dialog.repository.location == location
    keys = [o["Key"] for o in client.list_objects_v2(Bucket=bucket)["Contents"]]
    assert "custode/config" in keys and any(k.startswith("custode/keys/") for k in keys)
    stored = json.loads(secrets.get_secret(secrets.STORAGE_SERVICE, f"s3://{bucket}/custode") or "{}")
    assert stored == {"access_key_id": TEST_ACCESS_KEY, "secret_access_key": TEST_SECRET_KEY}
    assert TEST_SECRET_KEY not in json.dumps(Profile.load().__dict__, default=str)

    panel = RepositoryStatusPanel()
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.checked, timeout=20_000):
        panel.show_location(location)
    assert panel.state.text().startswith("Yes (S3 bucket), repository "), panel.state.text()
    assert panel.backups.text() == "0" and panel.free.text() == "not known for this kind of storage"


def test_the_fields_follow_the_kind_of_location(qtbot: QtBot, tmp_path: Any) -> None:
    dialog = _dialog(qtbot, str(tmp_path / "folder"))
    page = dialog.page
    assert not page.remote_note.isVisible() and not page.storage_secret.isVisible()
    page.form.set_values({"location": "sftp://backup@files.example.com/srv/custode"})
    assert page.storage_secret.isVisible() and not page.key_id.isVisible()
    assert page.storage_secret.placeholderText() == "Password on the SFTP server"
    page.form.set_values({"location": "rclone:gdrive:custode"})
    assert page.remote_note.isVisible() and not page.storage_secret.isVisible()
    assert "rclone config" in page.remote_note.text()
    page.form.set_values({"location": "webdav://x/y"})
    assert not page.form.check()
    assert page.form.problem("location").startswith("Unknown kind of location")
