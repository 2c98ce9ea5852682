"""Exports that leave a trace: a download's file is made when it is asked for, and that moment goes to the security
log (who, what, from where), never the content."""

from __future__ import annotations

from collections.abc import Callable

from monitor.people import security_log
from monitor.people.access import Actor
from monitor.ui.context import client_ip, engine


def logged(actor: Actor, what: str, make: Callable[[], bytes]) -> Callable[[], bytes]:
    """make, wrapped so that each download is recorded as export_downloaded with what (e.g. "team requests")."""

    def download() -> bytes:
        data = make()
        security_log.record_now(engine(), "export_downloaded", actor, client_ip(), what)
        return data

    return download
