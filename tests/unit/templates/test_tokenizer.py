"""Token counting: the estimate keeps its promises, and real tokenizers plug in."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fluent_ai.templates import (
    EncodingTokenizer,
    EstimatedTokenizer,
    HuggingFaceTokenizer,
    Tokenizer,
    truncate_tokens,
)

estimate = EstimatedTokenizer()


def test_estimate_counts_words_digit_groups_and_punctuation() -> None:
    assert estimate.count("") == 0
    assert estimate.count("Hello world") == 2
    assert estimate.count("Hello, world!") == 4
    assert estimate.count("1234567") == 3  # 123 456 7
    assert estimate.count("internationalization") == 4  # one token per 6 letters


def test_estimate_counts_non_latin_text_by_bytes() -> None:
    assert estimate.count("人人") == 3  # 6 UTF-8 bytes, one token per 2


@given(st.text(), st.integers(min_value=0, max_value=30))
def test_estimate_truncation_is_a_prefix_within_budget(text: str, budget: int) -> None:
    result = estimate.truncate(text, budget)
    assert text.startswith(result)
    assert estimate.count(result) <= budget
    if estimate.count(text) <= budget:
        assert result == text


@given(st.text(), st.integers(min_value=0, max_value=30))
def test_estimate_truncation_keeps_as_much_as_fits(text: str, budget: int) -> None:
    result = estimate.truncate(text, budget)
    if result != text:
        # one more character would not fit, unless it is a space left off before a
        # word that did not fit at all
        longer = text[: len(result) + 1]
        assert estimate.count(longer) > budget or text[len(result)].isspace()


def test_estimate_splits_a_word_longer_than_the_budget() -> None:
    assert estimate.truncate("a" * 100, 2) == "a" * 12


def test_negative_budget_is_refused() -> None:
    with pytest.raises(ValueError, match="max_tokens"):
        estimate.truncate("text", -1)


def codepoints() -> EncodingTokenizer:
    """A real, if tiny, encoding: one token per character."""
    return EncodingTokenizer(
        encode=lambda text: [ord(char) for char in text],
        decode=lambda ids: "".join(chr(i) for i in ids),
    )


def test_encoding_tokenizer_counts_and_cuts() -> None:
    tokenizer = codepoints()
    assert isinstance(tokenizer, Tokenizer)
    assert tokenizer.count("hello") == 5
    assert tokenizer.truncate("hello", 3) == "hel"
    assert truncate_tokens("hello world", 6, "…", tokenizer=tokenizer) == "hello…"


@pytest.fixture(scope="module")
def bpe() -> HuggingFaceTokenizer:
    """A byte-level BPE trained here, so the test needs no download."""
    tokenizers = pytest.importorskip("tokenizers")
    model = tokenizers.Tokenizer(tokenizers.models.BPE())
    model.pre_tokenizer = tokenizers.pre_tokenizers.ByteLevel(add_prefix_space=False)
    model.decoder = tokenizers.decoders.ByteLevel()
    trainer = tokenizers.trainers.BpeTrainer(
        vocab_size=400, initial_alphabet=tokenizers.pre_tokenizers.ByteLevel.alphabet()
    )
    corpus = ["the quick brown fox jumps over the lazy dog"] * 50 + ["prompt templates"] * 50
    model.train_from_iterator(corpus, trainer)
    return HuggingFaceTokenizer(model)


def test_hugging_face_tokenizer_counts_exactly(bpe: HuggingFaceTokenizer) -> None:
    text = "the quick brown fox"
    ids = bpe.tokenizer.encode(text, add_special_tokens=False).ids
    assert bpe.count(text) == len(ids)


@given(text=st.text(max_size=60), budget=st.integers(min_value=0, max_value=12))
def test_hugging_face_truncation_is_a_prefix_within_budget(
    bpe: HuggingFaceTokenizer, text: str, budget: int
) -> None:
    result = bpe.truncate(text, budget)
    assert text.startswith(result)
    assert bpe.count(result) <= budget
