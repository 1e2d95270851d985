"""``fluent-ai embed``: every non-empty line of some text files, as JSON lines of vectors.

One text per line, not one per file: embedding models read a few hundred tokens at
most (all-MiniLM-L6-v2 cuts off at 256), so a whole file would be truncated into one
vector of its opening. Lines are stripped of their line ending only; lines holding
nothing but whitespace are skipped. Each output line is ``{"text": …, "embedding":
[…]}``, in input order, written as each chunk of texts is done so memory stays flat.
Mount with ``app.command()(embed)``, or run :data:`app` on its own.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from fluent_ai.cli.inputs import read_file_text, stdin_text
from fluent_ai.embeddings import (
    DEFAULT_EMBEDDING_MODEL,
    EmbeddingModel,
    get_embedding_model,
)

CHUNK = 4096
"""Texts embedded (and written) per step: bounds memory, not batching, which is per vendor."""


class InputTypeChoice(StrEnum):
    """The values of :data:`~fluent_ai.embeddings.InputType`, as Typer needs an enum."""

    query = "query"
    document = "document"
    similarity = "similarity"
    classification = "classification"
    clustering = "clustering"


def embed(
    files: Annotated[
        list[Path],
        typer.Argument(metavar="FILE", help="Text files, one text per line; '-' reads stdin."),
    ],
    model: Annotated[
        str,
        typer.Option("-m", "--model", help="provider/model, e.g. openai/text-embedding-3-small"),
    ] = DEFAULT_EMBEDDING_MODEL,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write JSON lines here, not stdout.")
    ] = None,
    input_type: Annotated[
        InputTypeChoice | None,
        typer.Option("--input-type", help="What the texts are for (Cohere, Gemini, Voyage, Jina)."),
    ] = None,
    dimensions: Annotated[
        int | None, typer.Option("--dimensions", help="Shortened vectors, where supported.")
    ] = None,
    base_url: Annotated[
        str | None, typer.Option("--base-url", help="Endpoint for ollama or openai-compatible.")
    ] = None,
) -> None:
    """Embed each non-empty line of FILES and write {text, embedding} JSON lines."""
    texts = list(_read_lines(files))
    embedder = get_embedding_model(model, base_url=base_url, dimensions=dimensions)
    errors = Console(stderr=True)
    with _destination(output) as out:
        asyncio.run(_embed_all(embedder, texts, out, input_type, errors))
    where = f" to {output}" if output is not None else ""
    errors.print(f"embedded {len(texts)} lines with {embedder.provider}/{embedder.model}{where}")


app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
app.command()(embed)


async def _embed_all(
    embedder: EmbeddingModel,
    texts: Sequence[str],
    out: TextIO,
    input_type: InputTypeChoice | None,
    console: Console,
) -> None:
    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("embedding", total=len(texts))
        for start in range(0, len(texts), CHUNK):
            chunk = texts[start : start + CHUNK]

            def advance(done: int, total: int, offset: int = start) -> None:
                progress.update(task, completed=offset + done)

            result = await embedder.embed(
                chunk,
                input_type=None if input_type is None else input_type.value,
                on_progress=advance,
            )
            for text, vector in zip(chunk, result.vectors, strict=True):
                out.write(json.dumps({"text": text, "embedding": vector}, ensure_ascii=False))
                out.write("\n")


def _read_lines(files: Sequence[Path]) -> Iterator[str]:
    """The lines to embed; bytes that are not UTF-8 become U+FFFD, with a warning."""
    for path in files:
        if str(path) == "-":
            text = stdin_text()
        else:
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise typer.BadParameter(f"cannot read {path}: {exc}") from exc
            text = read_file_text(str(path), data)
        yield from (line for line in text.splitlines() if line.strip())


@contextmanager
def _destination(output: Path | None) -> Iterator[TextIO]:
    if output is None:
        yield sys.stdout
        return
    with output.open("w", encoding="utf-8") as handle:
        yield handle
