"""`monitor init` and `monitor user ...`: the first administrator, and adding, listing, disabling, unlocking,
removing and exporting accounts."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from db.models import Role
from monitor.cli import common
from monitor.cli.common import CliError
from monitor.config import settings
from monitor.people import accounts as people
from monitor.people import auth
from monitor.people.access import SYSTEM
from monitor.privacy import export as privacy_export
from monitor.privacy import removal


def cmd_init(args: argparse.Namespace) -> None:
    engine = common.engine()
    common.migrate(engine)
    if any(Role.ADMIN in {r for _t, r in p.roles} for p in people.list_people(engine, SYSTEM)):
        print("The database is up to date; an administrator already exists.")
        return
    password = common.read_password(args, f"Password for {args.username}: ")
    team_id = people.team_id_by_name(engine, args.team) or people.create_team(engine, SYSTEM, args.team)
    person_id = people.create_person(engine, SYSTEM, args.username, args.name, password, args.language)
    people.grant_role(engine, SYSTEM, person_id, team_id, Role.ADMIN)
    print(f"Created administrator {args.username} in team {args.team}. Sign in with it to add people.")


def cmd_user_add(args: argparse.Namespace) -> None:
    engine = common.engine()
    team_id = None
    if args.role:
        if not args.team:
            raise CliError("A role is held in a team: add --team NAME (see the teams in the admin page).")
        team_id = people.team_id_by_name(engine, args.team)
        if team_id is None:
            raise CliError(f"There is no team called {args.team!r}: give an existing team with --team.")
    password = None if args.no_password else common.read_password(args)
    person_id = people.create_person(engine, SYSTEM, args.username, args.name, password, args.language, args.email)
    for role in args.role or []:
        people.grant_role(engine, SYSTEM, person_id, team_id, Role(role))
    print(f"Added {args.username}.")


def cmd_user_list(_args: argparse.Namespace) -> None:
    rows = people.list_people(common.engine(), SYSTEM)
    print(f"{'username':<16} {'active':<7} {'name':<28} roles")
    for p in rows:
        roles = "; ".join(f"{r.value}@{team}" for team, r in p.roles) or "-"
        print(f"{p.username:<16} {'yes' if p.active else 'no':<7} {p.display_name:<28} {roles}")


def cmd_user_disable(args: argparse.Namespace) -> None:
    engine = common.engine()
    people.set_active(engine, SYSTEM, common.account_id(engine, args.username), False)
    print(f"Disabled {args.username}; their sessions have ended.")


def cmd_user_enable(args: argparse.Namespace) -> None:
    engine = common.engine()
    people.set_active(engine, SYSTEM, common.account_id(engine, args.username), True)
    print(f"Enabled {args.username}.")


def cmd_user_password(args: argparse.Namespace) -> None:
    engine = common.engine()
    person_id = common.account_id(engine, args.username)
    people.set_password(engine, SYSTEM, person_id, common.read_password(args, f"New password for {args.username}: "))
    print(f"Password set for {args.username}; their sessions have ended.")


def removal_summary(plan: removal.RemovalPlan) -> str:
    """What `monitor user remove` will do, in the words of the admin page's confirmation."""
    kept = (
        f"- {plan.payments} payment record(s) are kept with the name {plan.display_name!r} for the fiscal retention "
        "period (7 years after the year paid); then the retention job removes the name.\n"
        if plan.keeps_name
        else ""
    )
    return (
        f"Removing {plan.username} ({plan.display_name}):\n"
        "- deleted: sign-in, e-mail address, sessions, agreements, alerts, inbox, notes on requests, "
        f"{plan.checkins} check-in(s) with the counsellor's notes, {plan.wellbeing_answers} WHO-5 answer(s), "
        "trainings and allowance agreements;\n"
        f"- {plan.requests} request(s) stay only as anonymous counts for the team, without name or note;\n"
        f"{kept}This cannot be undone."
    )


def cmd_user_remove(args: argparse.Namespace) -> None:
    engine = common.engine()
    person_id = common.account_id(engine, args.username)
    plan = removal.plan(engine, SYSTEM, person_id)
    print(removal_summary(plan))
    if not args.yes:
        if not sys.stdin.isatty():
            raise CliError("No terminal to confirm on: pass --yes to remove without asking.")
        if input(f"Type {args.username} to remove them: ").strip() != args.username:
            raise CliError("Not confirmed. Nothing was changed.")
    removal.remove_person(engine, SYSTEM, person_id)
    print(f"Removed {args.username}.")


def cmd_user_export(args: argparse.Namespace) -> None:
    engine = common.engine()
    content = privacy_export.export_zip(engine, SYSTEM, settings(), person_id=common.account_id(engine, args.username))
    Path(args.output).write_bytes(content)
    print(f"Wrote all data held about {args.username} to {args.output}.")


def cmd_user_unlock(args: argparse.Namespace) -> None:
    cleared = auth.unlock(common.engine(), SYSTEM, args.username, "cli")
    # The same answer whether or not the name exists: the attempts are kept per typed name.
    print(f"Cleared {cleared} failed sign-in(s) for {args.username}; it can sign in again at once.")


def add_init(sub: argparse._SubParsersAction) -> None:
    """`monitor init`."""
    init = sub.add_parser("init", help="apply migrations and create the first administrator")
    init.add_argument("--username", default="admin")
    init.add_argument("--name", default="Administrator")
    init.add_argument("--team", default="Beheer", help="team the administrator belongs to (created if missing)")
    init.add_argument("--language", default="nl", choices=people.LANGUAGES)
    init.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    init.set_defaults(func=cmd_init)


def add_user(sub: argparse._SubParsersAction) -> None:
    """`monitor user add|list|disable|enable|unlock|remove|export|password`."""
    user = sub.add_parser("user", help="manage accounts").add_subparsers(dest="user_command", required=True)
    add = user.add_parser("add", help="add an account")
    add.add_argument("username")
    add.add_argument("--name", required=True, help="name to show")
    add.add_argument("--team", help="team for the roles")
    add.add_argument("--role", action="append", choices=[r.value for r in Role], help="may be repeated")
    add.add_argument("--language", default="nl", choices=people.LANGUAGES)
    add.add_argument("--email")
    add.add_argument("--password-stdin", action="store_true")
    add.add_argument("--no-password", action="store_true", help="signs in only through the identity provider")
    add.set_defaults(func=cmd_user_add)
    user.add_parser("list", help="list accounts").set_defaults(func=cmd_user_list)
    for name, func, text in (
        ("disable", cmd_user_disable, "disable an account and end its sessions"),
        ("enable", cmd_user_enable, "enable a disabled account"),
        ("unlock", cmd_user_unlock, "clear an account's failed sign-ins, so that it is no longer slowed down"),
    ):
        cmd = user.add_parser(name, help=text)
        cmd.add_argument("username")
        cmd.set_defaults(func=func)
    remove = user.add_parser("remove", help="remove someone who leaves (erasure; payments are kept 7 years)")
    remove.add_argument("username")
    remove.add_argument("--yes", action="store_true", help="do not ask to confirm")
    remove.set_defaults(func=cmd_user_remove)
    user_export = user.add_parser("export", help="write all data held about someone to a zip (xlsx and json)")
    user_export.add_argument("username")
    user_export.add_argument("-o", "--output", required=True)
    user_export.set_defaults(func=cmd_user_export)
    password = user.add_parser("password", help="set an account's password (ends its sessions)")
    password.add_argument("username")
    password.add_argument("--password-stdin", action="store_true")
    password.set_defaults(func=cmd_user_password)
