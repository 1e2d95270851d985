"""Where Mistral's chat API lives and how it takes the key."""

from __future__ import annotations

from fluent_ai.providers.base import ProviderProfile

MISTRAL = ProviderProfile(
    name="mistral",
    base_url="https://api.mistral.ai/v1",
    api_key_env="MISTRAL_API_KEY",
)
"""``POST https://api.mistral.ai/v1/chat/completions`` with ``Authorization: Bearer <key>``."""
