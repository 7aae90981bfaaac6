"""Take the screenshots in docs/screenshots/ from the real application, offscreen.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Everything happens in a temporary folder: a throwaway demo server with Sakila, a new repository,
a profile and catalog of its own, and an in-memory keyring, so the user's own set-up is never
touched.  The catalog gets 90 days of made-up nightly history so the charts have something to show;
the backup, the restore and every screen are the real ones.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring  # noqa: E402
import keyring.backend  # noqa: E402


class MemoryKeyring(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


def wait_until(app: object, condition: Callable[[], bool], timeout: float = 120.0) -> None:
    from PySide6.QtWidgets import QApplication
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("timed out waiting for the application")
        QApplication.processEvents()
        time.sleep(0.02)


def settle(seconds: float = 0.3) -> None:
    from PySide6.QtWidgets import QApplication
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def made_up_history(catalog: object, url: str, repository: str, days: int = 90) -> None:
    """Nightly backups that grow slowly, a weekly verify, two failures; for the charts."""
    rng = random.Random(7)
    now = datetime.now(UTC).replace(hour=2, minute=30, second=0, microsecond=0)
    size = 2.9e6
    for day in range(days, 0, -1):
        started = now - timedelta(days=day)
        size *= 1.004
        failed = day in (41, 12)
        seconds = 2.2 + rng.random() * 0.8 + (3 if day % 7 == 0 else 0)
        catalog.add(kind="backup", status="failed" if failed else "ok", server=url,  # type: ignore[attr-defined]
                    repository=repository, started=started.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    finished=(started + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    seconds=seconds, bytes=0 if failed else int(size),
                    stored_bytes=0 if failed else int(size * (0.9 if day % 7 == 0 else 0.02)),
                    rows=0 if failed else 47000 + day,
                    message="cannot connect: server has gone away (error 2006)" if failed else "")
        if day % 7 == 0:
            catalog.add(kind="verify", status="ok", server=url, repository=repository,  # type: ignore[attr-defined]
                        started=(started + timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                        finished=(started + timedelta(minutes=5, seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                        seconds=1.0, bytes=int(size))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="custode-shots-"))
    os.environ["CUSTODE_HOME"] = str(home)
    os.environ.pop("CUSTODE_REPO", None)
    keyring.set_keyring(MemoryKeyring())

    from PySide6.QtWidgets import QApplication, QWizard

    from app.core import secrets
    from app.core.catalog import Catalog
    from app.core.demo import DemoServer
    from app.core.profile import Profile, RepositoryEntry
    from app.core.repository import Repository
    from app.core.storage import open_storage
    from app.gui import main as gui_main
    from app.gui.theme import apply_theme

    app = QApplication(["custode-gui"])
    saved: list[str] = []

    def shot(widget: object, name: str) -> None:
        settle()
        widget.grab().save(str(out / f"{name}.png"))  # type: ignore[attr-defined]
        saved.append(name)

    # 1. First run, on a fresh profile.
    window = gui_main.create_window([])
    window.resize(1100, 720)
    wait_until(app, lambda: window.wizard is not None)
    shot(window.wizard, "welcome-repository")
    window.wizard.reject()
    window.close()
    window.deleteLater()
    settle()

    # 2. A demo server, a repository and a made-up history; then the real application on them.
    demo = DemoServer(home / "demo")
    demo.start()
    try:
        location = str(home / "backups")
        repo = Repository.init(open_storage(location), "correct horse battery")
        secrets.set_secret(secrets.REPOSITORY_SERVICE, repo.config["id"], "correct horse battery")
        profile = Profile.load()
        entry = demo.entry
        profile.put_server(entry)
        profile.put_repository(RepositoryEntry("local", location))
        profile.save()
        catalog = Catalog.open_default()
        made_up_history(catalog, entry.url, location)
        catalog.close()

        window = gui_main.create_window([])
        window.resize(1180, 760)
        wait_until(app, lambda: window.repo is not None)
        done: list[str] = []
        window.backup_done.connect(done.append)
        row = window.backup_now()
        assert row is not None
        wait_until(app, lambda: bool(done))
        window.tabs.setCurrentWidget(window.dashboard)
        window.dashboard.refresh()
        wait_until(app, lambda: window.dashboard._probe is None, 30)
        shot(window, "dashboard")
        window.tabs.setCurrentIndex(window.tabs.indexOf(window.stack))
        shot(window, "backups")
        window.tabs.setCurrentWidget(window.history)
        window.history.table.selectRow(0)
        shot(window, "history")

        # 3. The restore wizard, onto the demo server under a new name.
        window.tabs.setCurrentIndex(window.tabs.indexOf(window.stack))
        window.restore_selected()
        wizard = window.restore_wizard
        shot(wizard, "restore-1-contents")
        wizard.next()
        page = wizard.target_page
        page.ui.namesTable.item(0, 1).setText("sakila_copy")
        shot(wizard, "restore-2-target")
        outcomes: list[str] = []
        wizard.check_page.checked.connect(outcomes.append)
        wizard.next()
        wait_until(app, lambda: bool(outcomes))
        shot(wizard, "restore-3-checks")
        ended: list[str] = []
        wizard.run_page.ended.connect(ended.append)
        wizard.button(QWizard.WizardButton.CommitButton).click()
        wait_until(app, lambda: bool(ended))
        shot(wizard, "restore-4-report")
        wizard.accept()
        settle()

        # 4. An off-site copy, a plan, and every page of the settings.
        from app.core.copy import copy_backups
        from app.core.plans import Plan
        from app.core.rebuild import remember_backup
        offsite_location = str(home / "offsite")
        offsite = Repository.init(open_storage(offsite_location), "another battery staple")
        secrets.set_secret(secrets.REPOSITORY_SERVICE, offsite.config["id"], "another battery staple")
        source = window.repo
        copied = copy_backups(source, offsite, source.backup_ids())
        for backup_id in copied.copied:
            remember_backup(window.catalog, offsite, offsite.load_backup(backup_id))
        window.catalog.add(kind="copy", status="ok", server=entry.url, repository=offsite_location,
                           finished=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), seconds=0.2,
                           bytes=copied.bytes, stored_bytes=copied.stored_bytes)
        window.profile.put_repository(RepositoryEntry("offsite", offsite_location))
        window.profile.put_plan(Plan("nightly", entry.name, ["local", "offsite"]))
        window.profile.save()
        window.tabs.setCurrentWidget(window.dashboard)
        window.dashboard.refresh()
        wait_until(app, lambda: window.dashboard._probe is None, 30)
        shot(window, "dashboard")            # again: now with the off-site copy's line
        for page in ("Servers", "Repositories", "Plans", "Notifications", "Keys"):
            dialog = window.open_settings(page)
            if page == "Repositories":
                dialog.repositories.list.setCurrentRow(1)
                panel = dialog.repositories.status
                wait_until(app, lambda panel=panel: panel.job_thread is None and panel.status is not None)
            shot(dialog, f"settings-{page.lower()}")
            if page == "Plans":              # the retention preview, further down the editor
                from PySide6.QtWidgets import QScrollArea
                area = dialog.plans.preview.parentWidget()
                while area is not None and not isinstance(area, QScrollArea):
                    area = area.parentWidget()
                assert area is not None
                area.ensureWidgetVisible(dialog.plans.preview)
                shot(dialog, "settings-retention")
            dialog.reject()
            settle()

        # 5. In Italian: the window is rebuilt in the new language.
        italian = window.switch_language("it")
        assert italian is not None
        window = italian
        window.tabs.setCurrentWidget(window.dashboard)
        window.dashboard.refresh()
        wait_until(app, lambda: window.dashboard._probe is None, 30)
        shot(window, "dashboard-it")
        dialog = window.open_settings("Plans")
        shot(dialog, "settings-plans-it")
        dialog.reject()
        settle()
        english = window.switch_language("en")
        assert english is not None
        window = english

        # 6. The dark theme.
        apply_theme(app, "dark")
        window.tabs.setCurrentWidget(window.dashboard)
        window.dashboard.refresh()   # rich-text links take the palette's colour when set
        wait_until(app, lambda: window.dashboard._probe is None, 30)
        shot(window, "dashboard-dark")
        apply_theme(app, "light")
        window.close()
    finally:
        demo.stop()
    print("saved:", ", ".join(saved), "in", out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
