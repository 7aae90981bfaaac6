"""`custode-gui` (also `custode gui`): the desktop application's entry point.

    custode-gui [--repo LOCATION]

The repository may also come from `CUSTODE_REPO`, its passphrase from `CUSTODE_PASSWORD` or the
keyring, as with the command line.  Options Qt understands (`-platform`, `-style`…) are passed on.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from app import __version__
from app.core.errors import ConfigError
from app.core.profile import Profile
from app.gui.collector import GuiCollector
from app.gui.i18n import install_language
from app.gui.theme import app_icon, apply_theme, follow_system
from app.gui.window import MainWindow


def build_parser() -> argparse.ArgumentParser:
    """The GUI's few options."""
    parser = argparse.ArgumentParser(prog="custode-gui", description="Custode's desktop application.")
    parser.add_argument("--version", action="version", version=f"custode {__version__}")
    parser.add_argument("--repo", metavar="LOCATION", default=None,
                        help="repository to open at start (or set CUSTODE_REPO)")
    return parser


def create_window(argv: list[str]) -> MainWindow:
    """Show the main window and open a repository: `--repo`, `CUSTODE_REPO`, or the profile's.

    On a fresh profile the welcome wizard opens.  Needs a QApplication.  A repository that cannot
    be opened is reported in a message box and leaves the window in its empty state.
    """
    args, _qt_args = build_parser().parse_known_args(argv)
    try:
        profile = Profile.load()
    except ConfigError as exc:
        QMessageBox.warning(None, "Custode", f"{exc}. Starting with an empty profile.")
        profile = Profile(Profile.default_path())
    app = QApplication.instance()
    if isinstance(app, QApplication):
        apply_theme(app, str(profile.settings.get("theme", "system")))
        install_language(app, str(profile.settings.get("language", "en")))
    window = MainWindow(profile)
    window.show()
    location = args.repo or os.environ.get("CUSTODE_REPO", "")
    if location:
        window.open_location(location)
    elif profile.repositories:
        window.open_profile_repository()
    elif profile.is_new:
        window.first_run()
    return window


def _report_internal_error(kind: type[BaseException], error: BaseException,
                           trace: TracebackType | None) -> None:
    """sys.excepthook: a bug becomes a one-line message box; the traceback goes to stderr only."""
    traceback.print_exception(kind, error, trace)
    if QApplication.instance() is not None:
        QMessageBox.critical(None, "Custode: internal error",
                             f"Something went wrong inside Custode: {kind.__name__}: {error}\n\n"
                             "Please report it (start custode-gui from a terminal to see details).")


def main(argv: list[str] | None = None) -> int:
    """Run the desktop application until its window closes; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    _args, qt_args = build_parser().parse_known_args(argv)
    app = QApplication.instance() or QApplication(["custode-gui", *qt_args])
    QApplication.setApplicationName("Custode")
    QApplication.setApplicationVersion(__version__)
    QApplication.setDesktopFileName("custode")
    QApplication.setWindowIcon(app_icon())
    if isinstance(app, QApplication):
        follow_system(app)
    previous_hook = sys.excepthook
    sys.excepthook = _report_internal_error
    collector = GuiCollector()
    collector.install()
    try:
        windows = [create_window(argv)]
        # What start-up built lives as long as the program: a full collection need not walk it.
        gc.freeze()

        def replaced(successor: MainWindow) -> None:   # another language: a new window took over
            windows[0].deleteLater()
            windows[0] = successor
            successor.replaced.connect(replaced)

        windows[0].replaced.connect(replaced)
        status = app.exec()
        windows[0].deleteLater()
        return int(status)
    finally:
        collector.uninstall()
        sys.excepthook = previous_hook


if __name__ == "__main__":
    sys.exit(main())
