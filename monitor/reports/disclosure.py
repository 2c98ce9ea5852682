"""Statistical disclosure control: which figures may be shown to more than one person, and how larger figures are
built from them so that no hidden figure can be worked out by subtracting one shown figure from another.

The rule (docs/privacy.md, "Disclosure control", says where it comes from and what it does not cover):

- **Cells.** Every figure is built from cells of one team in one calendar month: its totals, and per breakdown one
  cell per code. A cell stands for the coproducers whose requests are in it.
- **Primary suppression.** A cell with fewer than min_group coproducers is not shown. A team-month with fewer than
  min_group coproducers is left out of every figure.
- **Secondary suppression.** Within a team-month, the requests under the codes not shown of a breakdown (the rest:
  where the codes split the total, the total minus the shown codes gives it away) must be none, or come from at least
  min_group coproducers: otherwise the shown code with the fewest coproducers is hidden as well, until that holds.
  Hidden codes are counted together under "Other", shown when that group has min_group coproducers. "Outside agreed
  hours" and "at night" are cells too, and their rest is the requests inside hours and by day.
- **Larger figures only from shown cells.** A quarter, a year, and "all teams" add up the shown cells of their
  team-months and nothing else. So every figure a reader can get (any report, any team, any period, a total, a row)
  is a sum of shown cells; a hidden cell is in none of them, and no sum or difference of figures can contain it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

OTHER = "other"


@dataclass(frozen=True)
class Cell:
    """Requests and minutes of a group, and the coproducers behind them (ids, only to count them)."""

    requests: int = 0
    minutes: int = 0
    people: frozenset[int] = field(default_factory=frozenset)

    def __add__(self, other: Cell) -> Cell:
        return Cell(self.requests + other.requests, self.minutes + other.minutes, self.people | other.people)


def add(cells: Iterable[Cell]) -> Cell:
    total = Cell()
    for cell in cells:
        total = total + cell
    return total


def enough(people: frozenset[int] | set[int], min_group: int) -> bool:
    """Primary suppression: a group is shown only with at least min_group coproducers behind it."""
    return len(people) >= min_group


@dataclass(frozen=True)
class Protected:
    """The outcome for one breakdown of one team-month."""

    shown: tuple[str, ...]  # codes shown on their own
    pooled: tuple[str, ...]  # codes counted together under "Other"
    other_shown: bool  # whether "Other" has enough coproducers to be shown


def protect(cells: Mapping[str, Cell], min_group: int, never_shown: Iterable[str] = ()) -> Protected:
    """Primary and secondary suppression of one breakdown of one team-month.

    cells holds every code of the team-month's requests (for kinds of problem a request is in each of its kinds);
    never_shown are codes counted but never shown on their own nor under "Other" (a referral to nobody), which are
    part of the rest. A code has people (an empty cell is not in cells).
    """
    hidden = set(never_shown)
    shown = {
        code for code, cell in cells.items() if code not in hidden and code != OTHER and enough(cell.people, min_group)
    }

    def rest() -> frozenset[int]:
        return frozenset().union(*(cell.people for code, cell in cells.items() if code not in shown))

    while shown and 0 < len(rest()) < min_group:
        # Secondary suppression: hide the smallest shown code too, so that the rest is a group large enough to show.
        shown.discard(min(shown, key=lambda code: (len(cells[code].people), cells[code].requests, code)))
    pooled = tuple(sorted(code for code in cells if code not in shown and code not in hidden))
    other_people = frozenset().union(*(cells[code].people for code in pooled))
    return Protected(tuple(sorted(shown)), pooled, enough(other_people, min_group))


def part_shown(part: Cell, rest: Cell, min_group: int) -> bool:
    """Whether a count within a team-month (outside agreed hours, at night) may be shown, rest being the team-month's
    other requests (which the total minus the count gives away): none at all, or at least min_group coproducers in
    it with none or at least min_group among the rest."""
    if not part.people:
        return True
    cells = {"part": part, "rest": rest} if rest.people else {"part": part}
    return protect(cells, min_group, never_shown=("rest",)).shown == ("part",)
