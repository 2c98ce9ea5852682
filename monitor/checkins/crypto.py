"""The keys that encrypt the counsellor's private notes and the WHO-5 answers (Fernet, with MultiFernet so that a key
can be rotated).

Keys are read, newest first, from the environment (MONITOR_NOTES_KEYS, comma-separated), else from
.streamlit/secrets.toml (notes_keys = ["...", "..."]), else from a key file (MONITOR_NOTES_KEY_FILE, default
data/notes.keys, one key a line) that `monitor demo` creates when no key is configured. The newest key encrypts;
every key decrypts, so after adding a new key in front old notes stay readable (`monitor rotate-notes` re-encrypts
them, and the WHO-5 answers, with the newest key, after which the old one can go).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from monitor.config import PROJECT_ROOT
from monitor.errors import UserError
from monitor.i18n import N_

ENV_KEYS = "MONITOR_NOTES_KEYS"
ENV_KEY_FILE = "MONITOR_NOTES_KEY_FILE"
SECRETS_FILE = PROJECT_ROOT / ".streamlit" / "secrets.toml"
DEFAULT_KEY_FILE = PROJECT_ROOT / "data" / "notes.keys"


class NotesKeyMissing(UserError):
    """No key is configured, so notes can be neither written nor read."""


class NotesKeyWrong(UserError):
    """A note was encrypted with a key that is no longer configured."""


def key_file(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    return Path(env.get(ENV_KEY_FILE) or DEFAULT_KEY_FILE)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]


def configured_keys(env: Mapping[str, str] | None = None, secrets_file: Path = SECRETS_FILE) -> list[str]:
    """The configured keys, newest first; empty when none is configured anywhere."""
    env = os.environ if env is None else env
    if env.get(ENV_KEYS, "").strip():
        return _split(env[ENV_KEYS])
    if secrets_file.exists():
        value = tomllib.loads(secrets_file.read_text(encoding="utf-8")).get("notes_keys")
        if isinstance(value, str) and value.strip():
            return _split(value)
        if isinstance(value, list) and value:
            return [str(key).strip() for key in value if str(key).strip()]
    path = key_file(env)
    if path.exists():
        lines = path.read_text(encoding="utf-8").splitlines()
        return _split("\n".join(line for line in lines if not line.lstrip().startswith("#")))
    return []


def cipher(keys: list[str] | None = None) -> MultiFernet:
    """A MultiFernet over keys (default: the configured ones); refuses clearly when there is none or one is bad."""
    keys = configured_keys() if keys is None else keys
    if not keys:
        raise NotesKeyMissing(
            N_(
                "No key for the counsellor's notes is set. Set MONITOR_NOTES_KEYS (see the README, "
                "'Check-ins'), or run `monitor demo` on a test machine."
            )
        )
    try:
        return MultiFernet([Fernet(key.encode("ascii")) for key in keys])
    except (ValueError, UnicodeEncodeError) as error:
        raise NotesKeyMissing(
            N_("A key in MONITOR_NOTES_KEYS is not a Fernet key. Make one with `monitor notes-key`.")
        ) from error


def encrypt(text: str, keys: list[str] | None = None) -> str:
    return cipher(keys).encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str, keys: list[str] | None = None) -> str:
    try:
        return cipher(keys).decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as error:
        raise NotesKeyWrong(
            N_("This note was written with a key that is no longer set. Put the old key back in MONITOR_NOTES_KEYS.")
        ) from error


def rotate(token: str, keys: list[str] | None = None) -> str:
    """The token re-encrypted with the newest key (MultiFernet.rotate)."""
    return cipher(keys).rotate(token.encode("ascii")).decode("ascii")


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")


def ensure_demo_key(env: Mapping[str, str] | None = None, secrets_file: Path = SECRETS_FILE) -> Path | None:
    """Write a fresh key file when no key is configured (for the demo and tests); the file written, or None."""
    if configured_keys(env, secrets_file):
        return None
    path = key_file(env)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "# Key for the counsellor's notes, made by `monitor demo`. For real use set MONITOR_NOTES_KEYS instead.\n"
        + new_key()
        + "\n",
        encoding="utf-8",
    )
    path.chmod(0o600)
    return path
