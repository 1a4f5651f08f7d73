"""Per-initiative secret keys, held apart from the database.

Each initiative has its own random 32-byte key: from ``HEARD_KEY_<SLUG>`` (slug upper-cased,
dashes as underscores, hex or urlsafe base64) if set, else a key file
``$HEARD_DATA_DIR/keys/<slug>.key`` created on first use with 0600 permissions. A database dump
alone is then useless for linking codes to pseudonyms or decrypting audio, and two initiatives'
data can't be linked. A key file others can read is refused, not used.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
import stat
import time
from pathlib import Path

from surveys.db import data_dir, private_dir

KEY_BYTES = 32
# Every submission's digest and every code's pseudonym asks for the key: a key file is looked at
# (its permissions, whether it was replaced) at most this often per process, not on every use.
RECHECK_SECONDS = 1.0
_clock = time.monotonic


class KeyFileUnsafe(RuntimeError):
    """A key file is readable or writable by users other than its owner."""


def keys_dir() -> Path:
    return data_dir() / "keys"


def _env_name(slug: str) -> str:
    return "HEARD_KEY_" + slug.upper().replace("-", "_")


def _decode(value: str) -> bytes:
    value = value.strip()
    try:
        raw = bytes.fromhex(value)
    except ValueError:
        try:
            raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        except (binascii.Error, ValueError):
            raw = b""
    if len(raw) < KEY_BYTES:
        raise ValueError("a key must be at least 32 bytes, as hex or base64")
    return raw


def check_permissions(path: Path, mode: int | None = None) -> None:
    """KeyFileUnsafe if users other than the owner may read or write ``path`` (``mode``: its
    ``st_mode``, when the caller has just read it)."""
    mode = path.stat().st_mode if mode is None else mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise KeyFileUnsafe(
            f"{path} can be read by other users (mode {stat.filemode(mode)}). "
            f"Run: chmod 600 {path}"
        )


def initiative_key(slug: str) -> bytes:
    """The initiative's secret key, creating its key file the first time.

    The file is checked again (permissions, replaced or rewritten) when it was last checked more
    than :data:`RECHECK_SECONDS` ago: a key file made readable to others is refused within a
    second, and the app refuses to start with one (:func:`check_all`).
    """
    from_env = os.environ.get(_env_name(slug))
    if from_env:
        return _decode(from_env)
    where = (os.environ.get("HEARD_DATA_DIR"), slug)
    cached = _read.get(where)
    now = _clock()
    if cached is not None and now - cached[2] < RECHECK_SECONDS:
        return cached[1]
    path = keys_dir() / f"{slug}.key"
    try:
        found = path.stat()
    except FileNotFoundError:
        private_dir(data_dir())
        private_dir(path.parent)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it first
        else:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(KEY_BYTES))
        found = path.stat()
    check_permissions(path, found.st_mode)
    # The file is read again only when it is another file (or the same one rewritten).
    seen = (found.st_ino, found.st_mtime_ns, found.st_size)
    key = cached[1] if cached is not None and cached[0] == seen else _decode(path.read_text())
    _read[where] = (seen, key, now)
    return key


# By (HEARD_DATA_DIR, slug): the key file's identity when last checked, the key, and when.
_read: dict[tuple[str | None, str], tuple[tuple[int, int, int], bytes, float]] = {}


def check_all() -> None:
    """Refuse to start when any existing key file is unsafe."""
    if keys_dir().exists():
        for path in sorted(keys_dir().glob("*.key")):
            check_permissions(path)
