"""Fitting documents to a token budget: order, cuts, drops, reasons, the overflow error."""

import asyncio
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fluent_ai.context import (
    ContextBundle,
    ContextDocument,
    ContextOverflowError,
    File,
    Files,
    abuild_context,
    build_context,
    fit,
    render_document,
)
from fluent_ai.templates import EstimatedTokenizer, Tokenizer
from fluent_ai.types import FluentAIError

from .files import make_tree


class Characters:
    """One token per character: exact, so budgets can be checked to the token."""

    def count(self, text: str) -> int:
        return len(text)

    def truncate(self, text: str, max_tokens: int) -> str:
        return text[:max_tokens]


class Seams:
    """One token per character, plus one for each newline before a ``<``.

    Blocks counted one by one miss the pair at the seam between two blocks, so the
    joined text counts more than its parts: the case build_context must settle.
    """

    def count(self, text: str) -> int:
        return len(text) + text.count("\n<")

    def truncate(self, text: str, max_tokens: int) -> str:
        end = min(len(text), max_tokens)
        while self.count(text[:end]) > max_tokens:
            end -= 1
        return text[:end]


def document(path: str, text: str, tokenizer: Tokenizer) -> ContextDocument:
    return ContextDocument(path, text, tokenizer.count(text))


def loaded(*documents: ContextDocument) -> ContextBundle:
    return ContextBundle(documents)


def test_documents_fit_in_order_the_first_over_is_cut_the_rest_dropped() -> None:
    chars = Characters()
    a, b, c, d = (document(f"{name}.md", "x" * 100, chars) for name in "abcd")
    # Each whole block: '<file path="a.md">\n' (19) + 100 + '\n</file>' (8) + separator (1).
    bundle = fit([loaded(a, b), loaded(c, d)], 350, chars)
    assert [doc.path for doc in bundle.documents] == ["a.md", "b.md", "c.md"]
    assert bundle.documents[:2] == (a, b)
    cut = bundle.documents[2]
    # 350 - 2 * 128 = 94 left; the cut's tags take 36 + 8 + 1, leaving 49 for text.
    assert (cut.text, cut.tokens, cut.truncated) == ("x" * 49, 49, True)
    assert [(s.path, s.kind, s.reason) for s in bundle.skipped] == [
        ("c.md", "truncated", "cut from 100 to 49 tokens to fit the 350-token budget"),
        ("d.md", "dropped", "100 tokens, left out: the 350-token budget was used up"),
    ]
    assert len(bundle.render()) <= 350
    assert bundle.total_tokens == 128 + 128 + 94  # separators counted, the last one too
    assert '<file path="c.md" truncated="true">' in bundle.render()


def test_a_document_too_big_for_even_its_tags_is_dropped() -> None:
    chars = Characters()
    bundle = fit([loaded(document("a.md", "x" * 100, chars))], 40, chars)
    assert bundle.documents == ()
    assert [s.kind for s in bundle.skipped] == ["dropped"]


def test_no_budget_keeps_everything_and_zero_keeps_nothing() -> None:
    chars = Characters()
    docs = loaded(document("a.md", "a" * 50, chars), document("b.md", "b" * 50, chars))
    assert fit([docs], None, chars).documents == docs.documents
    assert fit([docs], 0, chars).documents == ()
    with pytest.raises(ValueError, match="budget_tokens must be 0 or more"):
        fit([docs], -1, chars)


def test_load_skips_come_first_and_duplicates_are_recorded(tmp_path: Path) -> None:
    make_tree(tmp_path, {"a.md": "alpha", "b.bin": b"\x00\x01"})
    bundle = build_context(
        [Files.glob("*", root=tmp_path), Files.glob("a.md", root=tmp_path)], 10_000
    )
    assert bundle.paths == ["a.md"]
    assert [(s.path, s.kind) for s in bundle.skipped] == [
        ("b.bin", "binary"),
        ("a.md", "duplicate"),
    ]


def test_overflow_error_names_the_sizes(tmp_path: Path) -> None:
    make_tree(tmp_path, {"a.md": "word " * 300, "b.md": "word " * 300})
    source = Files.glob("*.md", root=tmp_path)
    needed = build_context(source, None).total_tokens
    with pytest.raises(ContextOverflowError) as raised:
        build_context(source, 100, on_overflow="error")
    error = raised.value
    assert isinstance(error, FluentAIError)
    assert (error.needed_tokens, error.budget_tokens) == (needed, 100)
    assert f"needs {needed:,} tokens for 2 files but the budget is 100 tokens" in str(error)
    assert build_context(source, needed, on_overflow="error").total_tokens == needed


def test_render_escapes_the_path_and_keeps_the_text(tmp_path: Path) -> None:
    doc = ContextDocument('a "quoted" <name>.md', "<b>bold</b> & text\n", 5)
    assert render_document(doc) == (
        '<file path="a &quot;quoted&quot; &lt;name&gt;.md">\n<b>bold</b> & text\n</file>'
    )
    assert render_document(ContextDocument("e.md", "", 0)) == '<file path="e.md">\n</file>'


def test_report_lists_what_was_left_out(tmp_path: Path) -> None:
    make_tree(tmp_path, {"a.md": "word " * 50, "b.md": "word " * 50, "c.bin": b"\x00"})
    report = build_context(Files.glob("*", root=tmp_path), 40).report()
    lines = report.splitlines()
    assert lines[0].startswith("Context: 1 file, ")
    assert lines[0].endswith("tokens of a 40-token budget.")
    assert lines[1] == "Left out or cut short (3):"
    assert lines[2] == "  - c.bin: binary file (a NUL byte at offset 0)"
    assert lines[3].startswith("  - a.md: cut from ")
    assert lines[4].startswith("  - b.md: ")
    assert lines[4].endswith("tokens, left out: the 40-token budget was used up")


def test_a_single_source_and_async_build_agree(tmp_path: Path) -> None:
    make_tree(tmp_path, {"a.md": "alpha beta", "b.md": "gamma"})
    sync = build_context(File(tmp_path / "a.md"), 1_000)
    assert sync.paths == [f"{tmp_path.as_posix()}/a.md"]
    sources = [Files.glob("*.md", root=tmp_path)]
    assert asyncio.run(abuild_context(sources, 20)) == build_context(sources, 20)


texts = st.text(alphabet=st.sampled_from("ab <\n\t.é中"), max_size=200)


@given(
    st.lists(texts, max_size=6),
    st.integers(min_value=0, max_value=400),
    st.sampled_from([Characters(), Seams(), EstimatedTokenizer()]),
)
def test_rendered_context_never_exceeds_the_budget(
    contents: list[str], budget: int, tokenizer: Tokenizer
) -> None:
    docs = [document(f"f{index}.txt", text, tokenizer) for index, text in enumerate(contents)]
    bundle = fit([loaded(*docs)], budget, tokenizer)
    assert tokenizer.count(bundle.render()) <= budget
    kept = {doc.path: doc for doc in bundle.documents}
    recorded = {skip.path: skip.kind for skip in bundle.skipped}
    for original in docs:
        fitted = kept.get(original.path)
        if fitted is None:
            assert recorded[original.path] == "dropped"
        elif fitted.truncated:
            assert recorded[original.path] == "truncated"
            assert original.text.startswith(fitted.text)
        else:
            assert fitted == original
            assert original.path not in recorded
    # Order is kept, and only the last document kept can be a cut one.
    assert [doc.path for doc in bundle.documents] == [d.path for d in docs][: len(kept)]
    assert all(not doc.truncated for doc in bundle.documents[:-1])


def test_when_joined_blocks_count_more_the_last_document_is_trimmed() -> None:
    seams = Seams()
    docs = [document(f"f{index}.txt", "ab\n<" * 10, seams) for index in range(4)]
    whole = fit([loaded(*docs)], None, seams)
    # Costed block by block everything fits, but each seam between blocks adds a token.
    assert seams.count(whole.render()) > whole.total_tokens
    bundle = fit([loaded(*docs)], whole.total_tokens, seams)
    assert seams.count(bundle.render()) <= whole.total_tokens
    assert [s.kind for s in bundle.skipped] == ["truncated"]
    assert bundle.documents[-1].truncated
