"""Ollama's native chat API (``POST /api/chat``), beside its OpenAI-compatible ``/v1``.

``OLLAMA_NATIVE`` says where to send (the server's root, ``http://localhost:11434``, no
key); :class:`OllamaProtocol` translates. What the native API has and ``/v1`` lacks:
per-request model options such as ``num_ctx`` (``extra={"options": {...}}``),
``think`` with levels, ``keep_alive``, and images inline in any message. Its streams
are JSON lines, not server-sent events, so the protocol's ``stream_format`` is
``"jsonl"`` (see :func:`fluent_ai.providers.base.stream_format`). Tool-call arguments
are objects on the wire and JSON text in fluent-ai (:mod:`.content`).
"""

from fluent_ai.providers.ollama.profile import OLLAMA_NATIVE
from fluent_ai.providers.ollama.protocol import OllamaProtocol
from fluent_ai.providers.ollama.stream import OllamaStreamDecoder

__all__ = ["OLLAMA_NATIVE", "OllamaProtocol", "OllamaStreamDecoder"]
