"""Backups that restore: taken while the service is answering, then brought back and checked."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import uuid

import pytest

from surveys.tables import Response
from tests.support import run

ANSWERS = {"listened": "yes", "next_steps": "yes", "helpful": "yes", "child_views": "yes"}


@pytest.fixture
def stored(client, db):
    from surveys.demo import ensure_demo_sessions

    token = run(ensure_demo_sessions())["anew"]["token"]
    for _ in range(5):
        body = {"submission_id": str(uuid.uuid4()), "answers": ANSWERS}
        assert client.post(f"/api/v1/sessions/{token}/responses", json=body).status_code == 201
    return run(Response.count())


def test_sqlite_backup_while_serving_restores(stored, tmp_path, migrated):
    if migrated != "sqlite":
        pytest.skip("SQLite's online backup; the PostgreSQL test below covers pg_dump")
    backup = tmp_path / "backup.sqlite3"
    out = subprocess.run([sys.executable, "-m", "frontend.cli", "backup", "-o", str(backup)],
                         capture_output=True, text=True, check=True)
    assert "integrity check ok" in out.stdout
    restored = tmp_path / "restored.sqlite3"
    shutil.copy(backup, restored)
    with sqlite3.connect(restored) as connection:
        assert connection.execute("SELECT count(*) FROM response").fetchone()[0] == stored
        assert connection.execute("SELECT count(*) FROM answer").fetchone()[0] == stored * 4
    connection.close()


def test_postgres_dump_restores(stored, tmp_path, migrated):
    if migrated != "postgresql":
        pytest.skip("pg_dump is for PostgreSQL; the SQLite test above covers heard backup")
    if shutil.which("pg_dump") is None:
        pytest.fail("pg_dump is missing: install postgresql-client")
    url = os.environ["DATABASE_URL"]
    dump = tmp_path / "heard.dump"
    subprocess.run(["pg_dump", "--format=custom", "--file", str(dump), url], check=True)
    restored = url.rsplit("/", 1)[0] + f"/heard_restore_{uuid.uuid4().hex[:8]}"
    name = restored.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["psql", admin, "-qc", f'CREATE DATABASE "{name}"'], check=True)
    try:
        subprocess.run(["pg_restore", "--no-owner", "--dbname", restored, str(dump)], check=True)
        count = subprocess.run(["psql", restored, "-tAc", "SELECT count(*) FROM response"],
                               capture_output=True, text=True, check=True).stdout.strip()
        assert int(count) == stored
    finally:
        subprocess.run(["psql", admin, "-qc", f'DROP DATABASE "{name}" WITH (FORCE)'], check=True)
