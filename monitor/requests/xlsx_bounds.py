"""Checks an uploaded .xlsx (a zip of XML parts) against bounds before openpyxl parses any of it (issue 32).

openpyxl reads styles.xml and sharedStrings.xml whole, and turns each element into Python objects: a 572 KB upload
whose styles.xml unpacked to millions of small elements took 3.4 GB. So every part is checked first, from the zip's
directory (its unpacked size and its compression ratio; zipfile never unpacks more than the size the directory
states), and then counted with a streaming XML parser that stops at the first limit: rows and cells of each sheet
(however the tags are written: `<row\\n` slipped past a byte search), strings in sharedStrings.xml, elements in every
other part. Nothing is kept but the counts, so memory stays flat; the limits keep openpyxl's own parse within seconds.
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.parsers import expat

from monitor.errors import ValidationError
from monitor.i18n import N_, Np_

MAX_FILE_BYTES = 10 * 1024 * 1024  # the upload itself; also .streamlit/config.toml server.maxUploadSize
MAX_PARTS = 200  # a workbook has about 10
MAX_TOTAL_BYTES = 120 * 1024 * 1024  # all parts unpacked together
MAX_SHEET_BYTES = 50 * 1024 * 1024  # one sheet unpacked: 20,000 rows of 9 columns with long notes are about 16 MB
MAX_STRINGS_BYTES = 30 * 1024 * 1024  # sharedStrings.xml unpacked
MAX_PART_BYTES = 5 * 1024 * 1024  # any other part unpacked (styles.xml of a normal workbook is a few KB)
MAX_RATIO = 100  # unpacked / packed; real sheets pack 3 to 30 times
RATIO_FROM_BYTES = 1024 * 1024  # a small part may pack better than MAX_RATIO; it costs nothing
MAX_CELLS_PER_ROW = 16  # on average: the import has 9 columns, an export 11
MAX_SHARED_STRINGS_PER_ROW = 3  # a date typed as text and a note per row are unique; the rest repeat
MAX_ELEMENTS = 20_000  # in any other part: styles.xml with 100,000 formats took 3.4 s and 80 MB in openpyxl
_CHUNK = 64 * 1024
_SHEET = re.compile(r"^xl/(worksheets|chartsheets|dialogsheets|macrosheets)/[^/]+\.xml$", re.IGNORECASE)
_STRINGS = re.compile(r"^xl/sharedStrings[^/]*\.xml$", re.IGNORECASE)


# Broken XML, a bad CRC, an encrypted part or one packed in a way zipfile does not know.
_UNREADABLE = (expat.ExpatError, zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError, NotImplementedError)


class _TooMany(Exception):
    def __init__(self, error: ValidationError) -> None:
        self.error = error


def check_workbook(content: bytes, max_rows: int) -> None:
    """Refuse, with a message that says what to do, an .xlsx whose parts would take openpyxl too long or too much
    memory; max_rows is the import's row limit (the header not counted)."""
    if len(content) > MAX_FILE_BYTES:
        raise too_large(len(content))
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise not_a_workbook() from exc
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise _part_too_large(f"{len(parts)} parts")
        total = 0
        for part in parts:
            total += part.file_size
            if part.file_size > _limit(part.filename) or total > MAX_TOTAL_BYTES:
                raise _part_too_large(part.filename)
            if part.file_size > RATIO_FROM_BYTES and part.file_size > MAX_RATIO * max(part.compress_size, 1):
                raise _part_too_large(part.filename)
        for part in parts:
            if _is_xml(archive, part):  # by content, not name: openpyxl finds its parts by what the workbook says
                _count(archive, part, max_rows)


def too_large(size: int) -> ValidationError:
    return ValidationError(
        N_("The file is {size} MB; at most {max} MB can be imported. Split it into smaller files."),
        size=f"{size / 1024 / 1024:.1f}",
        max=MAX_FILE_BYTES // 1024 // 1024,
    )


def not_a_workbook() -> ValidationError:
    return ValidationError(N_("This file cannot be opened as an Excel workbook (.xlsx)."))


def _part_too_large(part: str) -> ValidationError:
    return ValidationError(
        N_(
            "This workbook is too large or too complex to import ({part}). Save the first sheet as CSV, or copy "
            "the rows into a new workbook, and import that."
        ),
        part=part,
    )


def too_many_rows(max_rows: int) -> ValidationError:
    return ValidationError(
        Np_(
            "The file has more than {max} row. Split it into smaller files.",
            "The file has more than {max} rows. Split it into smaller files.",
        ),
        max=max_rows,
    )


def _limit(name: str) -> int:
    if _SHEET.match(name):
        return MAX_SHEET_BYTES
    if _STRINGS.match(name):
        return MAX_STRINGS_BYTES
    return MAX_PART_BYTES


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]  # with or without a namespace or a prefix


def _is_xml(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> bool:
    try:
        with archive.open(part) as stream:
            start = stream.read(64)
    except _UNREADABLE as exc:
        raise not_a_workbook() from exc
    return start.startswith((b"\xff\xfe", b"\xfe\xff")) or start.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def _count(archive: zipfile.ZipFile, part: zipfile.ZipInfo, max_rows: int) -> None:
    """Stream one XML part through expat, counting what openpyxl would turn into objects; stop at the first limit."""
    name = part.filename
    sheet, strings = bool(_SHEET.match(name)), bool(_STRINGS.match(name))
    counts = {"rows": 0, "cells": 0, "strings": 0, "elements": 0}
    max_cells = MAX_CELLS_PER_ROW * (max_rows + 1)
    max_strings = MAX_SHARED_STRINGS_PER_ROW * (max_rows + 1)

    def start(tag: str, attributes: dict[str, str]) -> None:
        counts["elements"] += 1
        local = _local(tag)
        if sheet and local == "row":
            counts["rows"] += 1
            number = attributes.get("r", "")
            # openpyxl fills the rows a sheet skips: <row r="999999"> is that many rows.
            if counts["rows"] > max_rows + 1 or (number.isdigit() and int(number) > max_rows + 1):
                raise _TooMany(too_many_rows(max_rows))
        elif sheet and local == "c":
            counts["cells"] += 1
            if counts["cells"] > max_cells:
                raise _TooMany(_part_too_large(name))
        elif strings and local == "si":
            counts["strings"] += 1
            if counts["strings"] > max_strings:
                raise _TooMany(_part_too_large(name))
        elif not sheet and not strings and counts["elements"] > MAX_ELEMENTS:
            raise _TooMany(_part_too_large(name))

    def refuse_dtd(*_args: object) -> None:
        raise _TooMany(not_a_workbook())  # a workbook never has a DTD; entities could expand without bound

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _TooMany as stop:
        raise stop.error from None
    except _UNREADABLE as exc:
        raise not_a_workbook() from exc
