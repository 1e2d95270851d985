"""A Cohere v2 chat request body as a :class:`ChatRequest` (the gateway receives them).

Every top-level field with a neutral meaning is read into it when it reads back exactly
(:func:`~.options.claim_fields`); everything else stays in ``ChatRequest.extra`` as it
came, so ``encode_request(decode_request(body))`` gives the body back. ``strict_tools:
true`` beside tools is every tool's ``strict`` (the encoder writes it when they all ask
for it); without tools, or ``false``, it stays in ``extra``. ``stream`` is left out: it
is how the caller wants this call made, not part of what it asks. System messages keep
their place in the history.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fluent_ai.providers.cohere.messages import read_messages
from fluent_ai.providers.cohere.options import claim_fields
from fluent_ai.types import ChatRequest


def decode_request(body: Mapping[str, Any]) -> ChatRequest:
    rest = dict(body)
    rest.pop("stream", None)
    model, messages = rest.pop("model"), rest.pop("messages")
    if not isinstance(model, str) or not isinstance(messages, list):
        raise TypeError("a Cohere chat body needs a string 'model' and a list of 'messages'")
    history = read_messages(messages)
    claimed = claim_fields(rest)
    if rest.get("strict_tools") is True and claimed.get("tools"):
        del rest["strict_tools"]
        claimed["tools"] = [tool.model_copy(update={"strict": True}) for tool in claimed["tools"]]
    return ChatRequest(model=model, messages=history, extra=rest, **claimed)
