"""The vendors that serve the Responses API: where to send (shared with Chat Completions).

Each vendor's base URL and key are the same for both of its wire formats, so the
profiles are the Chat Completions ones (:data:`fluent_ai.providers.openai.PROFILES`);
the path differs (``/responses``), and the quirks are this protocol's own
(:data:`~.protocol.QUIRKS`).
"""

from __future__ import annotations

from fluent_ai.providers.base import ProviderProfile
from fluent_ai.providers.openai import PROFILES as COMPATIBLE_PROFILES
from fluent_ai.providers.responses.protocol import QUIRKS, ResponsesProtocol

PROFILES: dict[str, ProviderProfile] = {name: COMPATIBLE_PROFILES[name] for name in QUIRKS}
"""``openai``, ``openrouter`` and ``deepseek``: the vendors whose Responses API is known."""


def protocol_for(provider: str) -> ResponsesProtocol:
    """The Responses protocol for one vendor in :data:`PROFILES`, with its name and quirks."""
    if provider not in PROFILES:
        known = ", ".join(sorted(PROFILES))
        raise KeyError(f"no Responses API profile named {provider!r} (known: {known})")
    return ResponsesProtocol.for_profile(PROFILES[provider])
