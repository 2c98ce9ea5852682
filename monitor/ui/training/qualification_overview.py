"""Who in the team is trained for what: a legend, the heatmap, and a warning for each qualification that expires
soon."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import streamlit as st

from monitor.config import Settings
from monitor.i18n import Np_, counted
from monitor.people.access import Actor
from monitor.training import qualifications
from monitor.ui import charts
from monitor.ui.context import engine
from monitor.ui.labels import TOPIC_LABELS
from monitor.ui.text import plain
from monitor.ui.training import training_charts
from monitor.ui.training.training_labels import QUALIFICATION_ICONS, QUALIFICATION_LABELS, QUALIFICATION_MARKS


def qualification_overview(
    actor: Actor,
    settings: Settings,
    team_id: int,
    today: date,
    until_text: Callable[[date | None], str],
    _: Callable[[str], str],
) -> None:
    """until_text: a valid-until date as the reader writes it ("for ever" when there is none)."""
    rows = qualifications.team_overview(engine(), actor, team_id, today, settings.training.expiring_days)
    if not rows:
        st.write(_("This team has no coproducers yet."))
        return
    st.markdown(
        " · ".join(
            f"{QUALIFICATION_ICONS[s]} {QUALIFICATION_MARKS[s]} {_(QUALIFICATION_LABELS[s])}"
            for s in qualifications.STATUSES
        )
        + " "
        + counted(
            _,
            Np_("(expires soon: within {days} day)", "(expires soon: within {days} days)"),
            settings.training.expiring_days,
        ).format(days=settings.training.expiring_days)
    )
    figure = training_charts.qualification_heatmap(rows, _)
    trained = ((r.name, sum(c.status == qualifications.TRAINED for c in r.cells.values())) for r in rows)
    charts.show(
        figure,
        _("Who is trained for which kind of problem; per person, the number of kinds they are trained for"),
        charts.in_words(trained),
        key="qualification-heatmap",
    )
    expiring = [(r.name, t, c) for r in rows for t, c in r.cells.items() if c.status == qualifications.EXPIRING]
    for name, topic, cell in expiring:
        st.warning(
            _("{name}: {training} ({topic}) is valid until {date}.").format(
                name=plain(name, one_line=True),
                training=plain(cell.training, one_line=True),
                topic=_(TOPIC_LABELS[topic]),
                date=until_text(cell.valid_until),
            ),
            icon=":material/hourglass_bottom:",
        )
