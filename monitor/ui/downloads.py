"""Downloads checked when they are fetched: the file is made at the click, for the person as the database knows them
at that moment (not as they were when the page was drawn), and only the session that clicked may then fetch it from
Streamlit's /media/ (monitor.web.private_files). Each download, and each refusal, goes to the security log (who,
what, from where), never the content."""

from __future__ import annotations

from collections.abc import Callable

from monitor.errors import PermissionDenied
from monitor.i18n import N_
from monitor.people import security_log
from monitor.people.access import Actor
from monitor.ui import context
from monitor.ui.context import actor_reader, client_ip, engine
from monitor.web import private_files

SIGNED_OUT = N_("Your session has ended. Please sign in again.")


def logged(actor: Actor, what: str, make: Callable[[Actor], bytes | str]) -> Callable[[], bytes]:
    """A callable for st.download_button's data: reads the person again, makes the file with make(person) (so the
    service checks their right now), lets only this session fetch it, and records it as export_downloaded with what
    (e.g. "team requests"). The page passes the actor it was drawn for: a click by anyone else is refused."""
    read_again = actor_reader()  # the session of this browser, read while the page is drawn
    token = context.session_token()  # read through the module: the page tests' harness replaces it there
    address = client_ip()

    def download() -> bytes:
        now = read_again()
        if now is None or now.person_id != actor.person_id:
            security_log.record_now(engine(), "access_refused", actor, address, f"download: {what}")
            raise PermissionDenied(SIGNED_OUT)
        try:
            made = make(now)
        except PermissionDenied:
            security_log.record_now(engine(), "access_refused", now, address, f"download: {what}")
            raise
        data = made.encode() if isinstance(made, str) else made
        private_files.grant(data, token, now)
        security_log.record_now(engine(), "export_downloaded", now, address, what)
        return data

    return download


def prepared(actor: Actor, data: bytes) -> bytes:
    """data, made a moment ago for actor in this run (My data's zip, prepared by a deliberate tap), granted to this
    session only: the same rule at /media/ as a file made at the click."""
    private_files.grant(data, context.session_token(), actor)
    return data
