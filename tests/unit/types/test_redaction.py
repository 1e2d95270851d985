"""The caller's own key is cut out of error text as a whole token, and only if it is a secret.

``OPENAI_API_KEY=k`` once turned "tokens" into "to[REDACTED]ens": a placeholder key, as
local servers take (``EMPTY``, ``ollama``), was cut out of the middle of words.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fluent_ai.types.errors import MIN_SECRET_LENGTH, redact_key

SECRET = "Zq7wPlainLettersKey0042"


@pytest.mark.parametrize("key", ["k", "EMPTY", "ollama", "none", "x" * (MIN_SECRET_LENGTH - 1)])
def test_a_short_placeholder_key_leaves_the_text_alone(key: str) -> None:
    text = "too many tokens: ollama says EMPTY is not a model, x"
    assert redact_key(text, key) == text
    assert redact_key(text.encode(), key) == text.encode()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"Incorrect API key provided: {SECRET}.", "Incorrect API key provided: [REDACTED]."),
        (f'{{"key": "{SECRET}"}}', '{"key": "[REDACTED]"}'),
        (f"Bearer {SECRET}", "Bearer [REDACTED]"),
        (f"GET /v1?key={SECRET}&alt=sse", "GET /v1?key=[REDACTED]&alt=sse"),
        (f"{SECRET}\n{SECRET}", "[REDACTED]\n[REDACTED]"),
        (f"x{SECRET}", f"x{SECRET}"),  # part of a longer word: another token, not the key
        (f"{SECRET}_2", f"{SECRET}_2"),
    ],
)
def test_a_secret_key_is_cut_out_where_it_stands_alone(text: str, expected: str) -> None:
    assert redact_key(text, SECRET) == expected
    assert redact_key(text.encode(), SECRET) == expected.encode()


def test_a_placeholder_long_enough_to_be_a_key_is_redacted_without_garbling() -> None:
    text = "key sk-no-key rejected; sk-no-keys is another word"
    assert redact_key(text, "sk-no-key") == "key [REDACTED] rejected; sk-no-keys is another word"


def test_a_key_with_punctuation_at_its_edges_is_found_next_to_letters() -> None:
    key = "-secret.value-"
    assert redact_key(f"a{key}b", key) == "a[REDACTED]b"


def test_no_key_means_no_change() -> None:
    assert redact_key("tokens", None) == "tokens"
    assert redact_key(b"tokens", "") == b"tokens"


@given(
    # Words and key share no characters, so a word can never be the key itself.
    key=st.text(alphabet="abcdefghijklmnopqrstuvwABC0123456789_-", min_size=1),
    words=st.lists(st.text(alphabet="xyz", min_size=1), max_size=8),
)
def test_words_around_a_key_are_never_cut(key: str, words: list[str]) -> None:
    text = " ".join(words)
    redacted = redact_key(f"{text} {key} {text}", key)
    if len(key) >= MIN_SECRET_LENGTH:
        assert redacted == f"{text} [REDACTED] {text}"
    else:
        assert redacted == f"{text} {key} {text}"
    if key[0] not in "-" and key[-1] not in "-":  # starts and ends inside a word
        assert redact_key(f"to{key}ens", key) == f"to{key}ens"
