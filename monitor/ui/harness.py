"""The app's pages run in this process by Streamlit's AppTest, on a chosen database, as a chosen person.

The page tests and the benchmark sign in the same way: MONITOR_DATABASE_URL points the settings at the database, and
session_token (which normally reads the browser's cookie) is replaced by the token of a server-side session opened here.
The scripts run from the project root, as `make run` starts them, so Streamlit reads its .streamlit/config.toml.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from streamlit import config as streamlit_config
from streamlit.testing.v1 import AppTest

from db.engine import engine_for
from monitor import config
from monitor.people import auth
from monitor.ui import context

TIMEOUT = 30


def clear_caches() -> None:
    """settings() caches what it read per environment, engine_for one engine per URL: start and end clean."""
    config._cached.cache_clear()
    engine_for.cache_clear()


class Harness:
    """While entered: the settings read database_url, and the app sees whoever sign_in opened a session for."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.token: str | None = None
        self._saved_url: str | None = None
        self._saved_token = context.session_token
        self._saved_main = sys.modules["__main__"]
        self._saved_cwd = os.getcwd()

    def __enter__(self) -> Harness:
        self._saved_url = os.environ.get("MONITOR_DATABASE_URL")
        self._saved_token = context.session_token
        self._saved_main = sys.modules["__main__"]
        self._saved_cwd = os.getcwd()
        if Path(self._saved_cwd) != config.PROJECT_ROOT:
            os.chdir(config.PROJECT_ROOT)
            streamlit_config.get_config_options(force_reparse=True)
        os.environ["MONITOR_DATABASE_URL"] = self.database_url
        clear_caches()
        # AppTest runs the script in this process, so the app reads the cookie through this replacement.
        context.session_token = lambda: self.token
        return self

    def __exit__(self, *exc: object) -> None:
        context.session_token = self._saved_token
        # Running a script makes it __main__; put the caller's back (multiprocessing pickles by __main__'s names).
        sys.modules["__main__"] = self._saved_main
        os.chdir(self._saved_cwd)
        if self._saved_url is None:
            os.environ.pop("MONITOR_DATABASE_URL", None)
        else:
            os.environ["MONITOR_DATABASE_URL"] = self._saved_url
        engine_for(self.database_url).dispose()
        clear_caches()

    def sign_in(self, person_id: int) -> str:
        """Open a server-side session for person_id and make the app read its token as the cookie."""
        self.token = auth.open_session(engine_for(self.database_url), person_id)
        return self.token

    def sign_out(self) -> None:
        self.token = None

    @staticmethod
    def app(script: str = "home.py") -> AppTest:
        """An AppTest of a script in the project root (home.py, or a page file run on its own)."""
        return AppTest.from_file(config.PROJECT_ROOT / script, default_timeout=TIMEOUT)
