"""Each Handlebars construct renders as in Handlebars.js.

Where an expected output is one Handlebars.js would give too, it was checked against
Handlebars.js 4.7.8; the differences (values printed the Python way, empty mappings
being false, ``items.1`` read as ``items.[1]``, values never called) are tested as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from pydantic import BaseModel

from fluent_ai.templates.engines.handlebars import HandlebarsEngine

engine = HandlebarsEngine()


def render(source: str, **variables: Any) -> str:
    return engine.compile(source)(variables)


USER = {"name": "Ada", "team": {"name": "Core"}}
PEOPLE = [{"name": "Ada", "langs": ["en", "fr"]}, {"name": "Bo", "langs": []}]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{user.name}} {{user/name}} {{user.team.name}}", "Ada Ada Core"),
        ("{{this.user.name}} {{./user.name}} {{[user].[name]}}", "Ada Ada Ada"),
        ("{{items.[1]}} {{items.length}} {{user.name.length}}", "b 2 3"),
        ("{{items.1}}", "b"),  # Handlebars.js wants items.[1]; pybars3 read this, so it stays
        ("{{[first name]}} {{odd.[a.b]}} {{odd.[x\\]y]}}", "Q 1 2"),
        ("[{{missing}}|{{missing.deeper}}|{{items.[5]}}|{{user.name.first}}]", "[|||]"),
        ("{{t}} {{f}} {{zero}} {{n}} [{{none}}]", "true false 0 7 []"),
        ('{{"first name"}}', "Q"),  # a literal in the head of a tag is a name
        ("{{#with user}}{{name}} of {{team.name}}, {{../title}}{{/with}}", "Ada of Core, T"),
        ("{{#with user}}{{#with team}}{{../name}} {{../../title}}{{/with}}{{/with}}", "Ada T"),
        ("{{#each items}}{{#if this}}{{../title}}{{/if}}{{/each}}", "TT"),  # #if adds no ../
        ("{{#each items}}{{@root.title}}{{@root.user.name}} {{/each}}", "TAda TAda "),
        ("{{../title}}[{{../../x}}]", "[]"),
    ],
)
def test_paths(source: str, expected: str) -> None:
    variables: dict[str, object] = {
        "user": USER,
        "items": ["a", "b"],
        "title": "T",
        "first name": "Q",
    }
    variables |= {"odd": {"a.b": 1, "x]y": 2}, "t": True, "f": False, "zero": 0, "n": 7}
    assert render(source, **variables, none=None) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "{{#each items}}{{@index}}/{{@key}}/{{this}}"
            "{{#if @first}}F{{/if}}{{#if @last}}L{{/if}} {{/each}}",
            "0/0/aF 1/1/b 2/2/cL ",
        ),
        (
            "{{#each obj}}{{@key}}={{this}}({{@index}}"
            "{{#if @first}}F{{/if}}{{#if @last}}L{{/if}}) {{/each}}",
            "x=1(0F) y=2(1L) ",
        ),
        ("{{#each rows}}{{#each this}}{{@../index}}.{{@index}} {{/each}}{{/each}}", "0.0 1.0 1.1 "),
        (
            "{{#each people}}{{name}}:"
            "{{#each langs}}{{../name}}-{{this}},{{else}}none{{/each}} {{/each}}",
            "Ada:Ada-en,Ada-fr, Bo:none ",
        ),
        ("{{#each items as |item i|}}{{i}}={{item}} {{/each}}", "0=a 1=b 2=c "),
        ("{{#each obj as |value key|}}{{key}}={{value}} {{/each}}", "x=1 y=2 "),
        (
            "{{#each rows as |row|}}"
            "{{#each row as |cell|}}{{row.length}}{{cell}} {{/each}}{{/each}}",
            "1a 2b 2c ",
        ),
        (
            "{{#each items as |item|}}{{this.item}}{{/each}}",
            "",
        ),  # this.x is never a block parameter
        ("{{#with obj as |o|}}{{o.x}},{{x}}{{/with}}", "1,1"),
        (
            "{{#each empty}}x{{else}}none{{/each}} {{#each missing}}x{{else}}none{{/each}}",
            "none none",
        ),
    ],
)
def test_each_and_with(source: str, expected: str) -> None:
    rows = [["a"], ["b", "c"]]
    variables = {"items": ["a", "b", "c"], "obj": {"x": 1, "y": 2}, "rows": rows}
    assert render(source, **variables, people=PEOPLE, empty=[]) == expected


@pytest.mark.parametrize(
    ("value", "in_if", "in_with"),
    [
        (True, True, True),
        (False, False, False),
        (None, False, False),
        (0, False, True),
        (0.0, False, True),
        (1, True, True),
        ("", False, False),
        ("0", True, True),
        ([], False, False),
        ([0], True, True),
        ({}, False, False),  # Handlebars.js counts an empty object as true; Python does not
        ({"a": 1}, True, True),
    ],
)
def test_truthiness(value: Any, in_if: bool, in_with: bool) -> None:
    yes_no = {True: "yes", False: "no"}
    assert render("{{#if v}}yes{{else}}no{{/if}}", v=value) == yes_no[in_if]
    assert render("{{#unless v}}no{{else}}yes{{/unless}}", v=value) == yes_no[in_if]
    assert render("{{#with v}}yes{{else}}no{{/with}}", v=value) == yes_no[in_with]


def test_include_zero() -> None:
    assert render("{{#if n includeZero=true}}yes{{else}}no{{/if}}", n=0) == "yes"
    assert render("{{#unless n includeZero=true}}no{{else}}yes{{/unless}}", n=0) == "yes"
    assert render("{{#if n includeZero=false}}yes{{else}}no{{/if}}", n=0) == "no"


def test_else_if_chains() -> None:
    source = "{{#if a}}A{{else if b}}B{{else unless c}}C{{else}}D{{/if}}"
    assert render(source, a=1, b=1) == "A"
    assert render(source, b=1) == "B"
    assert render(source) == "C"
    assert render(source, c=1) == "D"
    assert render("{{#each xs}}{{this}}{{else each ys}}y{{this}}{{/each}}", ys=[1, 2]) == "y1y2"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, "[T]"),
        ({"name": "Ada"}, "[Ada]"),
        ([{"name": "a"}, {"name": "b"}], "[a][b]"),
        ([], "else"),
        (None, "else"),
        (False, "else"),
        ("", "[]"),  # anything else becomes the context, as in Handlebars.js
    ],
)
def test_sections_named_after_a_variable(value: Any, expected: str) -> None:
    source = "{{#v}}[{{#if name}}{{name}}{{else}}{{#if this}}T{{/if}}{{/if}}]{{else}}else{{/v}}"
    assert render(source, v=value) == expected
    inverted = "{{^v}}else{{else}}[{{#if name}}{{name}}{{else}}{{#if this}}T{{/if}}{{/if}}]{{/v}}"
    assert render(inverted, v=value) == expected


def test_each_goes_over_any_iterable_but_text() -> None:
    assert render("{{#each v}}{{this}}{{/each}}", v=(1, 2)) == "12"
    assert render("{{#each v}}{{this}}{{/each}}", v=range(3)) == "012"
    assert render("{{#each v}}{{this}}{{/each}}", v=(x for x in "ab")) == "ab"
    assert render("{{#each v}}{{this}}{{else}}no{{/each}}", v="text") == "no"
    assert render("{{#each v}}{{this}}{{else}}no{{/each}}", v=5) == "no"


def test_comments_render_nothing() -> None:
    assert render("a{{! one }}b{{!-- two }} --}}c") == "abc"


def test_raw_blocks_keep_their_content() -> None:
    assert render("{{{{raw}}}}{{x}} {{#if}}{{{{/raw}}}}", x=1) == "{{x}} {{#if}}"
    assert render(r"\{{x}} \\{{x}}", x=1) == "{{x}} \\1"


def test_filters_are_helpers() -> None:
    when = datetime(2025, 1, 31, 9, 30)
    assert render('{{date when "%d %B"}}', when=when) == "31 January"
    assert render('{{date when format="%B"}}', when=when) == "January"
    assert render("{{json data indent=2}}", data={"a": 1}) == '{\n  "a": 1\n}'
    assert render("{{json (truncate_tokens text 2)}}", text="one two three") == '"one two"'
    assert render("{{bullets (numbered items)}}", items=["a", "b"]) == "- 1. a\n- 2. b"
    assert (
        render('{{indent text 2 first=true}}|{{json "x"}}|{{json null}}', text="a")
        == '  a|"x"|null'
    )
    assert render("{{json 1.5}} {{json -2}} {{json true}}") == "1.5 -2 true"


def test_a_filter_without_arguments_reads_the_variable() -> None:
    assert render("{{date}}|{{json}}|{{json (json)}}", date="today", json=[1]) == "today|[1]|[1]"


def test_filters_added_to_the_engine_are_helpers() -> None:
    shouting = HandlebarsEngine()
    shouting.add_filter("shout", lambda value, mark="!": f"{value}".upper() + mark)
    assert shouting.compile('{{shout who}} {{shout who mark="?"}}')({"who": "ada"}) == "ADA! ADA?"


def test_html_escaping_when_asked() -> None:
    escaping = HandlebarsEngine(html_escape=True)
    text = "<b id=\"x\">Tom & 'Jerry'</b>`"
    output = escaping.compile("{{t}}|{{{t}}}|{{&t}}|{{json t}}")({"t": text})
    assert output.split("|") == [
        "&lt;b id&#x3D;&quot;x&quot;&gt;Tom &amp; &#x27;Jerry&#x27;&lt;/b&gt;&#x60;",
        text,
        text,
        "&quot;&lt;b id&#x3D;\\&quot;x\\&quot;&gt;"
        "Tom &amp; &#x27;Jerry&#x27;&lt;/b&gt;&#x60;&quot;",
    ]
    assert render("{{t}}", t=text) == text


@dataclass
class Point:
    x: int
    y: int
    _secret: str = "hidden"

    @property
    def norm(self) -> int:
        return self.x + self.y

    def move(self) -> str:
        return "moved"


class Account(BaseModel):
    owner: str
    tags: list[str] = []

    def close(self) -> str:
        return "closed"


def test_fields_of_dataclasses_and_pydantic_models() -> None:
    point, account = Point(1, 2), Account(owner="Ada", tags=["a"])
    assert render("{{p.x}},{{p.y}}|{{p._secret}}|{{p.norm}}|{{p.move}}", p=point) == "1,2|||"
    assert (
        render("{{a.owner}} {{a.tags.[0]}}|{{a.close}}|{{a.model_config}}", a=account) == "Ada a||"
    )
    assert render("{{#each p}}{{@key}}={{this}} {{/each}}", p=point) == "x=1 y=2 "
    assert render("{{#with a}}{{owner}}{{/with}}", a=account) == "Ada"


class Plain:
    def __init__(self) -> None:
        self.name = "Ada"


def test_other_objects_are_opaque() -> None:
    assert render("[{{p.name}}]", p=Plain()) == "[]"


def test_values_are_never_called() -> None:
    calls: list[str] = []

    def tool() -> str:
        calls.append("called")
        return "result"

    assert "result" not in render(
        "{{tool}}{{#if tool}}{{/if}}{{x.tool}}", tool=tool, x={"tool": tool}
    )
    assert calls == []
