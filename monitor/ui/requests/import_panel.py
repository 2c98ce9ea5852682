"""Upload a CSV or Excel file of older requests: check every row first, then import all of them or none."""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any

import pandas as pd
import streamlit as st

from db.models import Role
from monitor.config import Settings
from monitor.errors import ValidationError
from monitor.i18n import Np_, counted
from monitor.people.access import Actor
from monitor.requests import importing
from monitor.requests.tables import OPTIONAL, REQUIRED, Cell, column_names, read_table
from monitor.ui import workload_cache
from monitor.ui.context import engine
from monitor.ui.failure import show_error


def show_report(report: importing.ImportReport, _: Callable[[str], str]) -> None:
    if report.file_error is not None:
        show_error(report.file_error, _)
        return
    if report.problems:
        st.error(
            counted(
                _,
                Np_(
                    "{count} problem in the file. Nothing was imported. Fix it and try again.",
                    "{count} problems in the file. Nothing was imported. Fix these rows and try again.",
                ),
                len(report.problems),
            ).format(count=len(report.problems))
        )
        table = pd.DataFrame(
            [(p.row, p.column, p.error.render(_)) for p in report.problems],
            columns=[_("Row"), _("Column"), _("What is wrong")],
        )
        st.dataframe(table, hide_index=True, width="stretch")


Table = list[dict[str, Cell]]


def read_once(
    state: MutableMapping[str, Any], key: str, file_id: str, name: str, content: Callable[[], bytes]
) -> tuple[Table | None, ValidationError | None]:
    """The rows of the uploaded file, read once per upload and kept in the session (state) for the dry run, the
    reruns and the import: reading a large workbook is the slow part, checking its rows is not."""
    kept = state.get(key)
    if kept is None or kept[0] != file_id:
        try:
            kept = (file_id, read_table(name, content()), None)
        except ValidationError as error:
            kept = (file_id, None, error)
        state[key] = kept
    return kept[1], kept[2]


def import_panel(_: Callable[[str], str], actor: Actor, settings: Settings, key: str) -> None:
    st.caption(
        _("Columns: {required}; optional: {optional}. Times in local time, e.g. 2026-03-14 21:30.").format(
            required=", ".join(column_names(REQUIRED, actor.language)),
            optional=", ".join(column_names(OPTIONAL, actor.language)),
        )
    )
    # Streamlit writes its own button and size line in English (docs/woordenlijst.md); the help says it in words.
    uploaded = st.file_uploader(
        _("CSV or Excel file"),
        type=["csv", "xlsx"],
        key=f"{key}-file",
        help=_("Choose a CSV or Excel file of at most 200 MB."),
    )
    if uploaded is None:
        st.session_state.pop(f"{key}-rows", None)  # let go of the rows of a file taken away
        return
    table, file_error = read_once(st.session_state, f"{key}-rows", uploaded.file_id, uploaded.name, uploaded.getvalue)
    if table is None:
        show_report(importing.ImportReport(dry_run=True, file_error=file_error), _)
        return
    check = importing.import_table(engine(), settings, actor, table, dry_run=True)
    if not check.ok:
        show_report(check, _)
        return
    if check.rows == 0:
        st.warning(_("The file has no rows below the column names."))
        return
    st.success(
        counted(_, Np_("The {count} row is good.", "All {count} rows are good."), check.rows).format(count=check.rows)
    )
    if st.button(
        counted(_, Np_("Import {count} request", "Import {count} requests"), check.rows).format(count=check.rows),
        type="primary",
        key=f"{key}-go",
    ):
        report = importing.import_table(engine(), settings, actor, table)
        if report.ok:
            workload_cache.changed(
                actor.person_id if not actor.teams_with(Role.LEADER) else None,
                actor.teams_with(Role.LEADER) | actor.teams_with(Role.COPRODUCER),
            )
            st.success(_("Imported: {count}.").format(count=report.imported))
            if report.skipped_duplicates:
                st.info(
                    _("{count} were already there and were not imported again.").format(count=report.skipped_duplicates)
                )
        else:
            show_report(report, _)
