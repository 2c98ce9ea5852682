"""The two privacy panels: "My data" on the Account page, and removing a person on the admin page."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from monitor.errors import UserError
from monitor.people.access import Actor
from monitor.privacy import export, removal
from monitor.ui import saved
from monitor.ui.context import current_settings, engine
from monitor.ui.downloads import prepared
from monitor.ui.failure import show_error
from monitor.ui.text import plain

PREPARED = "my-data-zip"


def my_data(actor: Actor, _: Callable[[str], str]) -> None:
    """Download everything held about me. Preparing it is one deliberate tap, because each download is recorded."""
    st.header(_("My data"))
    st.write(
        _(
            "Download everything this app keeps about you. You get an Excel file with a sheet per kind of data. "
            "You also get a JSON file. The counsellor's private notes are not in it. Ask your counsellor if you "
            "want to read them."
        )
    )
    if st.button(_("Prepare my data"), icon=":material/download:"):
        try:
            st.session_state[PREPARED] = prepared(actor, export.export_zip(engine(), actor, current_settings()))
        except UserError as error:
            show_error(error, _)
    if st.session_state.get(PREPARED):
        st.download_button(
            _("Download my data (zip)"),
            data=st.session_state[PREPARED],
            file_name="my-data.zip",
            mime="application/zip",
            type="primary",
        )


def remove_person(actor: Actor, person_id: int, _: Callable[[str], str]) -> bool:
    """Say exactly what removing the person does, ask to confirm, then remove. True when removed."""
    try:
        plan = removal.plan(engine(), actor, person_id)
    except UserError as error:
        show_error(error, _, st.caption)
        return False
    st.subheader(_("Remove {name}").format(name=plain(plan.display_name, one_line=True)))
    lines = [
        _("Deleted: sign-in, e-mail address, agreements, alerts, inbox, trainings and allowance agreements."),
        _("Deleted: check-ins with the counsellor's notes ({checkins}) and WHO-5 answers ({answers}).").format(
            checkins=plan.checkins, answers=plan.wellbeing_answers
        ),
        _("Kept without name or note: requests ({requests}), as anonymous counts for the team.").format(
            requests=plan.requests
        ),
    ]
    if plan.keeps_name:
        lines.append(
            _(
                "Kept with the name: payment records ({payments}), for the bookkeeping, until 7 years after the "
                "year paid; then the name is removed."
            ).format(payments=plan.payments)
        )
    st.markdown("\n".join(f"- {line}" for line in lines))
    confirm = st.checkbox(
        _("Yes, remove {name}. This cannot be undone.").format(name=plain(plan.display_name, one_line=True)),
        key=f"remove-{person_id}",
    )
    if st.button(_("Remove person"), disabled=not confirm, type="primary", key=f"remove-button-{person_id}"):
        try:
            removal.remove_person(engine(), actor, person_id)
        except UserError as error:
            show_error(error, _)
            return False
        saved.remember("account", _("{name} is removed.").format(name=plain(plan.display_name, one_line=True)))
        return True
    return False
