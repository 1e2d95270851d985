"""Where Anthropic lives and how it takes the key."""

from __future__ import annotations

from fluent_ai.providers.base import ProviderProfile

API_VERSION = "2023-06-01"
"""The Messages API version every request names; Anthropic has kept it stable since."""

ANTHROPIC = ProviderProfile(
    name="anthropic",
    base_url="https://api.anthropic.com",
    api_key_env="ANTHROPIC_API_KEY",
    auth_header="x-api-key",
    auth_scheme="",
    headers={"anthropic-version": API_VERSION},
)
