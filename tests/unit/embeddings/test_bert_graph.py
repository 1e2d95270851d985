"""The BERT graph: its maths against numpy on a tiny random model, then the real one
against the vectors sentence-transformers recorded (``tests/data/minilm_reference.json``).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

np = pytest.importorskip("numpy")
pytest.importorskip("onnx")
pytest.importorskip("onnxruntime")
pytest.importorskip("safetensors")

from fluent_ai.embeddings import local_runtime  # noqa: E402
from fluent_ai.embeddings.bert_graph import build_bert_graph  # noqa: E402
from fluent_ai.embeddings.local_runner import Device  # noqa: E402
from fluent_ai.onnx.session import open_session  # noqa: E402
from fluent_ai.types.errors import LocalModelError  # noqa: E402
from tests.support.minilm import minilm_cache_root, require_minilm  # noqa: E402

REFERENCE = Path(__file__).parents[2] / "data" / "minilm_reference.json"
TINY: dict[str, Any] = {
    "model_type": "bert",
    "hidden_act": "gelu",
    "position_embedding_type": "absolute",
    "hidden_size": 16,
    "num_attention_heads": 4,
    "num_hidden_layers": 2,
    "intermediate_size": 24,
    "vocab_size": 40,
    "max_position_embeddings": 12,
    "type_vocab_size": 2,
    "layer_norm_eps": 1e-12,
}


def tiny_weights(prefix: str = "") -> dict[str, Any]:
    rng = np.random.default_rng(7)
    h, inner = TINY["hidden_size"], TINY["intermediate_size"]
    shapes = {
        "embeddings.word_embeddings.weight": (TINY["vocab_size"], h),
        "embeddings.position_embeddings.weight": (TINY["max_position_embeddings"], h),
        "embeddings.token_type_embeddings.weight": (2, h),
        "embeddings.LayerNorm.weight": (h,),
        "embeddings.LayerNorm.bias": (h,),
    }
    for i in range(TINY["num_hidden_layers"]):
        p = f"encoder.layer.{i}."
        for name in ("attention.self.query", "attention.self.key", "attention.self.value"):
            shapes |= {p + name + ".weight": (h, h), p + name + ".bias": (h,)}
        shapes |= {
            p + "attention.output.dense.weight": (h, h),
            p + "attention.output.dense.bias": (h,),
            p + "attention.output.LayerNorm.weight": (h,),
            p + "attention.output.LayerNorm.bias": (h,),
            p + "intermediate.dense.weight": (inner, h),
            p + "intermediate.dense.bias": (inner,),
            p + "output.dense.weight": (h, inner),
            p + "output.dense.bias": (h,),
            p + "output.LayerNorm.weight": (h,),
            p + "output.LayerNorm.bias": (h,),
        }
    return {prefix + k: rng.normal(0, 0.5, s).astype(np.float32) for k, s in shapes.items()}


def write_tiny(directory: Path, config: dict[str, Any] = TINY, prefix: str = "") -> Path:
    from safetensors.numpy import save_file

    directory.mkdir(parents=True, exist_ok=True)
    (directory / "config.json").write_text(json.dumps(config))
    save_file(tiny_weights(prefix), str(directory / "model.safetensors"))
    return directory


def numpy_bert(w: dict[str, Any], ids: Any, mask: Any) -> Any:
    """transformers' BertModel + sentence-transformers' mean pooling and Normalize."""
    heads, size = TINY["num_attention_heads"], TINY["hidden_size"] // TINY["num_attention_heads"]
    erf = np.vectorize(math.erf)

    def norm(x: Any, name: str) -> Any:
        mean, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + 1e-12) * w[name + ".weight"] + w[name + ".bias"]

    def linear(x: Any, name: str) -> Any:
        return x @ w[name + ".weight"].T + w[name + ".bias"]

    def split(x: Any) -> Any:
        return x.reshape(*x.shape[:2], heads, size).transpose(0, 2, 1, 3)

    batch, length = ids.shape
    x = (
        w["embeddings.word_embeddings.weight"][ids]
        + w["embeddings.position_embeddings.weight"][:length]
    )
    x = norm(x + w["embeddings.token_type_embeddings.weight"][0], "embeddings.LayerNorm")
    bias = (1.0 - mask[:, None, None, :]) * np.finfo(np.float32).min
    for i in range(TINY["num_hidden_layers"]):
        p = f"encoder.layer.{i}."
        q, k, v = (split(linear(x, p + f"attention.self.{n}")) for n in ("query", "key", "value"))
        scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(size) + bias
        weights = np.exp(scores - scores.max(-1, keepdims=True))
        context = (weights / weights.sum(-1, keepdims=True)) @ v
        context = context.transpose(0, 2, 1, 3).reshape(batch, length, -1)
        x = norm(
            linear(context, p + "attention.output.dense") + x, p + "attention.output.LayerNorm"
        )
        up = linear(x, p + "intermediate.dense")
        up = 0.5 * up * (1.0 + erf(up / math.sqrt(2.0)))
        x = norm(linear(up, p + "output.dense") + x, p + "output.LayerNorm")
    pooled = (x * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
    return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Any:
    directory = write_tiny(tmp_path_factory.mktemp("tiny-bert"))
    steps: list[tuple[int, int]] = []
    build_bert_graph(
        directory, directory / "graph" / "model.onnx", lambda *step: steps.append(step)
    )
    assert steps == [(1, 3), (2, 3), (3, 3)]
    return open_session(directory / "graph" / "model.onnx", threads=1)


def run(session: Any, ids: Any, mask: Any) -> Any:
    return session.run(None, {"input_ids": ids, "attention_mask": mask})[0]


def test_the_graph_computes_what_bert_and_mean_pooling_compute(tiny: Any) -> None:
    ids = np.array([[2, 5, 9, 31, 3], [2, 7, 3, 0, 0], [2, 3, 0, 0, 0]], np.int64)
    mask = (ids != 0).astype(np.int64)
    mask[:, 0] = 1

    got = run(tiny, ids, mask)

    assert got.shape == (3, TINY["hidden_size"])
    assert got.dtype == np.float32
    np.testing.assert_allclose(
        got, numpy_bert(tiny_weights(), ids, mask.astype(np.float64)), atol=2e-6
    )
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-6)


def test_padding_does_not_change_a_vector(tiny: Any) -> None:
    alone = run(tiny, np.array([[2, 7, 3]], np.int64), np.ones((1, 3), np.int64))
    padded = run(
        tiny, np.array([[2, 7, 3, 0, 0, 0, 0]], np.int64), np.array([[1, 1, 1, 0, 0, 0, 0]])
    )

    np.testing.assert_allclose(padded, alone, atol=1e-6)


def test_a_checkpoint_saved_from_a_task_model_is_accepted(tmp_path: Path, tiny: Any) -> None:
    directory = write_tiny(tmp_path, prefix="bert.")
    build_bert_graph(directory, tmp_path / "model.onnx")
    ids, mask = np.array([[2, 9, 3]], np.int64), np.ones((1, 3), np.int64)

    prefixed = run(open_session(tmp_path / "model.onnx", threads=1), ids, mask)

    np.testing.assert_allclose(prefixed, run(tiny, ids, mask), atol=1e-6)


@pytest.mark.parametrize(
    ("key", "value"), [("hidden_act", "relu"), ("position_embedding_type", "relative_key")]
)
def test_an_unsupported_model_is_refused_by_name(tmp_path: Path, key: str, value: str) -> None:
    directory = write_tiny(tmp_path, {**TINY, key: value})

    with pytest.raises(LocalModelError, match=f"{key}='{value}' is not supported"):
        build_bert_graph(directory, tmp_path / "model.onnx")


def test_a_missing_tensor_is_named(tmp_path: Path) -> None:
    directory = write_tiny(tmp_path, {**TINY, "num_hidden_layers": 3})

    with pytest.raises(LocalModelError, match=r"no tensor 'encoder\.layer\.2"):
        build_bert_graph(directory, tmp_path / "model.onnx")


# The real model: vectors as sentence-transformers makes them.


def cosines(a: Any, b: Any) -> Any:
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)


@pytest.fixture(scope="session")
def minilm(tmp_path_factory: pytest.TempPathFactory) -> local_runtime.LoadedEmbedder:
    require_minilm()
    cache = minilm_cache_root(tmp_path_factory) / "models"
    return local_runtime.load_embedder(Device(), cache_dir=cache, progress=False)


@pytest.fixture(scope="module")
def reference() -> dict[str, Any]:
    record: dict[str, Any] = json.loads(REFERENCE.read_text())
    return record


@pytest.mark.slow
def test_vectors_match_sentence_transformers(minilm: Any, reference: dict[str, Any]) -> None:
    together = minilm.runner.encode(reference["texts"])
    one_by_one = np.concatenate([minilm.runner.encode([text]) for text in reference["texts"]])

    for got in (together, one_by_one):
        worst = cosines(got, reference["vectors"]).min()
        assert worst >= 0.9999, worst
        np.testing.assert_allclose(got, reference["vectors"], atol=1e-5)


@pytest.mark.slow
def test_texts_are_cut_at_256_word_pieces(minilm: Any, reference: dict[str, Any]) -> None:
    long = max(reference["texts"], key=len)
    recorded = reference["vectors"][reference["texts"].index(long)]
    assert max(reference["word_pieces"]) > 2 * reference["max_seq_length"] == 512

    vectors = minilm.runner.encode([long, long + " And then something else entirely."])

    assert len(minilm.runner.tokenizer.encode(long).ids) == 256
    assert cosines(vectors[:1], [recorded])[0] >= 0.9999
    np.testing.assert_allclose(vectors[1], vectors[0], atol=1e-6)


@pytest.mark.slow
def test_order_is_restored_after_sorting_by_length(minilm: Any, reference: dict[str, Any]) -> None:
    order = np.random.default_rng(3).permutation(len(reference["texts"]))

    got = minilm.runner.encode([reference["texts"][i] for i in order])

    assert cosines(got, np.asarray(reference["vectors"])[order]).min() >= 0.9999
