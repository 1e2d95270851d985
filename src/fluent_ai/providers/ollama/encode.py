"""A :class:`ChatRequest` as the JSON body of ``POST /api/chat``.

The conversation is written by :mod:`.messages` and the other neutral fields by
:mod:`.options`; ``ChatRequest.extra`` is merged last, as given, for what Ollama offers
beyond them (``think``, ``keep_alive``, ``truncate``, ``logprobs``, …). Its ``options``
are merged into the neutral ones rather than replacing them, so
``extra={"options": {"num_ctx": 8192}}`` keeps the temperature. ``stream`` is always
written, since Ollama streams when it is left out; the caller's extra cannot override it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fluent_ai.providers.ollama.messages import encode_messages
from fluent_ai.providers.ollama.options import encode_fields, encode_options
from fluent_ai.types import ChatRequest, ConfigurationError


def encode_request(request: ChatRequest, *, stream: bool) -> dict[str, Any]:
    body: dict[str, Any] = {"model": request.model, "messages": encode_messages(request)}
    body.update(encode_fields(request))
    extra = dict(request.extra)
    options = encode_options(request)
    given = extra.pop("options", None)
    if given is not None:
        if not isinstance(given, Mapping):
            raise ConfigurationError(
                f"extra['options'] holds Ollama's model options as an object, not {given!r}"
            )
        options.update(given)
    if options or given is not None:
        body["options"] = options
    body.update(extra)
    body["stream"] = stream
    return body
