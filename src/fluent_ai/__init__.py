"""fluent-ai: one fluent, typed, streaming-first API over any language model.

``import fluent_ai`` is deliberately cheap: names are imported on first use (PEP 562),
so a script that only needs the types does not pay for HTTP, templates or torch.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "chat_model": "fluent_ai.providers.catalog",
    "split_model": "fluent_ai.providers.catalog",
    "ChatModel": "fluent_ai.providers.base",
    "run_sync": "fluent_ai._sync",
    "iter_sync": "fluent_ai._sync",
}
_TYPES = (
    "AuthenticationError BadResponseError ChatRequest ChatResponse ConfigurationError "
    "ConnectionError ContentFilteredError ContextLengthExceededError DocumentPart Finish "
    "FinishReason FluentAIError ImagePart InvalidRequestError LocalModelError Message "
    "MissingAPIKeyError NotFoundError PermissionDeniedError ProviderData ProviderError "
    "ProviderUnavailableError RateLimitError ResponseFormat ResponseStart StreamAccumulator "
    "StreamError StreamEvent StreamInterruptedError TextDelta TextPart ThinkingDelta "
    "ThinkingPart TimeoutError ToolCallDelta ToolCallEnd ToolCallPart ToolCallStart ToolChoice "
    "ToolResultPart ToolSpec UnsupportedFeatureError Usage UsageUpdate collect_events "
    "collect_stream"
).split()
_EXPORTS.update(dict.fromkeys(_TYPES, "fluent_ai.types"))

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:
    from fluent_ai._sync import iter_sync, run_sync
    from fluent_ai.providers.base import ChatModel
    from fluent_ai.providers.catalog import chat_model, split_model
    from fluent_ai.types import *  # noqa: F403


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'fluent_ai' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
