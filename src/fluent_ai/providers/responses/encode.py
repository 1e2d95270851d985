"""A :class:`ChatRequest` as the JSON body of ``POST /responses``.

Neutral fields and their wire names: ``system`` is ``instructions``, ``messages`` are
``input`` items (:mod:`.items`, with :mod:`.history` for verbatim items), ``max_tokens``
is ``max_output_tokens``, ``response_format`` is ``text.format`` (:mod:`.options`);
``temperature``, ``top_p``, ``tools``, ``tool_choice`` and ``metadata`` keep their
names. The Responses API has no ``seed`` and no stop sequences: asking for either raises
rather than being dropped.

``ChatRequest.extra`` is merged last (:func:`merge_extra`), so everything else the API
offers (``reasoning``, ``include``, ``previous_response_id``, ``store``,
``parallel_tool_calls``, ``truncation``, built-in ``tools``, OpenRouter's ``provider``,
…) is set there. Two requests are refused before they are sent:

* ``background`` without streaming: the answer does not exist yet when the call
  returns, and must be polled with ``GET /responses/{id}``, which a chat translator
  does not do (a streamed background response is read like any other);
* ``previous_response_id`` or ``conversation`` on a vendor whose Responses API stores
  nothing (:attr:`Quirks.stateful <.quirks.Quirks.stateful>`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fluent_ai.providers.responses.content import Wire
from fluent_ai.providers.responses.history import ITEMS_KEY, VerbatimItems
from fluent_ai.providers.responses.items import encode_message
from fluent_ai.providers.responses.options import (
    TOOLS_KEY,
    encode_format,
    encode_tool_choice,
    encode_tools,
    read_tools,
)
from fluent_ai.providers.responses.quirks import Quirks
from fluent_ai.types import ChatRequest, ConfigurationError, Message, UnsupportedFeatureError

_NOT_WIRE = frozenset({ITEMS_KEY, TOOLS_KEY, "tools"})
_STATE_FIELDS = ("previous_response_id", "conversation")


def encode_request(
    request: ChatRequest, quirks: Quirks, *, provider: str, stream: bool
) -> dict[str, Any]:
    if request.seed is not None:
        raise UnsupportedFeatureError("the Responses API takes no seed", provider=provider)
    if request.stop is not None:
        raise UnsupportedFeatureError("the Responses API has no stop sequences", provider=provider)
    body: dict[str, Any] = {"model": request.model}
    if request.system is not None:
        body["instructions"] = request.system
    if request.messages:
        body["input"] = encode_input(request.messages, request.extra, provider=provider)
    if request.temperature is not None:
        body["temperature"] = request.temperature
    if request.top_p is not None:
        body["top_p"] = request.top_p
    if request.max_tokens is not None:
        body["max_output_tokens"] = request.max_tokens
    if request.metadata is not None:
        body["metadata"] = dict(request.metadata)
    tools = _tools(request, provider=provider)
    if tools is not None:
        body["tools"] = tools
    if request.tool_choice is not None:
        body["tool_choice"] = encode_tool_choice(request.tool_choice, provider=provider)
    if request.response_format is not None:
        body["text"] = {"format": encode_format(request.response_format, provider=provider)}
    merge_extra(body, request.extra)
    body["stream"] = stream
    _check(body, quirks, provider=provider, stream=stream)
    return body


def encode_input(messages: list[Message], extra: Mapping[str, Any], *, provider: str) -> list[Wire]:
    """The ``input`` items: each message's verbatim items where it has them, else its parts."""
    verbatim = VerbatimItems(extra.get(ITEMS_KEY, []), provider=provider)
    items: list[Wire] = []
    for message in messages:
        kept = verbatim.take(message)
        items.extend(kept if kept is not None else encode_message(message, provider=provider))
    return items


def merge_extra(body: dict[str, Any], extra: Mapping[str, Any]) -> None:
    """Merge provider fields into ``body``, so they add to the neutral ones.

    An object merges into the object already there, its keys winning (``text``'s
    ``verbosity`` beside the format); anything else is set as given. ``tools`` were
    already placed after the function tools; the history keys are not wire fields.
    """
    for key, value in extra.items():
        if key in _NOT_WIRE:
            continue
        current = body.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            body[key] = {**current, **value}
        else:
            body[key] = value


def _tools(request: ChatRequest, *, provider: str) -> list[Any] | None:
    raw = request.extra.get("tools")
    if raw is not None and not isinstance(raw, list):
        raise ConfigurationError("extra['tools'] must be a list of tools", provider=provider)
    spelled = request.extra.get(TOOLS_KEY)
    if isinstance(spelled, list) and read_tools(spelled) == (request.tools or [], raw or []):
        return spelled
    return encode_tools(request.tools, raw)


def _check(body: Mapping[str, Any], quirks: Quirks, *, provider: str, stream: bool) -> None:
    if body.get("background") and not stream:
        raise UnsupportedFeatureError(
            "a background response is polled with GET /responses/{id}, which this translator "
            "does not do: stream the request instead",
            provider=provider,
        )
    if quirks.stateful:
        return
    for field in _STATE_FIELDS:
        if body.get(field) is not None:
            raise UnsupportedFeatureError(
                f"{provider}'s Responses API is stateless and cannot continue a stored "
                f"response ({field}): send the whole conversation instead",
                provider=provider,
            )
