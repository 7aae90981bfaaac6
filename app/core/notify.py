"""Alerts: which channels to use (email, webhook, SMS gateway, desktop), on which events, and `send`.

Every option is declared once as a `Field`; the notification settings page is generated from these
declarations and `problems` checks values with the same `validate` the rest of the profile uses.
The configuration lives in `profile.settings["notifications"]` as one dict per channel plus
`events`; secrets never go there.  The SMTP password and the webhook and gateway URLs (a Slack or
Teams webhook URL is itself the credential that lets anyone post) live in the OS keyring under
`NOTIFY_SERVICE`, with the account "<channel>.<key>".

`send` never raises for a channel that fails: it returns one `ChannelResult` per channel tried,
each with one sentence saying what happened, with no password or URL secret in it.  Desktop
notifications are shown by the GUI's tray icon; the core only keeps their flag (`desktop_enabled`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from app.core import secrets
from app.core.notify_channels import (
    SECURITY_CHOICES,
    WEBHOOK_FLAVOURS,
    ChannelFailure,
    send_email,
    send_sms,
    send_webhook,
    split_addresses,
)
from app.core.profile import Field, Message, Translate, validate

NOTIFY_SERVICE = "custode-notify"
EVENTS = ("failure", "stale", "low_disk", "verify_failed")
TEST_EVENT = "test"
SENDING_CHANNELS = ("email", "webhook", "sms")   # the ones `send` delivers; desktop is the GUI's

PasswordLookup = Callable[[str], str | None]     # "<channel>.<key>" -> secret, None when none
log = logging.getLogger(__name__)


# -- checks ----------------------------------------------------------------------------------------
_ADDRESS = re.compile(r"[^@\s<>,;\"()]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*")


def _address_check(value: Any, _values: dict[str, Any]) -> str | None:
    text = str(value).strip()
    return None if _ADDRESS.fullmatch(text) else Message("'{address}' is not an email address.",
                                                         address=text)


def _addresses_check(value: Any, _values: dict[str, Any]) -> str | None:
    addresses = split_addresses(str(value))
    if not addresses:
        return "Give at least one email address."
    for address in addresses:
        if not _ADDRESS.fullmatch(address):
            return Message("'{address}' is not an email address: separate addresses with commas.",
                           address=address)
    return None


def _host_check(value: Any, _values: dict[str, Any]) -> str | None:
    if not re.fullmatch(r"[A-Za-z0-9_.:\[\]-]+", str(value).strip()) or "://" in str(value):
        return "Give a host name or an IP address only, without smtp:// or a port."
    return None


def _url_check(value: Any, _values: dict[str, Any]) -> str | None:
    if not re.fullmatch(r"https?://[^\s/?#]+[^\s]*", str(value).strip()):
        return "Give a URL that starts with https:// (or http:// on a trusted network)."
    return None


def _template_check(value: Any, values: dict[str, Any]) -> str | None:
    if "{message}" not in str(value):
        return "Put {message} in the URL where the gateway expects the text."
    return _url_check(value, values)


# -- declarations ----------------------------------------------------------------------------------
# A channel's first field is its on/off flag.  In the event list an int field's placeholder is its unit.

EMAIL_FIELDS: tuple[Field, ...] = (
    Field("enabled", "Send email", kind="bool", default=False),
    Field("host", "SMTP server", required=True, placeholder="smtp.example.com", check=_host_check),
    Field("port", "Port", kind="int", default=587, minimum=1, maximum=65535),
    Field("security", "Encryption", kind="choice", default="starttls", choices=SECURITY_CHOICES),
    Field("user", "User", placeholder="empty when the server needs no login"),
    Field("password", "Password", kind="secret", help="Kept in the OS keyring, never in a file."),
    Field("sender", "From", required=True, placeholder="custode@example.com", check=_address_check),
    Field("to", "To", required=True, placeholder="dba@example.com, oncall@example.com",
          check=_addresses_check, help="Separate addresses with commas."),
)

WEBHOOK_FIELDS: tuple[Field, ...] = (
    Field("enabled", "Post to a webhook", kind="bool", default=False),
    Field("flavour", "Kind", kind="choice", default="slack", choices=WEBHOOK_FLAVOURS),
    Field("url", "Webhook URL", kind="secret", required=True, check=_url_check,
          placeholder="https://hooks.slack.com/services/…",
          help="Kept in the OS keyring: whoever has this URL can post to the channel."),
)

SMS_FIELDS: tuple[Field, ...] = (
    Field("enabled", "Send SMS through a gateway", kind="bool", default=False),
    Field("url", "Gateway URL", kind="secret", required=True, check=_template_check,
          placeholder="https://sms.example.com/send?key=…&to=…&text={message}",
          help="Custode requests this URL with {message} replaced by the alert text. "
               "Kept in the OS keyring (it usually holds an API key)."),
)

DESKTOP_FIELDS: tuple[Field, ...] = (
    Field("enabled", "Show desktop notifications (from the tray icon)", kind="bool", default=True),
)

CHANNELS: dict[str, tuple[Field, ...]] = {
    "email": EMAIL_FIELDS, "webhook": WEBHOOK_FIELDS, "sms": SMS_FIELDS, "desktop": DESKTOP_FIELDS,
}

EVENT_FIELDS: tuple[Field, ...] = (
    Field("failure", "A backup, restore or other job fails", kind="bool", default=True),
    Field("stale", "No good backup of a server within", kind="bool", default=True),
    Field("stale_hours", "Hours without a good backup", kind="int", default=26, minimum=1,
          maximum=24 * 365, placeholder="hours"),
    Field("low_disk", "Free space on a local repository's disk falls below", kind="bool", default=True),
    Field("low_disk_gib", "Free space threshold", kind="int", default=10, minimum=1, maximum=1_000_000,
          placeholder="GiB"),
    Field("verify_failed", "Verification or a test restore finds damage", kind="bool", default=True),
)
THRESHOLDS = {"stale": "stale_hours", "low_disk": "low_disk_gib"}   # event -> its number


def secret_account(channel: str, key: str) -> str:
    return f"{channel}.{key}"


def secret_fields(channel: str) -> tuple[Field, ...]:
    return tuple(f for f in CHANNELS[channel] if f.kind == "secret")


def keyring_lookup(account: str) -> str | None:
    """The default `PasswordLookup`: the OS keyring."""
    return secrets.get_secret(NOTIFY_SERVICE, account)


# -- configuration ---------------------------------------------------------------------------------
def default_config() -> dict[str, dict[str, Any]]:
    sections = {**CHANNELS, "events": EVENT_FIELDS}
    return {name: {f.key: f.default for f in declared if f.kind != "secret"}
            for name, declared in sections.items()}


def load_config(settings: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The notification settings from `profile.settings`, with defaults for anything missing."""
    config = default_config()
    stored = settings.get("notifications") or {}
    for name, section in config.items():
        saved = stored.get(name) or {}
        section.update({k: v for k, v in saved.items() if k in section})
    return config


def problems(channel: str, values: dict[str, Any], stored: frozenset[str] = frozenset(),
             translate: Translate | None = None) -> dict[str, str]:
    """What is wrong with a channel's values ({key: message}); nothing when it is off.

    `stored` names the secret keys already in the keyring: left empty, they are kept, so they are
    not required again.  `translate` says the messages in the user's language (see `validate`).
    """
    if not values.get("enabled"):
        return {}
    declared = tuple(replace(f, required=False) if f.key in stored else f for f in CHANNELS[channel])
    return validate(declared, values, translate)


def wants(config: dict[str, dict[str, Any]], event: str) -> bool:
    """Whether the user asked to hear about `event` (a test is always wanted)."""
    return event == TEST_EVENT or bool(config.get("events", {}).get(event))


def desktop_enabled(config: dict[str, dict[str, Any]]) -> bool:
    return bool(config.get("desktop", {}).get("enabled"))


# -- sending ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Notification:
    """One alert.  `severity` is info, warning or error (it colours Slack and Teams messages)."""

    event: str
    title: str
    body: str
    server: str = ""
    severity: str = "error"
    time: datetime = field(default_factory=lambda: datetime.now(UTC))


@dataclass(frozen=True)
class ChannelResult:
    channel: str
    ok: bool
    message: str


def sample_notification() -> Notification:
    """What Send test sends."""
    return Notification(TEST_EVENT, "Custode test notification",
                        "This is a test from Custode's notification settings: alerts will reach you here.",
                        severity="info")


def send(config: dict[str, dict[str, Any]], notification: Notification,
         password_lookup: PasswordLookup = keyring_lookup) -> list[ChannelResult]:
    """Deliver `notification` on every enabled channel, if its event is wanted; never raises."""
    if not wants(config, notification.event):
        return []
    return [send_one(config, channel, notification, password_lookup)
            for channel in SENDING_CHANNELS if config.get(channel, {}).get("enabled")]


def send_one(config: dict[str, dict[str, Any]], channel: str, notification: Notification,
             password_lookup: PasswordLookup = keyring_lookup) -> ChannelResult:
    """Deliver on one channel, enabled or not (the settings page's Send test); never raises."""
    settings = config.get(channel, {})
    seen: list[str] = []

    def lookup(key: str) -> str | None:
        secret = password_lookup(secret_account(channel, key))
        if secret:
            seen.append(secret)
        return secret

    try:
        if channel == "email":
            message = send_email(settings, notification, lookup("password"))
        elif channel in ("webhook", "sms"):
            url = lookup("url")
            if not url:
                raise ChannelFailure(f"No {channel} URL is stored: type it in the notification settings.")
            message = (send_webhook(url, str(settings.get("flavour") or "generic"), notification)
                       if channel == "webhook" else send_sms(url, notification))
        else:
            raise ChannelFailure(f"Custode cannot send by '{channel}' from here.")
        ok = True
    except ChannelFailure as exc:
        message, ok = str(exc), False
    except Exception as exc:  # noqa: BLE001 - a bug must not stop the other channels
        # The exception's text may quote a URL or a server's reply: its type is enough.
        message = f"Internal error while sending by {channel}: {type(exc).__name__} (please report it)."
        ok = False
    for secret in seen:   # belt and braces: no secret leaves this function, whatever a server echoed
        message = message.replace(secret, "***")
    if not ok:
        log.warning("notification by %s failed: %s", channel, message)
    return ChannelResult(channel, ok, message)
