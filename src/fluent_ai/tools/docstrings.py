"""Read a tool's description and its parameters' descriptions from a docstring.

A model chooses tools and fills in their arguments from the descriptions alone, so
the text people already write in docstrings is sent along with the schema. The three
common styles are understood:

Google::

    Args:
        city (str): The city to look up,
            continued on an indented line.

reST / Sphinx::

    :param city: The city to look up.
    :param str units: Metric or imperial.

NumPy::

    Parameters
    ----------
    city : str
        The city to look up.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field

_GOOGLE_HEADER = re.compile(
    r"^(Args|Arguments|Parameters|Params|Keyword Args|Keyword Arguments|Other Parameters):\s*$"
)
_GOOGLE_ENTRY = re.compile(r"^\*{0,2}(\w+)\s*(?:\([^)]*\))?\s*:\s*(.*)$")
_REST_ENTRY = re.compile(
    r"^:(?:param|parameter|arg|argument|key|keyword)\s+(?:[^:]*\s)?\*{0,2}(\w+)\s*:\s*(.*)$"
)
_REST_FIELD = re.compile(r"^:\w+")
_NUMPY_HEADERS = frozenset({"Parameters", "Other Parameters", "Keyword Arguments"})
_NUMPY_UNDERLINE = re.compile(r"^-{3,}\s*$")
_NUMPY_ENTRY = re.compile(r"^(\*{0,2}\w+(?:\s*,\s*\*{0,2}\w+)*)\s*(?::.*)?$")


@dataclass(frozen=True)
class Docstring:
    """What a docstring says: its first paragraph and one description per parameter."""

    summary: str = ""
    parameters: dict[str, str] = field(default_factory=dict)


def parse_docstring(text: str | None) -> Docstring:
    """Split a docstring into its summary paragraph and its parameter descriptions."""
    if not text:
        return Docstring()
    lines = inspect.cleandoc(text).splitlines()
    parameters: dict[str, str] = {}
    parameters.update(_numpy_parameters(lines))
    parameters.update(_google_parameters(lines))
    parameters.update(_rest_parameters(lines))
    return Docstring(summary=_summary(lines), parameters=parameters)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _join(parts: list[str]) -> str:
    return " ".join(part.strip() for part in parts if part.strip())


def _summary(lines: list[str]) -> str:
    """The first paragraph, stopping early at a section a parser would claim."""
    paragraph: list[str] = []
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or _GOOGLE_HEADER.match(stripped) or _REST_FIELD.match(stripped):
            break
        if index + 1 < len(lines) and _NUMPY_UNDERLINE.match(lines[index + 1].strip()):
            break
        paragraph.append(stripped)
    return _join(paragraph)


def _google_parameters(lines: list[str]) -> dict[str, str]:
    """Entries of ``Args:`` style sections: ``name (type): text`` plus deeper-indented lines."""
    found: dict[str, str] = {}
    index = 0
    while index < len(lines):
        header = lines[index]
        index += 1
        if not _GOOGLE_HEADER.match(header.strip()):
            continue
        entry_indent: int | None = None
        name: str | None = None
        text: list[str] = []
        while index < len(lines):
            line = lines[index]
            if line.strip():
                indent = _indent(line)
                if indent <= _indent(header):
                    break
                if entry_indent is None:
                    entry_indent = indent
                match = _GOOGLE_ENTRY.match(line.strip()) if indent == entry_indent else None
                if match:
                    if name:
                        found[name] = _join(text)
                    name, text = match.group(1), [match.group(2)]
                elif indent > entry_indent:
                    text.append(line)
            index += 1
        if name:
            found[name] = _join(text)
    return found


def _rest_parameters(lines: list[str]) -> dict[str, str]:
    """``:param name: text`` fields, continued on lines indented under them."""
    found: dict[str, str] = {}
    name: str | None = None
    text: list[str] = []
    for line in lines:
        stripped = line.strip()
        match = _REST_ENTRY.match(stripped)
        if match or _REST_FIELD.match(stripped) or not stripped or not _indent(line):
            if name:
                found[name] = _join(text)
            name, text = None, []
        if match:
            name, text = match.group(1), [match.group(2)]
        elif name:
            text.append(stripped)
    if name:
        found[name] = _join(text)
    return found


def _numpy_parameters(lines: list[str]) -> dict[str, str]:
    """``Parameters`` sections underlined with dashes: ``name : type`` then indented text."""
    found: dict[str, str] = {}
    index = 0
    while index + 1 < len(lines):
        is_header = lines[index].strip() in _NUMPY_HEADERS and _NUMPY_UNDERLINE.match(
            lines[index + 1].strip()
        )
        index += 1
        if not is_header:
            continue
        index += 1
        base = _indent(lines[index - 2])
        names: list[str] = []
        text: list[str] = []
        while index < len(lines):
            line = lines[index]
            next_line = lines[index + 1] if index + 1 < len(lines) else ""
            if line.strip() and _NUMPY_UNDERLINE.match(next_line.strip()):
                break
            match = _NUMPY_ENTRY.match(line.strip()) if _indent(line) == base else None
            if line.strip() and match:
                found.update(dict.fromkeys(names, _join(text)))
                names = [name.strip().lstrip("*") for name in match.group(1).split(",")]
                text = []
            elif _indent(line) > base:
                text.append(line)
            index += 1
        found.update(dict.fromkeys(names, _join(text)))
    return found
