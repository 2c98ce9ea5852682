#!/usr/bin/env bash
# Brings the translation catalogs up to date with the code. `make translations` runs it.
#
# 1. Extracts every msgid (see babel.cfg for the markers: _, gettext, ngettext, N_, UserError and its subclasses)
#    from monitor/, pages/, home.py and app.py into monitor/locale/messages.pot.
# 2. Updates monitor/locale/{nl,en}/LC_MESSAGES/messages.po from it (creating a catalog that is missing), without
#    fuzzy matching: a new or changed msgid arrives untranslated, so nobody ships a guessed translation.
#    Msgids that are no longer in the code are dropped from the catalogs.
# 3. Fills the English catalog: an empty English msgstr becomes the msgid itself (the msgids are English).
#
# Then translate the new entries in monitor/locale/nl/LC_MESSAGES/messages.po (the ones with msgstr ""), in plain
# Dutch: short words, "je" not "u", placeholders such as {name} unchanged. tests/unit/test_translations.py fails
# until every msgid has a Dutch translation. There is no .mo to build: monitor/i18n/__init__.py compiles the .po in memory.
#
# Running it twice changes nothing the second time: the template is only replaced when its messages change, and
# locations name the file only, so moving a line does not touch the catalogs.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYBABEL=${PYBABEL:-.venv/bin/pybabel}
PYTHON=${PYTHON:-.venv/bin/python}
LOCALE_DIR=monitor/locale
POT=$LOCALE_DIR/messages.pot
LANGUAGES=(nl en)
# The same keywords as in babel.cfg ([DEFAULT] keywords), for Babel versions that do not read them from there.
KEYWORDS=(-k _ -k gettext -k ngettext:1,2 -k N_ -k Np_:1,2 -k UserError -k ValidationError -k PermissionDenied -k NotFound)

if [ ! -x "$PYBABEL" ]; then
  echo "No $PYBABEL: run 'make translations' (it installs the virtual environment first) or set PYBABEL." >&2
  exit 1
fi

# babel.cfg's extractor lives in scripts/babel_extractors.py.
export PYTHONPATH="scripts${PYTHONPATH:+:$PYTHONPATH}"

mkdir -p "$LOCALE_DIR"
tmp_pot=$(mktemp)
trap 'rm -f "$tmp_pot"' EXIT

"$PYBABEL" -q extract -F babel.cfg "${KEYWORDS[@]}" \
  --ignore-dirs='.* _* .venv tests data db' \
  --add-location=file --no-wrap \
  --project="Coproducer monitor" --version="1" \
  -o "$tmp_pot" .

# Keep the old template (and its creation date) when only the date differs.
if [ -f "$POT" ] && diff -q <(grep -v '^"POT-Creation-Date:' "$POT") <(grep -v '^"POT-Creation-Date:' "$tmp_pot") >/dev/null; then
  echo "$POT: no changes"
else
  cp "$tmp_pot" "$POT"
  echo "$POT: updated"
fi

for lang in "${LANGUAGES[@]}"; do
  "$PYBABEL" -q update -i "$POT" -d "$LOCALE_DIR" -D messages -l "$lang" \
    --init-missing --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date --no-wrap
done

# English: the msgid is the English text, so an empty msgstr becomes the msgid. Written only when something changed.
"$PYTHON" - "$LOCALE_DIR/en/LC_MESSAGES/messages.po" <<'PY'
import sys

from babel.messages.pofile import read_po, write_po

path = sys.argv[1]
with open(path, "rb") as handle:
    catalog = read_po(handle, locale="en")
filled = 0
for message in catalog:
    if not message.id:
        continue
    if message.pluralizable:
        if not any(message.string):
            message.string = (message.id[0],) + (message.id[1],) * (catalog.num_plurals - 1)
            filled += 1
    elif not message.string:
        message.string = message.id
        filled += 1
if filled:
    with open(path, "wb") as handle:
        write_po(handle, catalog, width=None, ignore_obsolete=True)
print(f"{path}: {filled} English entries filled from their msgid")
PY

# Say what is left to translate.
"$PYTHON" - "$LOCALE_DIR/nl/LC_MESSAGES/messages.po" <<'PY'
import sys

from babel.messages.pofile import read_po

path = sys.argv[1]
with open(path, "rb") as handle:
    catalog = read_po(handle, locale="nl")
todo = [m.id for m in catalog if m.id and not (all(m.string) if m.pluralizable else m.string)]
if todo:
    print(f"{path}: {len(todo)} to translate into Dutch:")
    for msgid in todo:
        print(f"  {msgid if isinstance(msgid, str) else msgid[0]}")
else:
    print(f"{path}: every msgid has a Dutch translation")
PY
