"""What Heard writes to disk is its owner's alone: the SQLite database, its -wal and -shm, and a
backup are 0600 and the data folder 0700, as the key files already were.

Each test makes its own SQLite data folder (whatever engine the suite runs on), migrated and
served by real processes.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from urllib.request import urlopen

from bench.servers import Server


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _env(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # the default: data/heard.sqlite3
    return {**env, "HEARD_DATA_DIR": str(data)}


def _heard(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "frontend.cli", *args], env=env, capture_output=True, text=True, check=True
    ).stdout


def test_the_database_its_wal_and_shm_and_a_backup_are_owner_only(tmp_path):
    data = tmp_path / "data"
    env = _env(data)
    _heard(env, "migrate")
    database = data / "heard.sqlite3"
    assert _mode(data) == 0o700
    assert _mode(database) == 0o600

    server = Server("frontend.app:create_app", env, log=tmp_path / "app.log").start()
    try:
        # The running service holds the database open in WAL mode: the -wal and -shm are there.
        with urlopen(f"{server.url}/healthz", timeout=10) as reply:
            assert reply.status == 200
        assert Path(f"{database}-wal").exists() and Path(f"{database}-shm").exists()
        assert _mode(Path(f"{database}-wal")) == 0o600
        assert _mode(Path(f"{database}-shm")) == 0o600
        backup = tmp_path / "backups" / "heard-backup.sqlite3"
        assert "integrity check ok" in _heard(env, "backup", "-o", str(backup))
    finally:
        server.stop()
    assert _mode(backup) == 0o600
    assert _mode(backup.parent) == 0o700
    assert _mode(database) == 0o600


def test_an_existing_database_left_readable_is_tightened(tmp_path):
    data = tmp_path / "data"
    env = _env(data)
    _heard(env, "migrate")
    database = data / "heard.sqlite3"
    os.chmod(data, 0o755)
    os.chmod(database, 0o644)  # as earlier versions made them
    _heard(env, "migrate")
    assert _mode(data) == 0o700
    assert _mode(database) == 0o600
