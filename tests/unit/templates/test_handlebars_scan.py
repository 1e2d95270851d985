"""The scan that splits Handlebars source into text and tags, as Handlebars.js's lexer does."""

from __future__ import annotations

import pytest

from fluent_ai.templates.engines.handlebars_scan import HandlebarsSyntaxError, Tag, scan


def kinds(source: str) -> list[tuple[str, str] | str]:
    """Each piece: text as itself, a tag as (kind, body)."""
    return [(piece.kind, piece.body) if isinstance(piece, Tag) else piece for piece in scan(source)]


def test_text_and_tags_in_order() -> None:
    source = "Hi {{name}}!{{#each xs}}{{this}}{{else}}none{{/each}}{{! note }}{{{raw}}}{{&amp}}"
    assert kinds(source) == [
        "Hi ",
        ("output", "name"),
        "!",
        ("open", "each xs"),
        ("output", "this"),
        ("else", ""),
        "none",
        ("close", "each"),
        ("comment", " note "),
        ("unescaped", "raw"),
        ("unescaped", "amp"),
    ]


def test_inverse_blocks_else_forms_and_chains() -> None:
    assert kinds("{{^items}}{{^}}{{ else }}{{else if x}}{{/items}}") == [
        ("inverse", "items"),
        ("else", ""),
        ("else", ""),
        ("else", "if x"),
        ("close", "items"),
    ]
    # "else" must be a whole word to start an {{else}}
    assert kinds("{{elsewhere}}") == [("output", "elsewhere")]


def only_tag(source: str) -> Tag:
    """The one tag ``source`` scans to (there is no text around it)."""
    [tag] = scan(source)
    assert isinstance(tag, Tag)
    return tag


def test_tilde_marks() -> None:
    tag = only_tag("{{~#if a~}}")
    assert (tag.kind, tag.body, tag.strip_before, tag.strip_after) == ("open", "if a", True, True)
    tag = only_tag("{{~{raw}~}}")
    assert (tag.kind, tag.body, tag.strip_before, tag.strip_after) == (
        "unescaped",
        "raw",
        True,
        True,
    )
    tag = only_tag("{{! note ~}}")
    assert tag.strip_after


def test_braces_inside_strings_and_segments_do_not_end_a_tag() -> None:
    source = "{{f \"a}}b\" 'c}}'}}{{x.[c}}d]}}"
    assert [source[tag.start : tag.end] for tag in scan(source) if isinstance(tag, Tag)] == [
        "{{f \"a}}b\" 'c}}'}}",
        "{{x.[c}}d]}}",
    ]


def test_comments_end_at_their_own_closing_marks() -> None:
    assert kinds("{{! a }} b }}") == [("comment", " a "), " b }}"]
    assert kinds("{{!-- a }} b --}}c") == [("comment", " a }} b "), "c"]
    assert kinds("{{!--}}") == [("comment", "")]


def test_escaped_braces() -> None:
    assert kinds(r"\{{name}} {{name}}") == ["{{name}} ", ("output", "name")]
    assert kinds(r"\\{{name}}") == ["\\", ("output", "name")]
    assert kinds(r"a\{{{b}}}") == ["a{{{b}}}"]


def test_raw_block_content_is_text() -> None:
    assert kinds("{{{{raw}}}}{{#if}} {{x{{{{/raw}}}}") == [
        ("raw", "raw"),
        "{{#if}} {{x",
        ("raw", "raw"),
    ]


@pytest.mark.parametrize(
    ("source", "offset", "message"),
    [
        ("ab {{x", 3, "{{ is never closed"),
        ("ab {{x\nmore {{y}}", 3, "{{ is never closed"),
        ('{{f "x}}', 0, "no closing quote"),
        ("{{a.[b}}", 0, "no closing ]"),
        ("x {{{a}}", 2, "must be closed with }}}"),
        ("{{!", 0, "comment is never closed"),
        ("{{!-- a }}", 0, "never closed with --}}"),
        ("a\n{{> header}}", 2, "partials"),
        ("{{#> layout}}{{/layout}}", 0, "partials"),
        ("{{* decorator}}", 0, "decorators"),
        ("{{{{raw}}}} x", 0, "raw block {{{{raw}}}} is never closed"),
        ("{{{{raw", 0, "{{{{ is never closed"),
        ("{{{{/raw}}}}", 0, "opens with {{{{name}}}}"),
    ],
)
def test_faults_point_at_the_tag(source: str, offset: int, message: str) -> None:
    with pytest.raises(HandlebarsSyntaxError, match=message) as caught:
        scan(source)
    assert caught.value.offset == offset
