"""A bar that shows a number against what was agreed: green up to the agreement, red past it, with a line at the
agreed amount. Streamlit's st.progress stops at 100 % and is always green, which reads as "good" when someone is over.
"""

from __future__ import annotations

import streamlit as st


def agreement_bar(value: float, agreed: float) -> None:
    """Draw the bar; the words go beside it (st.write), this is only the picture, hidden from screen readers."""
    scale = max(value, agreed) or 1.0
    fill = min(value / scale, 1.0) * 100
    line = agreed / scale * 100
    over = " over" if value > agreed else ""
    st.html(
        f'<div class="monitor-bar{over}" aria-hidden="true"><div class="fill" style="width: {fill:.1f}%"></div>'
        f'<div class="agreed" style="left: calc({line:.1f}% - 1px)"></div></div>'
    )
