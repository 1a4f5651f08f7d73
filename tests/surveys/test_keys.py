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
    clock = [1000.0]
    monkeypatch.setattr(keys, "_clock", lambda: clock[0])
    keys.initiative_key("anew")
    path = tmp_path / "keys" / "anew.key"
    os.chmod(path, 0o644)
    with pytest.raises(keys.KeyFileUnsafe, match="chmod 600"):
        keys.check_all()
    clock[0] += keys.RECHECK_SECONDS  # the file is looked at again within a second
    with pytest.raises(keys.KeyFileUnsafe):
        keys.initiative_key("anew")


def test_a_replaced_key_file_is_read_again_once_rechecked(tmp_path, monkeypatch):
    monkeypatch.setenv("HEARD_DATA_DIR", str(tmp_path))
    clock = [1000.0]
    monkeypatch.setattr(keys, "_clock", lambda: clock[0])
    first = keys.initiative_key("anew")
    path = tmp_path / "keys" / "anew.key"
    replacement = tmp_path / "new.key"
    replacement.write_text("cd" * 32)
    os.chmod(replacement, 0o600)
    os.replace(replacement, path)
    clock[0] += keys.RECHECK_SECONDS / 2
    assert keys.initiative_key("anew") == first  # not looked at on every use
    clock[0] += keys.RECHECK_SECONDS
    assert keys.initiative_key("anew") == bytes.fromhex("cd" * 32)


def test_each_data_folder_has_its_own_keys(tmp_path, monkeypatch):
    monkeypatch.setenv("HEARD_DATA_DIR", str(tmp_path / "one"))
    one = keys.initiative_key("anew")
    monkeypatch.setenv("HEARD_DATA_DIR", str(tmp_path / "two"))
    two = keys.initiative_key("anew")
    assert one != two
    assert (tmp_path / "two" / "keys" / "anew.key").read_text() == two.hex()
