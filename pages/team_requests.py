"""Team requests, for project leaders: each coproducer's entries, importing older logs and exporting for funders."""

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from monitor.errors import UserError
from monitor.i18n import format_datetime, ngettext_for
from monitor.people.access import Actor, Role
from monitor.requests import exporting
from monitor.requests import log as requests
from monitor.ui import cards
from monitor.ui.context import current_settings, engine, translator
from monitor.ui.downloads import logged
from monitor.ui.failure import show_error
from monitor.ui.guard import require
from monitor.ui.labels import CHANNEL_LABELS, LEADER_OUTSIDE_REASON_LABELS, TOPIC_LABELS_WITH_OTHER
from monitor.ui.requests.import_panel import import_panel
from monitor.ui.team_picker import choose_team

actor = require(Role.LEADER)
_ = translator(actor)
settings = current_settings()
today = requests.local_now(settings).date()

st.title(_("Team requests"))
team = choose_team(actor, _)
coproducers = [m for m in team.members if Role.COPRODUCER in m.roles]

entries, upload, download = st.tabs([_("Entries"), _("Import"), _("Export")])

with entries:
    if not coproducers:
        st.write(_("This team has no coproducers yet."))
    else:
        member = st.selectbox(_("Coproducer"), coproducers, format_func=lambda m: m.display_name)
        start = today - timedelta(weeks=4)
        rows = requests.list_requests(engine(), settings, actor, member.person_id, start, today)
        if not rows:
            st.write(_("No requests in the last 4 weeks."))
        else:
            when = [format_datetime(r.local, actor.language, settings.tz, "EEE d MMM HH:mm") for r in rows]
            about = [", ".join(_(TOPIC_LABELS_WITH_OTHER[t]) for t in r.topics) for r in rows]
            outside = [_(LEADER_OUTSIDE_REASON_LABELS[r.outside_reason]) if r.outside_reason else "" for r in rows]
            narrow, wide = cards.narrow_and_wide("team-requests")
            cards.show_cards(
                narrow,
                [
                    cards.Card(
                        f"{day} · {_('{minutes} min').format(minutes=r.minutes)}",
                        [
                            (_("How"), _(CHANNEL_LABELS[r.channel])),
                            (_("About"), topics),
                            (_("Outside hours"), reason),
                            (_("Beyond role"), "✓" if r.beyond_role else ""),
                        ],
                        over=bool(reason) or r.beyond_role,
                    )
                    for r, day, topics, reason in zip(rows, when, about, outside, strict=True)
                ],
                _("Requests of {name}").format(name=member.display_name),
            )
            table = pd.DataFrame(
                [
                    {
                        _("When"): day,
                        _("Minutes"): r.minutes,
                        _("How"): _(CHANNEL_LABELS[r.channel]),
                        _("About"): topics,
                        _("Outside hours"): reason,
                        _("Beyond role"): "✓" if r.beyond_role else "",
                    }
                    for r, day, topics, reason in zip(rows, when, about, outside, strict=True)
                ]
            )
            wide.dataframe(table, hide_index=True, width="stretch")

with upload:
    st.write(_("Import older logs of your team's coproducers. If any row is wrong, nothing is imported."))
    import_panel(_, actor, settings, f"team-import-{team.id}")

with download:
    left, right = st.columns(2)
    start = left.date_input(_("From"), value=today - timedelta(days=30), format="DD-MM-YYYY")
    end = right.date_input(_("To"), value=today, format="DD-MM-YYYY")
    fmt = st.segmented_control(_("Format"), ["xlsx", "csv"], default="xlsx", format_func=str.upper)
    try:
        count = exporting.count_rows(engine(), actor, team.id, start, end)
    except UserError as error:
        show_error(error, _)
    else:
        ngettext = ngettext_for(actor.language)
        st.write(
            ngettext("{count} request in this period.", "{count} requests in this period.", count).format(count=count)
        )

        def make_file(now: Actor, start: date = start, end: date = end, fmt: str = fmt or "xlsx") -> bytes:
            return exporting.export_file(exporting.export_rows(engine(), settings, now, team.id, start, end), fmt)

        st.download_button(
            _("Download"),
            data=logged(actor, "team requests", make_file),  # the rows are read and the file made on download only
            file_name=f"requests-{start:%Y%m%d}-{end:%Y%m%d}.{fmt or 'xlsx'}",
            icon=":material/download:",
            type="primary",
            on_click="ignore",
        )
