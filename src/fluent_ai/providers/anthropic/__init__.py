"""Anthropic's Messages API (``POST /v1/messages``).

``ANTHROPIC`` says where to send (``https://api.anthropic.com``, the key from
``ANTHROPIC_API_KEY`` in ``x-api-key``, ``anthropic-version: 2023-06-01``);
:class:`AnthropicProtocol` translates. Content with no neutral part (server tool calls
and results, citations) travels under :data:`CONTENT_KEY`, see
:mod:`fluent_ai.providers.anthropic.history`.
"""

from fluent_ai.providers.anthropic.encode import DEFAULT_MAX_TOKENS
from fluent_ai.providers.anthropic.history import CONTENT_KEY
from fluent_ai.providers.anthropic.profile import ANTHROPIC
from fluent_ai.providers.anthropic.protocol import AnthropicProtocol
from fluent_ai.providers.anthropic.stream import AnthropicStreamDecoder

__all__ = [
    "ANTHROPIC",
    "CONTENT_KEY",
    "DEFAULT_MAX_TOKENS",
    "AnthropicProtocol",
    "AnthropicStreamDecoder",
]
