"""Errors a user can act on, each carrying the CLI exit status it maps to.

Anything that is not a `CustodeError` is a bug: the CLI reports it as an internal error and shows
the traceback only with `--debug`.  Messages are one readable line that says what to do, and never
contain a password or key.
"""

from __future__ import annotations


class CustodeError(Exception):
    """A known failure to be shown to the user as one line."""

    exit_code = 1


class OperationFailed(CustodeError):
    """The operation could not be carried out (server, disk, network)."""

    exit_code = 1


class ConfigError(CustodeError):
    """Bad usage or configuration: a wrong option, a missing repository, a bad URL."""

    exit_code = 2


class WrongPassphrase(ConfigError):
    """The passphrase does not open the repository."""


class DamageFound(CustodeError):
    """Verification found damaged or missing data."""

    exit_code = 3


class Cancelled(CustodeError):
    """The user cancelled the job; nothing half-done was left behind."""

    exit_code = 1


class ObjectLocked(OperationFailed):
    """The storage refuses to delete a file under retention (S3 Object Lock): reported, not forced.

    `name` is the storage name of the file; `until` the end of its retention, when known.
    """

    def __init__(self, message: str, name: str, until: str = "") -> None:
        super().__init__(message)
        self.name = name
        self.until = until


class StorageReadOnly(OperationFailed):
    """The storage refuses writes: a read-only mount, write-protected media, another owner."""


class StorageFull(OperationFailed):
    """The storage has no space left for a write."""


class RepositoryLocked(OperationFailed):
    """Another process holds a lock on the repository that this operation cannot share."""
