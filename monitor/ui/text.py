"""User text is text: names, notes, training and team names are shown as written, never read as Markdown or HTML.

Streamlit renders st.markdown, st.write, st.caption and alerts as Markdown, so a note like ![x](http://host/track)
would make the reader's browser fetch that address. Every user-supplied string goes through plain() before it is put
into such an element.
"""

from __future__ import annotations

# Characters Markdown (and Streamlit's extensions: :material/icon:, :colour[...], $maths$, ~strike~) gives a meaning
# anywhere, and < > for raw HTML. Links and images need [ ], so "!" is harmless once they are escaped.
MARKDOWN_SPECIAL = frozenset("\\`*_{}[]()#|<>~$:")
# These mean something only at the start of a line (lists, headings, rules); "Debt-help" stays as it is.
LINE_START = frozenset("-+=")


def _line(line: str) -> str:
    out = []
    start = True  # nothing but spaces (or, for "1.", digits) before this character
    digits = False
    for char in line:
        if char in MARKDOWN_SPECIAL or (start and char in LINE_START) or (digits and char in ".)"):
            out.append("\\" + char)
        else:
            out.append(char)
        digits = (start or digits) and char.isdigit()
        start = start and char == " "
    return "".join(out)


def inline(text: object) -> str:
    """text to put inside a sentence (a value an error message quotes): every Markdown character escaped, on one line.

    The line-start rules of plain() do not apply in the middle of a sentence, so "12.50" stays as it is.
    """
    if text is None:
        return ""
    return "".join("\\" + char if char in MARKDOWN_SPECIAL else char for char in " ".join(str(text).split()))


def plain(text: object) -> str:
    """text with Markdown escaped wherever it would act, and line breaks kept (as Markdown hard breaks)."""
    if text is None:
        return ""
    return "  \n".join(_line(line) for line in str(text).splitlines() if line.strip())
