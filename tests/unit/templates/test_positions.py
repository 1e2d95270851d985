"""Compile errors say where they are: exact line and column for known bad templates."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fluent_ai.templates import Template, TemplateError

CASES = [
    # engine, source, line, column, part of the message
    ("jinja", "a\n{% for x in y %}\n b {% endif %}", 3, 7, "unknown tag 'endif'"),
    ("jinja", "a\n  {{ x + }}", 2, 10, "end of print statement"),
    ("jinja", "l1\nl2 {{ 'abc }}", 2, 7, "unexpected char"),
    ("jinja", "a\n{{ x | upper(1 }}", 2, 16, "unexpected '}'"),
    ("jinja", "{% if x %}\nabc", 2, 4, "end of template"),
    ("jinja", "hello\n  {{ x | nope }}", 2, 10, "No filter named 'nope'"),
    ("jinja", "a\r\nb  {% endfor %}", 2, 7, "unknown tag 'endfor'"),
    ("jinja", "{#{", 1, 3, "Missing end of comment tag"),
    ("liquid", "x\n {% unknown %}", 2, 5, "unexpected tag 'unknown'"),
    ("liquid", "a\n{% for x in %}{{ y }}{% endfor %}", 2, 8, "expected a primitive"),
    ("liquid", "a\n{% if x %}b{% endif %}\n  {% if y == %}c{% endif %}", 3, 9, "primitive"),
    ("liquid", "hello\n  {{ x | nope }}", 2, 10, "unknown filter 'nope'"),
    ("liquid", "a\n{% if a %}{% if b %}{% endif %}", 2, 32, "expected tag endif"),
    ("handlebars", "hi\n{{#if a}}\nx\n{{/each}}\n", 4, 1, "does not close {{#if}} opened at 2:1"),
    ("handlebars", "line1\nline2 {{#if x}}\n", 2, 7, "{{#if}} is never closed"),
    ("handlebars", "a\nb {{ foo bar\n c", 2, 3, "never closed"),
    ("handlebars", "a\n  {{>}}\nb", 2, 3, "partials ({{> name}}) are not supported"),
    ("handlebars", "x\n {{else}}", 2, 2, "{{else}} outside a block"),
    ("handlebars", "ok\n{{/if}}", 2, 1, "closes no open block"),
]


@pytest.mark.parametrize(("engine", "source", "line", "column", "message"), CASES)
def test_syntax_error_position(
    engine: str, source: str, line: int, column: int, message: str
) -> None:
    with pytest.raises(TemplateError) as caught:
        Template.compile(source, engine, name="prompt.txt")
    error = caught.value
    assert (error.line, error.column) == (line, column)
    assert message in error.detail
    assert error.engine == engine
    assert error.source_name == "prompt.txt"
    assert str(error).startswith(f"prompt.txt:{line}:{column}: ")


def test_unnamed_template_names_its_engine() -> None:
    with pytest.raises(TemplateError, match=r"^<liquid template>:1:4: "):
        Template.compile("{% nope %}", "liquid")


def test_render_error_line(engine: str) -> None:
    source = {
        "jinja": "one\ntwo {{ missing }}",
        "liquid": "one\ntwo {{ missing }}",
        "handlebars": "one\n{{#each items}}{{/each}}{{truncate_tokens x 'n'}}",
    }[engine]
    with pytest.raises(TemplateError) as caught:
        Template.compile(source, engine).render(x="text")
    assert caught.value.line == 2


PIECES = st.sampled_from(
    [
        *"{}#/^!~>&[]()'\"\\ \n.=@_ab1|",
        *("{{", "}}", "{%", "%}", "{{#if a}}", "{{/if}}", "{{else}}"),
        *("{% if a %}", "{% endif %}", "{{{{raw}}}}", "{{{{/raw}}}}"),
    ]
)


@pytest.mark.parametrize("engine", ["jinja", "liquid", "handlebars"])
@settings(max_examples=300, deadline=None)
@given(source=st.lists(PIECES, max_size=20).map("".join))
def test_any_text_compiles_or_raises_a_placed_template_error(engine: str, source: str) -> None:
    error: TemplateError | None = None
    try:
        Template.compile(source, engine)
    except TemplateError as raised:
        error = raised
    if error is not None:
        lines = source.count("\n") + source.count("\r") + 1
        assert error.line is None or 1 <= error.line <= lines
        assert error.column is None or error.column >= 1
