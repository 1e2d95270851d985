"""``/v1/messages/count_tokens``: the exact count where the answering model can give one.

A vendor with a counting endpoint (Anthropic, Gemini) or the local model's own tokenizer
counts a prompt exactly (:mod:`fluent_ai.providers.counting`); the answer then says
``x-fluent-ai-token-count: exact``. For a router, the count is its **first
deployment's** — the one a ``fallbacks`` router sends every call to while it is
healthy — and only where that is the model that answers: the strategy is
``fallbacks``, or every deployment serves the same model (two keys or regions of one
model count alike). The request is shaped as that deployment would get it (its model
name, its settings), so the count is of the prompt it would be sent.

Otherwise there is no one tokenizer to ask — the deployment is chosen per call, and
vendors count differently — and the answer is the engine's own estimate
(:func:`fluent_ai.engine.shape.needs`: about four characters a token, a fixed count per
image and document, a few tokens per message) plus the tools' definitions at the same
rate, marked ``x-fluent-ai-token-count: estimate``. It is the figure the router itself
uses to pick a deployment whose context fits.

A vendor's refusal (an unknown model, a rate limit) is the caller's answer, in
Anthropic's format: an exact count is not silently swapped for an estimate.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial

from fluent_ai.engine.observe import innermost
from fluent_ai.engine.router import Router
from fluent_ai.engine.shape import CHARS_PER_TOKEN, for_deployment, history_key, needs
from fluent_ai.providers.base import ChatModel
from fluent_ai.providers.counting import TokenCounter, token_counter
from fluent_ai.types import ChatRequest, FluentAIError

ESTIMATED = {"x-fluent-ai-token-count": "estimate"}
EXACT = {"x-fluent-ai-token-count": "exact"}


def estimated_tokens(request: ChatRequest) -> int:
    """The prompt's tokens as the router estimates them, tools included."""
    tools = sum(len(json.dumps(tool.model_dump(mode="json"))) for tool in request.tools or ())
    return needs(request).input_tokens + tools // CHARS_PER_TOKEN


@dataclass(frozen=True, slots=True)
class Counting:
    """Who counts a served model's prompts exactly, and the request as it gets it."""

    counter: TokenCounter
    deployment: str
    """The router's deployment that counts (empty for a model served as it is)."""
    shape: Callable[[ChatRequest], ChatRequest]

    async def count(self, request: ChatRequest) -> int:
        return await self.counter.count_tokens(self.shape(request))


class Counters:
    """The exact counter of each served model, or none, found once when the gateway starts.

    A router's deployments are private to it, so the counting deployment gets a model of
    its own here, built from the same deployment (its base URL, key variable, timeouts),
    which :meth:`aclose` closes; a deployment's given ``chat_model`` is used as it is.
    """

    def __init__(self, models: Mapping[str, ChatModel]) -> None:
        self._opened: list[ChatModel] = []
        self._found = {name: self._find(model) for name, model in models.items()}

    def get(self, name: str) -> Counting | None:
        return self._found.get(name)

    async def aclose(self) -> None:
        """Close the models opened for counting."""
        for model in self._opened:
            await model.aclose()
        self._opened.clear()

    def _find(self, served: ChatModel) -> Counting | None:
        model = innermost(served)
        if not isinstance(model, Router):
            counter = token_counter(model)
            return Counting(counter, "", _as_is) if counter is not None else None
        first, *rest = model.deployments
        same = all((d.provider, d.model_name) == (first.provider, first.model_name) for d in rest)
        if model.strategy != "fallbacks" and not same:
            return None
        try:
            opened = first.open()
        except FluentAIError:  # the router opened it, so this is a key unset since
            return None
        if first.chat_model is None:
            self._opened.append(opened)
        inner = innermost(opened)
        counter = token_counter(inner)
        if counter is None:
            return None
        fields, extra = first.request_settings()
        keep = history_key(inner, first.provider)
        shape = partial(
            for_deployment, model=first.model_name, fields=fields, extra=extra, keep=keep
        )
        return Counting(counter, first.name, shape)


def _as_is(request: ChatRequest) -> ChatRequest:
    return request
