"""A :class:`ChatRequest` as the JSON body of ``POST /v1/chat/completions``.

Mistral's body looks like OpenAI's and differs in the details (:mod:`.options`,
:mod:`.messages`). Two matter for every call:

* Mistral rejects fields it does not know (HTTP 422, ``extra_forbidden``), OpenAI's
  ``stream_options`` included, so nothing is added beyond the neutral fields: a stream's
  usage comes in its last chunk without being asked for.
* ``ChatRequest.extra`` is merged last, as given, for everything Mistral offers beyond
  the neutral fields: ``safe_prompt``, ``prompt_mode`` (``"reasoning"`` for Magistral),
  ``reasoning_effort``, ``presence_penalty``, ``frequency_penalty``, ``n``,
  ``parallel_tool_calls``, ``prediction``, ``prompt_cache_key``, ``guardrails``, …

``stream`` always says how this call is made; the caller's extra cannot override it.
"""

from __future__ import annotations

from typing import Any

from fluent_ai.providers.mistral.messages import encode_messages
from fluent_ai.providers.mistral.options import encode_fields
from fluent_ai.types import ChatRequest


def encode_request(request: ChatRequest, *, stream: bool) -> dict[str, Any]:
    body: dict[str, Any] = {"model": request.model, "messages": encode_messages(request)}
    body.update(encode_fields(request))
    body.update(request.extra)
    body["stream"] = stream
    return body
