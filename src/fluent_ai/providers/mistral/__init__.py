"""Mistral's own chat API (``POST /v1/chat/completions``).

``MISTRAL`` says where to send (``https://api.mistral.ai/v1``, the key from
``MISTRAL_API_KEY`` as a bearer token); :class:`MistralProtocol` translates. The wire
format looks like OpenAI's and differs where it matters, so it has its own translator
that borrows OpenAI's field readers where the two agree (usage, tool and response
format rendering): content chunks with ``thinking`` and ``document_url``,
``random_seed``, ``"any"`` for a required tool call, tool-call id and turn-order rules
(:mod:`fluent_ai.providers.mistral.messages`), finish reasons and error shapes.
"""

from fluent_ai.providers.mistral.messages import wire_id
from fluent_ai.providers.mistral.profile import MISTRAL
from fluent_ai.providers.mistral.protocol import MistralProtocol
from fluent_ai.providers.mistral.response import CONTENT_KEY
from fluent_ai.providers.mistral.stream import MistralStreamDecoder

__all__ = ["CONTENT_KEY", "MISTRAL", "MistralProtocol", "MistralStreamDecoder", "wire_id"]
