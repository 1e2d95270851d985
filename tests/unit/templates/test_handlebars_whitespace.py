"""Whitespace control: ``~`` marks and standalone tags, as Handlebars.js applies them.

Every expected output here except the last test's is what Handlebars.js 4.7.8
renders for the same template and data (raw blocks with the usual ``raw`` helper,
which returns the block's content).
"""

from __future__ import annotations

from typing import Any

import pytest

from fluent_ai.templates.engines.handlebars import HandlebarsEngine

engine = HandlebarsEngine()


def render(source: str, **variables: Any) -> str:
    return engine.compile(source)(variables)


@pytest.mark.parametrize(
    ("source", "variables", "expected"),
    [
        (
            "Rules:\n{{#each rules}}\n  - {{this}}\n{{/each}}\nEnd\n",
            {"rules": ["be brief", "be kind"]},
            "Rules:\n  - be brief\n  - be kind\nEnd\n",
        ),
        ("{{#if admin}}\n  admin\n{{else}}\n  guest\n{{/if}}\n", {"admin": False}, "  guest\n"),
        ("  {{#if x}}  \nyes\n  {{/if}}  \nafter", {"x": True}, "yes\nafter"),
        ("{{#if x}}\r\nyes\r\n{{/if}}\r\n", {"x": True}, "yes\r\n"),
        ("{{#if a}}\t\n  x\n\t{{/if}}\t", {"a": True}, "  x\n"),
        ("\n{{#if a}}\n\nx\n\n{{/if}}\n\n", {"a": True}, "\n\nx\n\n\n"),
        ("{{#if a}}\n{{/if}}", {"a": True}, ""),
        ("{{x}}\n{{#if a}}\ny\n{{/if}}\n", {"x": 1, "a": True}, "1\ny\n"),
        ("{{^items}}\n  empty\n{{/items}}\n", {"items": []}, "  empty\n"),
        (
            "{{#each items}}\n{{#if this}}\n{{this}}\n{{/if}}\n{{/each}}",
            {"items": ["a", "", "b"]},
            "a\nb\n",
        ),
        (
            "start\n{{#each items}}\n  {{@index}}: {{this}}\n{{else}}\n  none\n{{/each}}\nend",
            {"items": []},
            "start\n  none\nend",
        ),
        (
            "{{#if a}}\n  A\n{{else if b}}\n  B\n{{else}}\n  C\n{{/if}}\n",
            {"a": False, "b": True},
            "  B\n",
        ),
    ],
)
def test_a_block_tag_alone_on_its_line_leaves_no_line_behind(
    source: str, variables: dict[str, Any], expected: str
) -> None:
    assert render(source, **variables) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("a\n  {{! a comment }}\nb", "a\nb"),
        ("a\n{{!-- a }} comment --}}\nb", "a\nb"),
        ("{{! only }}", ""),
        ("a{{! c }}\n", "a\n"),
        ("{{{{raw}}}}\n{{x}}\n{{{{/raw}}}}\n", "{{x}}\n"),
    ],
)
def test_comments_and_raw_blocks_alone_on_their_lines(source: str, expected: str) -> None:
    assert render(source) == expected


def test_a_tag_sharing_its_line_with_text_keeps_the_whitespace() -> None:
    assert render("a {{#if x}}\nyes\n{{/if}} b", x=True) == "a \nyes\n b"


def test_output_tags_are_never_standalone() -> None:
    assert render("a\n  {{x}}\nb", x="X") == "a\n  X\nb"


def test_tilde_strips_all_whitespace_on_its_side() -> None:
    assert render("  {{~x~}}  ", x="X") == "X"
    assert render("x {{~#if x~}}  \n  y  \n  {{~/if~}} z", x=True) == "xyz"
    assert render("a \n {{~! c ~}} \n b") == "ab"
    assert render("[ {{~{x}~}} ]", x="<b>") == "[<b>]"


def test_chained_else_closing_tag_is_judged_by_its_own_line() -> None:
    # Handlebars.js judges this {{/if}} by the text of the {{else if}} branch and
    # renders "C\n  end" (indentation kept, line break taken); here it is standalone.
    source = "{{#if a}}\nA\n{{else if b}}\nB\n{{else}}\nC\n  {{/if}}\nend"
    assert render(source, a=False, b=False) == "C\nend"
