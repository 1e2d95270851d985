"""Providers: one module per wire protocol, plus where each vendor lives (layer 2).

Importing this package is cheap: translators and the local model load on first use.
"""

from fluent_ai.providers.base import ChatModel, ChatProtocol, ProviderProfile, StreamDecoder
from fluent_ai.providers.catalog import chat_model, provider_names

__all__ = [
    "ChatModel",
    "ChatProtocol",
    "ProviderProfile",
    "StreamDecoder",
    "chat_model",
    "provider_names",
]
