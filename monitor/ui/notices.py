"""Technical notices in plain words, for the person who can act on them.

An administrator reads what is missing and what to do (tax-free limits for this year, the key of the counsellor's
notes, e-mail switched off); a project leader reads at most that the amounts are missing and that the administrator
adds them, because a leader cannot change config.toml.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from monitor.checkins import crypto
from monitor.config import Settings
from monitor.money import tax_limits


@dataclass(frozen=True)
class Notice:
    text: str
    icon: str


def limits_missing(settings: Settings, year: int) -> bool:
    limits = tax_limits.for_year(settings.allowances, year)
    return limits is None or limits.fallback


def for_leader(settings: Settings, year: int, _: Callable[[str], str]) -> list[Notice]:
    if not limits_missing(settings, year):
        return []
    text = _("The amounts for {year} are still missing; the administrator adds them.").format(year=year)
    return [Notice(text, ":material/info:")]


def for_admin(settings: Settings, year: int, _: Callable[[str], str]) -> list[Notice]:
    notices = []
    if limits_missing(settings, year):
        text = _(
            'The tax-free amounts for {year} are missing. Add them to config.toml under [allowances.limits."{year}"]. '
            "Then restart the app. Until then the app uses the amounts of an earlier year."
        ).format(year=year)
        notices.append(Notice(text, ":material/euro:"))
    if not crypto.configured_keys():
        text = _(
            "There is no key for the counsellor's notes. Make one with `monitor notes-key`. "
            "Put it in MONITOR_NOTES_KEYS. Until then the counsellor cannot keep notes."
        )
        notices.append(Notice(text, ":material/key:"))
    if not settings.email.enabled:
        text = _(
            "E-mail is off. People see their messages only in the app. "
            "To send e-mail, fill in [email] in config.toml and set enabled = true."
        )
        notices.append(Notice(text, ":material/mail:"))
    return notices
