"""OpenAI Chat Completions, the wire protocol most vendors speak.

Written once (:class:`OpenAIChatProtocol`); each vendor is a profile (where to send,
which key) plus its :class:`Quirks` (how its dialect differs).
"""

from fluent_ai.providers.openai.profiles import (
    PROFILES,
    QUIRKS,
    compatible_profile,
    protocol_for,
    quirks_for,
)
from fluent_ai.providers.openai.protocol import OpenAIChatProtocol
from fluent_ai.providers.openai.quirks import OPENAI_QUIRKS, Quirks
from fluent_ai.providers.openai.stream import OpenAIStreamDecoder

__all__ = [
    "OPENAI_QUIRKS",
    "PROFILES",
    "QUIRKS",
    "OpenAIChatProtocol",
    "OpenAIStreamDecoder",
    "Quirks",
    "compatible_profile",
    "protocol_for",
    "quirks_for",
]
