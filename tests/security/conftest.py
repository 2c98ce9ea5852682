"""The security tests use the page tests' signed-in world (AppTest) besides the shared database fixtures."""

from tests.pages.conftest import world

__all__ = ["world"]
