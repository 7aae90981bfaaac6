"""The Designer forms in ui/ and the modules generated from them stay in step."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORMS = sorted((ROOT / "ui").glob("*.ui"))


def test_there_are_forms() -> None:
    assert FORMS, "no Designer forms found in ui/"


@pytest.mark.parametrize("form", FORMS, ids=lambda p: p.name)
def test_generated_module_matches_its_form(form: Path) -> None:
    uic = Path(sys.executable).parent / "pyside6-uic"
    generated = subprocess.run([str(uic), str(form)], check=True, capture_output=True, text=True).stdout
    module = ROOT / "app" / "gui" / "ui" / f"{form.stem}.py"
    assert module.exists(), f"{module} is missing: run scripts/compile-ui"
    assert module.read_text(encoding="utf-8") == generated, \
        f"{module.name} is out of step with {form.name}: run scripts/compile-ui"
