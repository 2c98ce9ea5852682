"""PostgreSQL roles: migrations run as the role that owns the tables, the app and the worker as a role that owns
nothing and may only add to the money records. The owner (and a superuser) can alter, disable or drop the ledger's
triggers; a role that owns nothing cannot, so the triggers hold for the app, and the hash chain tells of the rest.

roles_sql is what `monitor db roles` prints (or applies); warnings is what the health check and the Security page
say when the app itself connects as the owner or a superuser.
"""

from __future__ import annotations

import re

from sqlalchemy import Engine

from monitor.i18n import N_
from monitor.people.access import Actor, require_admin

LEDGER = ("payments", "fund_entries")
SUPERUSER = N_(
    "The app connects to the database as a superuser ({role}): it could rewrite the money records unseen by the "
    "database. Run the app as a role that owns nothing (see `monitor db roles`)."
)
OWNER = N_(
    "The app connects to the database as the owner of the money records ({role}): it could alter or drop their "
    "protection. Run migrations as the owner and the app as a role that owns nothing (see `monitor db roles`)."
)
MAY_REWRITE = N_("The app's database role ({role}) may change or delete payments; only adding should be allowed.")
NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def warnings(engine: Engine) -> list[tuple[str, dict[str, str]]]:
    """(message, params) for each way the app's own role could rewrite the ledger; [] on SQLite and when all is
    well."""
    if engine.dialect.name != "postgresql":
        return []
    with engine.connect() as connection:
        role, superuser = connection.exec_driver_sql(
            "SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user"
        ).one()
        owns = connection.exec_driver_sql(
            "SELECT bool_or(pg_has_role(current_user, tableowner, 'USAGE')) FROM pg_tables "
            "WHERE schemaname = current_schema() AND tablename IN ('payments', 'fund_entries')"
        ).scalar()
        rewrites = connection.exec_driver_sql(
            "SELECT has_table_privilege('payments', 'UPDATE') OR has_table_privilege('payments', 'DELETE')"
        ).scalar()
    if superuser:
        return [(SUPERUSER, {"role": role})]
    if owns:
        return [(OWNER, {"role": role})]
    return [(MAY_REWRITE, {"role": role})] if rewrites else []


def warnings_for(engine: Engine, actor: Actor) -> list[tuple[str, dict[str, str]]]:
    """warnings, for the Security page: administrators only."""
    require_admin(actor)
    return warnings(engine)


def roles_sql(app_role: str, database: str, schema: str = "public") -> str:
    """The SQL, run by the owner, that makes app_role able to run the app and no more."""
    for name in (app_role, schema):
        if not NAME.match(name):
            raise ValueError(f"{name!r} is not a plain role or schema name (lower-case letters, digits, _)")
    quoted_db = '"' + database.replace('"', '""') + '"'
    ledger = ", ".join(f"{schema}.{table}" for table in LEDGER)
    return f"""-- Run as the owner of the tables (the role `monitor migrate` connects as), after every migration.
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{app_role}') THEN
    CREATE ROLE {app_role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
  END IF;
END $$;
GRANT CONNECT ON DATABASE {quoted_db} TO {app_role};
GRANT USAGE ON SCHEMA {schema} TO {app_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {app_role};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {app_role};
-- The money records: read and add, never change or remove (the triggers refuse it too; the hash chain tells).
REVOKE UPDATE, DELETE, TRUNCATE ON {ledger} FROM {app_role};
-- Tables a later migration adds get the same rights; run this again after it all the same (the ledger's REVOKE).
ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app_role};
ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES TO {app_role};
"""
