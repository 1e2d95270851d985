"""The context a model gets: the documents that fit, rendered as tagged blocks.

Each document becomes one ``<file path="...">`` block. The path is escaped as an XML
attribute; the text is left exactly as it is in the file, because escaping it would
change the code or prose the model is asked to read.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from fluent_ai.context.document import ContextDocument, Skipped
from fluent_ai.templates.tokenizer import Tokenizer

SEPARATOR = "\n"
"""What goes between two file blocks in the rendered context."""


def render_document(document: ContextDocument) -> str:
    """One document as a ``<file>`` block; ``truncated="true"`` tells the model it was cut."""
    return opening_tag(document) + document.text + closing_tag(document)


def opening_tag(document: ContextDocument) -> str:
    """``<file path="...">`` and the newline after it."""
    truncated = ' truncated="true"' if document.truncated else ""
    return f'<file path="{escape(document.path, quote=True)}"{truncated}>\n'


def closing_tag(document: ContextDocument) -> str:
    """``</file>``, on a line of its own."""
    text = document.text
    return "</file>" if not text or text.endswith("\n") else "\n</file>"


def block_tokens(document: ContextDocument, tokenizer: Tokenizer) -> int:
    """What ``document`` costs in the rendered context: its text, its tags, a separator.

    The tags are counted on their own so the text is not tokenized a second time.
    """
    tags = tokenizer.count(opening_tag(document)) + tokenizer.count(closing_tag(document))
    return document.tokens + tags + tokenizer.count(SEPARATOR)


@dataclass(frozen=True, slots=True)
class ContextBundle:
    """Documents for a model's context, and the files left out or cut short.

    ``total_tokens`` is what the rendered documents cost, counted block by block;
    ``budget_tokens`` is the budget they were fitted to (``None``: no budget).
    """

    documents: tuple[ContextDocument, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    total_tokens: int = 0
    budget_tokens: int | None = None

    @property
    def failures(self) -> list[Skipped]:
        """The paths the caller named that could not be used (see :attr:`Skipped.named`)."""
        return [skipped for skipped in self.skipped if skipped.named]

    @property
    def paths(self) -> list[str]:
        """The paths of the documents included, in order."""
        return [document.path for document in self.documents]

    def render(self) -> str:
        """The context text: every document as a ``<file path="...">`` block."""
        return SEPARATOR.join(render_document(document) for document in self.documents)

    def report(self) -> str:
        """A few lines for a person: what was included, and what was left out or cut, and why."""
        count = len(self.documents)
        budget = "" if self.budget_tokens is None else f" of a {self.budget_tokens:,}-token budget"
        lines = [
            f"Context: {count} file{'' if count == 1 else 's'}, "
            f"{self.total_tokens:,} tokens{budget}."
        ]
        if self.skipped:
            lines.append(f"Left out or cut short ({len(self.skipped)}):")
            lines.extend(f"  - {skipped}" for skipped in self.skipped)
        return "\n".join(lines)
