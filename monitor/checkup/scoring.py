"""Scores of the check-up: an item is the mean over respondents, a dimension the mean of its items' scores, the
overall score the mean of all item scores; rounded only for display (half up, as the paper's table reads)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from monitor.checkup.statements import DIMENSIONS, ITEMS


@dataclass(frozen=True)
class Scores:
    respondents: int
    items: dict[int, float]  # statement number -> mean score 0-100 (only items someone answered)
    dimensions: dict[str, float]  # dimension code -> mean of its item scores
    overall: float | None


def shown(value: float | None) -> int | None:
    """A score as shown: a whole number, .5 rounded up (80.5 -> 81), unlike Python's round()."""
    if value is None:
        return None
    return int(Decimal(str(value)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def score(responses: Iterable[Mapping[int, int]]) -> Scores:
    """Scores from a list of responses, each a mapping of statement number to answer (0, 25, 50, 75 or 100)."""
    responses = list(responses)
    sums: dict[int, int] = {}
    counts: dict[int, int] = {}
    for response in responses:
        for item, value in response.items():
            sums[item] = sums.get(item, 0) + value
            counts[item] = counts.get(item, 0) + 1
    items = {item: sums[item] / counts[item] for item in ITEMS if counts.get(item)}
    return from_item_scores(len(responses), items)


def from_item_scores(respondents: int, items: dict[int, float]) -> Scores:
    dimensions = {}
    for dimension in DIMENSIONS:
        values = [items[i] for i in dimension.items if i in items]
        if values:
            dimensions[dimension.code] = sum(values) / len(values)
    overall = sum(items.values()) / len(items) if items else None
    return Scores(respondents=respondents, items=items, dimensions=dimensions, overall=overall)


def lowest(scores: Scores, count: int = 3) -> list[int]:
    """The statements with the lowest scores (ties in number order): topics for the team's conversation."""
    return sorted(scores.items, key=lambda item: (scores.items[item], item))[:count]
