"""The CLI's config file: a default model, model aliases, default chat options and the
memory store.

It lives at ``config.toml`` in :func:`fluent_ai._dirs.config_dir` (so
``FLUENT_AI_CONFIG_DIR`` moves it) and looks like this::

    default_model = "openai/gpt-4o-mini"
    temperature = 0.7
    max_tokens = 800
    system_prompt = "Be terse."
    memory_store = "surrealkv://~/memories"   # the store fluent-ai memory uses

    [aliases]
    fast = "openai/gpt-4o-mini"

The CLI reads it for its defaults; a flag on the command line always wins. API keys
are refused, by name and by the look of the value: the file is plain text that people
copy between machines and paste into bug reports, while a key in the environment is
neither, so keys are read only from environment variables. Every problem is a
:class:`~fluent_ai.cli.errors.CLIError` naming the file and the setting.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fluent_ai._dirs import config_dir
from fluent_ai.cli.errors import CLIError
from fluent_ai.providers.catalog import DEFAULT_MODEL
from fluent_ai.types.errors import redact

FILE_NAME = "config.toml"
SCALARS: dict[str, type] = {
    "default_model": str,
    "temperature": float,
    "max_tokens": int,
    "system_prompt": str,
    "memory_store": str,
}
"""The settings besides ``aliases.NAME``, with the type each holds."""

KNOWN = f"{', '.join(SCALARS)}, aliases.NAME"
_SECRET_NAME = re.compile(r"(?i)(^|[_.-])(api[_-]?key|key|secret|token|password)s?$")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_HEADER = (
    "# fluent-ai settings: change them with `fluent-ai config set KEY VALUE`.\n"
    "# API keys do not belong here: they are read from environment variables.\n"
)


@dataclass(frozen=True)
class Settings:
    """What the config file sets; ``None`` where it sets nothing."""

    default_model: str | None = None
    temperature: float | None = None
    max_tokens: int | None = None
    system_prompt: str | None = None
    memory_store: str | None = None
    aliases: dict[str, str] = field(default_factory=dict)

    def model(self, chosen: str | None = None) -> str:
        """The model to use: ``chosen`` (a flag), else ``default_model``, else the
        built-in default; an alias becomes what it stands for (one level)."""
        name = chosen or self.default_model or DEFAULT_MODEL
        return self.aliases.get(name, name)


def config_path() -> Path:
    return config_dir() / FILE_NAME


def load() -> Settings:
    """The settings in the config file; all unset when there is no file."""
    path = config_path()
    return settings(read(path), path)


def read(path: Path) -> dict[str, Any]:
    """The file's table as it is written; empty when there is no file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise CLIError(
            f"cannot read the config file {path}: {exc}",
            hint="fix or delete the file (fluent-ai config path shows where it is)",
        ) from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CLIError(
            f"the config file {path} is not valid TOML: {exc}",
            hint="fix it by hand, or delete it and use fluent-ai config set",
        ) from exc


def settings(table: dict[str, Any], path: Path) -> Settings:
    """Check ``table`` (from ``path``) and turn it into :class:`Settings`."""
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key == "aliases":
            if not isinstance(value, dict):
                raise CLIError(f"{path}: aliases should be a table", hint=_ALIAS_EXAMPLE)
            for name, target in value.items():
                _check_value(f"aliases.{name}", target, str, path)
            values["aliases"] = dict(value)
            continue
        wanted = _scalar_type(key, f"{path}: ")
        values[key] = _check_value(key, value, wanted, path)
    return Settings(**values)


def write(table: dict[str, Any], path: Path) -> None:
    """Replace the file with ``table``, all at once (a crash leaves the old file)."""
    from fluent_ai.models.atomic import atomic_write

    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, to_toml(table).encode("utf-8"))


def parse(key: str) -> tuple[str, ...]:
    """The table path of ``key`` (``("aliases", "fast")`` or ``("temperature",)``),
    refusing unknown settings and API keys."""
    group, dot, name = key.partition(".")
    if group == "aliases" and dot:
        if not name or "/" in name:
            raise CLIError(
                f"alias name {name!r} is not allowed: it must be non-empty and have no '/'",
                hint=_ALIAS_EXAMPLE,
            )
        return ("aliases", name)
    _scalar_type(key, "")
    return (key,)


def value_of(key: str, text: str) -> Any:
    """``text`` from the command line as the value ``key`` holds, checked."""
    wanted = str if key.startswith("aliases.") else SCALARS[key]
    converted: Any = text
    if wanted is not str:
        try:
            converted = wanted(text)
        except ValueError as exc:
            kind = "a whole number" if wanted is int else "a number"
            raise CLIError(f"{key} must be {kind}, not {text!r}") from exc
    return _check_value(key, converted, wanted, None)


def to_toml(table: dict[str, Any]) -> str:
    """``table`` as TOML: the scalar settings, then an ``[aliases]`` table.

    Strings are written as JSON strings, which are TOML basic strings once DEL (which
    JSON leaves raw and TOML does not) is escaped too.
    """
    lines = [f"{key} = {_toml_value(value)}" for key, value in table.items() if key != "aliases"]
    aliases = table.get("aliases") or {}
    if aliases:
        lines.extend(["", "[aliases]"])
        lines.extend(f"{_toml_key(name)} = {_toml_value(value)}" for name, value in aliases.items())
    return _HEADER + "\n".join(lines) + "\n"


_ALIAS_EXAMPLE = "for example: fluent-ai config set aliases.fast openai/gpt-4o-mini"


def _scalar_type(key: str, where: str) -> type:
    if key in SCALARS:
        return SCALARS[key]
    if _SECRET_NAME.search(key):
        variable = key.upper() if key.lower().endswith("_api_key") else "OPENAI_API_KEY"
        raise CLIError(
            f"{where}{key!r} looks like an API key, and API keys are not kept in the config "
            "file (it is plain text on disk)",
            hint=f"set it in the environment instead, e.g. export {variable}=…",
        )
    raise CLIError(f"{where}unknown setting {key!r}", hint=f"known settings: {KNOWN}")


def _check_value(key: str, value: Any, wanted: type, path: Path | None) -> Any:
    where = f"{path}: " if path is not None else ""
    if wanted is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, wanted) or isinstance(value, bool):
        raise CLIError(f"{where}{key} should be {_NAMES[wanted]}, not {value!r}")
    if isinstance(value, str):
        if redact(value) != value:
            raise CLIError(
                f"{where}the value of {key} looks like an API key; API keys are not kept "
                "in the config file",
                hint="set the provider's key in the environment, e.g. OPENAI_API_KEY",
            )
        if not value.strip() and key != "system_prompt":
            raise CLIError(f"{where}{key} is empty", hint="unset it with fluent-ai config unset")
    elif isinstance(value, float) and (not math.isfinite(value) or value < 0):
        raise CLIError(f"{where}{key} must be a number 0 or above, not {value!r}")
    elif isinstance(value, int) and value < 1:
        raise CLIError(f"{where}{key} must be 1 or more, not {value!r}")
    return value


_NAMES = {str: "a string", float: "a number", int: "a whole number"}


def _toml_value(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    return repr(value)


def _toml_key(name: str) -> str:
    return name if _BARE_KEY.fullmatch(name) else _toml_value(name)
