"""The OpenAI-compatible vendors' recordings, through the same protocol with their quirks.

Each suite reads its bodies with the same independent reader as the OpenAI suite, told
where a vendor's bodies differ (``READING``).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from fluent_ai.providers.openai import PROFILES, protocol_for
from tests.conformance.suite import Suite
from tests.conformance.suites.openai import SUITE as OPENAI
from tests.conformance.suites.openai import expected, is_chat

# folder under the recordings -> profile name
FOLDERS = {
    "groq": "groq",
    "cerebras": "cerebras",
    "deepseek": "deepseek",
    "openrouter": "openrouter",
    "huggingface": "huggingface",
    "ollama": "ollama",
    "google-openai-compat": "gemini-openai",
}

# How a vendor's bodies must be read, beyond the common reading.
READING: dict[str, dict[str, Any]] = {
    "groq": {"usage_envelope": "x_groq"},
    "huggingface": {"think_tags": True},
}

SUITES: list[Suite] = [
    Suite(
        folder=folder,
        profile=PROFILES[name],
        protocol=protocol_for(name),
        is_chat=is_chat,
        expected=partial(expected, **READING.get(name, {})),
        # Same reason as for OpenAI; Hugging Face's client also sends `name: null` and
        # `tool_calls: null` on every message, which the neutral message cannot keep.
        roundtrip_ignore=OPENAI.roundtrip_ignore,
    )
    for folder, name in FOLDERS.items()
]
