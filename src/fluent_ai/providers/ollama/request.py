"""An Ollama chat request body as a :class:`ChatRequest` (the gateway receives them).

Every field with a neutral meaning, at the top level or in ``options``, is read into it
when it reads back exactly (:func:`~fluent_ai.providers.fields.claim_fields`); everything
else stays in ``ChatRequest.extra`` as it came (``options`` holding what was not
claimed), so ``encode_request(decode_request(body))`` gives the body back. ``stream``
is left out: it is how the caller wants this call made, not part of what it asks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fluent_ai.providers.fields import claim_fields
from fluent_ai.providers.ollama.messages import read_messages
from fluent_ai.providers.ollama.options import FIELDS, OPTIONS
from fluent_ai.types import ChatRequest


def decode_request(body: Mapping[str, Any]) -> ChatRequest:
    rest = dict(body)
    rest.pop("stream", None)
    model, messages = rest.pop("model"), rest.pop("messages", [])
    if not isinstance(model, str) or not isinstance(messages, list):
        raise TypeError("an Ollama chat body needs a string 'model' and a list of 'messages'")
    history = read_messages(messages)
    claimed = claim_fields(FIELDS, rest)
    options = rest.get("options")
    if isinstance(options, Mapping):
        left = dict(options)
        claimed.update(claim_fields(OPTIONS, left))
        if left or not options:
            rest["options"] = left
        else:
            del rest["options"]
    return ChatRequest(model=model, messages=history, extra=rest, **claimed)
