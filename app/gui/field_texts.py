"""The texts of the engine's option declarations, for translators, and their lookup at display time.

`app.core` stays free of Qt, so its `Field` labels, help lines, placeholders and choice labels, and
the messages of `validate` and of the field checks, are English there.  They are listed here with
`QT_TR_NOOP`, so that lupdate puts them in the catalogs; the forms say them with `field_text`, and
pass `translate` to `validate` (and to `validate_plan`, `notify.problems`), which translates each
message's template before filling in its values (`app.core.profile.Message`).

tests/gui/test_field_texts.py fails when a declaration or a check in the core gains a text that
is missing here: add it (or, for a name or a sample value that reads the same in every language,
to `NOT_TRANSLATED`), then run scripts/update-translations and translate it.
"""

from __future__ import annotations

from app.gui.i18n import QT_TR_NOOP, tr

FIELD_TEXTS = (
    # app.core.profile: servers, repositories, general settings
    QT_TR_NOOP("Name"), QT_TR_NOOP("How Custode calls this server."), QT_TR_NOOP("e.g. shop-db"),
    QT_TR_NOOP("Host"), QT_TR_NOOP("Port"), QT_TR_NOOP("Unix socket"),
    QT_TR_NOOP("When set, host and port are not used."), QT_TR_NOOP("User"), QT_TR_NOOP("Password"),
    QT_TR_NOOP("Kept in the OS keyring, never in a file."), QT_TR_NOOP("TLS CA certificate"),
    QT_TR_NOOP("TLS client certificate"), QT_TR_NOOP("TLS client key"), QT_TR_NOOP("Location"),
    QT_TR_NOOP("SSH tunnel"), QT_TR_NOOP("user@bastion:22"),
    QT_TR_NOOP("Reach the database through this SSH server (the host above is as seen from there)"),
    QT_TR_NOOP("SSH key"),
    QT_TR_NOOP("Private key for the SSH server; else the SSH agent and ~/.ssh keys"),
    QT_TR_NOOP("Write it user@host or user@host:port."),
    QT_TR_NOOP("Leave the Unix socket empty: through SSH the database is reached by host and port."),
    QT_TR_NOOP("A folder (empty or new for a new repository), or s3://bucket/prefix, "
               "sftp://user@host/path, ftps://user@host/path, rclone:remote:path."),
    QT_TR_NOOP("Passphrase"),
    QT_TR_NOOP("Encrypts the repository. Without it the backups cannot be read: keep it safe."),
    QT_TR_NOOP("Language"), QT_TR_NOOP("Theme"), QT_TR_NOOP("System"), QT_TR_NOOP("Light"),
    QT_TR_NOOP("Dark"),
    # app.core.plans
    QT_TR_NOOP("Server"), QT_TR_NOOP("Choices come from the Servers page."), QT_TR_NOOP("Databases"),
    QT_TR_NOOP("Comma-separated; leave empty to back up every database."),
    QT_TR_NOOP("all databases"), QT_TR_NOOP("Repositories"),
    QT_TR_NOOP("The first checked is the primary; the others receive copies."),
    QT_TR_NOOP("Schedule"), QT_TR_NOOP("Backup type"), QT_TR_NOOP("Full"),
    QT_TR_NOOP("Differential (changes since the last full)"),
    QT_TR_NOOP("Incremental (changes since the last backup)"),
    QT_TR_NOOP("Keep last"), QT_TR_NOOP("The newest N backups."), QT_TR_NOOP("Keep within"),
    QT_TR_NOOP("Every backup younger than this: 12h, 7d, 2w, 6m, 1y."), QT_TR_NOOP("e.g. 7d"),
    QT_TR_NOOP("Keep daily"), QT_TR_NOOP("The last backup of each of the last N days."),
    QT_TR_NOOP("Keep weekly"), QT_TR_NOOP("The last backup of each of the last N weeks."),
    QT_TR_NOOP("Keep monthly"), QT_TR_NOOP("The last backup of each of the last N months."),
    QT_TR_NOOP("Keep yearly"), QT_TR_NOOP("The last backup of each of the last N years."),
    QT_TR_NOOP("Verify after backup"),
    QT_TR_NOOP("Re-read every object of the new backup and check its hash and tag."),
    QT_TR_NOOP("Notify on failure"),
    # app.core.notify and app.core.notify_channels
    QT_TR_NOOP("Send email"), QT_TR_NOOP("SMTP server"), QT_TR_NOOP("Encryption"),
    QT_TR_NOOP("STARTTLS (usually port 587)"), QT_TR_NOOP("TLS (usually port 465)"),
    QT_TR_NOOP("None (not encrypted)"), QT_TR_NOOP("empty when the server needs no login"),
    QT_TR_NOOP("From"), QT_TR_NOOP("To"), QT_TR_NOOP("Separate addresses with commas."),
    QT_TR_NOOP("Post to a webhook"), QT_TR_NOOP("Kind"), QT_TR_NOOP("Generic JSON"),
    QT_TR_NOOP("Webhook URL"),
    QT_TR_NOOP("Kept in the OS keyring: whoever has this URL can post to the channel."),
    QT_TR_NOOP("Send SMS through a gateway"), QT_TR_NOOP("Gateway URL"),
    QT_TR_NOOP("Custode requests this URL with {message} replaced by the alert text. "
               "Kept in the OS keyring (it usually holds an API key)."),
    QT_TR_NOOP("Show desktop notifications (from the tray icon)"),
    QT_TR_NOOP("A backup, restore or other job fails"), QT_TR_NOOP("No good backup of a server within"),
    QT_TR_NOOP("Hours without a good backup"), QT_TR_NOOP("hours"),
    QT_TR_NOOP("Free space on a local repository's disk falls below"),
    QT_TR_NOOP("Free space threshold"),
    QT_TR_NOOP("Verification or a test restore finds damage"),
    # app.core.keys
    QT_TR_NOOP("Current passphrase"), QT_TR_NOOP("New passphrase"), QT_TR_NOOP("At least 10 characters."),
    QT_TR_NOOP("New passphrase again"),
)

MESSAGE_TEXTS = (
    # app.core.profile.validate
    QT_TR_NOOP("{label} is required."), QT_TR_NOOP("{label} must be a whole number."),
    QT_TR_NOOP("{label} must be between {minimum} and {maximum}."),
    QT_TR_NOOP("{label}: choose one of {choices}."), QT_TR_NOOP("{label}: no such file."),
    # app.core.profile checks
    QT_TR_NOOP("Use letters, digits, spaces and . - _ @ ( ) (at most 64 characters)."),
    QT_TR_NOOP("No socket at this path (is the server running?)."),
    QT_TR_NOOP("Unknown kind of location: use a folder, s3://bucket/prefix, sftp://user@host/path, "
               "ftps://user@host/path or rclone:remote:path."),
    QT_TR_NOOP("This is a file, not a folder."),
    # app.core.plans
    QT_TR_NOOP("Use five fields: minute hour day month weekday, e.g. '30 2 * * *' for every day "
               "at 02:30."),
    QT_TR_NOOP("The minute field '{value}' is not valid: use 0-59, a range a-b, a list a,b or a "
               "step */n."),
    QT_TR_NOOP("The hour field '{value}' is not valid: use 0-23, a range a-b, a list a,b or a "
               "step */n."),
    QT_TR_NOOP("The day of month field '{value}' is not valid: use 1-31 or L, a range a-b, a list "
               "a,b or a step */n."),
    QT_TR_NOOP("The month field '{value}' is not valid: use 1-12 or jan-dec, a range a-b, a list "
               "a,b or a step */n."),
    QT_TR_NOOP("The weekday field '{value}' is not valid: use 0-7 or sun-sat, a range a-b, a list "
               "a,b or a step */n."),
    QT_TR_NOOP("This is not a valid cron expression; check each of the five fields."),
    QT_TR_NOOP("This schedule never runs: no month has that day; check the day and month fields."),
    QT_TR_NOOP("Write a duration such as 12h, 7d, 2w, 6m or 1y (hours, days, weeks, months, years)."),
    QT_TR_NOOP("'{name}' is not a database name (at most 64 characters, no spaces, dots or slashes)."),
    QT_TR_NOOP("Another plan has this name; choose another."),
    QT_TR_NOOP("Unknown server '{server}': add it on the Servers page first."),
    QT_TR_NOOP("Unknown repository '{name}'."),
    QT_TR_NOOP("Keeps nothing: set at least one keep rule."),
    # app.core.notify
    QT_TR_NOOP("'{address}' is not an email address."),
    QT_TR_NOOP("Give at least one email address."),
    QT_TR_NOOP("'{address}' is not an email address: separate addresses with commas."),
    QT_TR_NOOP("Give a host name or an IP address only, without smtp:// or a port."),
    QT_TR_NOOP("Give a URL that starts with https:// (or http:// on a trusted network)."),
    QT_TR_NOOP("Put {message} in the URL where the gateway expects the text."),
    # app.core.keys
    QT_TR_NOOP("The new passphrase is too short: use at least {count} characters (a few unrelated "
               "words are easy to type and hard to guess)."),
    QT_TR_NOOP("The two new passphrases differ."),
)

# Names and sample values: the same in every language (a language is named in its own).
NOT_TRANSLATED = frozenset({
    "English", "Italiano", "Slack", "Microsoft Teams", "GiB", "db.example.com",
    "/run/mysqld/mysqld.sock", "smtp.example.com", "custode@example.com",
    "dba@example.com, oncall@example.com", "https://hooks.slack.com/services/…",
    "https://sms.example.com/send?key=…&to=…&text={message}",
})


def field_text(text: str) -> str:
    """A label, help line, placeholder or choice label of a core `Field`, in the user's language."""
    return tr(text) if text and text not in NOT_TRANSLATED else text


def translate(text: str) -> str:
    """For `validate(..., translate=translate)`: a message template in the user's language."""
    return tr(text)
