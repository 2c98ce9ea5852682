"""Turns config.toml into Settings: reads the file (MONITOR_CONFIG, else config.toml) through pydantic-settings' TOML
source, lays the environment's overrides over it (MONITOR_DATABASE_URL, MONITOR_SMTP_PASSWORD), checks it all against
ConfigFile, and turns the first thing wrong into one line that names the key (ConfigError)."""

from __future__ import annotations

import dataclasses
import os
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, get_args, get_origin, get_type_hints

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, TomlConfigSettingsSource

from monitor.config.kinds import ConfigError, nearest, shown
from monitor.config.model import DEFAULT_CONFIG_PATH, Settings
from monitor.config.sections import ConfigFile

# The environment variables that override a key of the file (README "Configuration"); the others the monitor reads
# (MONITOR_CONFIG, MONITOR_SCHEDULER, MONITOR_NOTES_KEYS) are read where they are used.
OVERRIDES = {"MONITOR_DATABASE_URL": ("database", "url"), "MONITOR_SMTP_PASSWORD": ("email", "password")}
# Tables whose keys are names the organisation chooses (a team, a year): written in quotes in a key, like
# rules.off."Moerwijk" or allowances.limits."2026".per_hour.
FREE_NAMES = {"rules.off", "allowances.limits"}


class ConfigToml(TomlConfigSettingsSource):
    """The TOML file, which must exist and be valid; the e-mail password is never taken from it."""

    def __init__(self, settings_cls: type[BaseSettings], path: Path) -> None:
        source = str(path)
        if not path.is_file():
            raise ConfigError(source, "(file)", "does not exist or is not a file; set MONITOR_CONFIG to a config file")
        try:
            super().__init__(settings_cls, toml_file=path)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(source, "(syntax)", f"is not valid TOML: {exc}") from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(source, "(file)", f"cannot be read as a UTF-8 text file: {exc}") from exc


class EnvironmentOverrides(PydanticBaseSettingsSource):
    """MONITOR_DATABASE_URL over database.url (when not empty) and MONITOR_SMTP_PASSWORD as email.password."""

    def __init__(self, settings_cls: type[BaseSettings], env: dict[str, str]) -> None:
        super().__init__(settings_cls)
        self.env = env

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # __call__ gives the whole tree at once

    def __call__(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for variable, (section, key) in OVERRIDES.items():
            if self.env.get(variable):
                found.setdefault(section, {})[key] = self.env[variable]
        return found


def _laid_over(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _laid_over(merged[key], value)
        else:
            merged[key] = value
    return merged


def parse(data: dict[str, Any], source: str, env: dict[str, str] | None = None) -> Settings:
    """Turn parsed TOML into Settings; raises ConfigError naming the first wrong key."""
    env = dict(os.environ) if env is None else env
    email = data.get("email")
    if isinstance(email, dict) and "password" in email:
        raise ConfigError(source, "email.password", "must not be in the file; set MONITOR_SMTP_PASSWORD instead")
    merged = _laid_over(data, EnvironmentOverrides(ConfigFile, env)())
    try:
        checked = ConfigFile(**merged)
    except ValidationError as error:
        raise _explained(error, source, env) from None
    return checked.settings(source)


def load(path: str | Path | None = None, env: dict[str, str] | None = None) -> Settings:
    """Read the config file (MONITOR_CONFIG, else config.toml) and apply environment overrides."""
    env = dict(os.environ) if env is None else env
    file = Path(path or env.get("MONITOR_CONFIG") or DEFAULT_CONFIG_PATH)
    return parse(ConfigToml(ConfigFile, file)(), str(file), env)


@lru_cache(maxsize=1)
def _cached(path: str | None, config_env: str | None, url_env: str | None) -> Settings:
    return load(path)


def settings() -> Settings:
    """The settings of this process, read once per distinct environment."""
    return _cached(None, os.environ.get("MONITOR_CONFIG"), os.environ.get("MONITOR_DATABASE_URL"))


# --- what is wrong, in one line ----------------------------------------------------------------------------------


def _explained(error: ValidationError, source: str, env: dict[str, str]) -> ConfigError:
    detail = error.errors()[0]
    loc = tuple(detail["loc"])
    ctx = detail.get("ctx") or {}
    key = ctx.get("at") or _dotted(loc)
    kind = detail["type"]
    if kind == "config":
        problem = str(ctx.get("problem", detail["msg"]))
    elif kind in ("extra_forbidden", "unexpected_keyword_argument"):
        problem = _unknown(loc)
    elif kind in ("missing", "missing_argument", "missing_keyword_argument"):
        problem = "is missing"
    elif kind in ("dict_type", "model_type", "model_attributes_type", "dataclass_type", "dataclass_exact_type"):
        problem = f"must be a table ([{key}] in the file), got {shown(detail.get('input'))}"
    else:  # pydantic's own words, for what no kind rewords
        problem = f"is wrong: {detail['msg'][:1].lower()}{detail['msg'][1:]}, got {shown(detail.get('input'))}"
    if key == "database.url" and env.get("MONITOR_DATABASE_URL"):
        problem += " (it comes from MONITOR_DATABASE_URL)"
    return ConfigError(source, key, " ".join(problem.split()))


def _dotted(loc: tuple[Any, ...]) -> str:
    """The key as written in config.toml: list positions and pydantic's "[key]" marks left out, chosen names quoted."""
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int) or part == "[key]":
            continue
        parts.append(f'"{part}"' if ".".join(parts) in FREE_NAMES else str(part))
    return ".".join(parts)


def _unknown(loc: tuple[Any, ...]) -> str:
    """Why an unknown key or section is refused, with the nearest known name."""
    *where, name = loc
    known = list(_fields(_kind_at(tuple(where))))
    close = nearest(name, known)
    if not where:
        homes = [section for section in known if str(name) in _fields(_kind_at((section,)))]
        if homes:
            hint = f"write it under [{homes[0]}]"
        else:
            hint = f"did you mean [{close}]?" if close else f"the sections are {', '.join(known)}"
        return f"is not a section the monitor knows; {hint}"
    section = _dotted(tuple(where))
    hint = f"did you mean {close}?" if close else f"its keys are {', '.join(known)}"
    return f"is not a key of [{section}]; {hint}"


def _plain_type(kind: Any) -> Any:
    while get_origin(kind) is Annotated:
        kind = get_args(kind)[0]
    return kind


def _fields(kind: Any) -> dict[str, Any]:
    """The keys of a section (a pydantic model or a dataclass) and their types."""
    kind = _plain_type(kind)
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        return {name: info.annotation for name, info in kind.model_fields.items()}
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        hints = get_type_hints(kind)
        return {item.name: hints[item.name] for item in dataclasses.fields(kind)}
    return {}


def _kind_at(loc: tuple[Any, ...]) -> Any:
    """The type of the value at loc in ConfigFile."""
    kind: Any = ConfigFile
    for part in loc:
        kind = _plain_type(kind)
        kind = get_args(kind)[1] if get_origin(kind) is dict else _fields(kind).get(str(part))
    return kind


def _bounds(kind: Any, prefix: str) -> dict[str, float]:
    found: dict[str, float] = {}
    for name, hint in _annotated_fields(kind).items():
        key = f"{prefix}.{name}" if prefix else name
        plain = _plain_type(hint)
        if plain in (int, float):
            found[key] = plain(_upper(hint))
        elif _fields(plain):
            found |= _bounds(plain, key)
    return found


def _annotated_fields(kind: Any) -> dict[str, Any]:
    """Like _fields, with each type's Annotated bounds kept."""
    kind = _plain_type(kind)
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        return {
            name: Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
            for name, info in kind.model_fields.items()
        }
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        hints = get_type_hints(kind, include_extras=True)
        return {item.name: hints[item.name] for item in dataclasses.fields(kind)}
    return {}


def _upper(hint: Any) -> float:
    for meta in get_args(hint)[1:] if get_origin(hint) is Annotated else ():
        for bound in [meta, *getattr(meta, "metadata", [])]:
            for attribute in ("le", "lt"):
                if getattr(bound, attribute, None) is not None:
                    return float(getattr(bound, attribute))
    return float("inf")


# The largest value each number in config.toml may have, read from ConfigFile (issue 14: a port of 70000 or 1e9 hours
# a week were accepted, and then the mail or every evaluation failed).
MOST: dict[str, float] = _bounds(ConfigFile, "")
