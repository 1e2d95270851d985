"""Where Cohere's chat API lives and how it takes the key.

The key is read from ``COHERE_API_KEY``. Cohere's own SDK reads ``CO_API_KEY``, but
``COHERE_API_KEY`` is the name fluent-ai's Cohere embeddings already use (one key,
one variable, for both), and the one LiteLLM, LangChain and Cohere's own demo apps
read; a profile names a single variable, so the project-wide one wins.
"""

from __future__ import annotations

from fluent_ai.providers.base import ProviderProfile

COHERE = ProviderProfile(
    name="cohere",
    base_url="https://api.cohere.com/v2",
    api_key_env="COHERE_API_KEY",
)
"""``POST https://api.cohere.com/v2/chat`` with ``Authorization: Bearer <key>``."""
