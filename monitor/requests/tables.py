"""Reading and writing the request table as CSV or Excel (.xlsx): the columns shared by import and export.

Reading is bounded, so that any file up to the upload limit (10 MB) is imported or refused in seconds and modest
memory: CSV stops at the row limit and turns the csv module's errors (a field over its size limit, a stray quote) into
a message; every part of an .xlsx is checked first (monitor.requests.xlsx_bounds), then the first sheet is read in
read-only (streaming) mode, only up to the last column the import knows, and stops at the row limit.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from openpyxl import Workbook, load_workbook

from monitor.errors import ValidationError
from monitor.i18n import N_
from monitor.requests import xlsx_bounds
from monitor.spreadsheets import safe, workbook_bytes

REQUIRED = ("username", "received_at", "channel", "topics", "minutes")
OPTIONAL = ("level", "beyond_role", "referred_to", "note")
EXPORT_ONLY = ("outside_hours", "outside_reason")
EXPORT_COLUMNS = (*REQUIRED, *OPTIONAL, *EXPORT_ONLY)
# The columns by their Dutch names too, so that a coproducer's page names no code words: the import accepts either
# (a header may mix them), the help shows the reader's own.
DUTCH_COLUMNS = {
    "username": "gebruikersnaam",
    "received_at": "tijdstip",
    "channel": "kanaal",
    "topics": "onderwerpen",
    "minutes": "minuten",
    "level": "niveau",
    "beyond_role": "buiten_mijn_taak",
    "referred_to": "doorverwezen_naar",
    "note": "notitie",
}
_CANONICAL = {dutch: english for english, dutch in DUTCH_COLUMNS.items()}
MAX_ROWS = 20_000
MAX_HEADER_COLUMNS = 64  # a header wider than this is not one of ours

Cell = str | int | float | bool | datetime | None


def read_table(filename: str, content: bytes) -> list[dict[str, Cell]]:
    """The rows of a CSV or .xlsx file as dicts keyed by lower-case column name; checks the header."""
    name = filename.lower()
    if len(content) > xlsx_bounds.MAX_FILE_BYTES:
        raise xlsx_bounds.too_large(len(content))
    if name.endswith(".xlsx"):
        header, rows = _read_xlsx(content)
    elif name.endswith((".csv", ".txt")):
        header, rows = _read_csv(content)
    else:
        raise ValidationError(N_("Use a .csv or .xlsx file; {name} is neither."), name=filename)
    header = [canonical(name) for name in header]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ValidationError(
            N_("The file has no column {columns}. The first row must name the columns: {required}."),
            columns=", ".join(missing),
            required=", ".join(REQUIRED),
        )
    if len(rows) > MAX_ROWS:
        raise _too_many_rows()
    return [dict(zip(header, row, strict=False)) for row in rows]


def canonical(name: str) -> str:
    """A header cell as the import knows it: lower case, spaces as "_", a Dutch name as its English one."""
    key = name.strip().lower().replace(" ", "_")
    return _CANONICAL.get(key, key)


def column_names(columns: Sequence[str], language: str) -> list[str]:
    """The columns by the names a reader of language writes in their file."""
    return [DUTCH_COLUMNS.get(c, c) if language == "nl" else c for c in columns]


def _too_many_rows() -> ValidationError:
    return xlsx_bounds.too_many_rows(MAX_ROWS)


def _read_csv(content: bytes) -> tuple[list[str], list[Sequence[Cell]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(N_("The file is not saved as UTF-8 text. Save it again as 'CSV UTF-8'.")) from exc
    if not text.strip():
        raise ValidationError(N_("The file is empty."))
    if "\n" not in text:
        text = text.replace("\r", "\n")  # old Mac line endings: CR only
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    lines: list[list[str]] = []
    try:
        for line in reader:
            lines.append(line)
            if len(lines) > MAX_ROWS + 1:  # the header and one row too many: stop reading
                raise _too_many_rows()
    except csv.Error:
        raise ValidationError(
            N_("Line {line} of the file cannot be read: a field is too long or a quote is not closed."),
            line=reader.line_num,
        ) from None
    if not lines:
        raise ValidationError(N_("The file is empty."))
    header = [cell.strip().lower() for cell in lines[0]]
    return header, lines[1:]


def _read_xlsx(content: bytes) -> tuple[list[str], list[Sequence[Cell]]]:
    xlsx_bounds.check_workbook(content, MAX_ROWS)  # before openpyxl reads any part
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a file that is not a workbook
        raise xlsx_bounds.not_a_workbook() from exc
    try:
        return _sheet_rows(workbook)
    except ValidationError:
        raise
    except Exception as exc:  # a damaged sheet: openpyxl and the XML parser raise many kinds
        raise xlsx_bounds.not_a_workbook() from exc
    finally:
        workbook.close()


def _sheet_rows(workbook: Any) -> tuple[list[str], list[Sequence[Cell]]]:
    if not workbook.worksheets:
        raise ValidationError(N_("The file is empty."))
    sheet = workbook.worksheets[0]
    # openpyxl stops at the size the sheet declares (<dimension>); a sheet that declares fewer rows than it holds
    # would lose the rest without a word. The rows were counted in check_workbook, so read what is there.
    sheet.reset_dimensions()
    first = next(sheet.iter_rows(max_row=1, max_col=MAX_HEADER_COLUMNS, values_only=True), None)
    if first is None:
        raise ValidationError(N_("The file is empty."))
    header = [str(cell).strip().lower() if cell is not None else "" for cell in first]
    known = [i for i, name in enumerate(header) if name in (*REQUIRED, *OPTIONAL)]
    width = max(known) + 1 if known else 1  # never read the columns the import does not know (up to XFD)
    rows: list[Sequence[Cell]] = []
    for row in sheet.iter_rows(min_row=2, max_col=width, values_only=True):
        rows.append(row)
        if len(rows) > MAX_ROWS:
            raise _too_many_rows()
    return header[:width], rows


def is_blank(row: dict[str, Cell]) -> bool:
    return all(value is None or str(value).strip() == "" for value in row.values())


def to_csv(rows: list[dict[str, Any]], columns: Sequence[str] = EXPORT_COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({key: safe(value) for key, value in row.items()} for row in rows)
    # A byte-order mark lets Excel open the file as UTF-8, so accents and € survive.
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(rows: list[dict[str, Any]], columns: Sequence[str] = EXPORT_COLUMNS, title: str = "requests") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    sheet.append(list(columns))
    for row in rows:
        sheet.append([row.get(column) for column in columns])
    sheet.freeze_panes = "A2"
    return workbook_bytes(workbook)
