"""Fill missing msgstr entries of a catalog from a Python dict file: `python scripts/fill_translations.py nl FILE`.

A helper for translators: FILE defines NL = {msgid: msgstr, (singular, plural): (one, many)}. Existing
translations are left alone.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent


def main(language: str, source: str) -> int:
    table = runpy.run_path(source)[language.upper()]
    po = ROOT / "monitor" / "locale" / language / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        translation = table.get(message.id)
        if translation is None:
            continue
        empty = not all(message.string) if isinstance(message.string, tuple) else not message.string
        if empty:
            message.string = translation
            filled += 1
    with po.open("wb") as handle:
        write_po(handle, catalog, width=120, omit_header=False, include_lineno=False)
    print(f"{filled} translations filled in {po}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
