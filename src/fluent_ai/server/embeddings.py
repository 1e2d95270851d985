"""``POST /v1/embeddings``: OpenAI's embeddings endpoint over any embedding model.

The served embedding models come from the gateway file's ``embeddings:`` section
(:mod:`fluent_ai.server.config`); the local MiniLM model serves OpenAI clients as well
as a vendor's does. ``encoding_format: "base64"`` (what the openai Python SDK asks for
by default) is the vectors as little-endian float32 bytes, as OpenAI sends them.
"""

from __future__ import annotations

import base64
import struct
from collections.abc import Mapping, Sequence
from typing import Any

from fluent_ai.embeddings import EmbeddingModel, Embeddings
from fluent_ai.server.errors import Failure, invalid_request


def texts_of(body: Mapping[str, Any]) -> list[str] | Failure:
    """The texts to embed: ``input`` as one string or a list of them."""
    given = body.get("input")
    if isinstance(given, str):
        return [given]
    if isinstance(given, list) and given and all(isinstance(t, str) for t in given):
        return list(given)
    return invalid_request(
        "'input' must be a string or a non-empty list of strings (token arrays are not taken)"
    )


def checked(body: Mapping[str, Any], model: EmbeddingModel, name: str) -> Failure | None:
    """Why the request's options cannot be served by ``model``, or ``None``."""
    encoding = body.get("encoding_format", "float")
    if encoding not in ("float", "base64"):
        return invalid_request(f"encoding_format must be 'float' or 'base64', not {encoding!r}")
    wanted = body.get("dimensions")
    if wanted is not None and wanted != model.dimensions:
        made = f"{model.dimensions}-dimension vectors" if model.dimensions else "its own length"
        return invalid_request(
            f"{name!r} makes {made}, not {wanted}; the gateway file sets an embedding "
            "model's dimensions"
        )
    return None


def embeddings_body(result: Embeddings, *, name: str, encoding: str) -> dict[str, Any]:
    """The answer as OpenAI writes it; ``model`` is the name the caller asked for."""
    data = [
        {"object": "embedding", "index": index, "embedding": _encoded(vector, encoding)}
        for index, vector in enumerate(result.vectors)
    ]
    tokens = result.input_tokens or 0
    return {
        "object": "list",
        "data": data,
        "model": name,
        "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
    }


def _encoded(vector: Sequence[float], encoding: str) -> list[float] | str:
    if encoding == "base64":
        return base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode("ascii")
    return list(vector)
