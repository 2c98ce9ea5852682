"""The report's words: the period's name and the one-line summaries under each chart, in the reader's language."""

from __future__ import annotations

from collections.abc import Callable

from babel.numbers import format_percent

from monitor.i18n import N_, Np_, babel_locale, counted, format_date, format_number, gettext_for
from monitor.reports.contribution import OTHER, Report, Row, Totals, change
from monitor.reports.periods import Period

Label = Callable[[str, str], str]  # (breakdown, key) -> the key's name in the reader's language

BREAKDOWN_TITLES = {
    "topic": N_("By kind of problem"),
    "level": N_("By level"),
    "channel": N_("How people approached them"),
    "referral": N_("Referred to"),
}


def percent(value: float, language: str) -> str:
    return format_percent(value, locale=babel_locale(language))


def hours(minutes: int, language: str) -> str:
    return format_number(round(minutes / 60, 1), language)


def period_name(period: Period, language: str) -> str:
    _ = gettext_for(language)
    if period.kind == "month":
        return format_date(period.start, language, "LLLL y")
    if period.kind == "quarter":
        return _("Quarter {number} {year}").format(number=(period.start.month - 1) // 3 + 1, year=period.start.year)
    return str(period.start.year)


def headline(report: Report, language: str) -> str:
    _ = gettext_for(language)
    t = report.totals
    return _("{period}: requests {requests}, hours {hours}, coproducers {coproducers}.").format(
        requests=format_number(t.requests, language),
        hours=hours(t.minutes, language),
        coproducers=format_number(t.coproducers, language),
        period=period_name(report.period, language),
    )


def trend(report: Report, language: str) -> str:
    _ = gettext_for(language)
    previous: Totals | None = report.previous
    if previous is None:
        return _("The period before had too few coproducers to compare with.")
    relative = change(report.totals.requests, previous.requests)
    if relative is None:
        return _("No requests in the period before to compare with.")
    words = (
        _("Requests: {change} more than in {period}")
        if relative >= 0
        else _("Requests: {change} fewer than in {period}")
    )
    return (
        words.format(change=percent(abs(relative), language), period=period_name(report.period.previous(), language))
        + " "
        + _("({before} then, {now} now).").format(
            before=format_number(previous.requests, language), now=format_number(report.totals.requests, language)
        )
    )


def outside(report: Report, language: str) -> str:
    _ = gettext_for(language)
    t = report.totals
    if t.outside_hours is None:
        return _(
            "How many requests came outside agreed hours is not shown: too few coproducers behind it in a team or "
            "month."
        )
    if t.night is None:
        return _("{outside} of the requests came outside agreed hours; at night: too few coproducers to show.").format(
            outside=percent(t.share(t.outside_hours), language)
        )
    return _("{outside} of the requests came outside agreed hours; {night} at night (00:00-06:00).").format(
        outside=percent(t.share(t.outside_hours), language), night=percent(t.share(t.night), language)
    )


def breakdown_summary(report: Report, breakdown: str, language: str, label: Label) -> str:
    _ = gettext_for(language)
    rows: list[Row] = report.breakdowns[breakdown]
    if not rows:
        return _("Nothing to show: too few coproducers behind these figures.")
    named = [row for row in rows if row.key != OTHER]
    if not named:
        return counted(
            _,
            Np_(
                'All are counted under "Other": each group had fewer than {count} coproducer.',
                'All are counted under "Other": each group had fewer than {count} coproducers.',
            ),
            report.min_group,
        ).format(count=report.min_group)
    first = named[0]
    # A request can be about several kinds of problem, so shares are of all requests and may add up to more than 100%.
    share = report.totals.share(first.requests)
    return counted(
        _, Np_("Most: {name}, {count} request ({share}).", "Most: {name}, {count} requests ({share})."), first.requests
    ).format(
        name=label(breakdown, first.key), count=format_number(first.requests, language), share=percent(share, language)
    )


def min_group_note(report: Report, language: str) -> str:
    _ = gettext_for(language)
    return counted(
        _,
        Np_(
            "No names. Each figure is added up per team and month. A group of fewer than {count} coproducer is not "
            'shown on its own, but under "Other" or not at all, so nobody can be recognised, also not by comparing '
            "reports.",
            "No names. Each figure is added up per team and month. A group of fewer than {count} coproducers is not "
            'shown on its own, but under "Other" or not at all, so nobody can be recognised, also not by comparing '
            "reports.",
        ),
        report.min_group,
    ).format(count=report.min_group)


def left_out_note(report: Report, language: str) -> str | None:
    """Which team-months are not in the figures at all, or None when none was left out."""
    if not report.left_out:
        return None
    _ = gettext_for(language)
    months = ", ".join(f"{team} ({format_date(month, language, 'LLLL y')})" for team, month in report.left_out)
    message = Np_(
        "Not counted, with fewer than {count} coproducer that month: {months}.",
        "Not counted, with fewer than {count} coproducers that month: {months}.",
    )
    return counted(_, message, report.min_group).format(count=report.min_group, months=months)
