"""Cohere's v2 chat API (``POST /v2/chat``).

``COHERE`` says where to send (``https://api.cohere.com/v2``, the key from
``COHERE_API_KEY`` as a bearer token; see :mod:`fluent_ai.providers.cohere.profile`
for the choice of variable); :class:`CohereProtocol` translates. Cohere's own
assistant fields map as follows: ``tool_plan`` is thinking
(:mod:`fluent_ai.providers.cohere.messages`), ``citations`` are provider data, and
``usage.tokens`` are the counts with ``billed_units`` kept beside them
(:mod:`fluent_ai.providers.cohere.response`).
"""

from fluent_ai.providers.cohere.profile import COHERE
from fluent_ai.providers.cohere.protocol import CohereProtocol
from fluent_ai.providers.cohere.response import CONTENT_KEY
from fluent_ai.providers.cohere.stream import CohereStreamDecoder

__all__ = ["COHERE", "CONTENT_KEY", "CohereProtocol", "CohereStreamDecoder"]
