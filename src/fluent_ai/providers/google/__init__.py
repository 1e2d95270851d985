"""Google Gemini's own protocol (``generateContent``), on the Gemini API and Vertex AI.

``GOOGLE`` says where the Gemini API is (key from ``GEMINI_API_KEY`` in
``x-goog-api-key``); :func:`vertex_profile` builds the Vertex AI one (project,
location, OAuth token from ``GOOGLE_VERTEX_TOKEN``). :class:`GeminiProtocol` translates
for both. Thought signatures ride on :class:`~fluent_ai.types.ThinkingPart` (see
:mod:`fluent_ai.providers.google.parts`); content with no neutral part travels under
:data:`CONTENTS_KEY` (see :mod:`fluent_ai.providers.google.history`).
"""

from fluent_ai.providers.google.history import CONTENTS_KEY
from fluent_ai.providers.google.profile import GOOGLE, VERTEX_TOKEN_ENV, vertex_profile
from fluent_ai.providers.google.protocol import GeminiProtocol
from fluent_ai.providers.google.stream import GeminiStreamDecoder

__all__ = [
    "CONTENTS_KEY",
    "GOOGLE",
    "VERTEX_TOKEN_ENV",
    "GeminiProtocol",
    "GeminiStreamDecoder",
    "vertex_profile",
]
