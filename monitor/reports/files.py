"""The contribution report as files for funders: an Excel workbook, and a PDF with a title page, bars and words."""

from __future__ import annotations

from fpdf import FPDF
from openpyxl import Workbook
from openpyxl.styles import Font

from monitor.i18n import gettext_for
from monitor.reports.contribution import Report
from monitor.reports.text import (
    BREAKDOWN_TITLES,
    Label,
    breakdown_summary,
    headline,
    left_out_note,
    min_group_note,
    outside,
    period_name,
    trend,
)
from monitor.spreadsheets import workbook_bytes


def workbook(report: Report, language: str, label: Label) -> bytes:
    """A sheet with the totals and one per breakdown, with numbers as numbers so a funder can add their own charts."""
    _ = gettext_for(language)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Summary")[:31]
    t, p = report.totals, report.previous
    sheet.append([_("Contribution report"), period_name(report.period, language)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_("Teams"), ", ".join(report.team_names)])
    sheet.append([])
    sheet.append(["", _("This period"), _("Period before")])
    sheet.append([_("Requests"), t.requests, p.requests if p else None])
    sheet.append([_("Hours"), round(t.hours, 1), round(p.hours, 1) if p else None])
    sheet.append([_("Active coproducers"), t.coproducers, p.coproducers if p else None])
    sheet.append([_("Outside agreed hours"), t.outside_hours, p.outside_hours if p else None])
    sheet.append([_("At night (00:00-06:00)"), t.night, p.night if p else None])
    sheet.append([])
    for line in (headline(report, language), trend(report, language), outside(report, language)):
        sheet.append([line])
    sheet.append([min_group_note(report, language)])
    if left_out := left_out_note(report, language):
        sheet.append([left_out])
    sheet.column_dimensions["A"].width = 32
    for breakdown, rows in report.breakdowns.items():
        page = book.create_sheet(_(BREAKDOWN_TITLES[breakdown])[:31])
        page.append([_(BREAKDOWN_TITLES[breakdown]), _("Requests"), _("Hours"), _("Coproducers")])
        for cell in page[1]:
            cell.font = Font(bold=True)
        for row in rows:
            page.append([label(breakdown, row.key), row.requests, round(row.minutes / 60, 1), row.coproducers])
        page.append([])
        page.append([breakdown_summary(report, breakdown, language, label)])
        page.column_dimensions["A"].width = 32
    return workbook_bytes(book)


def _latin(text: str) -> str:
    """The PDF's built-in font holds Latin-1 (enough for Dutch and English); anything else becomes '?'."""
    return text.replace("\u2013", "-").replace("\u2014", "-").encode("latin-1", "replace").decode("latin-1")


class _Pdf(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(format="A4")
        self.footer_text = footer_text
        self.set_auto_page_break(auto=True, margin=18)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        self.set_text_color(110)
        self.cell(0, 6, _latin(f"{self.footer_text} - {self.page_no()}"), align="C")

    def paragraph(self, text: str, size: int = 11) -> None:
        self.set_font("Helvetica", size=size)
        self.set_text_color(30)
        self.multi_cell(0, size * 0.55, _latin(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def bars(self, rows: list[tuple[str, int]]) -> None:
        """Horizontal bars drawn with rectangles: no chart library, and they print sharply."""
        if not rows:
            return
        largest = max(value for _name, value in rows) or 1
        label_width, bar_width = 62, 100
        self.set_font("Helvetica", size=9)
        for name, value in rows:
            y = self.get_y()
            self.set_text_color(30)
            self.cell(label_width, 6, _latin(name)[:40])
            self.set_fill_color(31, 119, 180)
            self.rect(self.l_margin + label_width, y + 1, max(bar_width * value / largest, 0.5), 4, style="F")
            self.set_x(self.l_margin + label_width + bar_width + 3)
            self.cell(20, 6, str(value), new_x="LMARGIN", new_y="NEXT")
        self.ln(2)


def pdf(report: Report, language: str, label: Label) -> bytes:
    """A4: a title page with the headline figures and the trend, then each breakdown as bars with one line under it."""
    _ = gettext_for(language)
    name = period_name(report.period, language)
    document = _Pdf(f"{_('Contribution report')} {name}")
    document.add_page()
    document.set_font("Helvetica", style="B", size=24)
    document.ln(40)
    document.multi_cell(0, 12, _latin(_("What our coproducers did")), new_x="LMARGIN", new_y="NEXT")
    document.set_font("Helvetica", size=16)
    document.multi_cell(0, 9, _latin(f"{name} - {', '.join(report.team_names)}"), new_x="LMARGIN", new_y="NEXT")
    document.ln(10)
    for line in (headline(report, language), trend(report, language), outside(report, language)):
        document.paragraph(line, size=12)
    document.ln(6)
    document.paragraph(
        _(
            "Coproducers are residents who help their neighbours and are a bridge to professionals. "
            "They log each request in a few seconds: when, how they were approached, what it was about and how long "
            "it took. This report adds those up."
        ),
        size=10,
    )
    document.paragraph(min_group_note(report, language), size=10)
    if left_out := left_out_note(report, language):
        document.paragraph(left_out, size=10)
    for breakdown, rows in report.breakdowns.items():
        if document.get_y() > 200:
            document.add_page()
        document.ln(4)
        document.set_font("Helvetica", style="B", size=14)
        document.multi_cell(0, 8, _latin(_(BREAKDOWN_TITLES[breakdown])), new_x="LMARGIN", new_y="NEXT")
        document.ln(1)
        document.bars([(label(breakdown, row.key), row.requests) for row in rows])
        document.paragraph(breakdown_summary(report, breakdown, language, label), size=10)
    return bytes(document.output())
