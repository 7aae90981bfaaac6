"""Back up now, with a plan that names more repositories: the backup goes into the open one and
is copied to the others, each copy a job of its own; a copy that cannot run is said, not hidden."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core import secrets
from app.core.catalog import Catalog, JobFilter
from app.core.localserver import LocalServer
from app.core.plans import Plan
from app.core.profile import Profile, RepositoryEntry, ServerEntry
from app.core.repository import Repository
from app.core.server import ServerSpec
from app.core.storage import LocalStorage
from app.core.verify import verify_backups
from app.gui.window import MainWindow
from tests.helpers.fixtures import TEST_KDF


def test_back_up_now_copies_to_the_plans_other_repositories(
        qtbot: QtBot, tmp_path: Path, repo: Repository, monkeypatch: pytest.MonkeyPatch,
        source_server: LocalServer) -> None:
    offsite = Repository.init(LocalStorage(tmp_path / "offsite"), "offsite pass", kdf=TEST_KDF)
    secrets.set_secret(secrets.REPOSITORY_SERVICE, offsite.config["id"], "offsite pass")
    Repository.init(LocalStorage(tmp_path / "usb"), "usb pass", kdf=TEST_KDF)   # not in the keyring
    spec = ServerSpec.parse(source_server.url)
    profile = Profile(tmp_path / "profile.json")
    profile.put_server(ServerEntry("source", user=spec.user, socket=spec.socket or "", has_password=False))
    for name, location in (("local", repo.storage.location), ("offsite", str(tmp_path / "offsite")),
                           ("usb", str(tmp_path / "usb"))):
        profile.put_repository(RepositoryEntry(name, location))
    profile.put_plan(Plan("nightly", "source", ["local", "offsite", "usb"], databases=["sakila"]))
    monkeypatch.setenv("CUSTODE_PASSWORD", "correct horse")        # the open repository's
    catalog = Catalog(tmp_path / "catalog.sqlite")
    window = MainWindow(profile, catalog)
    qtbot.addWidget(window)
    window.show()
    assert window.open_location(repo.storage.location)
    with qtbot.waitSignal(window.backup_done, timeout=120000) as done:
        window.backup_now()
    assert done.args == ["ok"]
    backup_id = repo.backup_ids()[0]

    reopened = Repository.open(LocalStorage(tmp_path / "offsite"), "offsite pass")
    assert reopened.backup_ids() == [backup_id] and verify_backups(reopened, [backup_id]).ok
    message = window.statusBar().currentMessage()
    assert "Copied to offsite." in message
    assert "The copy to usb failed: No passphrase for the repository at " in message
    copies = {job["repository"]: job for job in catalog.jobs(JobFilter(kinds=("copy",)))}
    assert copies[str(tmp_path / "offsite")]["status"] == "ok"
    assert copies[str(tmp_path / "offsite")]["journal_id"].startswith("journal/")   # in the target
    assert copies[str(tmp_path / "usb")]["status"] == "failed"
    assert not list((tmp_path / "usb").glob("backups/*"))
