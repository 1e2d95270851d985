"""The one HTTP client (layer 1): retries, timeouts, caching, and stream parsing.

Provider modules send every request through an :class:`HttpClient` (their model's own,
one per event loop, kept by :class:`LoopClients`) and cut streamed bodies into messages
with :class:`SSEParser` or :class:`JSONLinesParser` (``feed_lines``: the decoder parses
each line once); they never retry, time out or cache on their own. The ``aiter_*``
functions do the same for code that wants a response's values one by one.
"""

from fluent_ai.http.cache import CacheInfo, HttpCache, cache_info, default_cache_dir
from fluent_ai.http.client import HttpClient
from fluent_ai.http.jsonlines import (
    JSONLinesParser,
    aiter_json_lines,
    aiter_json_lines_response,
    iter_json_lines,
)
from fluent_ai.http.owned import LoopClients, default_client
from fluent_ai.http.retry import (
    DEFAULT_RETRY,
    RETRYABLE_STATUSES,
    RetryPolicy,
    parse_retry_after,
    should_retry,
)
from fluent_ai.http.sse import SSEEvent, SSEParser, aiter_sse, aiter_sse_response, iter_sse
from fluent_ai.http.sync import SyncHttpClient
from fluent_ai.http.timeouts import AI_TIMEOUTS, POOL_LIMITS, STREAM_TIMEOUTS, Timeouts

__all__ = [
    "AI_TIMEOUTS",
    "DEFAULT_RETRY",
    "POOL_LIMITS",
    "RETRYABLE_STATUSES",
    "STREAM_TIMEOUTS",
    "CacheInfo",
    "HttpCache",
    "HttpClient",
    "JSONLinesParser",
    "LoopClients",
    "RetryPolicy",
    "SSEEvent",
    "SSEParser",
    "SyncHttpClient",
    "Timeouts",
    "aiter_json_lines",
    "aiter_json_lines_response",
    "aiter_sse",
    "aiter_sse_response",
    "cache_info",
    "default_cache_dir",
    "default_client",
    "iter_json_lines",
    "iter_sse",
    "parse_retry_after",
    "should_retry",
]
