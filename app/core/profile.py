"""The user's profile: the servers and repositories Custode knows, kept in one JSON file.

Secrets never go in it: server passwords and repository passphrases live in the OS keyring
(`app.core.secrets`).  Every option is declared once, as a `Field`; the GUI builds its forms from
these declarations and `validate` checks values the same way wherever they come from.

Where things live: `CUSTODE_HOME` when set (tests, portable installs), else the platform's
folders (`~/.config/custode`, `~/.local/share/custode` and `~/.cache/custode` on Linux).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import platformdirs

from app.core import secrets
from app.core.errors import ConfigError
from app.core.server import ServerSpec
from app.core.storage import kind_of, scheme_of

if TYPE_CHECKING:
    from app.core.plans import Plan

Named = TypeVar("Named", "ServerEntry", "RepositoryEntry")

PROFILE_VERSION = 1


def config_dir() -> Path:
    home = os.environ.get("CUSTODE_HOME")
    return Path(home) / "config" if home else Path(platformdirs.user_config_dir("custode"))


def data_dir() -> Path:
    home = os.environ.get("CUSTODE_HOME")
    return Path(home) / "data" if home else Path(platformdirs.user_data_dir("custode"))


def cache_dir() -> Path:
    """Scratch space that may be large and is never needed again (a long row being stored);
    on disk, where /tmp may be memory."""
    home = os.environ.get("CUSTODE_HOME")
    return Path(home) / "cache" if home else Path(platformdirs.user_cache_dir("custode"))


# -- declarations ----------------------------------------------------------------------------------
Check = Callable[[Any, dict[str, Any]], str | None]
Translate = Callable[[str], str]


class Message(str):
    """An English message that keeps its template and values, so that a GUI can say it in another
    language: `Message("Unknown server '{server}'.", server=name)` is the English text, and
    `translated(tr)` formats the translated template with the same values.

    Checks return one where their message holds a value; a fixed message stays a plain `str`
    (it is translated whole).  The GUI lists every template for its translators
    (app/gui/field_texts.py).
    """

    template: str
    values: dict[str, Any]

    def __new__(cls, template: str, **values: Any) -> Message:
        self = super().__new__(cls, template.format(**values) if values else template)
        self.template = template
        self.values = values
        return self

    def translated(self, translate: Translate) -> str:
        text = translate(self.template)
        return text.format(**self.values) if self.values else text


def _same(text: str) -> str:
    return text


def translated(message: str, translate: Translate | None) -> str:
    """`message` in the language of `translate` (a `Message` by its template, any other text whole);
    unchanged without `translate`."""
    if translate is None:
        return message
    return message.translated(translate) if isinstance(message, Message) else translate(message)


@dataclass(frozen=True)
class Field:
    """One option: how it is named, entered and checked."""

    key: str
    label: str
    # text | int | path | file | folder | secret | bool | choice | list (comma-separated names);
    # other kinds (a cron schedule, a checkable list) are bound to editors by the form's owner.
    kind: str = "text"
    required: bool = False
    default: Any = None
    placeholder: str = ""
    help: str = ""
    check: Check | None = None
    minimum: int = 0
    maximum: int = 0
    choices: tuple[tuple[str, str], ...] = ()   # (value, label) for kind "choice"


def validate(declared: tuple[Field, ...], values: dict[str, Any],
             translate: Translate | None = None) -> dict[str, str]:
    """Problems with `values`, as {field key: message}; empty when all is well.

    `translate` (the GUI's `tr`) turns each English message template and label into the user's
    language before the values go in; without it the messages are English.
    """
    say: Translate = translate or _same

    def problem(template: str, f: Field, **more: Any) -> str:
        return say(template).format(label=say(f.label), **more)

    problems: dict[str, str] = {}
    for f in declared:
        value = values.get(f.key)
        if value is None or value == "" or value == []:
            if f.required:
                problems[f.key] = problem("{label} is required.", f)
            continue
        if f.kind == "int":
            try:
                number = int(value)
            except (TypeError, ValueError):
                problems[f.key] = problem("{label} must be a whole number.", f)
                continue
            if f.maximum and not f.minimum <= number <= f.maximum:
                problems[f.key] = problem("{label} must be between {minimum} and {maximum}.", f,
                                          minimum=f.minimum, maximum=f.maximum)
                continue
        if f.kind == "choice" and f.choices and value not in {v for v, _ in f.choices}:
            problems[f.key] = problem("{label}: choose one of {choices}.", f,
                                      choices=", ".join(say(label) for _, label in f.choices))
            continue
        if f.kind == "file" and not Path(str(value)).expanduser().is_file():
            problems[f.key] = problem("{label}: no such file.", f)
            continue
        if f.check:
            message = f.check(value, values)
            if message:
                problems[f.key] = translated(message, translate)
    return problems


def name_check(value: Any, _values: dict[str, Any]) -> str | None:
    if not re.fullmatch(r"[\w][\w .@()-]{0,63}", str(value)):
        return "Use letters, digits, spaces and . - _ @ ( ) (at most 64 characters)."
    return None


def _socket_check(value: Any, _values: dict[str, Any]) -> str | None:
    path = Path(str(value)).expanduser()
    return None if path.exists() else "No socket at this path (is the server running?)."


def _ssh_check(value: Any, values: dict[str, Any]) -> str | None:
    if not re.fullmatch(r"[^@\s]+@(\[[0-9a-fA-F:.]+\]|[^@:\s\[\]]+)(:\d{1,5})?", str(value)):
        return "Write it user@host or user@host:port."
    if values.get("socket"):
        return "Leave the Unix socket empty: through SSH the database is reached by host and port."
    return None


def _location_check(value: Any, _values: dict[str, Any]) -> str | None:
    text = str(value)
    if kind_of(text) != "folder":
        return None   # checked when opened: the storage itself says what is wrong
    if "://" in text and scheme_of(text) != "file":
        return ("Unknown kind of location: use a folder, s3://bucket/prefix, sftp://user@host/path, "
                "ftps://user@host/path or rclone:remote:path.")
    path = Path(text.removeprefix("file://")).expanduser()
    if path.exists() and not path.is_dir():
        return "This is a file, not a folder."
    return None


SERVER_FIELDS: tuple[Field, ...] = (
    Field("name", "Name", required=True, placeholder="e.g. shop-db", check=name_check,
          help="How Custode calls this server."),
    Field("host", "Host", default="localhost", placeholder="db.example.com"),
    Field("port", "Port", kind="int", default=3306, minimum=1, maximum=65535),
    Field("socket", "Unix socket", kind="path", check=_socket_check,
          placeholder="/run/mysqld/mysqld.sock", help="When set, host and port are not used."),
    Field("user", "User", required=True, default="root"),
    Field("password", "Password", kind="secret", help="Kept in the OS keyring, never in a file."),
    Field("ssl_ca", "TLS CA certificate", kind="file"),
    Field("ssl_cert", "TLS client certificate", kind="file"),
    Field("ssl_key", "TLS client key", kind="file"),
    Field("ssh", "SSH tunnel", check=_ssh_check, placeholder="user@bastion:22",
          help="Reach the database through this SSH server (the host above is as seen from there)"),
    Field("ssh_key", "SSH key", kind="file",
          help="Private key for the SSH server; else the SSH agent and ~/.ssh keys"),
)

REPOSITORY_FIELDS: tuple[Field, ...] = (
    Field("name", "Name", required=True, default="local", check=name_check),
    Field("location", "Location", kind="folder", required=True, check=_location_check,
          help="A folder (empty or new for a new repository), or s3://bucket/prefix, "
               "sftp://user@host/path, ftps://user@host/path, rclone:remote:path."),
    Field("passphrase", "Passphrase", kind="secret", required=True,
          help="Encrypts the repository. Without it the backups cannot be read: keep it safe."),
)


SETTINGS_FIELDS: tuple[Field, ...] = (
    Field("language", "Language", kind="choice", default="en",
          choices=(("en", "English"), ("it", "Italiano"))),
    Field("theme", "Theme", kind="choice", default="system",
          choices=(("system", "System"), ("light", "Light"), ("dark", "Dark"))),
)


# -- entries ---------------------------------------------------------------------------------------
@dataclass
class ServerEntry:
    name: str
    user: str = "root"
    host: str = "localhost"
    port: int = 3306
    socket: str = ""
    ssl_ca: str = ""
    ssl_cert: str = ""
    ssl_key: str = ""
    ssh: str = ""            # user@host[:port] of an SSH server to reach the database through
    ssh_key: str = ""
    demo: bool = False       # the throwaway demo server with Sakila
    has_password: bool = True   # False: the account needs none (unix_socket auth, the demo)

    def spec(self) -> ServerSpec:
        return ServerSpec(user=self.user, host=self.host, port=int(self.port),
                          socket=self.socket or None, ssl_ca=self.ssl_ca or None,
                          ssl_cert=self.ssl_cert or None, ssl_key=self.ssl_key or None,
                          ssh=self.ssh or None, ssh_key=(self.ssh_key or None) if self.ssh else None)

    @property
    def url(self) -> str:
        return self.spec().url

    def password(self) -> str | None:
        """The password from the keyring (None when none is stored)."""
        return secrets.get_secret(secrets.SERVER_SERVICE, self.url)

    @classmethod
    def from_values(cls, values: dict[str, Any]) -> ServerEntry:
        known = {f.name for f in fields(cls)}
        clean: dict[str, Any] = {k: ("" if v is None else v) for k, v in values.items() if k in known}
        clean["port"] = int(clean.get("port") or 3306)
        return cls(**clean)


@dataclass
class RepositoryEntry:
    name: str
    location: str


@dataclass
class Profile:
    """What the user has configured; `save()` writes it atomically."""

    path: Path
    servers: list[ServerEntry] = field(default_factory=list)
    repositories: list[RepositoryEntry] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)   # language, theme, ...
    plans: list[Plan] = field(default_factory=list)

    @classmethod
    def default_path(cls) -> Path:
        return config_dir() / "profile.json"

    @classmethod
    def load(cls, path: Path | None = None) -> Profile:
        from app.core.plans import Plan  # plans.py builds on this module's Field

        path = path or cls.default_path()
        if not path.exists():
            return cls(path)
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            return cls(path,
                       [ServerEntry(**s) for s in document.get("servers", [])],
                       [RepositoryEntry(**r) for r in document.get("repositories", [])],
                       dict(document.get("settings", {})),
                       # Profiles written before plans existed have no "plans" key.
                       [Plan.from_values(p) for p in document.get("plans", [])])
        except (ValueError, TypeError) as exc:
            raise ConfigError(f"cannot read the profile {path}: {exc}; fix or remove the file") from None

    @property
    def is_new(self) -> bool:
        return not self.servers and not self.repositories

    def save(self) -> None:
        document = {"version": PROFILE_VERSION,
                    "servers": [asdict(s) for s in self.servers],
                    "repositories": [asdict(r) for r in self.repositories],
                    "settings": self.settings,
                    "plans": [p.values() for p in self.plans]}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=self.path.parent, prefix=".profile-")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(document, out, indent=2)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, self.path)

    def server(self, name: str) -> ServerEntry | None:
        return next((s for s in self.servers if s.name == name), None)

    def repository(self, name: str) -> RepositoryEntry | None:
        return next((r for r in self.repositories if r.name == name), None)

    def plan(self, name: str) -> Plan | None:
        return next((p for p in self.plans if p.name == name), None)

    def put_server(self, entry: ServerEntry, password: str | None = None) -> bool:
        """Add or replace a server; store its password in the keyring when given.

        Returns False when a password was given but no keyring could keep it (the caller says so:
        the password will then be asked for each time).
        """
        self.servers = _replaced(self.servers, entry.name, entry)
        if password:
            return secrets.set_secret(secrets.SERVER_SERVICE, entry.url, password)
        return True

    def put_repository(self, entry: RepositoryEntry) -> None:
        self.repositories = _replaced(self.repositories, entry.name, entry)

    def put_plan(self, plan: Plan, replacing: str | None = None) -> None:
        """Add a plan, or replace the one named `replacing` (default: its own name).

        Raises `ConfigError` when the plan names what the profile lacks or keeps nothing.
        """
        from app.core.plans import validate_plan

        others = [p.name for p in self.plans if p.name != (replacing or plan.name)]
        problems = validate_plan(plan.values(), [s.name for s in self.servers],
                                 [r.name for r in self.repositories], others)
        if problems:
            key, message = next(iter(problems.items()))
            raise ConfigError(f"plan '{plan.name}', {key.replace('_', ' ')}: {message}")
        self.plans = _replaced(self.plans, replacing or plan.name, plan)

    def remove_plan(self, name: str) -> None:
        self.plans = [p for p in self.plans if p.name != name]

    def _refuse_if_used(self, what: str, name: str) -> None:
        users = [p.name for p in self.plans
                 if (p.server == name if what == "server" else name in p.repositories)]
        if users:
            raise ConfigError(f"the {what} '{name}' is used by the plan '{users[0]}'"
                              f"{f' and {len(users) - 1} more' if len(users) > 1 else ''}; "
                              "change or remove the plan first")

    def remove_server(self, name: str, forget_password: bool = True) -> None:
        """Forget a server and its password; refused (`ConfigError`) while a plan uses it.

        `forget_password=False` leaves the keyring alone (an edit that may still be cancelled).
        """
        entry = self.server(name)
        if entry is not None:
            self._refuse_if_used("server", name)
            self.servers.remove(entry)
            if forget_password and not any(s.url == entry.url for s in self.servers):
                secrets.delete_secret(secrets.SERVER_SERVICE, entry.url)

    def remove_repository(self, name: str) -> None:
        """Forget a repository (its backups stay where they are); refused while a plan uses it."""
        self._refuse_if_used("repository", name)
        self.repositories = [r for r in self.repositories if r.name != name]

    def rename_server(self, old: str, new: str) -> None:
        """Give a server another name; the plans that use it follow."""
        entry = self._renamed(self.server(old), self.server(new), "server", old, new)
        entry.name = new
        for p in self.plans:
            p.server = new if p.server == old else p.server

    def rename_repository(self, old: str, new: str) -> None:
        """Give a repository another name; the plans that use it follow."""
        entry = self._renamed(self.repository(old), self.repository(new), "repository", old, new)
        entry.name = new
        for p in self.plans:
            p.repositories = [new if r == old else r for r in p.repositories]

    @staticmethod
    def _renamed(entry: Named | None, clash: Named | None, what: str, old: str, new: str) -> Named:
        if entry is None:
            raise ConfigError(f"there is no {what} named '{old}'")
        if clash is not None and clash is not entry:
            raise ConfigError(f"another {what} is already named '{new}'; choose another name")
        return entry


def _replaced(items: list[Any], name: str, entry: Any) -> list[Any]:
    """`items` with the one called `name` replaced by `entry` in its place, or `entry` appended."""
    names = [item.name for item in items]
    if name in names:
        index = names.index(name)
        return [*items[:index], entry, *[i for i in items[index + 1:] if i.name != entry.name]]
    return [i for i in items if i.name != entry.name] + [entry]
