"""A :class:`ChatRequest` as the JSON body of ``POST /model/{modelId}/converse``.

Converse differs from the neutral request in a few ways this module settles:

* The model is not in the body but in the URL (see the protocol's ``path``).
* The system prompt is a top-level list of blocks: ``ChatRequest.system`` and the
  system messages that open the conversation become one text block each. Converse has
  no system turn inside the conversation, so a later system message is refused.
* Only ``user`` and ``assistant`` turns exist, and they must alternate: a ``tool``
  message becomes a user turn, and neighbouring turns of one role are joined (tool
  results and the user's next words travel together, as Bedrock wants them).
* ``metadata`` is sent as ``requestMetadata``, the tags Bedrock writes into its
  invocation logs (string values only). Bedrock has no ``seed``: asking for one raises.

``ChatRequest.extra`` is merged last (:func:`merge_extra`), so anything Converse offers
beyond the neutral fields (``additionalModelRequestFields`` such as Claude's
``thinking``, ``guardrailConfig``, ``performanceConfig``, ``promptVariables``, system
tools, ``cachePoint`` blocks in ``system``) can be set there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fluent_ai.providers.bedrock.blocks import encode_content
from fluent_ai.providers.bedrock.history import CONTENT_KEY, VerbatimContent
from fluent_ai.providers.bedrock.names import DocumentNames
from fluent_ai.providers.bedrock.options import (
    encode_inference,
    encode_output_config,
    encode_tool,
    encode_tool_choice,
)
from fluent_ai.types import ChatRequest, Message, UnsupportedFeatureError


def encode_request(request: ChatRequest) -> dict[str, Any]:
    if request.seed is not None:
        raise UnsupportedFeatureError("Bedrock Converse does not take a seed", provider="bedrock")
    system, messages = _split_system(request)
    body: dict[str, Any] = {
        "messages": _encode_messages(messages, request.extra.get(CONTENT_KEY, []))
    }
    if system:
        body["system"] = [{"text": text} for text in system]
    inference = encode_inference(request)
    if inference:
        body["inferenceConfig"] = inference
    tool_config: dict[str, Any] = {}
    if request.tools is not None:
        tool_config["tools"] = [encode_tool(tool) for tool in request.tools]
    if request.tool_choice is not None:
        tool_config["toolChoice"] = encode_tool_choice(request.tool_choice)
    if tool_config:
        body["toolConfig"] = tool_config
    if request.response_format is not None:
        output_config = encode_output_config(request.response_format)
        if output_config is not None:
            body["outputConfig"] = output_config
    if request.metadata is not None:
        body["requestMetadata"] = request.metadata
    merge_extra(body, request.extra)
    return body


def merge_extra(body: dict[str, Any], extra: Mapping[str, Any]) -> None:
    """Merge provider fields into ``body``, so they add to the neutral ones.

    An object merges into the object already there, its keys winning (a raw
    ``toolChoice`` over the neutral one, an ``inferenceConfig`` kept by the request
    decoder), except that ``toolConfig.tools`` are appended (system tools after the
    typed function tools); anything else is set as given. :data:`CONTENT_KEY` is not a
    wire field and is never merged.
    """
    for key, value in extra.items():
        if key == CONTENT_KEY:
            continue
        current = body.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            merged = {**current, **value}
            if key == "toolConfig" and "tools" in current and "tools" in value:
                merged["tools"] = [*current["tools"], *value["tools"]]
            body[key] = merged
        else:
            body[key] = value


def _split_system(request: ChatRequest) -> tuple[list[str], list[Message]]:
    """The system prompt's texts, and the conversation after its opening system messages."""
    messages = request.messages
    lead = 0
    while lead < len(messages) and messages[lead].role == "system":
        lead += 1
    late = next((i for i, m in enumerate(messages) if i >= lead and m.role == "system"), None)
    if late is not None:
        raise UnsupportedFeatureError(
            f"Bedrock Converse takes system prompts only before the conversation, but "
            f"message {late} is a system message after user or assistant turns",
            provider="bedrock",
        )
    texts = [] if request.system is None else [request.system]
    texts.extend(message.text for message in messages[:lead])
    return texts, messages[lead:]


def _encode_messages(messages: list[Message], contents: object) -> list[dict[str, Any]]:
    verbatim = VerbatimContent(contents)
    names = DocumentNames()
    wire: list[dict[str, Any]] = []
    for message in messages:
        content = verbatim.take(message.parts)
        if content is None:
            content = encode_content(message.parts, names)
        role = "assistant" if message.role == "assistant" else "user"
        if wire and wire[-1]["role"] == role:
            wire[-1]["content"] = [*wire[-1]["content"], *content]
        else:
            wire.append({"role": role, "content": content})
    return wire
