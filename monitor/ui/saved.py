"""After a save: the confirmation where the saved form is, scrolled into view, and tabs that stay where they were.

Every form uses it the same way: the page calls show(where) just above the form (or at the top, when what was saved
leaves the list it was in), and the form calls confirm(where, text) when the service call worked. The page runs again;
the confirmation is drawn once, at its place, and the browser scrolls it into view if it is not (Streamlit keeps the
scroll position across a run, so a confirmation at the top of a long page was out of sight). tabs() remembers which
tab is open, so saving in the second tab does not land the person on the first.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from itertools import count
from typing import Any

import streamlit as st

KEY = "saved_confirmation"
_numbers = count(1)

# Scroll a confirmation into view once (its mark's data-once), for a moment after it is drawn: what is drawn below and
# above it (a list, a chart) can still move it while the page fills in. The text never changes, so that the
# Content-Security-Policy can allow it by its hash (app.py); what to scroll is read from the marks in the page.
SCROLL_SCRIPT = """(() => {
  const done = window.monitorScrolled = window.monitorScrolled || new Set();
  for (const mark of document.querySelectorAll(".monitor-scroll")) {
    const once = mark.dataset.once;
    if (done.has(once)) continue;
    done.add(once);
    const key = mark.dataset.key;
    let frames = 0;
    const look = () => {
      const box = document.querySelector(".st-key-" + key);
      if (box) {
        const r = box.getBoundingClientRect();
        const header = document.querySelector("[data-testid='stHeader']")?.getBoundingClientRect().bottom || 0;
        if (r.height && (r.top < header || r.bottom > innerHeight)) box.scrollIntoView({block: "center"});
      }
      if (++frames < 45) requestAnimationFrame(look);
    };
    look();
  }
})();"""


def remember(where: str, text: str) -> None:
    """Keep the confirmation for the place where, to draw on the next run (for a button's callback)."""
    st.session_state[KEY] = (where, text, f"{where}-{next(_numbers)}")


def confirm(where: str, text: str) -> None:
    """What was saved, said at the place where on the page's next run, with the form of fresh(where) empty again;
    runs the page again."""
    remember(where, text)
    st.session_state[f"{KEY}-{where}"] = st.session_state.get(f"{KEY}-{where}", 0) + 1
    st.rerun()


def fresh(where: str) -> str:
    """A form's key that changes with every confirm(where): the form starts empty after a save. Used in place of
    clear_on_submit, which also empties the form when the page only asks a question (amount_input's "is that
    right?"), so that saving again would save the field's first value."""
    return f"{where}-{st.session_state.get(f'{KEY}-{where}', 0)}"


def show(where: str) -> bool:
    """Draw the confirmation kept for where, once; True when there was one."""
    kept = st.session_state.get(KEY)
    if not kept or kept[0] != where:
        return False
    del st.session_state[KEY]
    notice(where, kept[1], kept[2])
    return True


def notice(where: str, text: str, once: str | int) -> Any:
    """A confirmation drawn at this place, scrolled into view the first time it is drawn for once (an id); returns
    its container, for what belongs with it (Log a request's Undo)."""
    box = st.container(key=f"saved-{where}")
    with box:
        st.success(text, icon=":material/check_circle:")
        scroll_into_view(f"saved-{where}", once)
    return box


def scroll_into_view(key: str, once: str | int) -> None:
    """Scroll the element with this key (st-key-<key>) into view, once per once (an id), if it is not in view."""
    mark = (
        f'<span class="monitor-scroll" data-key="{html.escape(key)}" data-once="{html.escape(f"{key}-{once}")}"></span>'
    )
    st.html(f"{mark}<script>{SCROLL_SCRIPT}</script>", unsafe_allow_javascript=True)


def tabs(labels: Sequence[str], key: str) -> Sequence[Any]:
    """st.tabs that keep the open tab across runs (a save, a confirmation drawn above them)."""
    return st.tabs(list(labels), key=key, on_change="rerun")
