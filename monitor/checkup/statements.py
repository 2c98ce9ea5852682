"""The 26 statements of the Coordinated Action Checklist in six dimensions, in plain words of our own.

Source: Wagemakers A, Koelen MA, Lezwijn J, Vaandrager L. Coordinated action checklist: a tool for partnerships to
facilitate and evaluate community health promotion. Global Health Promotion 2010;17(3):17-28. Numbered and grouped as
in Table A1 of the Moerwijk Connectors study. The wording here is ours, not the authors'; an organisation can give
its own in a file ([checkup] statements_file in config.toml).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from monitor.i18n import N_

SOURCE = "Wagemakers, Koelen, Lezwijn & Vaandrager, Coordinated Action Checklist, Global Health Promotion 2010"
# The five answers, from "totally disagree" to "totally agree", and the score each gives.
SCALE = (0, 25, 50, 75, 100)
SCALE_LABELS = {
    0: N_("Totally disagree"),
    25: N_("Disagree"),
    50: N_("Neither agree nor disagree"),
    75: N_("Agree"),
    100: N_("Totally agree"),
}


@dataclass(frozen=True)
class Dimension:
    code: str
    title: str  # msgid
    items: tuple[int, ...]


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("general", N_("General"), (1,)),
    Dimension("suitability", N_("Suitability of the partners"), tuple(range(2, 9))),
    Dimension("task", N_("Task"), tuple(range(9, 14))),
    Dimension("relation", N_("Relation"), tuple(range(14, 19))),
    Dimension("growth", N_("Growth"), tuple(range(19, 23))),
    Dimension("visibility", N_("Visibility"), tuple(range(23, 27))),
)

STATEMENTS: dict[int, str] = {
    1: N_("Working together helps the health and wellbeing of people in the neighbourhood."),
    2: N_("The right people take part to reach our goals."),
    3: N_("For good teamwork, all partners must count equally."),
    4: N_("Everyone is happy with what each member brings in."),
    5: N_("My work or my organisation gives me a good reason to take part."),
    6: N_("I can give enough to our work together (time, means)."),
    7: N_("I feel closely involved in our team."),
    8: N_("My knowledge and skills help our work together."),
    9: N_("We agree on what we want, why, and when."),
    10: N_("We often have (small) successes."),
    11: N_("The way we work together works well."),
    12: N_("We look back at how it goes at set times, and change course when needed."),
    13: N_("What we need to keep working together is in place (money, time, support)."),
    14: N_("We talk to each other openly."),
    15: N_("We work well together and call on each other when something must be done."),
    16: N_("We are willing to give and take."),
    17: N_("We handle conflicts in a good way."),
    18: N_("We do what we agreed, also when it was not our own choice."),
    19: N_("In my own organisation I win support for our team."),
    20: N_("Telling the municipality what our team sees and needs goes well."),
    21: N_("We are open to new partners over time."),
    22: N_("We manage to get others to join in."),
    23: N_("We keep good contact with people and organisations outside the team."),
    24: N_("Others see us as reliable and as the right people to do this work."),
    25: N_("People outside have a good picture of our team."),
    26: N_("We take care that the work goes on after the project ends."),
}

ITEMS: tuple[int, ...] = tuple(sorted(STATEMENTS))


def dimension_of(item: int) -> Dimension:
    return next(d for d in DIMENSIONS if item in d.items)


def read_wording(path: str) -> dict[str, dict[int, str]]:
    """An organisation's own wording: {language: {number: statement}}, every language with all 26 statements."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path}: cannot be read as a TOML file: {exc}") from exc
    wording: dict[str, dict[int, str]] = {}
    for language, table in data.items():
        if not isinstance(table, dict):
            raise ValueError(f"{path}: [{language}] must be a table of statements by number")
        texts = {int(key): value for key, value in table.items() if key.isdigit() and isinstance(value, str)}
        missing = [item for item in ITEMS if not texts.get(item, "").strip()]
        if missing or len(table) != len(ITEMS):
            numbers = ", ".join(str(item) for item in missing) or "only 1 to 26"
            raise ValueError(f"{path}: [{language}] needs the statements 1 to 26 as text; check {numbers}")
        wording[language] = texts
    return wording


@lru_cache(maxsize=4)
def _cached_wording(path: str) -> dict[str, dict[int, str]]:
    return read_wording(path)


def wording(statements_file: str, language: str, gettext: Callable[[str], str]) -> dict[int, str]:
    """The 26 statements in language: the organisation's own when its file has that language, else ours."""
    own = _cached_wording(statements_file).get(language) if statements_file else None
    return dict(own) if own else {item: gettext(STATEMENTS[item]) for item in ITEMS}
