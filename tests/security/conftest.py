"""Cheap password hashing for these tests only: they sign in hundreds of times.

Production keeps argon2-cffi's defaults; the hash format records its own cost, so nothing here
changes what is checked, only how long it takes.
"""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher


@pytest.fixture(autouse=True)
def quick_hashing(monkeypatch):
    from surveys import accounts

    quick = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(accounts, "_hasher", quick)
    monkeypatch.setattr(accounts, "_DUMMY_HASH", quick.hash("not a real password"))
