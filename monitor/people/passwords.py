"""Password hashing with argon2id, and the rule a new password must meet (ASVS V6, NIST 800-63B).

No composition rules: at least 10 characters, not a common or easily guessed password (zxcvbn ships a list of 30,000
common passwords and recognises keyboard rows, repeats and dates offline), and not containing the username, the
person's name or the app's name.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from monitor.errors import ValidationError
from monitor.i18n import N_

MIN_LENGTH = 10
# zxcvbn scores 0-4; 0 and 1 are "too guessable" (found in its common-password list, a keyboard row, a repeat).
MIN_SCORE = 2
# Words no password may contain: the app's own names, in both languages.
APP_WORDS = ("monitor", "coproducer", "coproducent")
# Parts of a name shorter than this are too common to refuse ("de", "van").
MIN_PART = 3
# zxcvbn takes time that grows with length; its verdict on the first 64 characters is enough.
SCORED_LENGTH = 64
_hasher = PasswordHasher()  # argon2id with the library's recommended parameters

# Verified against when the username is unknown, so that a wrong name takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("no account has this password")


def hash_password(password: str, personal: tuple[str, ...] = ()) -> str:
    """The hash of a new password, after checking it against the rule (personal: username and name)."""
    check_new_password(password, personal)
    return _hasher.hash(password)


def rehash(password: str) -> str:
    """A new hash of a password already in use (stronger parameters); the rule is not applied again."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def _personal_parts(personal: tuple[str, ...]) -> set[str]:
    parts = set(APP_WORDS)
    for value in personal:
        value = (value or "").strip().lower()
        if len(value) >= MIN_PART:
            parts.add(value)
        parts.update(word for word in value.replace("-", " ").replace(".", " ").split() if len(word) >= MIN_PART)
    return parts


def check_new_password(password: str, personal: tuple[str, ...] = ()) -> None:
    """Refuse a password that is too short, too long, common, or made of the person's own names; say why."""
    if len(password) < MIN_LENGTH:
        raise ValidationError(
            N_("A password needs at least {n} characters. A short sentence is easy to remember."), n=MIN_LENGTH
        )
    if len(password) > 256:
        raise ValidationError(N_("A password can have at most {n} characters."), n=256)
    lowered = password.lower()
    if any(part in lowered for part in _personal_parts(personal)):
        raise ValidationError(
            N_("A password may not contain your username, your name or the name of this app. Choose something else.")
        )
    if zxcvbn(password[:SCORED_LENGTH], user_inputs=list(personal))["score"] < MIN_SCORE:
        raise ValidationError(
            N_(
                "This password is too common or too easy to guess (like 1234567890 or qwertyuiop). "
                "Try a few words that you can remember."
            )
        )
