"""A conversation held by the CLI: the model, the settings and the history so far."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from fluent_ai.providers.base import ChatModel
from fluent_ai.providers.catalog import chat_model, split_model
from fluent_ai.types import (
    ChatRequest,
    ChatResponse,
    Message,
    StreamAccumulator,
    TextDelta,
)


@dataclass
class ChatSession:
    model: str
    system: str | None = None
    temperature: float | None = None
    max_tokens: int | None = None
    base_url: str | None = None
    history: list[Message] = field(default_factory=list)
    _model: ChatModel | None = None

    def _chat_model(self) -> ChatModel:
        if self._model is None:
            self._model = chat_model(self.model, base_url=self.base_url)
        return self._model

    def use_model(self, spec: str) -> None:
        split_model(spec)
        self.model, self._model = spec, None

    def _request(self, text: str) -> ChatRequest:
        return ChatRequest(
            model=split_model(self.model)[1],
            messages=[*self.history, Message.user(text)],
            system=self.system,
            temperature=self.temperature,
            max_tokens=self.max_tokens,
        )

    async def stream_text(self, text: str) -> AsyncIterator[str]:
        """Stream the answer's text; the exchange joins the history once it completes."""
        model = self._chat_model()
        acc = StreamAccumulator()
        async for event in model.stream(self._request(text)):
            acc.add(event)
            if isinstance(event, TextDelta):
                yield event.text
        self.history += [Message.user(text), acc.message()]

    async def send(self, text: str) -> ChatResponse:
        response = await self._chat_model().complete(self._request(text))
        self.history += [Message.user(text), response.message]
        return response
