"""Amazon Bedrock's Converse API (``POST /model/{modelId}/converse``).

``BEDROCK`` says where to send (the runtime endpoint of the region in ``AWS_REGION`` or
``AWS_DEFAULT_REGION``, else us-east-1; :func:`bedrock_profile` picks another), and how
to authenticate: a Bedrock API key from ``AWS_BEARER_TOKEN_BEDROCK``, sent as a bearer
token, else SigV4 with the AWS credential chain (:mod:`.sigv4`, the extra
``fluent-ai[bedrock]``). :class:`BedrockConverseProtocol` translates. Content with no
neutral part (server tool calls and results, ``cachePoint`` markers, documents in tool
results) travels under :data:`CONTENT_KEY`, see :mod:`fluent_ai.providers.bedrock.history`.

Streams come from ``converse-stream`` in AWS's binary event-stream framing, read by
:mod:`fluent_ai.http.eventstream` and decoded by :mod:`.stream`, token by token.
"""

from fluent_ai.providers.bedrock.history import CONTENT_KEY
from fluent_ai.providers.bedrock.profile import BEDROCK, bedrock_profile
from fluent_ai.providers.bedrock.protocol import BedrockConverseProtocol

__all__ = ["BEDROCK", "CONTENT_KEY", "BedrockConverseProtocol", "bedrock_profile"]
