"""Entry point: an st.App that serves the Streamlit script (home.py) with the sign-in routes and health check.

In the single-process default its lifespan also runs the scheduler (rules, e-mail, digest); set [scheduler]
run_in_app = false (or MONITOR_SCHEDULER=off) when `monitor worker` runs them instead.
Start it with `streamlit run app.py` (the README's `make run` does this with demo data).
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import streamlit as st
from starlette.middleware import Middleware
from streamlit import file_util

from monitor import scheduler
from monitor.config import ConfigError, settings
from monitor.ui import page_language, saved
from monitor.ui.context import engine
from monitor.web.cookies import distrust_forwarded_headers_in_uvicorn
from monitor.web.headers import content_security_policy, inline_script_hashes, script_hash
from monitor.web.routes import SignInGate, make_routes
from monitor.web.static_files import SmallStaticFiles, page_html

# Before the server starts (it reads this after importing this file): only the app judges forwarded headers.
distrust_forwarded_headers_in_uvicorn(os.environ)

try:
    settings()
except ConfigError as error:
    sys.stderr.write(f"The monitor cannot start: {error}\n")
    sys.exit(2)


@asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    """Start the scheduler with the server (unless a separate worker runs the jobs) and stop it with the server."""
    running = scheduler.start_in_app(settings())
    try:
        yield
    finally:
        if running is not None:
            # Let a job that is sending an e-mail finish and record it, without blocking the event loop.
            await asyncio.to_thread(running.shutdown, True)


app = st.App(
    "home.py",
    lifespan=lifespan,
    routes=make_routes(settings, engine),
    middleware=[
        Middleware(
            SignInGate,
            settings_of=settings,
            engine_of=engine,
            policy=content_security_policy(
                inline_script_hashes(page_html(Path(file_util.get_static_dir())))
                # The app's own scripts in its pages (st.html): the page's language, a confirmation scrolled into view.
                + tuple(script_hash(page_language.body(code)) for code in settings().languages)
                + (script_hash(saved.SCROLL_SCRIPT),)
            ),
        ),
        # Streamlit's JavaScript gzip-compressed and its page with a loading note: a first visit on a slow line.
        Middleware(SmallStaticFiles, directory=file_util.get_static_dir()),
    ],
)

if __name__ == "__main__":
    app.run()
