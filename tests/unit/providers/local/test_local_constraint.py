"""Grammar-constrained decoding on a tiny hand-made vocabulary: the mask, the loop, the end.

The vocabulary is a GGUF-style byte-level BPE (the project's own tokenizer builder
makes it), small enough that every allowed set can be checked by hand, and the
"model" is random logits: whatever it prefers, the answer must follow the grammar.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest

pytest.importorskip("llguidance")
pytest.importorskip("tokenizers")

from fluent_ai.providers.local.constraint import (
    Constraint,
    IncompleteAnswerError,
    build_tokenizer,
)
from fluent_ai.providers.local.generate import run_generation
from fluent_ai.providers.local.gguf_tokenizer import _bytes_to_unicode, tokenizer_from_gguf
from fluent_ai.providers.local.grammar import closed, grammar_for
from fluent_ai.providers.local.sampling import GenerationOptions
from fluent_ai.types import (
    ChatRequest,
    InvalidRequestError,
    Message,
    ResponseFormat,
    ToolChoice,
    ToolSpec,
    UnsupportedFeatureError,
)

SPECIAL = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
CHARACTERS = list('{}[]":,. abcdefghijklmnopqrstuvwxyz0123456789\n')
SPELL = _bytes_to_unicode()
MERGED = ['{"', '":', '",', '"}', "na", "me"]
TOKENS = (
    SPECIAL
    + [SPELL[ord(c)] for c in CHARACTERS]
    + ["".join(SPELL[ord(c)] for c in m) for m in MERGED]
)
END_IDS = (0, 2)
SCHEMA = {
    "type": "object",
    "properties": {"name": {"type": "string", "maxLength": 6}, "age": {"type": "integer"}},
    "required": ["name", "age"],
    "additionalProperties": False,
}


def spelled(text: str) -> str:
    return "".join(SPELL[byte] for byte in text.encode())


@pytest.fixture(scope="module")
def tokenizer() -> Any:
    merges = [" ".join(spelled(c) for c in m) for m in MERGED]
    metadata = {
        "tokenizer.ggml.model": "gpt2",
        "tokenizer.ggml.pre": "default",
        "tokenizer.ggml.tokens": TOKENS,
        "tokenizer.ggml.token_type": [3, 3, 3] + [1] * (len(TOKENS) - 3),
        "tokenizer.ggml.merges": merges,
    }
    return tokenizer_from_gguf(metadata)


@pytest.fixture(scope="module")
def guidance(tokenizer: Any) -> Any:
    return build_tokenizer(tokenizer, END_IDS, len(TOKENS))


def constraint_for(guidance: Any, **request: Any) -> Constraint:
    grammar = grammar_for(ChatRequest(model="m", messages=[Message.user("hi")], **request))
    assert grammar is not None
    return Constraint(guidance, grammar.source)


def allowed_text(constraint: Constraint) -> set[str]:
    return {TOKENS[i] for i in np.flatnonzero(constraint.allowed())}


def test_llguidance_reads_the_same_bytes_as_the_project_tokenizer(guidance: Any) -> None:
    inverse = {char: byte for byte, char in SPELL.items()}
    for token_id, token in enumerate(TOKENS[3:], start=3):
        assert guidance.decode_bytes([token_id]) == bytes(inverse[c] for c in token)
    assert guidance.eos_tokens == list(END_IDS)


def test_the_mask_allows_only_what_the_schema_allows(tokenizer: Any, guidance: Any) -> None:
    schema = ResponseFormat(type="json_schema", json_schema=SCHEMA)
    constraint = constraint_for(guidance, response_format=schema)
    # '{' alone would have to be followed by '"', which the tokenizer writes as one
    # token: llguidance keeps to the tokenization the model was trained on
    assert allowed_text(constraint) == {spelled('{"')}
    for token in tokenizer.encode('{"name": "ada", "age": 36', add_special_tokens=False).ids:
        assert constraint.allowed()[token]
        constraint.advance(token)
    assert not constraint.accepting
    allowed = allowed_text(constraint)
    assert "}" in allowed
    assert SPECIAL[2] not in allowed
    assert "a" not in allowed
    constraint.advance(tokenizer.token_to_id("}"))
    assert constraint.accepting
    assert constraint.finished
    assert allowed_text(constraint) == {SPECIAL[0], SPECIAL[2]}  # only the end is left


def test_restrict_sets_forbidden_logits_to_minus_infinity(guidance: Any) -> None:
    schema = ResponseFormat(type="json_schema", json_schema=SCHEMA)
    constraint = constraint_for(guidance, response_format=schema)
    logits = np.zeros(len(TOKENS) + 5, dtype=np.float32)  # a padded embedding table
    constraint.restrict(logits)
    assert [TOKENS[i] for i in np.flatnonzero(np.isfinite(logits))] == [spelled('{"')]


def test_a_schema_llguidance_cannot_compile_is_an_invalid_request(guidance: Any) -> None:
    broken = ResponseFormat(type="json_schema", json_schema={"type": "object", "$ref": "#/nope"})
    with pytest.raises(InvalidRequestError, match="cannot follow this schema"):
        constraint_for(guidance, response_format=broken)


@dataclass
class RandomRunner:
    """Stands in for the graph: random logits, whatever was fed."""

    random: np.random.Generator = field(default_factory=lambda: np.random.default_rng(7))

    def start(self, prompt: list[int]) -> Any:
        return self.forward(prompt)

    def forward(self, ids: list[int]) -> Any:
        return self.random.normal(0, 3, len(TOKENS)).astype(np.float32)


@dataclass
class RandomModel:
    """The parts of a LocalModel the generation loop reads, over the tiny vocabulary."""

    tokenizer: Any
    runner: RandomRunner = field(default_factory=RandomRunner)
    context_window: int = 4096
    end_token_ids: frozenset[int] = frozenset(END_IDS)

    def prompt_ids(self, messages: list[dict[str, str]]) -> list[int]:
        return [1]

    def decode(self, ids: list[int]) -> str:
        text: str = self.tokenizer.decode(ids, skip_special_tokens=True)
        return text


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_logits_still_give_json_that_validates(
    tokenizer: Any, guidance: Any, seed: int
) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = ResponseFormat(type="json_schema", json_schema=SCHEMA)
    pieces: list[str] = []
    outcome = run_generation(
        RandomModel(tokenizer),  # type: ignore[arg-type]
        [],
        GenerationOptions(max_tokens=200, temperature=1.0, seed=seed),
        pieces.append,
        threading.Event(),
        constraint_for(guidance, response_format=schema),
    )
    jsonschema.validate(json.loads("".join(pieces)), SCHEMA)
    assert outcome.raw_reason == "eos"


def test_running_out_of_tokens_mid_json_is_an_error_not_a_cut_answer(
    tokenizer: Any, guidance: Any
) -> None:
    with pytest.raises(IncompleteAnswerError, match="max_tokens"):
        run_generation(
            RandomModel(tokenizer),  # type: ignore[arg-type]
            [],
            GenerationOptions(max_tokens=3),
            lambda piece: None,
            threading.Event(),
            constraint_for(guidance, response_format=ResponseFormat(type="json_object")),
        )


def tool(name: str) -> ToolSpec:
    parameters = {
        "type": "object",
        "properties": {"n": {"type": "integer"}},
        "required": ["n"],
        "additionalProperties": False,
    }
    return ToolSpec(name=name, parameters=parameters)


def accepts(constraint: Constraint, tokenizer: Any, text: str) -> bool:
    for token in tokenizer.encode(text, add_special_tokens=False).ids:
        if not constraint.allowed()[token]:
            return False
        constraint.advance(token)
    return constraint.accepting


def test_required_tools_allow_only_calls_of_those_tools(tokenizer: Any, guidance: Any) -> None:
    tools = [tool("add"), tool("neg")]
    required = ToolChoice(mode="required")

    def calls(text: str) -> bool:
        return accepts(constraint_for(guidance, tools=tools, tool_choice=required), tokenizer, text)

    assert calls('[{"name": "add", "arguments": {"n": 2}}, {"name": "neg", "arguments": {"n": 1}}]')
    assert not calls('[{"name": "mul", "arguments": {"n": 2}}]')
    assert not calls('[{"name": "add", "arguments": {"m": 2}}]')
    assert not calls("hello")
    named = ToolChoice(mode="tool", name="neg")
    only_neg = constraint_for(guidance, tools=tools, tool_choice=named)
    assert not accepts(only_neg, tokenizer, '[{"name": "add", "arguments": {"n": 2}}]')


def test_auto_allows_text_or_calls_and_the_first_byte_decides(
    tokenizer: Any, guidance: Any
) -> None:
    def auto(text: str) -> bool:
        return accepts(constraint_for(guidance, tools=[tool("add")]), tokenizer, text)

    assert auto("it is nine.")
    assert auto('[{"name": "add", "arguments": {"n": 2}}]')
    assert not auto("[it is nine]")  # a bracket starts a list of calls, or nothing
    assert not auto(" it is nine")


def test_llguidance_reads_smollm2s_whole_vocabulary_as_the_gguf_spells_it() -> None:
    from fluent_ai.providers.local.catalog import SMOLLM2
    from fluent_ai.providers.local.gguf_file import GGUFFile
    from fluent_ai.types import LocalModelError

    try:
        metadata = GGUFFile(SMOLLM2.gguf_path()).fields
    except LocalModelError as error:
        pytest.skip(str(error))
    tokens = [str(token) for token in metadata["tokenizer.ggml.tokens"]]
    types = list(metadata["tokenizer.ggml.token_type"])
    guidance = build_tokenizer(tokenizer_from_gguf(metadata), END_IDS, len(tokens))
    inverse = {char: byte for byte, char in SPELL.items()}
    ordinary = [i for i, kind in enumerate(types) if kind == 1]
    assert len(ordinary) > 49_000
    for token_id in ordinary:
        expected = bytes(inverse[c] for c in tokens[token_id])
        assert guidance.decode_bytes([token_id]) == expected, tokens[token_id]


def test_auto_with_a_json_answer_allows_that_json_or_calls(tokenizer: Any, guidance: Any) -> None:
    answer = ResponseFormat(type="json_schema", json_schema=SCHEMA)

    def auto(text: str) -> bool:
        constraint = constraint_for(guidance, tools=[tool("add")], response_format=answer)
        return accepts(constraint, tokenizer, text)

    assert auto('{"name": "ada", "age": 36}')
    assert auto('[{"name": "add", "arguments": {"n": 2}}]')
    assert not auto("it is nine.")
    assert not auto('{"name": "ada"}')


def test_required_tools_make_this_turn_calls_whatever_the_response_format(
    tokenizer: Any, guidance: Any
) -> None:
    constraint = constraint_for(
        guidance,
        tools=[tool("add")],
        tool_choice=ToolChoice(mode="required"),
        response_format=ResponseFormat(type="json_schema", json_schema=SCHEMA),
    )
    assert accepts(constraint, tokenizer, '[{"name": "add", "arguments": {"n": 2}}]')


def test_with_tools_a_json_answer_must_be_an_object() -> None:
    answer = ResponseFormat(type="json_schema", json_schema={"type": "array"})
    request = ChatRequest(model="m", messages=[Message.user("hi")], tools=[tool("add")])
    with pytest.raises(UnsupportedFeatureError, match="must be an object"):
        grammar_for(request.model_copy(update={"response_format": answer}))


def test_a_strict_schema_closes_its_objects_and_an_open_one_stays_open(
    tokenizer: Any, guidance: Any
) -> None:
    person = {"type": "object", "properties": {"age": {"type": "integer"}}}
    nested = {
        "type": "object",
        "properties": {"who": {"$ref": "#/$defs/P"}},
        "$defs": {"P": person},
    }
    extra = '{"who": {"age": 3, "name": "x"}}'

    def allows(strict: bool, text: str) -> bool:
        answer = ResponseFormat(type="json_schema", json_schema=nested, strict=strict)
        return accepts(constraint_for(guidance, response_format=answer), tokenizer, text)

    assert allows(False, extra)
    assert not allows(True, extra)
    assert allows(True, '{"who": {"age": 3}}')
    assert closed({"properties": {"properties": {"type": "object"}}}) == {
        "properties": {"properties": {"type": "object"}},
        "additionalProperties": False,
    }
