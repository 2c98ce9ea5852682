"""The team overview's figures, written out as one description: a small chart per coproducer with their limit."""

from __future__ import annotations

from datetime import date, timedelta

from monitor.alerts.team_load import MemberLoad
from monitor.config import Demarcation
from monitor.requests.agreements import in_force
from monitor.ui.alerts.team_charts import outside_share_chart, team_load_chart
from monitor.ui.charts import INSIDE, OUTSIDE

WEEKS = [date(2026, 9, 7) + timedelta(weeks=i) for i in range(12)]


def member(person_id: int, name: str) -> MemberLoad:
    agreement = in_force([], WEEKS[-1], Demarcation())
    return MemberLoad(person_id, name, name.lower(), agreement, 0.0, 0, 0, (0.0,) * 8, 0)


def test_each_coproducer_has_a_chart_with_their_limit_and_red_bars_over_it() -> None:
    people = [member(1, "Fatima"), member(2, "Henk"), member(3, "Ayse")]
    limit = people[0].agreement.hours_per_week
    hours = {1: [limit + 1.0] + [0.0] * 11, 2: [1.0] * 12}
    fig = team_load_chart(people, WEEKS, hours, lambda text: text)

    assert [trace.yaxis for trace in fig.data] == ["y", "y2", "y3"]
    assert [a.text for a in fig.layout.annotations] == ["Fatima", "Henk", "Ayse"]
    assert [(s.yref, s.y0, s.line.dash) for s in fig.layout.shapes] == [(y, limit, "dash") for y in ("y", "y2", "y3")]
    assert fig.data[0].marker.color[:2] == (OUTSIDE, INSIDE)
    assert list(fig.data[2].y) == [0.0] * 12  # nobody's hours: an empty chart, not someone else's
    # One time axis for all: the upper two follow the last, which alone shows the dates.
    assert (fig.layout.xaxis.matches, fig.layout.xaxis2.matches, fig.layout.xaxis3.matches) == ("x3", "x3", None)
    assert fig.layout.xaxis.showticklabels is False and fig.layout.xaxis3.showticklabels is not False
    domains = [fig.layout[f"yaxis{n}"].domain for n in ("", "2", "3")]
    assert all(0 <= low < high <= 1 for low, high in domains)
    assert domains[0][0] > domains[1][1] > domains[1][0] > domains[2][1]  # top to bottom, not overlapping


def test_one_coproducer_gets_one_chart() -> None:
    fig = team_load_chart([member(1, "Fatima")], WEEKS, {}, lambda text: text)
    assert len(fig.data) == 1 and fig.layout.xaxis.matches is None


def test_the_outside_share_is_sorted_and_runs_to_a_hundred_percent() -> None:
    fig = outside_share_chart([("Fatima", 40.0), ("Henk", 10.0)], lambda text: text)
    [bar] = fig.data
    assert list(bar.y) == ["Henk", "Fatima"] and list(bar.text) == ["10%", "40%"]
    assert tuple(fig.layout.xaxis.range) == (0, 100)
