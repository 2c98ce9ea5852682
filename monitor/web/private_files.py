"""Which browser may fetch a download from Streamlit's /media/: only the sign-in session that made it, and only while
that person still holds every role they held when it was made.

Streamlit keeps a download's file in memory under an address any signed-in browser could fetch (a coproducer's
cookie fetched a leader's export, also after the leader signed out). A download made through monitor.ui.downloads is
granted here to the session that clicked; the gate (monitor.web.routes) asks allowed() before Streamlit answers.
Grants live in the memory of the process that made the file, as the file itself does (nginx keeps a browser on it).
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from db.models import utcnow
from monitor.people.access import Actor
from monitor.people.auth import token_id

# A browser fetches a file the moment it is made (My data's zip: when the person taps Download after preparing it);
# a grant older than this is forgotten, and the file is made again on the next click.
KEEP = timedelta(hours=1)


@dataclass(frozen=True)
class Grant:
    session: str  # the hash of the session token, as sessions are stored
    person_id: int | None
    memberships: frozenset  # type: ignore[type-arg]
    made_at: datetime


_grants: dict[str, list[Grant]] = {}
_lock = threading.Lock()


def _key(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def grant(content: bytes, token: str | None, actor: Actor, now: datetime | None = None) -> None:
    """The file with these bytes, just made for actor in the session of token, may be fetched by that session."""
    if not token:
        return
    now = now or utcnow()
    with _lock:
        for key in [k for k, grants in _grants.items() if all(now - g.made_at > KEEP for g in grants)]:
            del _grants[key]
        _grants.setdefault(_key(content), []).append(Grant(token_id(token), actor.person_id, actor.memberships, now))


def allowed(content: bytes, token: str | None, actor: Actor | None, now: datetime | None = None) -> bool:
    """Whether the browser with this session token, signed in as actor (read from the database just now), may fetch
    the file: it was made for this very session, recently, and the person still holds the roles it was made with."""
    if not token or actor is None:
        return False
    now = now or utcnow()
    session = token_id(token)
    with _lock:
        grants = list(_grants.get(_key(content), ()))
    return any(
        g.session == session
        and g.person_id == actor.person_id
        and g.memberships <= actor.memberships
        and now - g.made_at <= KEEP
        for g in grants
    )


def forget_all() -> None:
    """For tests: no file is granted to anyone."""
    with _lock:
        _grants.clear()


@dataclass(frozen=True)
class MediaFile:
    content: bytes
    downloadable: bool  # a download button's file (st.image's and st.audio's files are not)


def streamlit_media_file(name: str) -> MediaFile | None:
    """The file Streamlit serves at /media/<name> in this process, or None (no such file, or no Streamlit running)."""
    from streamlit import runtime  # only where Streamlit runs: the domain and the tests of the routes need none
    from streamlit.runtime.media_file_storage import MediaFileKind

    if not runtime.exists():
        return None
    manager = runtime.get_instance().media_file_mgr
    if not manager.can_read_files:
        return None
    found = manager.read_file(name)
    if found is None:
        return None
    return MediaFile(found.content, found.kind == MediaFileKind.DOWNLOADABLE)
