"""fluent-ai: one fluent, typed, streaming-first API over any language model.

``import fluent_ai`` is deliberately cheap: names are imported on first use (PEP 562),
so a script that only needs the types does not pay for HTTP, templates or torch.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from fluent_ai import _httpx_cli

_httpx_cli.defer()  # before any httpx import: see the module's docstring

__version__ = "0.1.0"

_MODULES = {
    "fluent_ai.agent": ["Agent", "AgentBuildError", "Break", "Continue", "FluentAI", "Reply"],
    "fluent_ai.agent.agent": ["Reprompt"],
    "fluent_ai.providers.catalog": ["chat_model", "split_model"],
    "fluent_ai.providers.base": ["ChatModel"],
    "fluent_ai.templates": ["PromptTemplate", "Template"],
    "fluent_ai.tools": ["MCPServer", "Tool", "tool"],
    "fluent_ai.models": ["ModelInfo", "resolve"],
    "fluent_ai._sync": ["iter_sync", "run_sync"],
    "fluent_ai.types": [
        "AuthenticationError",
        "ChatRequest",
        "ChatResponse",
        "ConfigurationError",
        "DocumentPart",
        "FinishReason",
        "FluentAIError",
        "ImagePart",
        "Message",
        "RateLimitError",
        "StreamEvent",
        "TextDelta",
        "TextPart",
        "ThinkingDelta",
        "ToolCallPart",
        "ToolResultPart",
        "Usage",
        "UsageUpdate",
    ],
}
_EXPORTS = {name: module for module, names in _MODULES.items() for name in names}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:
    from fluent_ai._sync import iter_sync as iter_sync
    from fluent_ai._sync import run_sync as run_sync
    from fluent_ai.agent import Agent as Agent
    from fluent_ai.agent import AgentBuildError as AgentBuildError
    from fluent_ai.agent import Break as Break
    from fluent_ai.agent import Continue as Continue
    from fluent_ai.agent import FluentAI as FluentAI
    from fluent_ai.agent import Reply as Reply
    from fluent_ai.agent import Reprompt as Reprompt
    from fluent_ai.models import ModelInfo as ModelInfo
    from fluent_ai.models import resolve as resolve
    from fluent_ai.providers.base import ChatModel as ChatModel
    from fluent_ai.providers.catalog import chat_model as chat_model
    from fluent_ai.providers.catalog import split_model as split_model
    from fluent_ai.templates import PromptTemplate as PromptTemplate
    from fluent_ai.templates import Template as Template
    from fluent_ai.tools import MCPServer as MCPServer
    from fluent_ai.tools import Tool as Tool
    from fluent_ai.tools import tool as tool
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
