"""My data: everything held about one person, as one zip with an Excel workbook (a sheet per kind, headings in their
language) and the same as JSON (the right of access and of portability).

Only rows that are about the person are read, and of other people only the counsellor's name on a check-in (who
planned it). The counsellor's private notes are left out unless the counsellor released one (monitor/checkins/notes.py:
release_note): professional confidentiality. Each download is written to the audit trail.

What each kind is (its sheet, headings and reader) is the table in kinds.py; readers.py reads each kind, files.py
writes the JSON and the workbook, and download.py checks who is asking, collects and zips.
"""

from monitor.privacy.export.download import EXPORTED, collect, export_zip
from monitor.privacy.export.files import to_json, to_xlsx
from monitor.privacy.export.kinds import KINDS, Kind
from monitor.privacy.export.readers import Row

__all__ = ["EXPORTED", "KINDS", "Kind", "Row", "collect", "export_zip", "to_json", "to_xlsx"]
