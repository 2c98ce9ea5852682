"""User text is text: names, notes, training and team names are shown as written, never read as Markdown or HTML.

Streamlit renders st.markdown, st.write, st.caption, alerts, toasts and widget labels as Markdown, so a note like
![x](http://host/track) would make the reader's browser fetch that address. Every text a person typed goes through
plain() before it is put into such an element: the one function for it (tests/security/test_user_text.py renders every
page of every role with hostile names, notes and training names).
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


def plain(text: object, one_line: bool = False) -> str:
    """text as written, for any element Streamlit reads as Markdown: every Markdown and HTML character escaped
    wherever it would act, line breaks kept (as Markdown hard breaks). one_line: text quoted inside a sentence (a name
    in a warning, a value an error message quotes), its line breaks and runs of spaces made one space."""
    if text is None:
        return ""
    if one_line:
        return _line(" ".join(str(text).split()))
    return "  \n".join(_line(line) for line in str(text).splitlines() if line.strip())
