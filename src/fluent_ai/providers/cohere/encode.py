"""A :class:`ChatRequest` as the JSON body of ``POST /v2/chat``.

The neutral fields are written by :mod:`.options` and the conversation by
:mod:`.messages`; ``ChatRequest.extra`` is merged last, as given, for everything Cohere
offers beyond them (``k``, ``thinking``, ``documents``, ``citation_options``,
``safety_mode``, ``frequency_penalty``, ``presence_penalty``, ``logprobs``, …).
``stream`` always says how this call is made; the caller's extra cannot override it.
"""

from __future__ import annotations

from typing import Any

from fluent_ai.providers.cohere.messages import encode_messages
from fluent_ai.providers.cohere.options import encode_fields
from fluent_ai.types import ChatRequest


def encode_request(request: ChatRequest, *, stream: bool) -> dict[str, Any]:
    body: dict[str, Any] = {"model": request.model, "messages": encode_messages(request)}
    body.update(encode_fields(request))
    body.update(request.extra)
    body["stream"] = stream
    return body
