"""The settings, engine, signed-in person and translator for the current Streamlit run."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import streamlit as st
from sqlalchemy import Engine

from db.engine import engine_for
from monitor.config import Settings, settings
from monitor.i18n import gettext_for
from monitor.people import auth
from monitor.people.access import Actor
from monitor.web.cookies import client_address, session_from


def current_settings() -> Settings:
    return settings()


def engine() -> Engine:
    return engine_for(settings().database_url)


def session_token() -> str | None:
    """The session cookie sent with the browser's first request of this Streamlit session."""
    return session_from(st.context.cookies)


def client_ip() -> str:
    """The person's address for the security log (behind a trusted proxy, the one it forwarded for)."""
    peer = st.context.ip_address
    forwarded = st.context.headers.get("X-Forwarded-For") if st.context.headers else None
    # Outside a browser session (AppTest, bare mode) these are not texts: the address is then unknown.
    peer = peer if isinstance(peer, str) else None
    forwarded = forwarded if isinstance(forwarded, str) else None
    return client_address(peer, forwarded, settings().auth.trusted_proxies)


# The person home.py read from the session at the start of this run, while it runs the page: the page's own check
# (guard.require) uses it instead of reading the same session again a moment later. A fragment that reruns on its own
# runs without home.py, so it reads the session itself.
_checked_this_run: ContextVar[Actor | None] = ContextVar("checked_this_run", default=None)


@contextmanager
def checked_for_this_run(actor: Actor) -> Iterator[None]:
    """While the page runs: actor, just read from the session by home.py, is who current_actor() gives."""
    token = _checked_this_run.set(actor)
    try:
        yield
    finally:
        _checked_this_run.reset(token)


def current_actor() -> Actor | None:
    """The signed-in person, checked against the server-side session on every run."""
    checked = _checked_this_run.get()
    if checked is not None:
        return checked
    cfg = settings()
    actor = auth.resume(engine(), cfg.auth, session_token())
    if actor is None and cfg.auth.oidc_enabled and st.user.get("is_logged_in"):
        email = st.user.get("email")
        actor = auth.actor_for_email(engine(), str(email)) if email else None
    return actor


def actor_reader() -> Callable[[], Actor | None]:
    """A function that reads this browser's signed-in person again later, outside this run (a download's click runs
    in another thread, without the run's cookies): from the database then, so a role taken away in between counts."""
    cfg = settings()
    token = session_token()
    email = None
    if cfg.auth.oidc_enabled and st.user.get("is_logged_in"):
        email = st.user.get("email")

    def read() -> Actor | None:
        actor = auth.resume(engine(), cfg.auth, token)
        if actor is None and email:
            actor = auth.actor_for_email(engine(), str(email))
        return actor

    return read


def language(actor: Actor | None) -> str:
    return actor.language if actor else settings().default_language


def translator(actor: Actor | None) -> Callable[[str], str]:
    return gettext_for(language(actor))
