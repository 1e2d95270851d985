"""Refuse, before sending, a request the model is known not to serve.

Only what the registry *knows* is enforced: a model it has never heard of
(``known=False``) is let through, since a new model should work the day it ships.
The registry's vision and tool flags come from the community catalogue; JSON-schema
support is a hand-kept overlay that lags vendors, so it is not enforced here.
"""

from __future__ import annotations

from fluent_ai.models import ModelInfo
from fluent_ai.types import ChatRequest, ImagePart, UnsupportedFeatureError


def missing_capabilities(request: ChatRequest, info: ModelInfo) -> list[str]:
    """What ``request`` needs that ``info`` says the model lacks."""
    missing = []
    wants_images = any(
        isinstance(part, ImagePart) for message in request.messages for part in message.parts
    )
    if wants_images and not info.supports_vision:
        missing.append("image input (vision)")
    if request.tools and not info.supports_tools:
        missing.append("tool calling")
    return missing


def check_request(provider: str, request: ChatRequest, info: ModelInfo | None) -> None:
    """Raise :class:`UnsupportedFeatureError` naming provider, model and what is missing."""
    if info is None or not info.known:
        return
    missing = missing_capabilities(request, info)
    if missing:
        raise UnsupportedFeatureError(
            f"{provider}/{request.model} does not support {' or '.join(missing)}; "
            "choose a model that does (fluent-ai models list --supports "
            f"{'vision' if 'vision' in missing[0] else 'tools'})",
            provider=provider,
        )
