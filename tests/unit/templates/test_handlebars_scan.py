"""The structural pass that places Handlebars errors pybars3 misplaces or misses."""

from __future__ import annotations

import pytest

from fluent_ai.templates import TemplateError, render
from fluent_ai.templates.engines.handlebars_scan import ScanError, scan


def kinds(source: str) -> list[tuple[str, str]]:
    return [(tag.kind, tag.name) for tag in scan(source)]


def test_tags_in_order() -> None:
    source = "{{#each xs}}{{this}}{{else}}none{{/each}}{{! note }}{{{raw}}}"
    assert kinds(source) == [
        ("open", "each"),
        ("expression", ""),
        ("else", ""),
        ("close", "each"),
        ("comment", ""),
        ("expression", ""),
    ]


def test_whitespace_control_and_inverted_blocks() -> None:
    assert kinds("{{~#if a~}}x{{~^~}}y{{~/if~}}{{^b}}z{{/b}}") == [
        ("open", "if"),
        ("else", ""),
        ("close", "if"),
        ("open", "b"),
        ("close", "b"),
    ]


def test_braces_inside_strings_segments_and_raw_blocks_are_text() -> None:
    source = '{{f "a}}b"}}{{x.[c}}d]}}{{{{raw}}}}{{#if}}{{{{/raw}}}}'
    assert [source[tag.start : tag.end] for tag in scan(source)] == [
        '{{f "a}}b"}}',
        "{{x.[c}}d]}}",
        "{{{{raw}}}}{{#if}}{{{{/raw}}}}",
    ]


def test_comment_ends_at_the_first_closing_braces() -> None:
    assert [tag.end for tag in scan("{{! a }} b }}")] == [8]


@pytest.mark.parametrize(
    ("source", "offset", "message"),
    [
        ("ab {{x", 3, "never closed"),
        ("{{#a}}{{#b}}{{/a}}", 12, "does not close {{#b}}"),
        ("{{#a}}x", 0, "{{#a}} is never closed"),
        ("{{{{raw}}}} x", 0, "raw block"),
        ("{{!", 0, "comment"),
    ],
)
def test_faults(source: str, offset: int, message: str) -> None:
    with pytest.raises(ScanError, match=message) as caught:
        scan(source)
    assert caught.value.offset == offset


def test_unclosed_block_is_an_error_not_silently_dropped_text() -> None:
    # pybars3 alone renders "before " for this, dropping the rest without a word
    with pytest.raises(TemplateError, match="never closed"):
        render("before {{#if x}}after", engine="handlebars", x=True)
