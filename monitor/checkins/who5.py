"""The WHO-5 Well-Being Index: its five statements, the answer scale, the score, and when a score prompts a check-in.

The English wording is the WHO's own (WHO-5, 1998); the Dutch catalog holds the standard Dutch translation. Each
statement is about the last two weeks and answered from 5 ("all of the time") to 0 ("at no time"); the raw total
(0-25) times 4 gives a score from 0 (worst) to 100 (best).
"""

from __future__ import annotations

from collections.abc import Sequence

from monitor.errors import ValidationError
from monitor.i18n import N_

INTRO = N_("Over the last two weeks...")
ITEMS = (
    N_("I have felt cheerful and in good spirits"),
    N_("I have felt calm and relaxed"),
    N_("I have felt active and vigorous"),
    N_("I woke up feeling fresh and rested"),
    N_("My daily life has been filled with things that interest me"),
)
# Value -> words, from the best answer to the worst, as on the WHO's form.
SCALE = (
    (5, N_("All of the time")),
    (4, N_("Most of the time")),
    (3, N_("More than half of the time")),
    (2, N_("Less than half of the time")),
    (1, N_("Some of the time")),
    (0, N_("At no time")),
)

LOW = "who5_low"
DROP = "who5_drop"


def score(answers: Sequence[int]) -> int:
    """The WHO-5 score 0-100: the raw total of the five answers (each 0-5) times 4."""
    if len(answers) != len(ITEMS):
        raise ValidationError(N_("Answer all five statements, or skip the questions."))
    for value in answers:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 5:
            raise ValidationError(N_("Each answer is a number from 0 to 5."))
    return sum(answers) * 4


def prompt_reason(new: int, previous: int | None, low: int = 50, drop: int = 10) -> str | None:
    """Why this score prompts a check-in: LOW (at or below low), DROP (fell by drop or more), or None."""
    if new <= low:
        return LOW
    if previous is not None and previous - new >= drop:
        return DROP
    return None
