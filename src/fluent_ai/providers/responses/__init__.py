"""The OpenAI Responses API (``POST /responses``), served by OpenAI, OpenRouter and DeepSeek.

:class:`ResponsesProtocol` translates; :data:`PROFILES` say where to send (the vendors'
Chat Completions profiles: the same base URL and key) and :func:`protocol_for` gives
the protocol with each vendor's :class:`Quirks`. Output items with no neutral part
(reasoning to send back, built-in tool calls) travel under :data:`ITEMS_KEY`, see
:mod:`fluent_ai.providers.responses.history`; tool lists spelled another way under
:data:`TOOLS_KEY`.
"""

from fluent_ai.providers.responses.history import ITEMS_KEY
from fluent_ai.providers.responses.options import TOOLS_KEY
from fluent_ai.providers.responses.profiles import PROFILES, protocol_for
from fluent_ai.providers.responses.protocol import QUIRKS, ResponsesProtocol
from fluent_ai.providers.responses.quirks import OPENAI_QUIRKS, STATELESS, Quirks
from fluent_ai.providers.responses.stream import ResponsesStreamDecoder

__all__ = [
    "ITEMS_KEY",
    "OPENAI_QUIRKS",
    "PROFILES",
    "QUIRKS",
    "STATELESS",
    "TOOLS_KEY",
    "Quirks",
    "ResponsesProtocol",
    "ResponsesStreamDecoder",
    "protocol_for",
]
