"""Reading and writing the request table as CSV or Excel (.xlsx): the columns shared by import and export."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from openpyxl import Workbook, load_workbook

from monitor.errors import ValidationError
from monitor.i18n import N_

REQUIRED = ("username", "received_at", "channel", "topics", "minutes")
OPTIONAL = ("level", "beyond_role", "referred_to", "note")
EXPORT_ONLY = ("outside_hours", "outside_reason")
EXPORT_COLUMNS = (*REQUIRED, *OPTIONAL, *EXPORT_ONLY)
MAX_ROWS = 20_000

Cell = str | int | float | bool | datetime | None


def read_table(filename: str, content: bytes) -> list[dict[str, Cell]]:
    """The rows of a CSV or .xlsx file as dicts keyed by lower-case column name; checks the header."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        header, rows = _read_xlsx(content)
    elif name.endswith((".csv", ".txt")):
        header, rows = _read_csv(content)
    else:
        raise ValidationError(N_("Use a .csv or .xlsx file; {name} is neither."), name=filename)
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ValidationError(
            N_("The file has no column {columns}. The first row must name the columns: {required}."),
            columns=", ".join(missing),
            required=", ".join(REQUIRED),
        )
    if len(rows) > MAX_ROWS:
        raise ValidationError(N_("The file has more than {max} rows. Split it into smaller files."), max=MAX_ROWS)
    return [dict(zip(header, row, strict=False)) for row in rows]


def _read_csv(content: bytes) -> tuple[list[str], list[Sequence[Cell]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(N_("The file is not saved as UTF-8 text. Save it again as 'CSV UTF-8'.")) from exc
    if not text.strip():
        raise ValidationError(N_("The file is empty."))
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    lines = [line for line in reader]
    header = [cell.strip().lower() for cell in lines[0]]
    return header, lines[1:]


def _read_xlsx(content: bytes) -> tuple[list[str], list[Sequence[Cell]]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a file that is not a workbook
        raise ValidationError(N_("This file cannot be opened as an Excel workbook (.xlsx).")) from exc
    sheet = workbook.worksheets[0]
    rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    if not rows:
        raise ValidationError(N_("The file is empty."))
    header = [str(cell).strip().lower() if cell is not None else "" for cell in rows[0]]
    return header, rows[1:]


def is_blank(row: dict[str, Cell]) -> bool:
    return all(value is None or str(value).strip() == "" for value in row.values())


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(text: str | None) -> str:
    """Free text that a spreadsheet would run as a formula gets a leading quote."""
    if text and text.startswith(FORMULA_START):
        return "'" + text
    return text or ""


def to_csv(rows: list[dict[str, Any]], columns: Sequence[str] = EXPORT_COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
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
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
