"""Alerts through real servers: an aiosmtpd SMTP server and an http.server on 127.0.0.1 receive what
Custode sends; failures come back as one sentence with no password and no URL token in it."""

from __future__ import annotations

import datetime
import json
import logging
import socket
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from app.core import notify
from app.core.notify import Notification, load_config, problems, send, send_one

USER, PASSWORD = "alerts", "s3cret-Pw!"
TOKEN = "T0000/B0000/tok3nXYZ"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# -- a real SMTP server ----------------------------------------------------------------------------
@dataclass
class Mailbox:
    port: int
    envelopes: list[Envelope] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted"

    def subjects(self) -> list[str]:
        return [message_from_bytes(e.original_content or b"")["Subject"] for e in self.envelopes]

    def authenticate(self, _server: Any, _session: Any, _envelope: Any, _mechanism: str,
                     data: Any) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (USER.encode(),
                                                                                  PASSWORD.encode())
        if ok:
            self.logins.append(USER)
        return AuthResult(success=ok, handled=False)   # handled=False: aiosmtpd answers 535 itself


def _run_smtp(auth: bool = False, **options: Any) -> Iterator[Mailbox]:
    box = Mailbox(free_port())
    if auth:   # without TLS, which is fine for a server that only listens on 127.0.0.1
        options.update(authenticator=box.authenticate, auth_require_tls=False)
    controller = Controller(box, hostname="127.0.0.1", port=box.port, **options)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


@pytest.fixture
def smtp_server() -> Iterator[Mailbox]:
    """An SMTP server that takes mail from anyone, without login or TLS."""
    yield from _run_smtp()


@pytest.fixture
def smtp_auth_server() -> Iterator[Mailbox]:
    """An SMTP server that offers a login and records who logged in."""
    yield from _run_smtp(auth=True)


def email_config(box: Mailbox, **overrides: Any) -> dict[str, dict[str, Any]]:
    config = load_config({})
    config["email"].update({"enabled": True, "host": "127.0.0.1", "port": box.port, "security": "none",
                            "sender": "custode@example.com", "to": "dba@example.com, oncall@example.org"})
    config["email"].update(overrides)
    return config


def lookup_from(values: dict[str, str]) -> notify.PasswordLookup:
    return values.get


# -- a real HTTP server ----------------------------------------------------------------------------
@dataclass
class Hook:
    base: str
    requests: list[tuple[str, str, dict[str, str], bytes]] = field(default_factory=list)
    status: int = 200

    def json(self, index: int = -1) -> Any:
        return json.loads(self.requests[index][3])


@pytest.fixture
def webhook() -> Iterator[Hook]:
    hook = Hook("")

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            hook.requests.append((self.command, self.path, dict(self.headers), self.rfile.read(length)))
            self.send_response(hook.status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        do_GET = do_POST = _answer

        def log_message(self, *_args: Any) -> None:   # keep the test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    hook.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hook
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


NOTE = Notification("failure", "Backup of shop-db failed", "The server went away during the dump.",
                    server="shop-db", severity="error")


# -- email -----------------------------------------------------------------------------------------
def test_email_without_login_reaches_every_recipient_with_the_subject(smtp_server: Mailbox) -> None:
    result = send_one(email_config(smtp_server), "email", notify.sample_notification(), lookup_from({}))
    assert result.ok, result.message
    assert result.message == ("Sent to dba@example.com, oncall@example.org through "
                              f"127.0.0.1:{smtp_server.port}.")
    [envelope] = smtp_server.envelopes
    assert envelope.mail_from == "custode@example.com"
    assert envelope.rcpt_tos == ["dba@example.com", "oncall@example.org"]
    assert smtp_server.subjects() == ["[Custode] Custode test notification"]


def test_email_logs_in_with_the_password_from_the_lookup(smtp_auth_server: Mailbox) -> None:
    config = email_config(smtp_auth_server, user=USER)
    [result] = send(config, NOTE, lookup_from({"email.password": PASSWORD}))
    assert result.ok, result.message
    assert smtp_auth_server.logins == [USER]
    assert smtp_auth_server.subjects() == ["[Custode] Backup of shop-db failed (shop-db)"]
    body = message_from_bytes(smtp_auth_server.envelopes[0].original_content or b"").get_payload()
    assert "The server went away during the dump." in body and "Server: shop-db" in body


def test_a_wrong_smtp_password_is_one_clear_sentence_that_never_shows_it(
        smtp_auth_server: Mailbox, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    config = email_config(smtp_auth_server, user=USER)
    wrong = PASSWORD + "-wrong"
    [result] = send(config, NOTE, lookup_from({"email.password": wrong}))
    assert not result.ok
    assert result.message == (f"SMTP server 127.0.0.1:{smtp_auth_server.port} refused the login: "
                              "check user and password.")
    assert wrong not in caplog.text and result.message in caplog.text
    assert smtp_auth_server.envelopes == [] and smtp_auth_server.logins == []
    [missing] = send(config, NOTE, lookup_from({}))
    assert missing.message == ("No password is stored for the SMTP user alerts: "
                               "type it in the notification settings.")


def _self_signed(tmp_path: Path) -> ssl.SSLContext:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=1)).sign(key, hashes.SHA256()))
    (tmp_path / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                         serialization.PrivateFormat.PKCS8,
                                                         serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    return context


def test_starttls_is_required_and_its_certificate_checked(smtp_server: Mailbox, tmp_path: Path) -> None:
    """STARTTLS against a server without it, and against an untrusted certificate, each say what to fix;
    neither falls back to sending in clear."""
    no_tls = send_one(email_config(smtp_server, security="starttls"), "email", NOTE, lookup_from({}))
    assert not no_tls.ok and no_tls.message.startswith(
        f"SMTP server 127.0.0.1:{smtp_server.port} does not offer STARTTLS: choose TLS")
    for box in _run_smtp(tls_context=_self_signed(tmp_path), require_starttls=True):
        untrusted = send_one(email_config(box, security="starttls"), "email", NOTE, lookup_from({}))
        assert not untrusted.ok
        assert untrusted.message.startswith(f"The certificate of SMTP server 127.0.0.1:{box.port} "
                                            "is not trusted (self-signed certificate")
        assert box.envelopes == []
    assert smtp_server.envelopes == []


def test_a_silent_smtp_port_gives_up_after_the_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """What STARTTLS against an implicit-TLS port looks like: the server waits for a TLS hello."""
    monkeypatch.setattr("app.core.notify_channels.TIMEOUT", 0.5)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        config = email_config(Mailbox(port), security="starttls")
        result = send_one(config, "email", NOTE, lookup_from({}))
    assert result.message == (f"SMTP server 127.0.0.1:{port} did not answer within 0.5 s: check the port and "
                              "the encryption (465 is usually TLS, 587 STARTTLS).")


# -- webhooks and SMS ------------------------------------------------------------------------------
def test_slack_teams_and_generic_webhooks_get_their_own_json(webhook: Hook) -> None:
    url = f"{webhook.base}/services/{TOKEN}"
    config = load_config({})
    for flavour in ("slack", "teams", "generic"):
        config["webhook"].update({"enabled": True, "flavour": flavour})
        [result] = send(config, NOTE, lookup_from({"webhook.url": url}))
        assert result.ok
        assert result.message == f"Delivered: the webhook at {webhook.base}/… accepted the message."
    assert [(method, path) for method, path, _, _ in webhook.requests] == [("POST", f"/services/{TOKEN}")] * 3
    assert all(headers["Content-Type"] == "application/json" for _, _, headers, _ in webhook.requests)

    slack, teams, generic = webhook.json(0), webhook.json(1), webhook.json(2)
    assert slack["text"] == "*Backup of shop-db failed* (shop-db)"
    [attachment] = slack["attachments"]
    assert attachment["color"] == "#dc3545" and attachment["text"] == NOTE.body
    assert attachment["fields"] == [{"title": "Server", "value": "shop-db", "short": True}]

    assert teams["type"] == "message"
    [card] = teams["attachments"]
    assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
    title, body, facts = card["content"]["body"]
    assert card["content"]["type"] == "AdaptiveCard"
    assert (title["text"], body["text"]) == (NOTE.title, NOTE.body)
    assert facts["facts"][0] == {"title": "Server", "value": "shop-db"}

    assert {k: generic[k] for k in ("source", "event", "severity", "title", "body", "server")} == {
        "source": "custode", "event": "failure", "severity": "error", "title": NOTE.title,
        "body": NOTE.body, "server": "shop-db"}
    assert datetime.datetime.fromisoformat(generic["time"]) == NOTE.time.replace(microsecond=0)


def test_the_sms_gateway_gets_the_text_in_its_url_template(webhook: Hook) -> None:
    config = load_config({})
    config["sms"]["enabled"] = True
    template = f"{webhook.base}/send?key=API-KEY-1&to=%2B39333&text={{message}}"
    [result] = send(config, NOTE, lookup_from({"sms.url": template}))
    assert result.ok
    assert result.message == f"Delivered: the SMS gateway at {webhook.base}/… accepted the message."
    [(method, path, _, _)] = webhook.requests
    query = parse_qs(urlsplit(path).query)
    assert method == "GET" and query["key"] == ["API-KEY-1"] and query["to"] == ["+39333"]
    assert query["text"] == ["Custode: Backup of shop-db failed (shop-db)"]


def test_an_unreachable_or_refusing_webhook_is_named_without_its_token(webhook: Hook) -> None:
    config = load_config({})
    config["webhook"]["enabled"] = True
    closed = f"http://127.0.0.1:{free_port()}"
    [down] = send(config, NOTE, lookup_from({"webhook.url": f"{closed}/services/{TOKEN}"}))
    assert not down.ok
    assert down.message == (f"Cannot reach the webhook at {closed}/…: the connection was refused; "
                            "check the URL and the network.")
    webhook.status = 404
    [gone] = send(config, NOTE, lookup_from({"webhook.url": f"{webhook.base}/services/{TOKEN}"}))
    assert gone.message == f"The webhook at {webhook.base}/… answered HTTP 404 Not Found: check the URL."
    assert TOKEN not in down.message + gone.message


def test_send_tries_every_enabled_channel_and_reports_each(smtp_server: Mailbox, webhook: Hook) -> None:
    config = email_config(smtp_server)
    config["webhook"]["enabled"] = True
    config["sms"].update({"enabled": False})
    secrets = {"webhook.url": f"http://127.0.0.1:{free_port()}/x", "sms.url": f"{webhook.base}/{{message}}"}
    results = send(config, NOTE, lookup_from(secrets))
    assert [(r.channel, r.ok) for r in results] == [("email", True), ("webhook", False)]
    assert webhook.requests == []   # SMS is off: its gateway is not called
    config["events"]["failure"] = False
    assert send(config, NOTE, lookup_from(secrets)) == []   # an event the user does not want
    assert len(smtp_server.envelopes) == 1


# -- declarations ----------------------------------------------------------------------------------
def test_channel_values_are_checked_only_when_the_channel_is_on() -> None:
    email = {"enabled": True, "host": "smtp.example.com", "port": 587, "security": "starttls",
             "sender": "custode@example.com", "to": "dba@example.com, bob@"}
    assert problems("email", email) == {
        "to": "'bob@' is not an email address: separate addresses with commas."}
    assert problems("email", {**email, "enabled": False}) == {}
    assert problems("email", {**email, "to": "a@b.c", "security": "ssl"}) == {
        "security": "Encryption: choose one of STARTTLS (usually port 587), TLS (usually port 465), "
                    "None (not encrypted)."}
    assert problems("email", {**email, "host": "smtp://x:25", "to": "a@b.c"}) == {
        "host": "Give a host name or an IP address only, without smtp:// or a port."}
    sms = {"enabled": True, "url": "https://sms.example.com/send?text="}
    assert problems("sms", sms) == {"url": "Put {message} in the URL where the gateway expects the text."}
    assert problems("webhook", {"enabled": True, "flavour": "slack", "url": ""}) == {
        "url": "Webhook URL is required."}
    # A URL already in the keyring is kept when the field is left empty.
    assert problems("webhook", {"enabled": True, "flavour": "slack", "url": ""}, frozenset({"url"})) == {}


def test_saved_settings_keep_no_secret_and_get_defaults_for_what_is_missing() -> None:
    config = load_config({"notifications": {"email": {"host": "smtp.example.com", "password": "leak"},
                                            "events": {"stale_hours": 48}}})
    assert config["email"]["host"] == "smtp.example.com" and "password" not in config["email"]
    assert config["email"]["port"] == 587 and config["email"]["security"] == "starttls"
    assert config["events"]["stale_hours"] == 48 and config["events"]["failure"] is True
    assert notify.desktop_enabled(config) and "url" not in config["webhook"]
