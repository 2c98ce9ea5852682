"""The export's two files from the collected rows: JSON (portability) and an Excel workbook with a sheet per kind
and headings in the person's language."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from monitor.config import Settings
from monitor.i18n import gettext_for
from monitor.privacy.export.kinds import KINDS
from monitor.privacy.export.readers import Row
from monitor.spreadsheets import formula_safe, workbook_bytes


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def to_json(data: dict[str, list[Row]]) -> bytes:
    plain = {key: [{k: _json_value(v) for k, v in row.items()} for row in rows] for key, rows in data.items()}
    return json.dumps(plain, ensure_ascii=False, indent=2).encode("utf-8")


def _cell(value: Any, settings: Settings) -> Any:
    if isinstance(value, datetime):
        # Excel has no time zones: show the local time, as the app does.
        return value.astimezone(settings.tz).replace(tzinfo=None)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return formula_safe(value)
    return value


def _sheet_title(title: str, used: set[str]) -> str:
    clean = "".join(" " if ch in "[]:*?/\\" else ch for ch in title)[:31]
    while clean in used:
        clean = clean[:28] + f" {len(used)}"
    used.add(clean)
    return clean


def to_xlsx(data: dict[str, list[Row]], language: str, settings: Settings) -> bytes:
    """One sheet per kind, headings in language; a kind without rows still gets its sheet, so nothing looks lost."""
    _ = gettext_for(language)
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    used: set[str] = set()
    for kind in KINDS:
        sheet = workbook.create_sheet(_sheet_title(_(kind.title), used))
        sheet.append([_(heading) for _key, heading in kind.columns])
        for row in data.get(kind.key, []):
            sheet.append([_cell(row.get(key), settings) for key, _heading in kind.columns])
        sheet.freeze_panes = "A2"
    return workbook_bytes(workbook)
