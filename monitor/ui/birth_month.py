"""A coproducer's month of birth, for their project leader or an administrator: what is known, and a small form.

The month is enough: whether they are under 18 (no requests between 23:00 and 06:00) or under 21 (the lower tax-free
allowance per hour) follows from it (monitor.people.age). Other coproducers never see it.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from monitor.errors import UserError
from monitor.i18n import Np_, counted, format_date
from monitor.people import age
from monitor.people.access import Actor
from monitor.ui.context import engine, translator
from monitor.ui.failure import show_error
from monitor.ui.text import plain

MONTHS = tuple(range(1, 13))


def _known(born: date | None, today: date, name: str, _, lang: str) -> str:  # type: ignore[no-untyped-def]
    if born is None:
        return _("The age of {name} is not known.").format(name=name)
    return counted(
        _,
        Np_("{name} was born in {month}: {age} year old.", "{name} was born in {month}: {age} years old."),
        age.age_on(born, today),
    ).format(name=name, month=format_date(born, lang, "MMMM yyyy"), age=age.age_on(born, today))


def birth_month_form(actor: Actor, person_id: int, name: str, today: date) -> None:
    """The person's month of birth, folded away, with a form to set or change it."""
    _ = translator(actor)
    lang = actor.language
    born = age.birth_month(engine(), actor, person_id)
    with st.expander(_("Age"), icon=":material/cake:"):
        st.caption(
            _("Month and year are enough. Under 18: no requests between 23:00 and 06:00. Under 21: a lower allowance.")
        )
        with st.form(f"birth-month-{person_id}", border=False):
            row = st.container(horizontal=True)
            month = row.selectbox(
                _("Month of birth"),
                MONTHS,
                index=born.month - 1 if born else None,
                format_func=lambda m: format_date(date(2000, m, 1), lang, "MMMM"),
                width=180,
            )
            year = row.number_input(
                _("Year of birth"),
                min_value=today.year - age.OLDEST,
                max_value=today.year,
                value=born.year if born else None,
                step=1,
                width=160,
            )
            if st.form_submit_button(_("Save the month of birth"), icon=":material/save:"):
                if month is None or year is None:
                    st.error(_("Choose a month and a year."))
                else:
                    try:
                        born = age.set_birth_month(engine(), actor, person_id, date(int(year), int(month), 1), today)
                    except UserError as error:
                        show_error(error, _)
                    else:
                        st.success(_("The month of birth of {name} was saved.").format(name=plain(name)))
        st.write(_known(born, today, plain(name), _, lang))
