"""The team a leader's page is about: their only team, or the one they pick when they lead several."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from db.models import Role
from monitor.people.access import Actor
from monitor.people.teams import TeamView, my_teams
from monitor.ui.context import engine


def led_teams(actor: Actor) -> list[TeamView]:
    """The teams actor leads (my_teams also holds teams where they are only the counsellor)."""
    return [t for t in my_teams(engine(), actor) if actor.has_role(Role.LEADER, t.id)]


def choose_team(actor: Actor, _: Callable[[str], str]) -> TeamView:
    teams = led_teams(actor)
    if len(teams) == 1:
        return teams[0]
    return st.selectbox(_("Team"), teams, format_func=lambda t: t.name)
