"""Where Ollama's native API lives: the server's root, with no key.

The base URL is the server itself (``http://localhost:11434``), not its
OpenAI-compatible ``/v1``, which the ``ollama`` profile of the OpenAI protocol speaks.
Another server is named by ``base_url=``, then ``OLLAMA_NATIVE_BASE_URL``, then
``OLLAMA_HOST`` as Ollama's own CLI and SDK read it (``host``, ``host:port``,
``http://host:port``; see :func:`~fluent_ai.providers.endpoints.server_url`). A local
server takes no key; a key given explicitly (``api_key=``) is sent as a bearer token, which is how
Ollama's hosted API at ``https://ollama.com`` takes one.
"""

from __future__ import annotations

from fluent_ai.providers.base import ProviderProfile

OLLAMA_NATIVE = ProviderProfile(
    name="ollama-native",
    base_url="http://localhost:11434",
    api_key_env=None,
    host_env="OLLAMA_HOST",
)
"""``POST http://localhost:11434/api/chat``, no key."""
