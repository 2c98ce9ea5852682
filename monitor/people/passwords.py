"""Password hashing with argon2id, and the rule a new password must meet (ASVS V6, NIST 800-63B).

No composition rules: at least 10 characters, not a common or easily guessed password (zxcvbn ships a list of 30,000
common passwords and recognises keyboard rows, repeats and dates offline), not one common Dutch word, name or place
with digits, a year or signs around it (zxcvbn knows English; wordfreq's Dutch list fills the gap: Welkom01!!,
Zomer2026!, Amsterdam2026), and not containing the username, the person's name or the app's name.
"""

from __future__ import annotations

import functools
import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from wordfreq import top_n_list
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
# The most frequent Dutch words in wordfreq (subtitles, Wikipedia, news, the web): everyday words, first names, cities
# and clubs (welkom 650th, amsterdam 335th, fatima 17,094th, schiedam 7,494th). 50,000 keeps rarer words and
# long passphrases allowed; loading it takes about 0.1 s, once.
DUTCH_WORDS = 50_000
# What people add to a word to pass composition rules: digits (a year, 01, 123) and signs, before or after it.
_NOT_LETTERS = re.compile(r"[^a-zà-ÿ]+")
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


@functools.cache
def _dutch_words() -> frozenset[str]:
    return frozenset(top_n_list("nl", DUTCH_WORDS))


def common_word_in(password: str) -> str | None:
    """The common Dutch word a password is made of once digits, years and signs are taken away, or None.

    "Welkom01!!" is "welkom", "Zomer2026!" is "zomer", "2026Amsterdam" is "amsterdam": each among the first guesses of
    anyone who tries Dutch words with the usual additions. A sentence ("fiets in de regen 7") is not one word.
    """
    core = _NOT_LETTERS.sub("", password.lower())
    return core if len(core) >= MIN_PART and core in _dutch_words() else None


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
    if (word := common_word_in(password)) is not None:
        raise ValidationError(
            N_(
                'This password is the common word "{word}" with numbers or signs added. Such passwords are guessed '
                "first. Try a few words that you can remember, like a short sentence."
            ),
            word=word,
        )
