"""monitor.people.passwords: argon2id hashes with the library's real parameters, and the rule for a new password."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from monitor.errors import ValidationError
from monitor.people.passwords import MIN_LENGTH, check_new_password, hash_password, needs_rehash, verify_password

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def stored() -> str:
    return hash_password(PASSWORD)


def test_a_hash_is_argon2id(stored: str) -> None:
    assert stored.startswith("$argon2id$")


def test_a_hash_does_not_contain_the_password(stored: str) -> None:
    assert PASSWORD not in stored


def test_the_same_password_hashes_differently_each_time(stored: str) -> None:
    assert hash_password(PASSWORD) != stored


def test_the_right_password_verifies(stored: str) -> None:
    assert verify_password(stored, PASSWORD) is True


def test_a_wrong_password_does_not_verify(stored: str) -> None:
    assert verify_password(stored, "correct horse battery staple") is False
    assert verify_password(stored, PASSWORD.upper()) is False
    assert verify_password(stored, "") is False


@pytest.mark.parametrize(
    "bad_hash",
    ["not a hash", "$argon2id$", "$argon2id$v=19$m=65536,t=3,p=4$garbage", "$2b$12$abcdefghijklmnopqrstuv"],
    ids=["text", "prefix-only", "broken-argon2", "bcrypt"],
)
def test_a_wrong_hash_string_verifies_nothing(bad_hash: str) -> None:
    assert verify_password(bad_hash, PASSWORD) is False


def test_no_hash_verifies_nothing() -> None:
    assert verify_password(None, PASSWORD) is False


def test_no_hash_verifies_nothing_not_even_the_dummy_password() -> None:
    assert verify_password(None, "no account has this password") is False


def test_an_empty_hash_verifies_nothing_not_even_the_dummy_password() -> None:
    assert verify_password("", "no account has this password") is False


def test_a_fresh_hash_needs_no_rehash(stored: str) -> None:
    assert needs_rehash(stored) is False


def test_a_hash_with_weaker_parameters_needs_a_rehash() -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)

    assert needs_rehash(weak) is True
    assert verify_password(weak, PASSWORD) is True


def test_a_too_short_password_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        hash_password("x" * (MIN_LENGTH - 1))

    assert caught.value.params == {"n": MIN_LENGTH}
    assert str(MIN_LENGTH) in str(caught.value)


def test_a_password_of_exactly_the_minimum_length_is_accepted() -> None:
    check_new_password("kwtr-9vbnz"[:MIN_LENGTH])


def test_a_too_long_password_is_refused() -> None:
    check_new_password(("kwtr-9vbnz " * 30)[:256])
    with pytest.raises(ValidationError) as caught:
        check_new_password("x" * 257)

    assert caught.value.params == {"n": 256}


def test_the_message_of_a_refused_password_can_be_translated() -> None:
    with pytest.raises(ValidationError) as caught:
        check_new_password("short")

    dutch = {caught.value.message: "Een wachtwoord heeft minstens {n} tekens nodig."}

    assert caught.value.render(lambda message: dutch.get(message, message)) == (
        "Een wachtwoord heeft minstens 10 tekens nodig."
    )


def test_a_long_unicode_password_round_trips() -> None:
    password = "zeeën en wolkenkrabbers 🌊"

    assert verify_password(hash_password(password), password) is True
