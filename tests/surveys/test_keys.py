"""Per-initiative keys live outside the database, each initiative its own, never world-readable."""

from __future__ import annotations

import os
import stat

import pytest

from surveys import keys


def test_key_file_is_created_once_with_0600(tmp_path, monkeypatch):
    monkeypatch.setenv("HEARD_DATA_DIR", str(tmp_path))
    first = keys.initiative_key("anew")
    path = tmp_path / "keys" / "anew.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert keys.initiative_key("anew") == first
    assert keys.initiative_key("cmhwf") != first
    assert len(first) == 32


def test_environment_overrides_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("HEARD_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("HEARD_KEY_ART_AT_THE_START", "ab" * 32)
    assert keys.initiative_key("art-at-the-start") == bytes.fromhex("ab" * 32)
    assert not (tmp_path / "keys" / "art-at-the-start.key").exists()


def test_readable_key_file_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("HEARD_DATA_DIR", str(tmp_path))
    keys.initiative_key("anew")
    path = tmp_path / "keys" / "anew.key"
    os.chmod(path, 0o644)
    with pytest.raises(keys.KeyFileUnsafe, match="chmod 600"):
        keys.check_all()
    with pytest.raises(keys.KeyFileUnsafe):
        keys.initiative_key("anew")
