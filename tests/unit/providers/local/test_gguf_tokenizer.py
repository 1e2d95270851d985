"""The tokenizer rebuilt from a GGUF file gives the ids the model was trained on.

SmolLM2's ids were recorded once with transformers (``tests/data/
smollm2_tokenizer_reference.json``, see its ``source``); the SentencePiece ids with
sentencepiece itself, from a tiny Llama-style BPE model trained for the purpose
(``tests/data/sentencepiece_tiny_reference.json``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

gguf = pytest.importorskip("gguf")
tokenizers = pytest.importorskip("tokenizers")

from fluent_ai.providers.local.catalog import SMOLLM2  # noqa: E402
from fluent_ai.providers.local.gguf_file import GGUFFile  # noqa: E402
from fluent_ai.providers.local.gguf_tokenizer import (  # noqa: E402
    _bytes_to_unicode,
    encode_prompt,
    special_tokens_from_gguf,
    tokenizer_from_gguf,
)
from fluent_ai.types import LocalModelError  # noqa: E402

DATA = Path(__file__).parents[3] / "data"
REFERENCE = json.loads((DATA / "smollm2_tokenizer_reference.json").read_text("utf-8"))
SENTENCEPIECE = json.loads((DATA / "sentencepiece_tiny_reference.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def smollm2() -> Any:
    try:
        path = SMOLLM2.gguf_path()
    except LocalModelError as error:
        pytest.skip(str(error))
    return GGUFFile(path).fields


@pytest.fixture(scope="module")
def tokenizer(smollm2: Any) -> Any:
    return tokenizer_from_gguf(smollm2)


def write_gguf(path: Path, **metadata: Any) -> Any:
    """A GGUF file holding only tokenizer metadata; ``None`` values are left out."""
    writer = gguf.GGUFWriter(path, "llama")
    for key, value in metadata.items():
        if value is not None:
            getattr(writer, f"add_{key}")(value)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return GGUFFile(path).fields


SPELL = _bytes_to_unicode()
SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|eot_id|>", "<think>"]
MERGES = ["h e", "l l", "he ll", "hell o", "Ġ w", "o r", "Ġw or", "l d", "Ġwor ld"]
BYTE_TOKENS = [*SPECIALS, *SPELL.values(), "he", "ll", "hell", "hello", "Ġw", "or", "Ġwor", "ld"]
BYTE_TOKENS += ["Ġworld", "xyz"]


def byte_level(path: Path, pre: str | None = "gpt-2", **metadata: Any) -> Any:
    return write_gguf(
        path / "byte.gguf",
        tokenizer_model="gpt2",
        tokenizer_pre=pre,
        token_list=BYTE_TOKENS,
        token_types=[3, 3, 3, 4] + [1] * (len(BYTE_TOKENS) - 4),
        token_merges=metadata.pop("merges", MERGES),
        bos_token_id=1,
        eos_token_id=0,
        **metadata,
    )


def sentencepiece(path: Path, **metadata: Any) -> Any:
    return write_gguf(
        path / "spm.gguf",
        tokenizer_model="llama",
        token_list=SENTENCEPIECE["tokens"],
        token_scores=metadata.pop("scores", SENTENCEPIECE["scores"]),
        token_types=SENTENCEPIECE["token_type"],
        bos_token_id=SENTENCEPIECE["bos_id"],
        eos_token_id=SENTENCEPIECE["eos_id"],
        unk_token_id=SENTENCEPIECE["unk_id"],
        **metadata,
    )


# --- SmolLM2, the real file -------------------------------------------------------


@pytest.mark.parametrize("case", REFERENCE["encodings"], ids=lambda case: repr(case["text"])[:40])
def test_smollm2_ids_equal_the_reference(tokenizer: Any, case: dict[str, Any]) -> None:
    ids = tokenizer.encode(case["text"], add_special_tokens=False).ids
    assert ids == case["ids"]
    assert tokenizer.decode(ids, skip_special_tokens=False) == case["decoded"] == case["text"]


@pytest.mark.parametrize("case", REFERENCE["digit_whitespace"], ids=lambda case: repr(case["text"]))
def test_digits_split_as_smollm2_was_trained(tokenizer: Any, case: dict[str, Any]) -> None:
    """``smollm`` isolates every digit first, so a whitespace run before one stays whole.

    transformers' GGUF converter ignores the pre-tokenizer name and differs here; the
    expected ids are those of SmolLM2's own tokenizer.json (and of llama.cpp).
    """
    assert tokenizer.encode(case["text"], add_special_tokens=False).ids == case["ids"]


def test_a_rendered_chat_encodes_to_the_reference_ids(tokenizer: Any, smollm2: Any) -> None:
    special = special_tokens_from_gguf(smollm2)
    for chat in REFERENCE["chats"]:
        assert encode_prompt(tokenizer, special, chat["rendered"]) == chat["ids"]


def test_control_tokens_are_single_ids(tokenizer: Any, smollm2: Any) -> None:
    tokens = list(smollm2["tokenizer.ggml.tokens"])
    types = list(smollm2["tokenizer.ggml.token_type"])
    controls = [(index, token) for index, token in enumerate(tokens) if types[index] == 3]
    assert len(controls) == 17
    for index, token in controls:
        assert tokenizer.encode(f"a{token}b", add_special_tokens=False).ids[1] == index
    assert tokenizer.get_vocab_size(with_added_tokens=True) == REFERENCE["vocab_size"]


def test_smollm2_special_tokens(smollm2: Any) -> None:
    special = special_tokens_from_gguf(smollm2)
    assert (special.bos_id, special.eos_id, special.add_bos) == (1, 2, False)
    assert (special.bos_token, special.eos_token) == ("<|im_start|>", "<|im_end|>")
    assert special.end_ids == (0, 2)  # <|im_end|>, and <|endoftext|> on llama.cpp's list


def test_the_tokenizer_survives_its_json(tokenizer: Any) -> None:
    """The loader caches ``to_str()``; the copy must tokenize identically."""
    copy = tokenizers.Tokenizer.from_str(tokenizer.to_str())
    for case in REFERENCE["encodings"] + REFERENCE["digit_whitespace"]:
        assert copy.encode(case["text"], add_special_tokens=False).ids == case["ids"]


# --- byte-level BPE, synthetic files ----------------------------------------------


def test_byte_level_merges_added_tokens_and_round_trip(tmp_path: Path) -> None:
    tokenizer = tokenizer_from_gguf(byte_level(tmp_path))
    hello, world = BYTE_TOKENS.index("hello"), BYTE_TOKENS.index("Ġworld")
    assert tokenizer.encode("hello world", add_special_tokens=False).ids == [hello, world]
    ids = tokenizer.encode("<|im_start|>hello<think> wörld 中😀", add_special_tokens=False).ids
    assert ids[:3] == [1, hello, 3]
    assert tokenizer.decode(ids, skip_special_tokens=False) == "<|im_start|>hello<think> wörld 中😀"
    # user-defined tokens are text the model writes, not control tokens to hide
    assert tokenizer.decode(ids, skip_special_tokens=True) == "hello<think> wörld 中😀"


@pytest.mark.parametrize(
    ("pre", "pieces"),
    [
        (None, ["Hello", " world", "'", "s", " ", "123", "45", " DON", "'", "T", " ", " x"]),
        ("gpt-2", ["Hello", " world", "'s", " 12345", " DON", "'", "T", " ", " x"]),
        ("smollm", ["Hello", " world", "'s", " ", "1", "2", "3", "4", "5", " DON", "'", "T"]),
        ("llama-bpe", ["Hello", " world", "'s", " ", "123", "45", " DON", "'T", " ", " x"]),
        ("qwen2", ["Hello", " world", "'s", " ", "1", "2", "3", "4", "5", " DON", "'T", " "]),
    ],
)
def test_each_pre_tokenizer_splits_as_llama_cpp(
    tmp_path: Path, pre: str | None, pieces: list[str]
) -> None:
    """Expected pieces: llama.cpp's regexes applied in turn with Python's ``regex``."""
    tokenizer = tokenizer_from_gguf(byte_level(tmp_path, pre))
    assert tokenizer.pre_tokenizer is not None
    split = tokenizer.pre_tokenizer.pre_tokenize_str("Hello world's 12345 DON'T  x\n\n  y")
    spelled = ["".join(SPELL[byte] for byte in piece.encode()) for piece in pieces]
    assert [piece for piece, _ in split[: len(pieces)]] == spelled


def test_llama3_takes_a_whole_token_without_merges(tmp_path: Path) -> None:
    """llama.cpp's ``ignore_merges`` for Llama 3: a piece in the vocabulary is one id."""
    xyz = BYTE_TOKENS.index("xyz")
    assert tokenizer_from_gguf(byte_level(tmp_path, "llama-bpe")).encode("xyz").ids == [xyz]
    assert len(tokenizer_from_gguf(byte_level(tmp_path, "gpt-2")).encode("xyz").ids) == 3


def test_end_of_turn_ids_and_bos_defaults(tmp_path: Path) -> None:
    special = special_tokens_from_gguf(byte_level(tmp_path, "llama-bpe", eot_token_id=5))
    assert special.end_ids == (0, 2, 5)  # eos, <|eot_id|> by name, eot_token_id
    assert special.add_bos  # llama.cpp adds BOS for Llama 3 when the file does not say
    told = byte_level(tmp_path, "llama-bpe", add_bos_token=False)
    assert not special_tokens_from_gguf(told).add_bos


def test_encode_prompt_adds_bos_once(tmp_path: Path) -> None:
    reader = byte_level(tmp_path, "llama-bpe")
    tokenizer, special = tokenizer_from_gguf(reader), special_tokens_from_gguf(reader)
    hello = BYTE_TOKENS.index("hello")
    assert encode_prompt(tokenizer, special, "hello") == [1, hello]
    assert encode_prompt(tokenizer, special, "<|im_start|>hello") == [1, hello]


# --- SentencePiece, a tiny trained vocabulary -------------------------------------


@pytest.mark.parametrize("case", SENTENCEPIECE["encodings"], ids=lambda case: repr(case["text"]))
def test_sentencepiece_ids_equal_sentencepiece(tmp_path: Path, case: dict[str, Any]) -> None:
    tokenizer = tokenizer_from_gguf(sentencepiece(tmp_path))
    ids = tokenizer.encode(case["text"], add_special_tokens=False).ids
    assert ids == case["ids"]
    assert tokenizer.decode(ids) == case["decoded"] == case["text"]


def test_sentencepiece_special_and_byte_tokens(tmp_path: Path) -> None:
    reader = sentencepiece(tmp_path)
    tokenizer, special = tokenizer_from_gguf(reader), special_tokens_from_gguf(reader)
    assert (special.bos_id, special.eos_id, special.add_bos) == (1, 2, True)
    tokens = SENTENCEPIECE["tokens"]
    encoded = tokenizer.encode("<s>hi\n</s><tool>", add_special_tokens=False)
    assert encoded.ids[0] == 1
    assert encoded.ids[-2:] == [2, 3]
    assert tokens.index("<0x0A>") in encoded.ids  # the newline falls back to its byte
    # like llama.cpp, the text after a special token gets SentencePiece's prefix space
    assert encoded.tokens[1] == "▁"


def test_sentencepiece_without_a_prefix_space(tmp_path: Path) -> None:
    tokenizer = tokenizer_from_gguf(sentencepiece(tmp_path, add_space_prefix=False))
    assert tokenizer.encode("Hello").tokens[0] != "▁"
    assert tokenizer.decode(tokenizer.encode(" Hello world").ids) == " Hello world"


# --- files that cannot be tokenized -----------------------------------------------


def test_an_unknown_tokenizer_model_is_named(tmp_path: Path) -> None:
    reader = write_gguf(tmp_path / "bert.gguf", tokenizer_model="bert", token_list=["[CLS]"])
    with pytest.raises(LocalModelError, match=r"'bert'.*'gpt2', 'llama'"):
        tokenizer_from_gguf(reader)


def test_an_unknown_pre_tokenizer_is_named_with_the_supported_ones(tmp_path: Path) -> None:
    with pytest.raises(LocalModelError, match=r"'made-up'.*llama-bpe.*smollm") as caught:
        tokenizer_from_gguf(byte_level(tmp_path, "made-up"))
    assert caught.value.provider == "local"


def test_byte_level_without_merges_is_refused(tmp_path: Path) -> None:
    with pytest.raises(LocalModelError, match=r"no tokenizer\.ggml\.merges"):
        tokenizer_from_gguf(byte_level(tmp_path, merges=None))


def test_sentencepiece_without_scores_is_refused(tmp_path: Path) -> None:
    with pytest.raises(LocalModelError, match=r"one tokenizer\.ggml\.scores per token"):
        tokenizer_from_gguf(sentencepiece(tmp_path, scores=None))
