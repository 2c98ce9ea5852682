"""The widgets that describe one request, shared by "Log a request" and the correction form of "My requests".

Large pills with icons and short words, nothing to type in the common case; details fold away.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import streamlit as st

from monitor.i18n import N_
from monitor.requests.log import RequestInput, RequestRow
from monitor.requests.vocab import CHANNELS, LEVELS, MINUTE_CHOICES, NOTE_MAX, REFERRALS, TOPICS
from monitor.ui.labels import (
    CHANNEL_ICONS,
    CHANNEL_LABELS,
    LEVEL_LABELS,
    REFERRAL_LABELS,
    TOPIC_ICONS,
    TOPIC_LABELS_WITH_OTHER,
)

EXACT = "exact"
# What to choose, per field that must be chosen, named beside the field after Save.
MISSING = {
    "channel": N_("Choose how you were approached."),
    "topics": N_("Choose what it was about."),
    "minutes": N_("Choose how long it took."),
}


def _minutes_label(_: Callable[[str], str], value: int | str) -> str:
    if value == EXACT:
        return _("Other…")
    if value == MINUTE_CHOICES[-1]:
        return _("{hours} hours or more").format(hours=int(value) // 60)
    if int(value) >= 60:
        return _("{hours} hour").format(hours=int(value) // 60)
    return _("{minutes} min").format(minutes=value)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def summary(_: Callable[[str], str], data: RequestInput) -> str:
    """What was saved in a few words, as the confirmation names it: "aan mijn deur, geld en schulden, 15 min"."""
    minutes: int | str = data.minutes if data.minutes in MINUTE_CHOICES else EXACT
    duration = _minutes_label(_, minutes) if minutes != EXACT else _("{minutes} min").format(minutes=data.minutes)
    words = [_(CHANNEL_LABELS[data.channel]), *(_(TOPIC_LABELS_WITH_OTHER[t]) for t in data.topics)]
    return ", ".join([*(_lower_first(word) for word in words), duration])


def request_fields(
    _: Callable[[str], str],
    key: str,
    tz: ZoneInfo,
    today: date,
    earlier_days: int,
    initial: RequestRow | None = None,
    check: bool = False,
    details: bool = True,
) -> tuple[RequestInput | None, str | None]:
    """Draw the fields; return what was chosen, or None with what is still missing (translated). With check (after
    Save was tapped), every choice still missing is named beside its field, all at once. Without details, the page
    draws request_details(key) itself (Log a request: below Save, so that Save fits the first screen of a phone)."""
    channel = st.pills(
        _("How were you approached?"),
        CHANNELS,
        default=initial.channel if initial else None,
        format_func=lambda c: f"{CHANNEL_ICONS[c]} {_(CHANNEL_LABELS[c])}",
        key=f"{key}-channel",
    )
    _flag(check and not channel, key, "channel", _(MISSING["channel"]))
    topics = st.pills(
        _("What was it about?"),
        TOPICS,
        selection_mode="multi",
        default=list(initial.topics) if initial else None,
        format_func=lambda t: f"{TOPIC_ICONS[t]} {_(TOPIC_LABELS_WITH_OTHER[t])}",
        key=f"{key}-topics",
        help=_("You can choose more than one."),
    )
    _flag(check and not topics, key, "topics", _(MISSING["topics"]))
    minute_options: list[int | str] = [*MINUTE_CHOICES, EXACT]
    preset: int | str | None = None
    if initial:
        preset = initial.minutes if initial.minutes in MINUTE_CHOICES else EXACT
    picked = st.pills(
        _("How long did it take?"),
        minute_options,
        default=preset,
        format_func=lambda m: _minutes_label(_, m),
        key=f"{key}-minutes",
    )
    _flag(check and picked is None, key, "minutes", _(MISSING["minutes"]))
    minutes: int | None = int(picked) if picked not in (None, EXACT) else None
    if picked == EXACT:
        minutes = int(
            st.number_input(
                _("Minutes"),
                min_value=1,
                max_value=24 * 60,
                value=initial.minutes if initial else 45,
                step=5,
                key=f"{key}-exact",
            )
        )

    when, day, clock = _when(_, key, tz, today, earlier_days, initial)

    if details:
        level, beyond, referred, note = request_details(_, key, initial)
    else:  # drawn by the page itself, below Save (Log a request); what they hold now
        state = st.session_state
        level, beyond, referred = (
            state.get(f"{key}-level"),
            state.get(f"{key}-beyond", False),
            state.get(f"{key}-referred"),
        )
        note = state.get(f"{key}-note", "")
    values = {"channel": channel, "topics": topics, "picked": picked, "minutes": minutes, "when": when, "day": day}
    values.update({"time": clock, "level": level, "beyond": beyond, "referred": referred, "note": note})
    return _request(_, values, tz)


def request_details(_: Callable[[str], str], key: str, initial: RequestRow | None = None) -> tuple[Any, bool, Any, str]:
    """The details that fold away: who it was for, beyond my role, referred to, a short note (never names)."""
    with st.expander(_("More details (you may skip this)"), icon=":material/tune:"):
        level = st.pills(
            _("Who was it for?"),
            LEVELS,
            default=initial.level if initial else None,
            format_func=lambda v: _(LEVEL_LABELS[v]),
            key=f"{key}-level",
        )
        beyond = st.toggle(
            _("This was beyond my role"), value=initial.beyond_role if initial else False, key=f"{key}-beyond"
        )
        referred = st.pills(
            _("I referred them to"),
            REFERRALS,
            default=initial.referred_to if initial else None,
            format_func=lambda v: _(REFERRAL_LABELS[v]),
            key=f"{key}-referred",
        )
        st.warning(_("Never write names, addresses or anything else that shows who it was."), icon=":material/lock:")
        note = st.text_area(
            _("Short note"), value=(initial.note or "") if initial else "", max_chars=NOTE_MAX, key=f"{key}-note"
        )
    return level, beyond, referred, note


def read_fields(_: Callable[[str], str], key: str, tz: ZoneInfo, today: date) -> tuple[RequestInput | None, str | None]:
    """What the fields of a new request (request_fields(key) without initial) hold now, read from the session state:
    for a button's callback, which runs before the page is drawn again, so a save takes one run, not a run and a
    rerun. A field not drawn yet counts as its first value, as request_fields would give it."""
    state = st.session_state

    def get(name: str, first: Any = None) -> Any:
        return state.get(f"{key}-{name}", first)

    picked = get("minutes")
    exact = int(picked) if picked not in (None, EXACT) else None
    if picked == EXACT:
        exact = int(get("exact", 45))
    values = {"channel": get("channel"), "topics": get("topics", []), "picked": picked, "minutes": exact}
    values.update({"when": get("when") or "now", "day": get("day", today), "time": get("time", time(12, 0))})
    values.update({"level": get("level"), "beyond": get("beyond", False), "referred": get("referred")})
    values["note"] = get("note", "")
    return _request(_, values, tz)


def _flag(missing: bool, key: str, field: str, text: str) -> None:
    """Beside a field: what is still to choose there (key "<form>-missing-<field>", for scrolling to the first)."""
    if missing:
        st.container(key=f"{key}-missing-{field}").error(text, icon=":material/error:")


def _request(_: Callable[[str], str], values: dict[str, Any], tz: ZoneInfo) -> tuple[RequestInput | None, str | None]:
    """The request the fields describe, or None with everything still missing (translated)."""
    missing = [
        _(MISSING[field])
        for field, empty in (
            ("channel", not values["channel"]),
            ("topics", not values["topics"]),
            ("minutes", values["minutes"] is None),
        )
        if empty
    ]
    if missing:
        return None, " ".join(missing)
    received_at = None  # now
    if values["when"] != "now":  # earlier, or a correction (no "when"): the chosen local day and time
        received_at = datetime.combine(values["day"], values["time"]).replace(tzinfo=tz)
    data = RequestInput(
        minutes=int(values["minutes"]),
        channel=str(values["channel"]),
        topics=tuple(str(t) for t in values["topics"]),
        received_at=received_at,
        level=str(values["level"]) if values["level"] else None,
        beyond_role=bool(values["beyond"]),
        referred_to=str(values["referred"]) if values["referred"] else None,
        note=values["note"] or None,
    )
    return data, None


def _when(
    _: Callable[[str], str], key: str, tz: ZoneInfo, today: date, earlier_days: int, initial: RequestRow | None
) -> tuple[str | None, date, time]:
    """ "now" or "earlier" (None when correcting: always the chosen day and time), and the chosen local day and time."""
    when = None
    if initial is None:
        when = st.segmented_control(
            _("When?"),
            ["now", "earlier"],
            label_visibility="collapsed",  # "Just now" and "Earlier" say it; a screen reader still hears "When?"
            default="now",
            format_func=lambda v: _("Just now") if v == "now" else _("Earlier"),
            key=f"{key}-when",
        )
        if when != "earlier":
            return when or "now", today, time(12, 0)
        start_day, start_time = today, time(12, 0)
    else:
        start_day, start_time = initial.local.date(), initial.local.time().replace(second=0, microsecond=0)
    first = min(start_day, today - timedelta(days=earlier_days))
    left, right = st.columns(2)
    day = left.date_input(
        _("Day"), value=start_day, min_value=first, max_value=today, format="DD-MM-YYYY", key=f"{key}-day"
    )
    clock = right.time_input(_("Time"), value=start_time, step=300, key=f"{key}-time")
    return when, day, clock
