"""Handlebars errors name the tag at fault, by line and column, at compile time if they can."""

from __future__ import annotations

import pytest

from fluent_ai.templates import Template, TemplateError
from fluent_ai.templates.engines.handlebars import HandlebarsEngine


@pytest.mark.parametrize(
    ("source", "line", "column", "message"),
    [
        ("ok\n  {{#each items}}\n", 2, 3, "{{#each}} is never closed"),
        ("{{#if a}}{{else if b}}x", 1, 1, "{{#if}} is never closed"),
        ("{{^items}}", 1, 1, "{{^items}} is never closed"),
        ("{{#if a}}\n{{#each b}}{{/if}}", 2, 12, "{{/if}} does not close {{#each}} opened at 2:1"),
        ("x\n{{/each}}", 2, 1, "{{/each}} closes no open block"),
        ("a {{else}}", 1, 3, "{{else}} outside a block"),
        ("{{#if a}}{{else}}{{else}}{{/if}}", 1, 18, "a second {{else}} in {{#if}} opened at 1:1"),
        ("one\ntwo {{name\nthree", 2, 5, "{{ is never closed"),
        ("{{x}}\n {{foo bar)}}", 2, 2, "unexpected ')' in '{{foo bar)}}'"),
        ("{{}}", 1, 1, "a value is missing in '{{}}'"),
        ("{{json (bullets x}}", 1, 1, "a ( is never closed"),
        ("{{json a=1 b}}", 1, 1, "'b' comes after key=value options"),
        ("{{a.this}} ", 1, 1, "'this' can only start a path"),
        ("{{a/../b}}", 1, 1, "'..' can only start a path"),
        ("{{@}}", 1, 1, "unexpected '@'"),
        ("{{x as |y|}}", 1, 1, "block parameters (as |name|) need #each or #with"),
        ("\n\n   {{nope x}}", 3, 4, "unknown helper 'nope'"),
        ("{{json (nope x)}}", 1, 1, "unknown helper 'nope'"),
        ("{{user.name x}}", 1, 1, "unknown helper 'user.name'"),
        ("{{if a}}", 1, 1, "'if' is a block helper"),
        ("{{#nope x}}{{/nope}}", 1, 1, "unknown block helper 'nope'"),
        ("{{#json x}}{{/json}}", 1, 1, "unknown block helper 'json'"),
        ("{{#if a b}}{{/if}}", 1, 1, "#if takes one value"),
        ("{{#with}}{{/with}}", 1, 1, "#with takes one value"),
        ("{{#if a as |x|}}{{/if}}", 1, 1, "too many block parameters for #if"),
        ("{{#each a as |x y z|}}{{/each}}", 1, 1, "too many block parameters for #each"),
        ("{{#each a as ||}}{{/each}}", 1, 1, "names no block parameter"),
        ("{{#each a sorted=true}}{{/each}}", 1, 1, "#each has no option 'sorted'"),
        ("{{#if a includeZero=1}}{{/if}}", 1, 1, "includeZero is true or false"),
        ("{{#user as |u|}}{{/user}}", 1, 1, "need #each or #with"),
        ("{{#}}{{/}}", 1, 1, "a block starts with a name"),
        ('{{#"x"}}{{/"x"}}', 1, 1, "a block starts with a name"),
        ("{{#if a}}{{else (x)}}{{/if}}", 1, 10, "a block starts with a name"),
        ("a\n{{> header}}", 2, 1, "partials ({{> name}}) are not supported"),
        ("{{#* inline}}", 1, 1, "decorators"),
        ("{{{{raw}}}}\nnever closed", 1, 1, "raw block {{{{raw}}}} is never closed"),
        ("a\r\nb\r\n  {{/if}}", 3, 3, "closes no open block"),
    ],
)
def test_compile_errors(source: str, line: int, column: int, message: str) -> None:
    with pytest.raises(TemplateError) as caught:
        Template.compile(source, "handlebars", name="prompt.hbs")
    error = caught.value
    assert message in error.detail
    assert (error.line, error.column) == (line, column)
    assert error.engine == "handlebars"
    assert str(error).startswith(f"prompt.hbs:{line}:{column}: ")


def test_render_errors_point_at_the_failing_tag() -> None:
    source = "one\n{{#each items}}\n  - {{truncate_tokens this 'many'}}\n{{/each}}"
    template = Template.compile(source, "handlebars")
    assert template.render(items=[]) == "one\n"
    with pytest.raises(TemplateError) as caught:
        template.render(items=["text"])
    assert (caught.value.line, caught.value.column) == (3, 5)
    assert isinstance(caught.value.__cause__, TypeError)


def test_a_block_whose_value_fails_is_placed_at_its_tag() -> None:
    with pytest.raises(TemplateError) as caught:
        Template.compile("x\n {{#if (date when)}}y{{/if}}", "handlebars").render(when=True)
    assert (caught.value.line, caught.value.column) == (2, 2)


def test_a_helper_registered_later_is_found_by_the_next_compile() -> None:
    engine = HandlebarsEngine()
    with pytest.raises(TemplateError, match="unknown helper 'twice'"):
        engine.compile("{{twice x}}")
    engine.add_filter("twice", lambda value: value * 2)
    assert engine.compile("{{twice x}}")({"x": "ab"}) == "abab"
