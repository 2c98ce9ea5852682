"""People: sign-in, sessions and passwords, people and teams, and who may do what (the Actor and its checks).

Owns the accounts, roles, sign-in attempts and sessions. Uses only the shared kernel (config, errors, i18n) and db;
every other capability asks this package who is asking.
"""
