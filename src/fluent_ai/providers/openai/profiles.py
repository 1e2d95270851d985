"""Every vendor reached through the OpenAI-compatible protocol: where, which key, which quirks.

``PROFILES`` say where to send (base URL, the environment variable with the key);
``QUIRKS`` say how the vendor's dialect differs. Vendors not listed in ``QUIRKS`` speak
the common dialect (``Quirks()``). Each quirk here is backed by recorded traffic or the
vendor's documentation.
"""

from __future__ import annotations

from fluent_ai.providers.base import ProviderProfile
from fluent_ai.providers.openai.protocol import OpenAIChatProtocol
from fluent_ai.providers.openai.quirks import OPENAI_QUIRKS, Quirks

PROFILES: dict[str, ProviderProfile] = {
    profile.name: profile
    for profile in (
        ProviderProfile("openai", "https://api.openai.com/v1", "OPENAI_API_KEY"),
        ProviderProfile("groq", "https://api.groq.com/openai/v1", "GROQ_API_KEY"),
        ProviderProfile("deepseek", "https://api.deepseek.com", "DEEPSEEK_API_KEY"),
        ProviderProfile("xai", "https://api.x.ai/v1", "XAI_API_KEY"),
        ProviderProfile("openrouter", "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY"),
        ProviderProfile("together", "https://api.together.xyz/v1", "TOGETHER_API_KEY"),
        ProviderProfile("cerebras", "https://api.cerebras.ai/v1", "CEREBRAS_API_KEY"),
        ProviderProfile("fireworks", "https://api.fireworks.ai/inference/v1", "FIREWORKS_API_KEY"),
        ProviderProfile("deepinfra", "https://api.deepinfra.com/v1/openai", "DEEPINFRA_API_KEY"),
        ProviderProfile("perplexity", "https://api.perplexity.ai", "PERPLEXITY_API_KEY"),
        ProviderProfile("huggingface", "https://router.huggingface.co/v1", "HF_TOKEN"),
        ProviderProfile(
            "gemini-openai",
            "https://generativelanguage.googleapis.com/v1beta/openai",
            "GEMINI_API_KEY",
        ),
        # A local server needs no key; a key set anyway is still sent.
        # OLLAMA_HOST names the server as Ollama's own tools read it; /v1 is kept.
        ProviderProfile("ollama", "http://localhost:11434/v1", None, host_env="OLLAMA_HOST"),
    )
}

QUIRKS: dict[str, Quirks] = {
    "openai": OPENAI_QUIRKS,
    # DeepSeek wants its reasoning back in tool-calling turns (recorded: 200 with it).
    "deepseek": Quirks(reasoning_field="reasoning_content"),
    # Both answer with ``reasoning`` and accept it back in the history (recorded).
    "cerebras": Quirks(reasoning_field="reasoning"),
    "ollama": Quirks(reasoning_field="reasoning"),
    # OpenRouter fetches document URLs itself (recorded: file_data holding an https URL).
    "openrouter": Quirks(document_urls=True),
    # Groq's compound models report a stream's usage only inside x_groq (recorded).
    "groq": Quirks(usage_envelope="x_groq"),
    # DeepSeek-R1 on Together (also through the Hugging Face router) thinks inside
    # <think> tags at the start of the content (recorded).
    "huggingface": Quirks(think_tags=True),
    "together": Quirks(think_tags=True),
}


def quirks_for(provider: str) -> Quirks:
    """The vendor's quirks; the common dialect for vendors with none listed."""
    return QUIRKS.get(provider, Quirks())


def protocol_for(provider: str) -> OpenAIChatProtocol:
    """The protocol for one vendor in :data:`PROFILES`, with its quirks and name."""
    if provider not in PROFILES:
        known = ", ".join(sorted(PROFILES))
        raise KeyError(f"no OpenAI-compatible profile named {provider!r} (known: {known})")
    return OpenAIChatProtocol.for_profile(PROFILES[provider])


def compatible_profile(base_url: str) -> ProviderProfile:
    """Any other server that speaks the protocol (vLLM, LM Studio, a gateway), at ``base_url``.

    No key is required, since local servers take none; a key given explicitly is sent.
    """
    return ProviderProfile("openai-compatible", base_url.rstrip("/"), None)
