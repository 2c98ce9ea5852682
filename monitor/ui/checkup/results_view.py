"""The results of a closed check-up round: the score of all statements, per part, the lowest to talk about together,
per statement, and the Excel. Shown only when enough people answered."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from monitor.checkup import export, rounds, scoring
from monitor.checkup.statements import DIMENSIONS
from monitor.i18n import Np_, counted
from monitor.people.access import Actor
from monitor.ui import charts
from monitor.ui.context import current_settings, engine
from monitor.ui.downloads import logged
from monitor.ui.reports.report_charts import BAR, LOW, bars
from monitor.ui.text import plain


def results_view(
    actor: Actor, statements: dict[int, str], when: Callable[[object], str], _: Callable[[str], str]
) -> None:
    """when: a round's date as the reader writes it."""
    closed = rounds.closed_rounds(engine(), actor)
    if not closed:
        st.write(_("No closed round yet. Results show after the leader closes a round."))
        return
    chosen = st.selectbox(_("Round"), closed, format_func=lambda r: _("Round of {date}").format(date=when(r.opened_at)))
    result = rounds.results(engine(), actor, chosen.id, current_settings())
    scores, previous = result.scores, result.previous
    if scores is None:
        st.info(
            counted(
                _,
                Np_(
                    "{count} person answered so far. Results show when {least} or more have answered.",
                    "{count} people answered so far. Results show when {least} or more have answered.",
                ),
                chosen.respondents,
            ).format(least=rounds.least_answers(current_settings()), count=chosen.respondents)
        )
        return
    overall = scoring.shown(scores.overall)
    before = scoring.shown(previous.overall) if previous else None
    st.metric(
        _("All statements (0-100)"),
        overall,
        delta=(overall - before) if before is not None and overall is not None else None,
    )
    st.caption(
        counted(_, Np_("{count} person answered.", "{count} people answered."), scores.respondents).format(
            count=scores.respondents
        )
    )
    st.header(_("Per part"))
    charts.show(
        bars(
            [_(d.title) for d in DIMENSIONS],
            [scoring.shown(scores.dimensions.get(d.code)) or 0 for d in DIMENSIONS],
        ),
        _("Score per part (0-100)"),
        charts.in_words((_(d.title), scoring.shown(scores.dimensions.get(d.code))) for d in DIMENSIONS),
        key="dimensions",
    )
    if previous:
        st.caption(
            _("The round before: {scores}.").format(
                scores=", ".join(f"{_(d.title)} {scoring.shown(previous.dimensions.get(d.code))}" for d in DIMENSIONS)
            )
        )
    lowest = scoring.lowest(scores)
    st.header(_("To talk about together"))
    st.write(_("The statements with the lowest scores. They start the conversation; they are not a grade."))
    for item in lowest:
        st.warning(f"**{scoring.shown(scores.items[item])}** · {item}. {statements[item]}")
    st.header(_("Per statement"))
    items = sorted(scores.items)
    charts.show(
        bars(
            [f"{i}." for i in items],  # the number only: a statement is never cut; each stands in full below
            [scoring.shown(scores.items[i]) or 0 for i in items],
            [LOW if i in lowest else BAR for i in items],
        ),
        _("Score per statement (0-100)"),
        charts.in_words((str(i), scoring.shown(scores.items[i])) for i in items),
        key="items",
    )
    st.markdown("\n".join(f"- **{i}** · {scoring.shown(scores.items[i])} · {plain(statements[i])}" for i in items))
    st.download_button(
        _("Excel"),
        data=logged(
            actor,
            "check-up results",
            lambda now: export.workbook(rounds.results(engine(), now, chosen.id), actor.language, statements),
        ),
        file_name=f"checkup-{chosen.opened_at:%Y%m%d}.xlsx",
        icon=":material/table:",
    )
