"""Where Ollama's native API lives: the server's root, with no key.

The base URL is the server itself (``http://localhost:11434``), not its
OpenAI-compatible ``/v1``, which the ``ollama`` profile of the OpenAI protocol speaks.
Another host goes in ``OLLAMA_NATIVE_BASE_URL`` or ``base_url=``. A local server takes
no key; a key given explicitly (``api_key=``) is sent as a bearer token, which is how
Ollama's hosted API at ``https://ollama.com`` takes one.
"""

from __future__ import annotations

from fluent_ai.providers.base import ProviderProfile

OLLAMA_NATIVE = ProviderProfile(
    name="ollama-native",
    base_url="http://localhost:11434",
    api_key_env=None,
)
"""``POST http://localhost:11434/api/chat``, no key."""
