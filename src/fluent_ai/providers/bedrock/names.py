"""Document names Bedrock accepts.

Every Converse document needs a name, the model sees it, and Bedrock is strict about
it: only letters, digits, single spaces, hyphens, parentheses and square brackets, and
no two documents of one request (the whole conversation, since Converse is stateless)
may share a name. A file name such as ``report.final.pdf`` breaks the first rule and an
unnamed document has none, so names are tidied and, where they collide, numbered.
"""

from __future__ import annotations

import re

_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")
_NOT_ALLOWED = re.compile(r"[^A-Za-z0-9\s\-()\[\]]+")
_SPACES = re.compile(r"\s+")

DEFAULT_NAME = "Document"


def clean_name(name: str) -> str:
    """``name`` with its file extension dropped (the ``format`` field says it) and
    every run of characters Bedrock refuses turned into one hyphen."""
    tidy = _NOT_ALLOWED.sub("-", _EXTENSION.sub("", name))
    return _SPACES.sub(" ", tidy).strip()


class DocumentNames:
    """Hands out the document names of one request: tidy, and each used once."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def claim(self, wanted: str | None) -> str:
        """A name for the next document: ``wanted`` tidied, ``Document`` when it has none,
        with `` (2)``, `` (3)``, … added when an earlier document already took it."""
        base = clean_name(wanted or "") or DEFAULT_NAME
        name, count = base, 1
        while name.lower() in self._taken:
            count += 1
            name = f"{base} ({count})"
        self._taken.add(name.lower())
        return name
