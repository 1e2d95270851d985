"""What a request needs from a deployment, read once per call, and the request each one gets.

The estimate of a prompt's tokens decides the context-window fallback and the cost
strategy's ranking before anything is sent, so it has to be cheap (it runs on every
routed call): about four characters per token for text, flat amounts for images and
binary documents (the figures :mod:`fluent_ai.chat.tokens` uses), no tokenizer. It is an
estimate; a provider that still refuses the prompt as too long sends the request on to
a deployment with a larger window (:mod:`fluent_ai.engine.failover`).

Moving a conversation to another wire protocol drops the provider-only history of the
others (:data:`~fluent_ai.providers.history.HISTORY_KEYS`): Anthropic's verbatim blocks
mean nothing to OpenAI, which would reject them as unknown fields. Each deployment
keeps the one key its own protocol reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fluent_ai.providers.history import HISTORY_KEYS
from fluent_ai.types import (
    ChatRequest,
    ConfigurationError,
    DocumentPart,
    ImagePart,
    TextPart,
    ThinkingPart,
    ToolCallPart,
    ToolResultPart,
)

CHARS_PER_TOKEN = 4
MESSAGE_OVERHEAD = 4
IMAGE_TOKENS = 1_600
LOW_DETAIL_IMAGE_TOKENS = 85
DOCUMENT_TOKENS = 3_000

PROTOCOL_HISTORY = {
    "anthropic": "anthropic_content",
    "openai-responses": "responses_items",
    "bedrock": "bedrock_content",
    "gemini": "gemini_contents",
}
"""The history key each wire protocol reads (by ``ChatProtocol.name``)."""

PROVIDER_PROTOCOL = {
    "anthropic": "anthropic",
    "bedrock": "bedrock",
    "google": "gemini",
    "google-vertex": "gemini",
    "openai-responses": "openai-responses",
    "openrouter-responses": "openai-responses",
    "deepseek-responses": "openai-responses",
}
"""A provider's protocol, for a model that does not say (one wrapped by another model)."""

TAGS_CONTROL = "fluent_ai.tags"
"""``ChatRequest.metadata`` key naming the tags a call routes to, for callers that cannot
pass ``tags=`` (an agent, the gateway); taken out before the request goes upstream."""

REQUEST_FIELDS = frozenset(ChatRequest.model_fields) - {"model", "messages", "extra"}


@dataclass(frozen=True, slots=True)
class Needs:
    """What one request asks of a deployment."""

    input_tokens: int
    output_tokens: int | None
    images: bool
    tools: bool


def needs(request: ChatRequest) -> Needs:
    """The request's estimated prompt size and the capabilities it uses."""
    chars = len(request.system or "")
    tokens = 0
    images = False
    for message in request.messages:
        tokens += MESSAGE_OVERHEAD
        for part in message.parts:
            if isinstance(part, TextPart | ThinkingPart):
                chars += len(part.text)
            elif isinstance(part, ToolResultPart):
                chars += len(part.content)
            elif isinstance(part, ToolCallPart):
                chars += len(part.name) + len(part.arguments)
            elif isinstance(part, ImagePart):
                images = True
                tokens += LOW_DETAIL_IMAGE_TOKENS if part.detail == "low" else IMAGE_TOKENS
            elif isinstance(part, DocumentPart):
                text = part.data is not None and (part.media_type or "").startswith("text/")
                tokens += len(part.data or b"") // CHARS_PER_TOKEN if text else DOCUMENT_TOKENS
    for tool in request.tools or ():
        chars += len(tool.name) + len(tool.description) + len(str(tool.parameters))
    return Needs(
        input_tokens=tokens + chars // CHARS_PER_TOKEN,
        output_tokens=request.max_tokens,
        images=images,
        tools=bool(request.tools),
    )


def history_key(model: object, provider: str) -> str | None:
    """The history key the protocol of ``model`` (a deployment's model) reads, if any."""
    protocol = getattr(getattr(model, "protocol", None), "name", None)
    if not isinstance(protocol, str):
        protocol = PROVIDER_PROTOCOL.get(provider)
    return PROTOCOL_HISTORY.get(protocol) if protocol is not None else None


def split_settings(settings: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A deployment's settings as request fields (``temperature``…) and wire extras."""
    for forbidden in ("model", "messages"):
        if forbidden in settings:
            raise ConfigurationError(f"a deployment's settings cannot set {forbidden!r}")
    fields = {k: v for k, v in settings.items() if k in REQUEST_FIELDS}
    extra = {k: v for k, v in settings.items() if k not in REQUEST_FIELDS and k != "extra"}
    nested = settings.get("extra")
    if isinstance(nested, Mapping):
        extra.update(nested)
    return fields, extra


def for_deployment(
    request: ChatRequest,
    model: str,
    fields: Mapping[str, Any],
    extra: Mapping[str, Any],
    keep: str | None,
) -> ChatRequest:
    """``request`` as one deployment gets it.

    Its model name; its settings where the caller left a field unset (the caller's
    values win, extras included); the other protocols' history dropped.
    """
    update: dict[str, Any] = {"model": model}
    for name, value in fields.items():
        if getattr(request, name) is None:
            update[name] = value
    own = request.extra
    if extra or any(k in HISTORY_KEYS and k != keep for k in own):
        update["extra"] = {
            **extra,
            **{k: v for k, v in own.items() if k not in HISTORY_KEYS or k == keep},
        }
    return request.model_copy(update=update)


def without_tags(request: ChatRequest) -> tuple[ChatRequest, tuple[str, ...]]:
    """The tags a request names in its metadata, and the request without them."""
    metadata = request.metadata
    if not metadata or TAGS_CONTROL not in metadata:
        return request, ()
    value = metadata[TAGS_CONTROL]
    if isinstance(value, str):
        tags: tuple[str, ...] = (value,)
    elif isinstance(value, list | tuple) and all(isinstance(t, str) for t in value):
        tags = tuple(value)
    else:
        raise ConfigurationError(
            f"metadata[{TAGS_CONTROL!r}] must be a tag or a list of tags, not {value!r}"
        )
    rest = {k: v for k, v in metadata.items() if k != TAGS_CONTROL}
    return request.model_copy(update={"metadata": rest or None}), tags
