"""Password hashing with argon2id, and the rule a new password must meet."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from monitor.errors import ValidationError
from monitor.i18n import N_

MIN_LENGTH = 10
_hasher = PasswordHasher()  # argon2id with the library's recommended parameters

# Verified against when the username is unknown, so that a wrong name takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("no account has this password")


def hash_password(password: str) -> str:
    check_new_password(password)
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def check_new_password(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise ValidationError(
            N_("A password needs at least {n} characters. A short sentence is easy to remember."), n=MIN_LENGTH
        )
    if len(password) > 256:
        raise ValidationError(N_("A password can have at most {n} characters."), n=256)
