"""Fixtures for the unit tests of the core modules (fast_passwords is in tests/conftest.py, shared)."""
