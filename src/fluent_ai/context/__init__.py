"""Files as context for a model: find them, read them, fit them to a token budget (layer 3).

    from fluent_ai.context import Directory, File, Files, build_context

    bundle = build_context(
        [File("README.md"), Files.glob("docs/**/*.md"), Directory("src", include="*.py")],
        budget_tokens=20_000,
    )
    prompt_context = bundle.render()  # <file path="README.md">…</file> blocks
    print(bundle.report())            # what went in, what was left out or cut, and why

Trees respect ``.gitignore`` files; text, Markdown and PDF files are read (PDF needs
``fluent-ai[context]``); binary, oversized and unreadable files are recorded in
``bundle.skipped`` with their reason, never dropped silently.
"""

from fluent_ai.context.budget import Overflow, abuild_context, build_context, fit
from fluent_ai.context.bundle import ContextBundle, render_document
from fluent_ai.context.document import ContextDocument, SkipKind, Skipped
from fluent_ai.context.errors import ContextOverflowError
from fluent_ai.context.reading import DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_TOTAL_BYTES
from fluent_ai.context.sources import ContextSource, Directory, File, Files

__all__ = [
    "DEFAULT_MAX_FILE_BYTES",
    "DEFAULT_MAX_TOTAL_BYTES",
    "ContextBundle",
    "ContextDocument",
    "ContextOverflowError",
    "ContextSource",
    "Directory",
    "File",
    "Files",
    "Overflow",
    "SkipKind",
    "Skipped",
    "abuild_context",
    "build_context",
    "fit",
    "render_document",
]
