"""Incremental decoding: whole characters only, stop strings cut and never shown."""

from __future__ import annotations

from fluent_ai.providers.local.text import TextStream

# A byte-level vocabulary like GPT-2's: a token is some bytes, a character may span tokens.
VOCAB: list[bytes] = []


def tokens(*pieces: bytes) -> list[int]:
    ids = []
    for piece in pieces:
        if piece not in VOCAB:
            VOCAB.append(piece)
        ids.append(VOCAB.index(piece))
    return ids


def decode(ids: list[int]) -> str:
    return b"".join(VOCAB[i] for i in ids).decode("utf-8", errors="replace")


def run(stream: TextStream, ids: list[int]) -> list[str]:
    pieces = [stream.push(i) for i in ids]
    return [*pieces, stream.flush()]


def test_each_token_is_shown_as_soon_as_it_is_whole() -> None:
    assert run(TextStream(decode), tokens(b"Hello", b",", b" world")) == [
        "Hello",
        ",",
        " world",
        "",
    ]


def test_a_character_split_across_tokens_is_held_until_complete() -> None:
    euro = "€".encode()  # three bytes
    pieces = run(TextStream(decode), tokens(b"5 ", euro[:1], euro[1:2], euro[2:], b"!"))
    assert pieces == ["5 ", "", "", "€", "!", ""]
    assert "\ufffd" not in "".join(pieces)


def test_a_character_cut_off_by_the_end_of_generation_is_dropped() -> None:
    smile = "😀".encode()  # four bytes
    assert run(TextStream(decode), tokens(b"hi ", smile[:2])) == ["hi ", "", ""]


def test_a_stop_string_spanning_tokens_is_cut_and_never_shown() -> None:
    stream = TextStream(decode, stop=["<end>"])
    pieces = run(stream, tokens(b"Done", b" <", b"en", b"d>", b" more"))
    assert "".join(pieces) == "Done "
    assert stream.stopped
    assert stream.push(tokens(b"x")[0]) == ""


def test_text_that_only_looked_like_a_stop_string_is_released() -> None:
    stream = TextStream(decode, stop=["<end>"])
    assert run(stream, tokens(b"a <", b"en", b"ter")) == ["a ", "", "<enter", ""]
    assert not stream.stopped


def test_a_held_tail_is_released_when_generation_ends() -> None:
    stream = TextStream(decode, stop=["STOP"])
    assert run(stream, tokens(b"go ", b"ST")) == ["go ", "", "ST"]


def test_the_earliest_of_several_stop_strings_wins() -> None:
    stream = TextStream(decode, stop=["C", "B"])
    assert "".join(run(stream, tokens(b"aBC"))) == "a"


def test_decoding_restarts_after_a_line_break_without_losing_text() -> None:
    seen: list[int] = []

    def counting_decode(ids: list[int]) -> str:
        seen.append(len(ids))
        return decode(ids)

    ids = tokens(b"one", b"\n", b"two", b"\n", b"three")
    assert "".join(run(TextStream(counting_decode), ids)) == "one\ntwo\nthree"
    assert max(seen) == 2
