"""``/v1/messages/count_tokens``: the prompt's size, estimated, and saying so.

A routed model has no one tokenizer — the deployment that will answer is not chosen
yet, and vendors count differently — so the gateway answers with the engine's own
estimate (:func:`fluent_ai.engine.shape.needs`: about four characters a token, a fixed
count per image and document, a few tokens per message) plus the tools' definitions at
the same rate, and says it is an estimate in the ``x-fluent-ai-token-count`` header.
It is the figure the router itself uses to pick a deployment whose context fits.
"""

from __future__ import annotations

import json

from fluent_ai.engine.shape import CHARS_PER_TOKEN, needs
from fluent_ai.types import ChatRequest

ESTIMATED = {"x-fluent-ai-token-count": "estimate"}


def estimated_tokens(request: ChatRequest) -> int:
    """The prompt's tokens as the router estimates them, tools included."""
    tools = sum(len(json.dumps(tool.model_dump(mode="json"))) for tool in request.tools or ())
    return needs(request).input_tokens + tools // CHARS_PER_TOKEN
