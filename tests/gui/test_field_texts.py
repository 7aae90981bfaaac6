"""The engine's option texts reach the GUI in Italian: every `Field` text and every message of the
field checks is listed in app/gui/field_texts.py (so lupdate and the translators see it), and a
form shows its labels, help and validation errors in Italian, then in English again."""

from __future__ import annotations

import ast
import inspect
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QFormLayout, QLabel
from pytestqt.qtbot import QtBot

from app.core import keys, notify, plans, profile
from app.core.profile import SERVER_FIELDS, Field, Message, validate
from app.gui import field_texts
from app.gui.field_texts import FIELD_TEXTS, MESSAGE_TEXTS, NOT_TRANSLATED, field_text
from app.gui.forms import ERROR_STYLE, FieldForm
from app.gui.i18n import install_language, tr
from app.gui.notify_page import NotifyPage

MODULES = (profile, plans, notify, keys)
LISTED = set(FIELD_TEXTS) | set(MESSAGE_TEXTS) | NOT_TRANSLATED


@pytest.fixture
def italian(qapp: QApplication) -> Iterator[None]:
    assert install_language(qapp, "it")
    try:
        yield
    finally:
        install_language(qapp, "en")


def declared_fields() -> Iterator[tuple[str, Field]]:
    for module in MODULES:
        for name, value in vars(module).items():
            if isinstance(value, tuple) and value and all(isinstance(f, Field) for f in value):
                for f in value:
                    yield f"{module.__name__}.{name}[{f.key}]", f


def test_every_field_text_is_listed_for_translation() -> None:
    missing = [(where, text) for where, f in declared_fields()
               for text in (f.label, f.help, f.placeholder, *(label for _, label in f.choices))
               if text and text not in LISTED]
    assert not missing, f"add these to app/gui/field_texts.py: {missing}"


def _functions(module: ModuleType) -> dict[str, ast.FunctionDef]:
    tree = ast.parse(Path(inspect.getfile(module)).read_text(encoding="utf-8"))
    return {node.name: node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}


def _message_texts(module: ModuleType, roots: set[str]) -> tuple[set[str], list[str]]:
    """Texts a check (or a function it calls in the same module) can say, and f-strings it returns
    (which could not be translated: they must be `Message`s)."""
    functions = _functions(module)
    texts: set[str] = set()
    formatted: list[str] = []
    todo, done = list(roots), set()
    while todo:
        name = todo.pop()
        if name in done or name not in functions:
            continue
        done.add(name)
        for node in ast.walk(functions[name]):
            if isinstance(node, ast.Return) and node.value is not None:
                if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                    texts.add(node.value.value)
                elif isinstance(node.value, ast.JoinedStr):
                    formatted.append(f"{module.__name__}.{name} line {node.lineno}")
                elif isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name):
                    todo.append(node.value.func.id)   # a check that returns another one's message
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                    and node.func.id in ("Message", "problem") and node.args \
                    and isinstance(node.args[0], ast.Constant):
                texts.add(str(node.args[0].value))
            if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Subscript) \
                    and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                texts.add(node.value.value)
    return texts, formatted


def test_every_check_message_is_listed_for_translation() -> None:
    checks: dict[ModuleType, set[str]] = {module: set() for module in MODULES}
    for _, f in declared_fields():
        if f.check is not None:
            checks[inspect.getmodule(f.check) or profile].add(f.check.__name__)
    checks[profile].add("validate")
    checks[plans] |= {"validate_plan", "cron_problem"}   # the cron editor shows cron_problem too
    missing: list[str] = []
    for module, roots in checks.items():
        texts, formatted = _message_texts(module, roots)
        assert not formatted, f"return a Message, not an f-string, so it can be translated: {formatted}"
        missing += sorted(texts - LISTED)
    assert not missing, f"add these to MESSAGE_TEXTS in app/gui/field_texts.py: {missing}"
    # The scan sees what it should: these come from inside checks, Message calls and validate.
    assert "{label} is required." in MESSAGE_TEXTS and "Unknown repository '{name}'." in MESSAGE_TEXTS


def test_message_is_english_until_translated(italian: None) -> None:
    message = Message("Unknown repository '{name}'.", name="nas")
    assert message == "Unknown repository 'nas'." and isinstance(message, str)
    assert message.translated(tr) == "Repository sconosciuto: 'nas'."
    assert Message("Put {message} in the URL where the gateway expects the text.").translated(tr) \
        .startswith("Inserire {message} nell'URL")
    # Without translate the engine's checks stay English (the CLI, the tests of the core).
    assert plans.validate_plan({"name": "p", "server": "x", "repositories": ["r"]}, [], ["r"])["server"] \
        == "Unknown server 'x': add it on the Servers page first."


def test_field_texts_in_italian(italian: None) -> None:
    assert field_text("Keep within") == "Conserva entro"
    assert field_text("Italiano") == "Italiano" and field_text("English") == "English"
    assert field_text("") == ""
    problems = validate(SERVER_FIELDS, {"name": "", "user": "root", "port": "x"}, field_texts.translate)
    assert problems == {"name": "Compilare il campo «Nome».",
                        "port": "«Porta» deve essere un numero intero."}
    problems = plans.validate_plan({"name": "p", "server": "shop", "repositories": ["nas"],
                                    "schedule": "61 2 * * *", "keep_daily": 7}, ["shop"], ["local"],
                                   translate=field_texts.translate)
    assert problems == {
        "repositories": "Repository sconosciuto: 'nas'.",
        "schedule": "Il campo dei minuti '61' non è valido: usare 0-59, un intervallo a-b, un elenco "
                    "a,b o un passo */n.",
    }


def _label_of(form: FieldForm, key: str) -> str:
    layout = form.layout()
    assert isinstance(layout, QFormLayout)
    for row in range(layout.rowCount()):
        label = layout.itemAt(row, QFormLayout.ItemRole.LabelRole).widget()
        cell = layout.itemAt(row, QFormLayout.ItemRole.FieldRole).widget()
        if cell is form.editors[key] or cell.isAncestorOf(form.editors[key]):
            assert isinstance(label, QLabel)
            return label.text()
    raise AssertionError(key)


def test_form_in_italian_with_an_italian_error_then_english(qapp: QApplication, qtbot: QtBot,
                                                           italian: None) -> None:
    form = FieldForm(plans.PLAN_FIELDS)
    qtbot.addWidget(form)
    form.show()
    assert _label_of(form, "name") == "Nome *"
    assert _label_of(form, "keep_within") == "Conserva entro"
    assert form.notes["databases"].text() == \
        "Separati da virgole; lasciare vuoto per fare il backup di tutti i database."
    assert form.line_edit("keep_within").placeholderText() == "es. 7d"
    backup_type = form.editors["backup_type"]
    assert isinstance(backup_type, QComboBox)
    assert [backup_type.itemText(i) for i in range(backup_type.count())] == [
        "Completo", "Differenziale (modifiche dall'ultimo completo)",
        "Incrementale (modifiche dall'ultimo backup)"]
    verify = form.editors["verify"]
    assert isinstance(verify, QCheckBox) and verify.text() == "Verifica dopo il backup"
    form.set_values({"name": "", "keep_within": "sette giorni"})
    assert not form.check()
    assert form.problem("name") == "Compilare il campo «Nome»."
    assert form.problem("keep_within").startswith("Indicare una durata come 12h, 7d")
    assert form.notes["name"].styleSheet() == ERROR_STYLE and form.notes["name"].isVisible()

    assert install_language(qapp, "en")
    english = FieldForm(plans.PLAN_FIELDS)
    qtbot.addWidget(english)
    english.set_values({"name": ""})
    assert not english.check()
    assert english.problem("name") == "Name is required."
    assert _label_of(english, "keep_within") == "Keep within"


def test_notifications_page_in_italian(qtbot: QtBot, tmp_path: Path, italian: None) -> None:
    page = NotifyPage(profile.Profile(tmp_path / "profile.json"))
    qtbot.addWidget(page)
    email = page.boxes["email"]
    assert email.title() == "Invia email"
    assert email.choices["security"].itemText(2) == "Nessuna (non cifrata)"
    assert page.events["failure"].text() == "Un backup, un ripristino o un altro job non riesce"
    assert page.thresholds["stale"].suffix() == " ore"
    email.setChecked(True)
    email.form.set_values({"host": "smtp://mail:25", "sender": "me", "to": "a@b.c"})
    assert not email.check()
    assert email.form.problem("host") == \
        "Indicare solo un nome host o un indirizzo IP, senza smtp:// né porta."
    assert email.form.problem("sender") == "'me' non è un indirizzo email."
