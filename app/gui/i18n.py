"""English and Italian: Qt translators for Custode's own texts and for Qt's standard ones.

Source texts are English and marked with `tr()` (or `QT_TR_NOOP()` for module-level constants,
translated later with `tr(CONSTANT)`); `scripts/update-translations` extracts them with
pyside6-lupdate into resources/translations/custode_<code>.ts and compiles the .qm files.

Plurals are written `tr("%n table(s)", "", count)`: lupdate only marks a message as plural when the
count is the third positional argument.  English has its own small catalog of plural forms
(custode_en.ts, "1 table" / "2 tables"); it is consulted directly instead of being installed, so
English reads right even when no language was ever installed (the tests, a script).

Widgets take their texts when they are built: after `install_language`, windows built before keep
their language until they are built again.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

LANGUAGES = {"en": "English", "it": "Italiano"}
TRANSLATIONS = Path(__file__).resolve().parents[2] / "resources" / "translations"
# pyside6-lupdate files a bare tr() call (a module-level function, not a method) under the empty
# context; the runtime lookup must use the same one.
CONTEXT = ""

_lock = threading.Lock()
_installed: list[QTranslator] = []
_language = "en"
_english: QTranslator | None = None


def QT_TR_NOOP(text: str) -> str:  # the name lupdate looks for
    """Mark a constant for translation; translate it where it is shown, with `tr(constant)`."""
    return text


def tr(text: str, disambiguation: str = "", n: int = -1) -> str:
    """`text` in the current language; with `n` >= 0, the plural form for n, %n replaced by n.

    Safe from any thread (translators are only read).
    """
    if n < 0:
        return QCoreApplication.translate(CONTEXT, text, disambiguation or None)
    # Plurals are looked up here rather than by QCoreApplication.translate, which would write %n
    # with its digits ungrouped (10000 jobs where English always said 10,000).
    form = _plural_catalog().translate(CONTEXT, text, disambiguation or None, n)
    return (form or text).replace("%n", number(n))


def tr_value(texts: Mapping[str, str], value: str) -> str:
    """A stored value (`full`, `failed`...) in words, through a table of QT_TR_NOOP texts; a value
    the table lacks (written by a newer version) is shown as it is."""
    return tr(texts[value]) if value in texts else value


def number(value: int) -> str:
    """A count with its thousands grouped: `1,234,567` in English, `1 234 567` in Italian.

    Italian groups with a (no-break) space rather than a dot, as SI style allows: sizes from the
    engine keep a decimal point (`1.5 MiB`), and `1.234` next to them would read as a fraction.
    """
    text = f"{value:,}"
    return text.replace(",", "\u00a0") if _language == "it" else text


def current_language() -> str:
    """The code of the language installed last ("en" until another one is)."""
    return _language


def install_language(app: QCoreApplication, code: str) -> bool:
    """Translate from now on into `code`; False, with nothing changed, for an unknown code or a
    missing catalog.

    Removes the translators installed before, then installs resources/translations/
    custode_<code>.qm and Qt's own qtbase_<code>.qm (standard buttons: Next, Cancel, Yes...).
    English installs nothing.  Call it before building windows: Qt's standard buttons follow a
    change at once, but Custode's texts are taken when a widget is built, so open windows would
    mix languages until they are built again.
    """
    global _language
    if code not in LANGUAGES:
        return False
    translators: list[QTranslator] = []
    if code != "en":
        own = QTranslator(app)
        if not own.load(f"custode_{code}", str(TRANSLATIONS)):
            own.deleteLater()
            return False
        translators.append(own)
        qt = QTranslator(app)
        # Qt's own catalog may be missing from a trimmed build: Custode's texts still switch.
        if qt.load(f"qtbase_{code}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            translators.append(qt)
        else:
            qt.deleteLater()
    with _lock:
        # Old translators are only removed, not deleted: a worker thread may be reading one.
        for old in _installed:
            app.removeTranslator(old)
        _installed.clear()
        for translator in translators:
            app.installTranslator(translator)
            _installed.append(translator)
        _language = code
    return True


def _plural_catalog() -> QTranslator:
    """Custode's catalog of the current language; for English the plural forms (custode_en.qm),
    loaded once and never installed."""
    global _english
    with _lock:
        if _installed:
            return _installed[0]
        if _english is None:
            english = QTranslator()
            # Missing (a broken build), the empty translator leaves the source's "(s)" forms.
            english.load("custode_en", str(TRANSLATIONS))
            _english = english
        return _english
