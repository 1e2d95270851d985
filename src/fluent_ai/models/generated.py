"""The generated data modules: writing one, and reading them back without importing them.

Each provider gets one module, ``<provider>.py``, holding two constants, ``PROVIDER`` and
``MODELS`` (a tuple of :class:`Entry` dict literals). The text is a pure function of the
entries and already in ``ruff format`` style, so rendering unchanged data gives the same
bytes. Reading goes through :mod:`ast` and :func:`ast.literal_eval` rather than import:
a damaged file cannot run code or poison ``sys.modules``, and it is reported as a
:class:`GeneratedDataError` so the caller can regenerate.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, cast

from fluent_ai.models.entry import ENTRY_FIELDS, FLAG_FIELDS, INT_FIELDS, PRICE_FIELDS, Entry
from fluent_ai.models.errors import GeneratedDataError
from fluent_ai.models.info import MODEL_KINDS

CATALOGUE_NAMES: Final[dict[str, str]] = {
    "aichat": "aichat's model catalogue",
    "litellm": "LiteLLM's model catalogue",
}


def package_init(source: str) -> str:
    """The ``__init__.py`` of a directory of ``source``'s generated modules."""
    return f'''"""Model data generated from {_described(source)}, one module per provider.

Rewritten by ``fluent-ai models sync``; the registry reads a module the first time a
model of its provider is asked for.
"""
'''


_HEADER = '''"""The models of provider ``{provider}``, generated from {catalogue}.

Do not edit: ``fluent-ai models sync`` rewrites this file when the catalogue changes.
"""

from fluent_ai.models.entry import Entry

PROVIDER = {provider_literal}

'''


def _described(source: str) -> str:
    return CATALOGUE_NAMES.get(source, f"the {source} catalogue")


def module_name(provider: str) -> str:
    """The file a provider's data lives in."""
    return f"{provider}.py"


def render_module(provider: str, entries: Iterable[Entry], source: str = "aichat") -> str:
    """The source of ``provider``'s data module from ``source``; equal entries give
    equal text."""
    header = _HEADER.format(
        provider=provider, catalogue=_described(source), provider_literal=_literal(provider)
    )
    body = "".join(_render_entry(entry) for entry in entries)
    if not body:
        return f"{header}MODELS: tuple[Entry, ...] = ()\n"
    return f"{header}MODELS: tuple[Entry, ...] = (\n{body})\n"


def _render_entry(entry: Entry) -> str:
    values = cast(dict[str, object], entry)
    lines = [
        f"        {_literal(key)}: {_literal(values[key])},\n"
        for key in ENTRY_FIELDS
        if key in values
    ]
    return "    {\n" + "".join(lines) + "    },\n"


def _literal(value: object) -> str:
    if isinstance(value, str):
        return _string(value)
    return repr(value)


def _string(value: str) -> str:
    """A string literal quoted the way ``ruff format`` quotes it.

    Double quotes, unless single ones need fewer escapes; printable characters as they
    are, everything else (controls, lone surrogates) as Python's own escapes.
    """
    quote = "'" if value.count('"') > value.count("'") else '"'
    return quote + "".join(_escape(char, quote) for char in value) + quote


def _escape(char: str, quote: str) -> str:
    if char in (quote, "\\"):
        return "\\" + char
    return char if char.isprintable() else repr(char)[1:-1]


@dataclass
class GeneratedData:
    """What a directory of generated modules holds, and what is wrong with it.

    ``problems`` maps each file that could not be read, or does not fit the others, to
    what is wrong with it; any problem means the directory cannot be trusted for an
    incremental update.
    """

    providers: dict[str, tuple[Entry, ...]] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)


def read_directory(directory: Path) -> GeneratedData:
    """Read every generated module in ``directory`` (a missing directory is empty)."""
    data = GeneratedData()
    if not directory.is_dir():
        return data
    for path in sorted(directory.glob("*.py")):
        if path.name == "__init__.py":
            continue
        try:
            provider, entries = read_module(path.read_text(encoding="utf-8"), path.name)
        except (OSError, UnicodeDecodeError, GeneratedDataError) as exc:
            data.problems[path.name] = str(exc)
            continue
        if path.name == module_name(provider):
            data.providers[provider] = entries
        else:
            data.problems[path.name] = f"holds the models of provider {provider!r}"
    return data


def read_module(source: str, filename: str = "<generated>") -> tuple[str, tuple[Entry, ...]]:
    """The ``PROVIDER`` and ``MODELS`` of a generated module's source."""
    try:
        tree = ast.parse(source, filename)
    except (SyntaxError, ValueError) as exc:
        raise GeneratedDataError(f"not valid Python: {exc}") from exc
    constants: dict[str, object] = {}
    for node in tree.body:
        target, value = _assignment(node)
        if target in ("PROVIDER", "MODELS") and value is not None:
            try:
                constants[target] = ast.literal_eval(value)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError) as exc:
                raise GeneratedDataError(f"{target} is not a literal: {exc}") from exc
    provider = constants.get("PROVIDER")
    models = constants.get("MODELS")
    if not isinstance(provider, str) or not provider:
        raise GeneratedDataError("no PROVIDER string")
    if not isinstance(models, tuple):
        raise GeneratedDataError("no MODELS tuple")
    return provider, tuple(_checked_entry(item) for item in models)


def _assignment(node: ast.stmt) -> tuple[str | None, ast.expr | None]:
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        target = node.targets[0]
        return (target.id if isinstance(target, ast.Name) else None), node.value
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return node.target.id, node.value
    return None, None


def _checked_entry(item: object) -> Entry:
    if not isinstance(item, dict) or not isinstance(item.get("name"), str):
        raise GeneratedDataError(f"model {item!r} has no name")
    for key, value in item.items():
        if not _valid(key, value):
            raise GeneratedDataError(f"model {item['name']!r}: bad field {key!r}: {value!r}")
    return cast(Entry, item)


def _valid(key: object, value: object) -> bool:
    if key not in ENTRY_FIELDS:
        return False
    if key in INT_FIELDS:
        return type(value) is int and value >= 0
    if key in PRICE_FIELDS:
        return type(value) is float and value >= 0
    if key in FLAG_FIELDS:
        return type(value) is bool
    if key == "kind":
        return value in MODEL_KINDS and value != "chat"
    return isinstance(value, str) and bool(value)
