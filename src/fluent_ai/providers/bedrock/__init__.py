"""Amazon Bedrock's Converse API (``POST /model/{modelId}/converse``).

``BEDROCK`` says where to send (the runtime endpoint of the region in ``AWS_REGION`` or
``AWS_DEFAULT_REGION``, else us-east-1; :func:`bedrock_profile` picks another), and the
key: a Bedrock API key from ``AWS_BEARER_TOKEN_BEDROCK``, sent as a bearer token.
:class:`BedrockConverseProtocol` translates. Content with no neutral part (server tool
calls and results, ``cachePoint`` markers, documents in tool results) travels under
:data:`CONTENT_KEY`, see :mod:`fluent_ai.providers.bedrock.history`.

Streaming (``converse-stream``) is refused: its body uses AWS's binary event-stream
framing, not server-sent events.
"""

from fluent_ai.providers.bedrock.history import CONTENT_KEY
from fluent_ai.providers.bedrock.profile import BEDROCK, bedrock_profile
from fluent_ai.providers.bedrock.protocol import BedrockConverseProtocol

__all__ = ["BEDROCK", "CONTENT_KEY", "BedrockConverseProtocol", "bedrock_profile"]
