"""docs/privacy.md stays true: every table and column of the models has an entry, and the map names no column that
is not there."""

from __future__ import annotations

import re

from db.models import Base
from monitor.config import PROJECT_ROOT
from monitor.privacy import export

DATA_MAP = PROJECT_ROOT / "docs" / "privacy.md"
HEADINGS = ("columns", "purpose", "who sees it", "retention key", "on removal", "in export")


def mapped() -> dict[str, set[str]]:
    """{table: columns named in the first cell of its rows} from the "### `table`" sections of the map."""
    tables: dict[str, set[str]] = {}
    current = None
    for line in DATA_MAP.read_text(encoding="utf-8").splitlines():
        heading = re.fullmatch(r"### `(\w+)`", line.strip())
        if heading:
            current = tables.setdefault(heading.group(1), set())
        elif line.startswith("## "):
            current = None
        elif current is not None and line.startswith("|") and not line.startswith("|---"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            if tuple(cells) == HEADINGS:
                continue
            assert len(cells) == len(HEADINGS) and all(cells), f"an incomplete row in docs/privacy.md: {line}"
            current.update(re.findall(r"`(\w+)`", cells[0]))
    return tables


def test_every_table_and_column_has_an_entry_in_the_data_map() -> None:
    tables = mapped()
    missing = [
        f"{table.name}.{column.name}"
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if column.name not in tables.get(table.name, set())
    ]
    assert missing == [], f"add these to docs/privacy.md (purpose, who sees it, retention, removal, export): {missing}"


def test_the_data_map_names_only_tables_and_columns_that_exist() -> None:
    models = {table.name: {column.name for column in table.columns} for table in Base.metadata.sorted_tables}
    extra = [
        f"{table}.{column}"
        for table, columns in mapped().items()
        for column in columns
        if column not in models.get(table, set())
    ]
    assert extra == []


def test_every_kind_in_the_export_is_a_sheet_with_headings() -> None:
    assert len({kind.key for kind in export.KINDS}) == len(export.KINDS)
    assert all(kind.columns for kind in export.KINDS)
