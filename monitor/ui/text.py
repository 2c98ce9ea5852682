"""User text is text: names, notes, training and team names are shown as written, never read as Markdown or HTML.

Streamlit renders st.markdown, st.write, st.caption and alerts as Markdown, so a note like ![x](http://host/track)
would make the reader's browser fetch that address. Every user-supplied string goes through plain() before it is put
into such an element.
"""

from __future__ import annotations

# Every character Markdown (and Streamlit's extensions: :colour[...], $maths$, ~strike~) gives a meaning, and < > for
# raw HTML.
MARKDOWN_SPECIAL = frozenset("\\`*_{}[]()#+-.!|<>~$:=")


def plain(text: object) -> str:
    """text with every Markdown character escaped and line breaks kept (as Markdown hard breaks)."""
    if text is None:
        return ""
    escaped = "".join("\\" + char if char in MARKDOWN_SPECIAL else char for char in str(text))
    return "  \n".join(line for line in escaped.splitlines() if line.strip())
