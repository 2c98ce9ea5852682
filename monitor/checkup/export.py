"""A closed round's results as an Excel workbook: each statement's score, each dimension's, and the round before."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font

from monitor.checkup.rounds import Results
from monitor.checkup.scoring import shown
from monitor.checkup.statements import DIMENSIONS, SOURCE, STATEMENTS
from monitor.i18n import Np_, counted, gettext_for
from monitor.spreadsheets import workbook_bytes


def workbook(results: Results, language: str, statements: dict[int, str] | None = None) -> bytes:
    """statements: the wording shown on the page (an organisation's own, or ours translated)."""
    _ = gettext_for(language)
    statements = statements or {item: _(text) for item, text in STATEMENTS.items()}
    scores, previous = results.scores, results.previous
    if scores is None:
        raise ValueError("no results to export for this round")
    book = Workbook()
    sheet = book.active
    sheet.title = _("Check-up")[:31]
    sheet.append(
        [
            _("Collaboration check-up"),
            counted(_, Np_("{count} person answered", "{count} people answered"), scores.respondents).format(
                count=scores.respondents
            ),
        ]
    )
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_("Source: {source}").format(source=SOURCE)])
    sheet.append([])
    sheet.append([_("Number"), _("Statement"), _("Score"), _("Previous round")])
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for dimension in DIMENSIONS:
        before = previous.dimensions.get(dimension.code) if previous else None
        sheet.append(["", _(dimension.title), shown(scores.dimensions.get(dimension.code)), shown(before)])
        sheet.cell(sheet.max_row, 2).font = Font(bold=True)
        for item in dimension.items:
            before = previous.items.get(item) if previous else None
            sheet.append([item, statements[item], shown(scores.items.get(item)), shown(before)])
    sheet.append(["", _("All statements"), shown(scores.overall), shown(previous.overall) if previous else None])
    sheet.column_dimensions["B"].width = 80
    return workbook_bytes(book)
