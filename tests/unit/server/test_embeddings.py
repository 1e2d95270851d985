"""``/v1/embeddings``: the openai SDK answered by the local MiniLM, and clear refusals."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("uvicorn", reason="the server extra is not installed")

import httpx
import openai

from fluent_ai.embeddings import get_embedding_model
from fluent_ai.server.config import served_embedders
from fluent_ai.types import ConfigurationError
from tests.support.gateway import serving
from tests.support.minilm import minilm_cache

TEXTS = ["The cat sleeps on the radiator.", "Stock markets fell on Tuesday."]


@pytest.fixture(scope="module")
def minilm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    with minilm_cache(tmp_path_factory) as root:
        yield root


@pytest.mark.slow
@pytest.mark.parametrize("encoding", ["float", None])  # None: the SDK asks for base64
async def test_the_openai_sdk_gets_minilm_s_own_vectors(minilm: Path, encoding: str | None) -> None:
    local = get_embedding_model("local/all-minilm-l6-v2")
    expected = (await local.embed(TEXTS)).vectors
    await local.aclose()
    served = get_embedding_model("local/all-minilm-l6-v2")
    with serving({}, embedders={"minilm": served}) as url:
        client = openai.AsyncOpenAI(base_url=url + "/v1", api_key="k", max_retries=0)
        options = {} if encoding is None else {"encoding_format": encoding}
        answer = await client.embeddings.create(model="minilm", input=TEXTS, **options)  # type: ignore[arg-type]
        await client.close()
    await served.aclose()
    assert answer.model == "minilm"
    assert [d.index for d in answer.data] == [0, 1]
    for got, want in zip(answer.data, expected, strict=True):
        assert len(got.embedding) == 384
        assert all(
            math.isclose(a, b, abs_tol=1e-6) for a, b in zip(got.embedding, want, strict=True)
        )


@pytest.fixture
def gateway() -> Iterator[str]:
    never_called = get_embedding_model(
        "openai/text-embedding-3-small", api_key="k", base_url="http://127.0.0.1:9/v1"
    )
    with serving({}, embedders={"small": never_called}) as url:
        yield url


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"model": "large", "input": "x"}, 404, "served embedding models: small"),
        ({"model": "small", "input": [1, 2, 3]}, 400, "token arrays are not taken"),
        ({"model": "small", "input": []}, 400, "non-empty list"),
        ({"model": "small", "input": "x", "encoding_format": "hex"}, 400, "'float' or 'base64'"),
        ({"model": "small", "input": "x", "dimensions": 3}, 400, "not 3"),
    ],
)
def test_what_cannot_be_served_is_refused_before_any_call(
    gateway: str, body: dict[str, object], status: int, words: str
) -> None:
    reply = httpx.post(gateway + "/v1/embeddings", json=body)
    assert reply.status_code == status
    assert words in reply.json()["error"]["message"]


def test_the_embeddings_section_builds_each_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EMBED_KEY", "sk-embed")
    path = tmp_path / "gateway.yaml"
    path.write_text(
        "deployments: [openai/gpt-4o]\n"
        "embeddings:\n"
        "  minilm: local/all-minilm-l6-v2\n"
        "  small: {model: openai/text-embedding-3-small, dimensions: 512, api_key_env: EMBED_KEY}\n"
    )
    served = served_embedders(path)
    assert {name: (m.provider, m.model, m.dimensions) for name, m in served.items()} == {
        "minilm": ("local", "all-minilm-l6-v2", 384),
        "small": ("openai", "text-embedding-3-small", 512),
    }


@pytest.mark.parametrize(
    ("section", "words"),
    [
        ("embeddings: [a]", "must map names to models"),
        ("embeddings: {a: {dimensions: 3}}", "needs a 'provider/model' spec"),
        ("embeddings: {a: {model: local/x, key: sk-1}}", "unknown setting(s) key"),
        ("embeddings: {a: {model: openai/x, api_key_env: NOT_SET_HERE}}", "$NOT_SET_HERE"),
    ],
)
def test_a_bad_embeddings_section_says_what_to_fix(
    tmp_path: Path, section: str, words: str
) -> None:
    path = tmp_path / "gateway.yaml"
    path.write_text(section + "\n")
    with pytest.raises(ConfigurationError) as raised:
        served_embedders(path)
    assert words in str(raised.value)
    assert "sk-1" not in str(raised.value)
