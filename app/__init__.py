"""Custode: back up MySQL and MariaDB servers, prove the backups restore, restore in a hurry."""

__version__ = "0.1.0"
