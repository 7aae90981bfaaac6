"""Passwords and passphrases in the OS keyring (Secret Service, Keychain, Windows Credential Locker).

A keyring that stores secrets in plain files is never used: when no real keyring is available,
secrets are asked for each time (or given through the environment) instead.
"""

from __future__ import annotations

import keyring
import keyring.errors

REPOSITORY_SERVICE = "custode-repository"
SERVER_SERVICE = "custode-server"
# Passwords of remote storage (FTPS, SFTP); account = "scheme://user@host:port".
STORAGE_SERVICE = "custode-storage"
_UNSAFE_BACKENDS = ("fail", "null", "plaintext", "file", "chainer")


def keyring_name() -> str | None:
    """The usable keyring's name, or None when there is none (or only an unsafe one)."""
    try:
        backend = keyring.get_keyring()
    except Exception:  # noqa: BLE001 - a broken keyring install must not stop the program
        return None
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if any(part in name.lower() for part in _UNSAFE_BACKENDS):
        chained = getattr(backend, "backends", None)
        if not chained:
            return None
    return name


def get_secret(service: str, account: str) -> str | None:
    if keyring_name() is None:
        return None
    try:
        return keyring.get_password(service, account)
    except keyring.errors.KeyringError:
        return None


def set_secret(service: str, account: str, secret: str) -> bool:
    """Store a secret; returns False when no usable keyring is there."""
    if keyring_name() is None:
        return False
    try:
        keyring.set_password(service, account, secret)
    except keyring.errors.KeyringError:
        return False
    return True


def delete_secret(service: str, account: str) -> None:
    if keyring_name() is None:
        return
    try:
        keyring.delete_password(service, account)
    except keyring.errors.KeyringError:
        pass


def read_secret_file(path: str) -> str:
    """A passphrase or password kept in a file: its text, without the final line break.
    Any byte sequence a user can put there gets one clear line, never a traceback."""
    from pathlib import Path

    from app.core.errors import ConfigError
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read password file {path}: {exc.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"password file {path} is not UTF-8 text (byte {data[exc.start]:#04x} at "
                          f"position {exc.start}): save it as UTF-8") from None
    return text.rstrip("\r\n")

