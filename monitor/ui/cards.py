"""Tables that fit a phone: up to 640 px wide a list of cards with the columns that matter, wider the full table.

Both are sent and CSS (monitor/ui/style.py, .st-key-narrow-* and .st-key-wide-*) shows one, so the server never needs
to know how wide the screen is, and a phone turned sideways gets the table.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st
from streamlit.delta_generator import DeltaGenerator


@dataclass(frozen=True)
class Card:
    title: str
    fields: Sequence[tuple[str, str]]  # (label, value); empty values are left out
    over: bool = False  # marked (a red edge) when it needs the reader's attention, e.g. over the agreement


def narrow_and_wide(key: str) -> tuple[DeltaGenerator, DeltaGenerator]:
    """Two containers: the first shows only on a narrow screen, the second only on a wider one."""
    return st.container(key=f"narrow-{key}"), st.container(key=f"wide-{key}")


def cards_html(cards: Sequence[Card], label: str) -> str:
    """The cards as one list; label names it for screen readers ("People in the team")."""
    items = []
    for card in cards:
        fields = "".join(
            f"<div><dt>{html.escape(name)}</dt><dd>{html.escape(value)}</dd></div>"
            for name, value in card.fields
            if value
        )
        over = ' class="over"' if card.over else ""
        items.append(f'<li{over}><p class="monitor-card-title">{html.escape(card.title)}</p><dl>{fields}</dl></li>')
    return f'<ul class="monitor-cards" aria-label="{html.escape(label)}">{"".join(items)}</ul>'


def show_cards(where: DeltaGenerator, cards: Sequence[Card], label: str) -> None:
    where.html(cards_html(cards, label))
