"""Plans: what to back up, where, when (cron) and for how long; and cron schedules in words.

A plan names a server and repositories of the profile by name, so that renaming a folder or a
host never orphans it.  Its options are declared once in `PLAN_FIELDS`; the Settings dialog builds
its editor from them and `validate_plan` checks them the same way the scheduler will.

Schedules are five-field cron expressions (minute hour day month weekday) in the computer's local
wall-clock time.  `croniter` computes the run times and `cron-descriptor` says them in words; both
work offline.  Six- and seven-field forms are refused on purpose: the two libraries read the sixth
field differently (seconds last versus first), and a schedule must mean one thing.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Collection
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime
from typing import Any

from cron_descriptor import ExpressionDescriptor, FormatException, Options
from croniter import CroniterBadDateError, croniter

from app.core.errors import ConfigError
from app.core.profile import Field, Message, Translate, name_check, translated, validate

BACKUP_TYPES = (("full", "Full"), ("differential", "Differential (changes since the last full)"),
                ("incremental", "Incremental (changes since the last backup)"))
KEEP_COUNTS = ("keep_last", "keep_daily", "keep_weekly", "keep_monthly", "keep_yearly")
LANGUAGES = {"en": "en_US", "it": "it_IT"}

# What is said when one of the five fields is wrong, in order (whole sentences, for translators).
_CRON_PARTS = (
    "The minute field '{value}' is not valid: use 0-59, a range a-b, a list a,b or a step */n.",
    "The hour field '{value}' is not valid: use 0-23, a range a-b, a list a,b or a step */n.",
    "The day of month field '{value}' is not valid: use 1-31 or L, a range a-b, a list a,b or a "
    "step */n.",
    "The month field '{value}' is not valid: use 1-12 or jan-dec, a range a-b, a list a,b or a "
    "step */n.",
    "The weekday field '{value}' is not valid: use 0-7 or sun-sat, a range a-b, a list a,b or a "
    "step */n.",
)
_DURATION = re.compile(r"(\d+)([hdwmy])")

# Our own names, Monday first: the system's come from the process locale (which Qt sets from the
# user's environment), so an English description could otherwise name German weekdays.
_DAYS = {"en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
         "it": ("lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica")}
_MONTHS = {"en": ("January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December"),
           "it": ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
                  "settembre", "ottobre", "novembre", "dicembre")}


# -- cron ------------------------------------------------------------------------------------------
def cron_problem(expression: str) -> str | None:
    """What is wrong with a cron expression, as one sentence; None when it is fine."""
    parts = expression.split()
    if len(parts) != 5:
        return ("Use five fields: minute hour day month weekday, e.g. '30 2 * * *' for every day "
                "at 02:30.")
    for index, template in enumerate(_CRON_PARTS):
        alone = ["*"] * 5
        alone[index] = parts[index]
        if not croniter.is_valid(" ".join(alone)):
            return Message(template, value=parts[index])
    if not croniter.is_valid(expression):
        return "This is not a valid cron expression; check each of the five fields."
    try:
        croniter(expression, datetime(2000, 1, 1)).get_next(datetime)
    except CroniterBadDateError:
        return "This schedule never runs: no month has that day; check the day and month fields."
    return None


def _checked(expression: str) -> str:
    expression = " ".join(expression.split())
    problem = cron_problem(expression)
    if problem:
        raise ConfigError(f"schedule '{expression}': {problem[:1].lower()}{problem[1:]}")
    return expression


def next_runs(expression: str, after: datetime, count: int = 5) -> list[datetime]:
    """The next `count` run times strictly after `after`, in its time zone (naive: wall clock).

    Raises `ConfigError` for an expression that `cron_problem` refuses.
    """
    runs = croniter(_checked(expression), after)
    return [runs.get_next(datetime) for _ in range(count)]


def describe(expression: str, language: str = "en") -> str:
    """The schedule in words, e.g. 'At 02:30, every day' or 'Alle 02:30, ogni giorno'.

    Raises `ConfigError` for an expression that `cron_problem` refuses.
    """
    expression = _checked(expression)
    options = Options()
    options.locale_code = LANGUAGES.get(language, "en_US")
    options.use_24hour_time_format = True
    # "every day" makes "At 02:30" unambiguous, but would only repeat "every hour" otherwise.
    options.verbose = expression.split()[1] != "*"
    try:
        text = ExpressionDescriptor(expression, options).get_description()
    except (FormatException, ValueError, IndexError) as exc:   # cron_problem let it through
        raise ConfigError(f"schedule '{expression}' cannot be described: {exc}") from None
    return _our_names(text, language)


def _our_names(text: str, language: str) -> str:
    """Replace the day and month names cron-descriptor took from the system locale with ours."""
    language = language if language in _DAYS else "en"
    system = {calendar.day_name[i]: _DAYS[language][i] for i in range(7)}
    system.update({date(2000, m, 1).strftime("%B"): _MONTHS[language][m - 1] for m in range(1, 13)})
    pattern = re.compile(r"\b(" + "|".join(re.escape(name) for name in system) + r")\b")
    return pattern.sub(lambda match: system[match.group(1)], text)


def format_run(when: datetime, language: str = "en") -> str:
    """'Tue 24 Nov 2026 02:30' (or 'mar 24 nov 2026 02:30'), whatever the system locale."""
    language = language if language in _DAYS else "en"
    day, month = _DAYS[language][when.weekday()][:3], _MONTHS[language][when.month - 1][:3]
    return f"{day} {when.day} {month} {when:%Y %H:%M}"


def from_now(when: datetime, now: datetime, language: str = "en") -> str:
    """How far a run is, in words: 'in 40 minutes', 'in 3 hours', 'tra 2 giorni'."""
    minutes = max(1, round((when - now).total_seconds() / 60))
    units = ((60 * 24, "day", "days", "giorno", "giorni"), (60, "hour", "hours", "ora", "ore"),
             (1, "minute", "minutes", "minuto", "minuti"))
    size, one, many, uno, molti = next(u for u in units if minutes >= u[0] or u[0] == 1)
    count = int(minutes / size + 0.5)   # half up: 14 h 30 min is "in 15 hours"
    if language == "it":
        return f"tra {count} {uno if count == 1 else molti}"
    return f"in {count} {one if count == 1 else many}"


def duration_problem(text: str) -> str | None:
    """What is wrong with a keep-within duration such as '7d' or '1y6m'; None when fine."""
    cleaned = text.replace(" ", "").lower()
    if not cleaned or _DURATION.sub("", cleaned) or not any(
            int(n) for n, _ in _DURATION.findall(cleaned)):
        return "Write a duration such as 12h, 7d, 2w, 6m or 1y (hours, days, weeks, months, years)."
    return None


# -- the plan --------------------------------------------------------------------------------------
def _cron_check(value: Any, _values: dict[str, Any]) -> str | None:
    return cron_problem(str(value))


def _duration_check(value: Any, _values: dict[str, Any]) -> str | None:
    return duration_problem(str(value))


def _databases_check(value: Any, _values: dict[str, Any]) -> str | None:
    for name in value:
        if not re.fullmatch(r"[^\s`/\\.]{1,64}", name):
            return Message("'{name}' is not a database name (at most 64 characters, no spaces, dots "
                           "or slashes).", name=name)
    return None


def _keep_field(key: str, label: str, default: int, help_text: str) -> Field:
    return Field(key, label, kind="int", default=default, minimum=0, maximum=100_000, help=help_text)


PLAN_FIELDS: tuple[Field, ...] = (
    Field("name", "Name", required=True, default="nightly", check=name_check),
    Field("server", "Server", kind="choice", required=True,
          help="Choices come from the Servers page."),
    Field("databases", "Databases", kind="list", placeholder="all databases", check=_databases_check,
          help="Comma-separated; leave empty to back up every database."),
    Field("repositories", "Repositories", kind="names", required=True,
          help="The first checked is the primary; the others receive copies."),
    Field("schedule", "Schedule", kind="cron", required=True, default="30 2 * * *", check=_cron_check),
    Field("backup_type", "Backup type", kind="choice", default="full", choices=BACKUP_TYPES),
    _keep_field("keep_last", "Keep last", 0, "The newest N backups."),
    Field("keep_within", "Keep within", placeholder="e.g. 7d", check=_duration_check,
          help="Every backup younger than this: 12h, 7d, 2w, 6m, 1y."),
    _keep_field("keep_daily", "Keep daily", 7, "The last backup of each of the last N days."),
    _keep_field("keep_weekly", "Keep weekly", 4, "The last backup of each of the last N weeks."),
    _keep_field("keep_monthly", "Keep monthly", 12, "The last backup of each of the last N months."),
    _keep_field("keep_yearly", "Keep yearly", 0, "The last backup of each of the last N years."),
    Field("verify", "Verify after backup", kind="bool", default=True,
          help="Re-read every object of the new backup and check its hash and tag."),
    Field("notify_on_failure", "Notify on failure", kind="bool", default=True),
)


@dataclass
class Plan:
    """One plan as the profile keeps it; the keys are those of `PLAN_FIELDS`."""

    name: str
    server: str
    repositories: list[str]
    schedule: str = "30 2 * * *"
    databases: list[str] = field(default_factory=list)    # empty: every database
    backup_type: str = "full"
    keep_last: int = 0
    keep_within: str = ""
    keep_daily: int = 7
    keep_weekly: int = 4
    keep_monthly: int = 12
    keep_yearly: int = 0
    verify: bool = True
    notify_on_failure: bool = True

    @property
    def primary(self) -> str:
        """The repository backed up into first; the others receive copies."""
        return self.repositories[0]

    @classmethod
    def from_values(cls, values: dict[str, Any]) -> Plan:
        """From form or file values; unknown keys (from a newer version) are ignored."""
        known = {f.name for f in fields(cls)}
        clean = {k: v for k, v in values.items() if k in known and v is not None}
        for key in KEEP_COUNTS:
            if key in clean:
                clean[key] = int(clean[key])
        for key in ("databases", "repositories"):
            if key in clean:
                clean[key] = [str(item) for item in clean[key]]
        return cls(**clean)

    def values(self) -> dict[str, Any]:
        return asdict(self)


def validate_plan(values: dict[str, Any], servers: Collection[str], repositories: Collection[str],
                  other_plans: Collection[str] = (), translate: Translate | None = None) -> dict[str, str]:
    """Problems with a plan's values, as {field key: message}; the profile's names are the context.

    `translate` says the messages in the user's language, as for `validate`.
    """
    problems = validate(PLAN_FIELDS, values, translate)
    found: dict[str, str] = {}
    if values.get("name") in other_plans:
        found["name"] = "Another plan has this name; choose another."
    server = values.get("server")
    if server and server not in servers:
        found["server"] = Message("Unknown server '{server}': add it on the Servers page first.",
                                  server=server)
    unknown = [r for r in values.get("repositories") or [] if r not in repositories]
    if unknown:
        found["repositories"] = Message("Unknown repository '{name}'.", name=unknown[0])
    if not values.get("keep_within") and not any(int(values.get(k) or 0) for k in KEEP_COUNTS):
        found["keep_last"] = "Keeps nothing: set at least one keep rule."
    for key, message in found.items():
        problems.setdefault(key, translated(message, translate))
    return {f.key: problems[f.key] for f in PLAN_FIELDS if f.key in problems}   # in form order
