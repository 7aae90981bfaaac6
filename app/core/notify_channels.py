"""How an alert travels: SMTP email, a JSON webhook (generic, Slack, Teams), an SMS gateway URL.

Each sender returns one sentence saying where the alert went, or raises `ChannelFailure` with one
sentence saying what went wrong and what to check.  Neither ever quotes the SMTP password or a
webhook URL past its host: those URLs carry tokens, so messages show them as `redact(url)`.
Every network call gives up after `TIMEOUT` seconds.
"""

from __future__ import annotations

import http.client
import json
import re
import smtplib
import socket
import ssl
import urllib.error
import urllib.parse
import urllib.request
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import TYPE_CHECKING, Any

from app import __version__

if TYPE_CHECKING:
    from app.core.notify import Notification

TIMEOUT = 10.0
SECURITY_CHOICES = (("starttls", "STARTTLS (usually port 587)"), ("tls", "TLS (usually port 465)"),
                    ("none", "None (not encrypted)"))
WEBHOOK_FLAVOURS = (("slack", "Slack"), ("teams", "Microsoft Teams"), ("generic", "Generic JSON"))
SEVERITY_COLOURS = {"info": "#28a745", "warning": "#ffc107", "error": "#dc3545"}
SMS_LENGTH = 160


class ChannelFailure(Exception):
    """One channel could not deliver; the message is one sentence for the user, with no secret."""


def split_addresses(text: str) -> list[str]:
    """'a@x, b@y' -> ['a@x', 'b@y'] (commas or semicolons, blanks ignored)."""
    return [part.strip() for part in re.split(r"[,;]", text) if part.strip()]


def redact(url: str) -> str:
    """'https://hooks.slack.com/services/T0/B0/secret' -> 'https://hooks.slack.com/…'."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
        host, port = parts.hostname, parts.port
    except ValueError:
        return "the configured URL"
    if not parts.scheme or not host:
        return "the configured URL"
    return f"{parts.scheme}://{host}{f':{port}' if port else ''}/…"


# -- email -----------------------------------------------------------------------------------------
def email_message(settings: dict[str, Any], note: Notification) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = f"[Custode] {note.title}" + (f" ({note.server})" if note.server else "")
    message["From"] = str(settings.get("sender") or "")
    message["To"] = ", ".join(split_addresses(str(settings.get("to") or "")))
    message["Date"] = format_datetime(note.time)
    message["Message-ID"] = make_msgid(domain="custode.invalid")
    lines = [note.body, ""]
    if note.server:
        lines.append(f"Server: {note.server}")
    lines += [f"Event: {note.event}", f"Time: {note.time:%Y-%m-%d %H:%M:%S %Z}", "",
              f"-- Custode {__version__}"]
    message.set_content("\n".join(lines))
    return message


def send_email(settings: dict[str, Any], note: Notification, password: str | None) -> str:
    host = str(settings.get("host") or "").strip()
    port = int(settings.get("port") or 587)
    security = str(settings.get("security") or "starttls")
    user = str(settings.get("user") or "").strip()
    recipients = split_addresses(str(settings.get("to") or ""))
    where = f"{host}:{port}"
    if not host or not recipients:
        raise ChannelFailure("Email is not set up: give the SMTP server and at least one recipient.")
    if user and not password:
        raise ChannelFailure(f"No password is stored for the SMTP user {user}: "
                             "type it in the notification settings.")
    message = email_message(settings, note)
    context = ssl.create_default_context()
    step = "connect"
    try:
        client = (smtplib.SMTP_SSL(host, port, timeout=TIMEOUT, context=context) if security == "tls"
                  else smtplib.SMTP(host, port, timeout=TIMEOUT))
        with client:
            client.ehlo()
            if security == "starttls":
                step = "starttls"
                client.starttls(context=context)
                client.ehlo()
            if user:
                step = "login"
                client.login(user, password or "")
            step = "send"
            refused = client.send_message(message, to_addrs=recipients)
    except smtplib.SMTPAuthenticationError:
        raise ChannelFailure(f"SMTP server {where} refused the login: check user and password.") from None
    except smtplib.SMTPNotSupportedError:
        if step == "starttls":
            raise ChannelFailure(f"SMTP server {where} does not offer STARTTLS: choose TLS if it uses "
                                 "port 465, or no encryption only on a trusted network.") from None
        raise ChannelFailure(f"SMTP server {where} accepts no login here: leave User empty, or "
                             "choose STARTTLS or TLS if it only allows logins over encryption.") from None
    except smtplib.SMTPRecipientsRefused as exc:
        raise ChannelFailure(f"SMTP server {where} refused every recipient "
                             f"({', '.join(exc.recipients)}): check the addresses.") from None
    except smtplib.SMTPSenderRefused:
        raise ChannelFailure(f"SMTP server {where} refused the sender {settings.get('sender')}: "
                             "use an address this account may send from.") from None
    except smtplib.SMTPServerDisconnected as exc:
        # smtplib reports a read timeout as a disconnection; a silent server usually means the
        # port expects TLS from the first byte while STARTTLS or no encryption was chosen.
        what = f"did not answer within {TIMEOUT:g} s" if "timed out" in str(exc) else "closed the connection"
        raise ChannelFailure(f"SMTP server {where} {what}: check the port and the encryption "
                             "(465 is usually TLS, 587 STARTTLS).") from None
    except smtplib.SMTPResponseException as exc:
        reply = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) \
            else str(exc.smtp_error)
        raise ChannelFailure(f"SMTP server {where} answered {exc.smtp_code} {reply.strip()}: "
                             "check the email settings.") from None
    except ssl.SSLCertVerificationError as exc:
        raise ChannelFailure(f"The certificate of SMTP server {where} is not trusted "
                             f"({exc.verify_message}): check the server name.") from None
    except ssl.SSLError:
        raise ChannelFailure(f"TLS with SMTP server {where} failed: check the encryption "
                             "(465 is usually TLS, 587 STARTTLS).") from None
    except (OSError, smtplib.SMTPException) as exc:
        raise ChannelFailure(f"Cannot reach SMTP server {where}: {_network_reason(exc)}; "
                             "check the server, the port and the network.") from None
    if refused:
        raise ChannelFailure(f"SMTP server {where} refused {', '.join(refused)} (the others got the "
                             "message): check those addresses.")
    return f"Sent to {', '.join(recipients)} through {where}."


# -- webhooks and SMS ------------------------------------------------------------------------------
def webhook_payload(flavour: str, note: Notification) -> dict[str, Any]:
    """The JSON body for each kind of webhook."""
    colour = SEVERITY_COLOURS.get(note.severity, SEVERITY_COLOURS["error"])
    when = note.time.isoformat(timespec="seconds")
    if flavour == "slack":
        # `text` is what Slack shows in the notification itself; the attachment adds the colour bar.
        fields = [{"title": "Server", "value": note.server, "short": True}] if note.server else []
        return {"text": f"*{note.title}*" + (f" ({note.server})" if note.server else ""),
                "attachments": [{"color": colour, "title": note.title, "text": note.body,
                                 "fields": fields, "footer": "Custode", "ts": int(note.time.timestamp())}]}
    if flavour == "teams":
        # An Adaptive Card, what Teams' "Post to a channel when a webhook request is received"
        # workflow expects now that the old Office 365 connectors are retired.
        facts = [{"title": "Server", "value": note.server}] if note.server else []
        facts.append({"title": "Time", "value": when})
        card = {"$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard",
                "version": "1.4",
                "body": [{"type": "TextBlock", "text": note.title, "weight": "Bolder", "size": "Medium",
                          "wrap": True, "color": "Good" if note.severity == "info" else "Attention"},
                         {"type": "TextBlock", "text": note.body, "wrap": True},
                         {"type": "FactSet", "facts": facts}]}
        return {"type": "message",
                "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive",
                                 "contentUrl": None, "content": card}]}
    return {"source": "custode", "event": note.event, "severity": note.severity, "title": note.title,
            "body": note.body, "server": note.server, "time": when}


def send_webhook(url: str, flavour: str, note: Notification) -> str:
    body = json.dumps(webhook_payload(flavour, note)).encode("utf-8")
    _request(url, body, "webhook")
    return f"Delivered: the webhook at {redact(url)} accepted the message."


def sms_text(note: Notification) -> str:
    text = f"Custode: {note.title}" + (f" ({note.server})" if note.server else "")
    return text if len(text) <= SMS_LENGTH else text[:SMS_LENGTH - 1] + "…"


def send_sms(template: str, note: Notification) -> str:
    url = template.strip().replace("{message}", urllib.parse.quote(sms_text(note), safe=""))
    _request(url, None, "SMS gateway")
    return f"Delivered: the SMS gateway at {redact(template)} accepted the message."


def _request(url: str, body: bytes | None, what: str) -> None:
    """POST `body` as JSON (or GET when None); raise ChannelFailure unless the answer is 2xx."""
    where = redact(url)
    headers = {"User-Agent": f"Custode/{__version__}"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    try:
        request = urllib.request.Request(url.strip(), data=body, headers=headers,
                                         method="GET" if body is None else "POST")
        with urllib.request.urlopen(request, timeout=TIMEOUT,
                                    context=ssl.create_default_context()) as answer:
            answer.read(4096)
    except urllib.error.HTTPError as exc:
        hint = "check the URL" if exc.code in (401, 403, 404, 410) else "try again later"
        raise ChannelFailure(f"The {what} at {where} answered HTTP {exc.code} {exc.reason}: "
                             f"{hint}.") from None
    except urllib.error.URLError as exc:
        reason = exc.reason if isinstance(exc.reason, BaseException) else OSError(str(exc.reason))
        raise ChannelFailure(f"Cannot reach the {what} at {where}: {_network_reason(reason)}; "
                             "check the URL and the network.") from None
    except ValueError:
        raise ChannelFailure(f"The {what} URL is not valid: it must start with https://.") from None
    except (OSError, http.client.HTTPException) as exc:
        raise ChannelFailure(f"The {what} at {where} broke off the answer: "
                             f"{_network_reason(exc)}; try again later.") from None


def _network_reason(exc: BaseException) -> str:
    """A few words for a socket-level failure, never the exception's own text (it may hold a URL)."""
    if isinstance(exc, ConnectionRefusedError):
        return "the connection was refused"
    if isinstance(exc, TimeoutError):
        return f"no answer within {TIMEOUT:g} s"
    if isinstance(exc, socket.gaierror):
        return "the host name is unknown"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"its certificate is not trusted ({exc.verify_message})"
    if isinstance(exc, ssl.SSLError):
        return "the TLS handshake failed"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror[:1].lower() + exc.strerror[1:]
    return type(exc).__name__
