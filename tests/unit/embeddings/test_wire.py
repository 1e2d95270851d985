"""The vendor translators on their own: request bodies, response decoding, error mapping."""

from __future__ import annotations

import json
from typing import Any

import pytest

from fluent_ai.embeddings import EmbedRequest, get_embedding_model
from fluent_ai.embeddings.providers import (
    CohereWire,
    GeminiWire,
    JinaWire,
    MistralWire,
    OllamaWire,
    OpenAIWire,
    VoyageWire,
)
from fluent_ai.types import (
    AuthenticationError,
    BadResponseError,
    ContextLengthExceededError,
    InvalidRequestError,
    ProviderUnavailableError,
    RateLimitError,
    UnsupportedFeatureError,
)

TEXTS = ["alpha", "beta"]


def request(**options: Any) -> EmbedRequest:
    return EmbedRequest("m", TEXTS, **options)


def test_openai_body() -> None:
    body = OpenAIWire("openai").encode(request(input_type="query", dimensions=256))
    assert body == {"model": "m", "input": TEXTS, "encoding_format": "float", "dimensions": 256}


def test_cohere_body_names_the_input_type_and_defaults_to_documents() -> None:
    wire = CohereWire("cohere")
    assert wire.encode(request(input_type="query", dimensions=512)) == {
        "model": "m",
        "texts": TEXTS,
        "input_type": "search_query",
        "embedding_types": ["float"],
        "output_dimension": 512,
    }
    assert wire.encode(request())["input_type"] == "search_document"


def test_gemini_body_has_one_request_per_text() -> None:
    wire = GeminiWire("gemini")
    body = wire.encode(request(input_type="similarity", dimensions=768))
    assert body == {
        "requests": [
            {
                "model": "models/m",
                "taskType": "SEMANTIC_SIMILARITY",
                "outputDimensionality": 768,
                "content": {"parts": [{"text": text}]},
            }
            for text in TEXTS
        ]
    }
    assert wire.path("m") == wire.path("models/m") == "/models/m:batchEmbedContents"


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        (MistralWire("mistral"), {"model": "m", "input": TEXTS, "output_dimension": 8}),
        (
            VoyageWire("voyage"),
            {"model": "m", "input": TEXTS, "input_type": "document", "output_dimension": 8},
        ),
        (
            JinaWire("jina"),
            {
                "model": "m",
                "input": TEXTS,
                "embedding_type": "float",
                "task": "retrieval.passage",
                "dimensions": 8,
            },
        ),
        (OllamaWire("ollama"), {"model": "m", "input": TEXTS, "dimensions": 8}),
    ],
)
def test_other_bodies(wire: Any, expected: dict[str, Any]) -> None:
    assert wire.encode(request(input_type="document", dimensions=8)) == expected


@pytest.mark.parametrize(
    ("wire", "input_type"),
    [(CohereWire("cohere"), "similarity"), (VoyageWire("voyage"), "clustering")],
)
def test_an_input_type_the_vendor_lacks_is_refused(wire: Any, input_type: Any) -> None:
    with pytest.raises(UnsupportedFeatureError, match=f"no input type for '{input_type}'"):
        wire.encode(request(input_type=input_type))


async def test_an_unsupported_input_type_fails_before_any_request() -> None:
    # Port 9 (discard) on loopback: any request would fail with a connection error.
    model = get_embedding_model("cohere/m", api_key="k", base_url="http://127.0.0.1:9")
    with pytest.raises(UnsupportedFeatureError):
        await model.embed(TEXTS, input_type="similarity")


def test_data_items_are_put_in_index_order() -> None:
    body = {"data": [{"index": 1, "embedding": [2.0]}, {"index": 0, "embedding": [1]}]}
    batch = OpenAIWire("openai").decode({**body, "usage": {"prompt_tokens": 3}})
    assert (batch.vectors, batch.input_tokens) == ([[1], [2.0]], 3)


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"data": None},
        {"data": [{"index": 0, "embedding": [1.0]}, {"index": 0, "embedding": [2.0]}]},
        {"data": [{"index": 5, "embedding": [1.0]}]},
        {"data": [{"index": 0, "embedding": ["1.0"]}]},
        {"data": [{"index": 0, "embedding": None}]},
    ],
)
def test_malformed_data_is_a_bad_response(body: Any) -> None:
    with pytest.raises(BadResponseError):
        VoyageWire("voyage").decode(body)


@pytest.mark.parametrize(
    ("wire", "body"),
    [
        (CohereWire("cohere"), {"embeddings": {"int8": [[1]]}}),
        (CohereWire("cohere"), {"embeddings": [[1.0]]}),
        (GeminiWire("gemini"), {"embeddings": [{"value": [1.0]}]}),
        (OllamaWire("ollama"), {"embedding": [1.0]}),
    ],
)
def test_other_malformed_bodies_are_bad_responses(wire: Any, body: Any) -> None:
    with pytest.raises(BadResponseError):
        wire.decode(body)


def error(wire: Any, status: int, body: Any, headers: dict[str, str] | None = None) -> Any:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return wire.decode_error(status, headers or {}, raw)


def test_error_bodies_of_each_shape_give_their_message() -> None:
    openai = error(OpenAIWire("openai"), 400, {"error": {"message": "bad input", "code": "x"}})
    assert (type(openai), openai.message, openai.code) == (InvalidRequestError, "bad input", "x")
    assert error(OllamaWire("ollama"), 404, {"error": "model not found"}).message == (
        "model not found"
    )
    assert error(CohereWire("cohere"), 422, {"id": "1", "message": "too long"}).message == (
        "too long"
    )
    detail = {"detail": [{"loc": ["body", "input"], "msg": "field required"}]}
    assert error(JinaWire("jina"), 422, detail).message == "body.input: field required"
    assert error(VoyageWire("voyage"), 400, {"detail": "nope"}).message == "nope"


def test_error_bodies_that_are_not_json_are_quoted() -> None:
    page = error(MistralWire("mistral"), 502, b"<html>Bad Gateway</html>")
    assert isinstance(page, ProviderUnavailableError)
    assert page.retryable
    assert page.message == "<html>Bad Gateway</html>"
    assert error(MistralWire("mistral"), 500, b"").message == "HTTP 500 with an empty body"


def test_rate_limits_carry_the_servers_wait() -> None:
    limited = error(OpenAIWire("openai"), 429, {"error": {"message": "slow"}}, {"retry-after": "3"})
    assert isinstance(limited, RateLimitError)
    assert limited.retry_after == 3.0


def test_a_text_over_the_context_length_is_named_so() -> None:
    message = "This model's maximum context length is 8192 tokens, however you requested 9000"
    too_long = error(OpenAIWire("openai"), 400, {"error": {"message": message}})
    assert isinstance(too_long, ContextLengthExceededError)


def test_gemini_reports_a_wrong_key_as_400_and_it_is_an_authentication_error() -> None:
    body = {
        "error": {
            "code": 400,
            "message": "API key not valid. Please pass a valid API key.",
            "status": "INVALID_ARGUMENT",
            "details": [
                {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID"}
            ],
        }
    }
    rejected = error(GeminiWire("gemini"), 400, body)
    assert isinstance(rejected, AuthenticationError)
    assert rejected.code == "API_KEY_INVALID"
    other = error(GeminiWire("gemini"), 400, {"error": {"message": "bad", "details": 5}})
    assert type(other) is InvalidRequestError
