"""Heard's settings, read once from the environment (and nowhere else).

| variable | meaning | default |
| --- | --- | --- |
| ``DATABASE_URL`` | ``sqlite:///path`` or ``postgresql://user@host:port/db`` | ``sqlite:///$HEARD_DATA_DIR/heard.sqlite3`` |
| ``HEARD_DATA_DIR`` | folder for the SQLite file and key files | ``./data`` |
| ``HEARD_SECRET_KEY`` | signs form tokens; required except in ``heard demo`` | none |
| ``HEARD_BASE_URL`` | public address used in links and QR codes | ``http://127.0.0.1:8000`` |
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from surveys.db import data_dir, database_url

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
ENVIRONMENT = ("DATABASE_URL", "HEARD_DATA_DIR", "HEARD_SECRET_KEY", "HEARD_BASE_URL")


class SettingsError(RuntimeError):
    """A setting is missing or wrong; the message says which and how to fix it."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path
    secret_key: str
    base_url: str
    demo: bool = False

    @classmethod
    def from_env(cls, *, demo: bool = False) -> Settings:
        secret = os.environ.get("HEARD_SECRET_KEY", "")
        if not secret and not demo:
            raise SettingsError(
                "HEARD_SECRET_KEY is not set. Set it to a long random value, for example:\n"
                "  export HEARD_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')\n"
                "(`heard demo` makes one for you.)"
            )
        if secret and len(secret) < 16:
            raise SettingsError("HEARD_SECRET_KEY is too short: use at least 16 random characters.")
        return cls(
            database_url=database_url(),
            data_dir=data_dir(),
            secret_key=secret,
            base_url=(os.environ.get("HEARD_BASE_URL") or DEFAULT_BASE_URL).rstrip("/"),
            demo=demo,
        )
