"""The recovery sheet: what to print and keep in a safe so that a lost passphrase loses nothing.

Rendering only; `app.core.keys.recovery_sheet` gathers the facts.  Plain text for a terminal or a
text file, HTML for a browser or a printer; both say the same things in the same order.  The
sheet holds the master key, never the passphrase.
"""

from __future__ import annotations

import html
import os
import shlex
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app import __version__
from app.core.errors import ConfigError

KEY_FILE = "key.txt"
TEXT_WIDTH = 88   # fits a printed A4 or Letter page in a monospaced font
WARNING = ("Anyone holding this sheet can read every backup in this repository: keep it in a "
           "safe. It does not hold the passphrase, and stays valid when the passphrase changes.")


@dataclass(frozen=True)
class SheetFacts:
    location: str
    repo_id: str
    created: str
    compression: str
    kdf: list[dict[str, Any]]   # one per key file
    key_lines: list[str]
    printed: str                # date and time, UTC


def _kdf_text(kdf: dict[str, Any]) -> str:
    return (f"{kdf.get('algorithm', '?')}, {kdf.get('iterations', '?')} iterations, "
            f"{kdf.get('lanes', '?')} lanes, {kdf.get('memory_kib', '?')} KiB of memory")


def _details(f: SheetFacts) -> list[tuple[str, str]]:
    rows = [("Repository", f.location), ("Repository id", f.repo_id), ("Created", f.created),
            ("Compression", f.compression)]
    rows += [(f"Key file {n} KDF" if len(f.kdf) > 1 else "Passphrase KDF", _kdf_text(k))
             for n, k in enumerate(f.kdf, 1)]
    rows.append(("Printed", f"{f.printed} by custode {__version__}"))
    return rows


def _steps(f: SheetFacts) -> list[tuple[str, str]]:
    """(what to do, the command or "") in order."""
    base = f"custode --repo {shlex.quote(f.location)} --recovery-key-file {KEY_FILE}"
    return [
        ("Install Custode on any machine that can reach the repository (or copy the repository "
         "folder to it, and use that folder below).", ""),
        (f"Type the four key lines into a text file, {KEY_FILE}, exactly as printed; line numbers "
         "and spaces may be left out. A mistyped line is named, with nothing changed.", ""),
        ("Check that the key opens the repository: this lists its backups.", f"{base} list"),
        ("Restore the latest backup (or an id from the list) to a server; add --databases, "
         "--tables or --rename OLD=NEW to restore part of it or under another name.",
         f"{base} restore latest --server mysql://root@HOST:3306"),
        ("Give the repository a new passphrase, so that the scheduled backups run again.",
         f"{base} key passwd"),
        (f"Delete {KEY_FILE}: it opens every backup. The environment variable "
         "CUSTODE_RECOVERY_KEY may hold the key instead of a file.", ""),
    ]


_WITHOUT_CUSTODE = ("Without Custode: the master key is the 32 bytes written by the 16 key characters "
                    "of lines 1 to 4 in order (the last 2 characters of each line are a check). "
                    "docs/FORMAT.md, section Objects, tells how it decrypts every file.")


def render_text(f: SheetFacts) -> str:
    width = max(len(label) for label, _ in _details(f))
    out = ["CUSTODE RECOVERY SHEET", "", textwrap.fill(WARNING, TEXT_WIDTH), ""]
    out += [f"{label + ':':{width + 1}}  {value}" for label, value in _details(f)]
    out += ["", "MASTER KEY (each line: its number, 4 groups of key, 2 check characters)", ""]
    out += [f"    {line}" for line in f.key_lines]
    out += ["", "TO RESTORE WITH THIS SHEET", ""]
    for number, (text, command) in enumerate(_steps(f), 1):
        out.append(textwrap.fill(f"{number}. {text}", TEXT_WIDTH, subsequent_indent="   "))
        if command:
            out.append(f"     {command}")
    out += ["", textwrap.fill(_WITHOUT_CUSTODE, TEXT_WIDTH), ""]
    return "\n".join(out)


_STYLE = """
body { font-family: sans-serif; font-size: 11pt; max-width: 48em; margin: 2em auto; }
h1 { font-size: 18pt; margin-bottom: 0.2em; }
.warning { border: 2px solid #dc3545; padding: 0.5em; }
table.details td { padding: 0.1em 1em 0.1em 0; vertical-align: top; }
pre.key { font-family: monospace; font-size: 16pt; line-height: 1.6; border: 1px solid #555;
          padding: 0.5em 1em; }
code { font-family: monospace; font-size: 10pt; }
"""


def render_html(f: SheetFacts) -> str:
    esc = html.escape
    details = "".join(f"<tr><td><b>{esc(label)}</b></td><td>{esc(value)}</td></tr>"
                      for label, value in _details(f))
    steps = "".join(f"<li>{esc(text)}" + (f"<br><code>{esc(command)}</code>" if command else "")
                    + "</li>" for text, command in _steps(f))
    key = "\n".join(esc(line) for line in f.key_lines)
    return (f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
            f"<title>Custode recovery sheet {esc(f.repo_id[:8])}</title><style>{_STYLE}</style>"
            f"</head><body>\n<h1>Custode recovery sheet</h1>\n"
            f"<p class=\"warning\">{esc(WARNING)}</p>\n<table class=\"details\">{details}</table>\n"
            f"<h2>Master key</h2>\n<p>Each line: four groups of key, then two check characters.</p>\n"
            f"<pre class=\"key\">{key}</pre>\n<h2>To restore with this sheet</h2>\n<ol>{steps}</ol>\n"
            f"<p>{esc(_WITHOUT_CUSTODE)}</p>\n</body></html>\n")


def write_private_file(target: Path, text: str) -> None:
    """Write a sheet readable by its owner only (it holds the master key), atomically."""
    temp = target.with_name(f".{target.name}.partial")
    try:
        temp.unlink(missing_ok=True)
        descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except OSError as exc:
        raise ConfigError(f"cannot write {target}: {exc.strerror or exc}; choose another file") from None
    finally:
        temp.unlink(missing_ok=True)
