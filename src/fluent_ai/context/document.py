"""What context sources produce: documents to show the model, and what was left out.

Nothing a source finds disappears without a trace: a file it cannot or will not use
becomes a :class:`Skipped` record with a reason a person can read, so a missing file in
the model's context is always explained in :meth:`ContextBundle.report`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

SkipKind = Literal[
    "ignored",
    "unreadable",
    "too_large",
    "total_limit",
    "binary",
    "undecodable",
    "pdf_encrypted",
    "pdf_broken",
    "pdf_no_text",
    "missing_dependency",
    "duplicate",
    "truncated",
    "dropped",
]
"""Why a file is missing from the context, or only partly there.

``ignored`` (a source rooted in a directory .gitignore excludes), ``unreadable`` (the
file system refused), ``too_large`` / ``total_limit`` (a size limit), ``binary`` /
``undecodable`` (not UTF-8 text), ``pdf_encrypted`` / ``pdf_broken`` / ``pdf_no_text``,
``missing_dependency`` (pypdf is not installed), ``duplicate`` (an earlier source has
the same path), ``truncated`` / ``dropped`` (the token budget ran out).
"""


@dataclass(frozen=True, slots=True)
class ContextDocument:
    """One file's text, ready to put in front of a model.

    ``path`` is what the model is shown: relative to the source's root, with ``/``
    separators. ``tokens`` counts ``text`` alone; the tags around it in the rendered
    context cost a few more. ``truncated`` marks text cut short to fit a budget.
    """

    path: str
    text: str
    tokens: int
    truncated: bool = False


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file left out of the context, or cut short (``kind="truncated"``), and why.

    ``named`` marks a path the caller named itself: a :class:`~fluent_ai.context.File`,
    or the directory a :class:`~fluent_ai.context.Directory` or a glob starts from.
    Leaving one of those out is a mistake to report (a typo, a file not there yet), not
    a filter at work the way a binary file met in a tree is, so the agent builder
    refuses to build over it (:attr:`ContextBundle.failures`).
    """

    path: str
    kind: SkipKind
    reason: str
    named: bool = False

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class Unusable(Exception):
    """A file that cannot become context text; ``kind`` and ``reason`` go into a Skipped."""

    def __init__(self, kind: SkipKind, reason: str) -> None:
        self.kind: SkipKind = kind
        self.reason = reason
        super().__init__(reason)
