"""What a person did in a part of a page, handed back to the page: opened something (which), or closed it, with a
notice of what was done. The parts return a Step instead of writing to session state; the page remembers what is open
and what to say, and runs again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Step:
    """opened: what was opened (e.g. an action and an id); otherwise what was open is closed, and notice says what was
    done (None when cancelled)."""

    opened: Any = None
    notice: str | None = None
