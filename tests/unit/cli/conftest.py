"""The database the `monitor` command writes to, empty or with an administrator, for every test in this folder."""

from tests.unit.cli.helpers import db, initialised  # noqa: F401 (fixtures)
