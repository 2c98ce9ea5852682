"""Which pages each role opens. One list, read by home.py to build st.navigation and by the tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from db.models import Role
from monitor.i18n import N_
from monitor.people.access import Actor


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str  # msgid, translated when shown
    icon: str
    url_path: str
    roles: frozenset[Role]  # empty: every signed-in person


EVERYONE: frozenset[Role] = frozenset()

PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/log_request.py", N_("Log a request"), ":material/add_circle:", "log", frozenset({Role.COPRODUCER})),
    PageSpec("pages/my_week.py", N_("My week"), ":material/bar_chart:", "my-week", frozenset({Role.COPRODUCER})),
    PageSpec("pages/my_requests.py", N_("My requests"), ":material/list:", "my-requests", frozenset({Role.COPRODUCER})),
    PageSpec(
        "pages/my_training.py", N_("My training"), ":material/school:", "my-training", frozenset({Role.COPRODUCER})
    ),
    PageSpec(
        "pages/my_allowance.py", N_("My allowance"), ":material/payments:", "my-allowance", frozenset({Role.COPRODUCER})
    ),
    PageSpec("pages/talk.py", N_("Talk to someone"), ":material/forum:", "talk", frozenset({Role.COPRODUCER})),
    PageSpec("pages/leader_home.py", N_("My team"), ":material/groups:", "team", frozenset({Role.LEADER})),
    PageSpec("pages/alerts.py", N_("Alerts"), ":material/notifications_active:", "alerts", frozenset({Role.LEADER})),
    PageSpec("pages/agreements.py", N_("Agreements"), ":material/handshake:", "agreements", frozenset({Role.LEADER})),
    PageSpec(
        "pages/team_requests.py", N_("Team requests"), ":material/table:", "team-requests", frozenset({Role.LEADER})
    ),
    PageSpec("pages/training.py", N_("Training"), ":material/school:", "training", frozenset({Role.LEADER})),
    PageSpec("pages/allowances.py", N_("Allowances"), ":material/payments:", "allowances", frozenset({Role.LEADER})),
    PageSpec(
        "pages/emergency_fund.py",
        N_("Emergency fund"),
        ":material/savings:",
        "emergency-fund",
        frozenset({Role.LEADER}),
    ),
    PageSpec(
        "pages/counsellor_home.py", N_("Check-ins"), ":material/forum:", "check-ins", frozenset({Role.COUNSELLOR})
    ),
    PageSpec(
        "pages/admin.py", N_("Teams and people"), ":material/admin_panel_settings:", "admin", frozenset({Role.ADMIN})
    ),
    PageSpec("pages/security.py", N_("Security"), ":material/shield:", "security", frozenset({Role.ADMIN})),
    # After each role's own pages, so that an administrator starts on Teams and people and a leader on My team.
    PageSpec(
        "pages/contribution_report.py",
        N_("Contribution report"),
        ":material/insights:",
        "contribution",
        frozenset({Role.LEADER, Role.ADMIN}),
    ),
    PageSpec(
        "pages/checkup.py",
        N_("Collaboration check-up"),
        ":material/diversity_3:",
        "check-up",
        frozenset({Role.LEADER, Role.COPRODUCER}),
    ),
    PageSpec("pages/inbox.py", N_("Messages"), ":material/notifications:", "inbox", EVERYONE),
    PageSpec("pages/account.py", N_("My account"), ":material/person:", "account", EVERYONE),
)
INBOX = "inbox"
ACCOUNT = "account"


def menu_title(spec: PageSpec, gettext: Callable[[str], str], unread: int) -> str:
    """The page's title in the menu; the inbox shows how many messages are unread, e.g. "Messages (3)"."""
    title = gettext(spec.title)
    return f"{title} ({unread})" if spec.url_path == INBOX and unread else title


def spec_for_url(actor: Actor, url_path: str | None) -> PageSpec | None:
    """The page at url_path if actor may open it (a notification's link), else None."""
    return next((page for page in pages_for(actor) if page.url_path == url_path), None)


def pages_for(actor: Actor) -> list[PageSpec]:
    """The pages actor may open, in menu order."""
    return [page for page in PAGES if not page.roles or page.roles & actor.roles]
