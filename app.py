"""Entry point: an st.App that serves the Streamlit script (home.py) with the sign-in routes and health check.

Start it with `streamlit run app.py` (the README's `make run` does this with demo data).
"""

from __future__ import annotations

import sys

import streamlit as st
from starlette.middleware import Middleware

from monitor.config import ConfigError, settings
from monitor.ui.context import engine
from monitor.web.routes import SignInGate, make_routes

try:
    settings()
except ConfigError as error:
    sys.stderr.write(f"The monitor cannot start: {error}\n")
    sys.exit(2)

app = st.App(
    "home.py",
    routes=make_routes(settings, engine),
    middleware=[Middleware(SignInGate, settings_of=settings, engine_of=engine)],
)

if __name__ == "__main__":
    app.run()
