"""Fixtures for the unit tests of the core modules."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from monitor import passwords


@pytest.fixture
def fast_passwords(monkeypatch: pytest.MonkeyPatch) -> PasswordHasher:
    """Argon2id with the smallest costs, so that tests about sign-in logic do not wait on hashing.

    test_passwords.py checks the real hasher; this only makes each hash take a millisecond instead of ~100.
    """
    hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(passwords, "_hasher", hasher)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", hasher.hash("no account has this password"))
    return hasher
