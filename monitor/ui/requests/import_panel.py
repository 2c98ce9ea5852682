"""Upload a CSV or Excel file of older requests: check every row first, then import all of them or none."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from db.models import Role
from monitor.config import Settings
from monitor.i18n import Np_, counted
from monitor.people.access import Actor
from monitor.requests import importing
from monitor.requests.tables import OPTIONAL, REQUIRED, column_names
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
        return
    content = uploaded.getvalue()
    check = importing.import_requests(engine(), settings, actor, uploaded.name, content, dry_run=True)
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
        report = importing.import_requests(engine(), settings, actor, uploaded.name, content)
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
