"""Each engine renders variables, loops and conditionals, and has every built-in filter."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from fluent_ai.templates import Template, TemplateError, get_engine, register_filter, render
from fluent_ai.templates.engines.handlebars import HandlebarsEngine

VARIABLE = {
    "jinja": "Hello {{ user.name }}!",
    "liquid": "Hello {{ user.name }}!",
    "handlebars": "Hello {{user.name}}!",
}
LOOP = {
    "jinja": "{% for item in items %}[{{ loop.index }}:{{ item }}]{% endfor %}",
    "liquid": "{% for item in items %}[{{ forloop.index }}:{{ item }}]{% endfor %}",
    "handlebars": "{{#each items}}[{{@index}}:{{this}}]{{/each}}",
}
CONDITION = {
    "jinja": "{% if admin %}admin{% else %}guest{% endif %}",
    "liquid": "{% if admin %}admin{% else %}guest{% endif %}",
    "handlebars": "{{#if admin}}admin{{else}}guest{{/if}}",
}
FILTERS = {
    "date": {
        "jinja": '{{ when | date("%d %B %Y") }}',
        "liquid": '{{ when | date: "%d %B %Y" }}',
        "handlebars": '{{date when "%d %B %Y"}}',
    },
    "json": {
        "jinja": "{{ data | json }}",
        "liquid": "{{ data | json }}",
        "handlebars": "{{json data}}",
    },
    "truncate_tokens": {
        "jinja": "{{ text | truncate_tokens(3) }}",
        "liquid": "{{ text | truncate_tokens: 3 }}",
        "handlebars": "{{truncate_tokens text 3}}",
    },
    "indent": {
        "jinja": "{{ lines | indent(2) }}",
        "liquid": "{{ lines | indent: 2 }}",
        "handlebars": "{{indent lines 2}}",
    },
    "bullets": {
        "jinja": "{{ items | bullets }}",
        "liquid": "{{ items | bullets }}",
        "handlebars": "{{bullets items}}",
    },
    "numbered": {
        "jinja": "{{ items | numbered }}",
        "liquid": "{{ items | numbered }}",
        "handlebars": "{{numbered items}}",
    },
}
FILTER_VARIABLES = {
    "when": datetime(2025, 1, 31, 9, 30),
    "data": {"city": "Zürich", "tags": [1, "<b>"]},
    "text": "one two three four five",
    "lines": "first\nsecond",
    "items": ["tea", "cake"],
}
FILTER_OUTPUT = {
    "date": "31 January 2025",
    "json": '{"city": "Zürich", "tags": [1, "<b>"]}',
    "truncate_tokens": "one two three",
    "indent": "first\n  second",
    "bullets": "- tea\n- cake",
    "numbered": "1. tea\n2. cake",
}


def test_variables(engine: str) -> None:
    assert render(VARIABLE[engine], engine=engine, user={"name": "Ada"}) == "Hello Ada!"


def test_loops(engine: str) -> None:
    output = render(LOOP[engine], engine=engine, items=["a", "b"])
    # Handlebars counts from 0, Jinja and Liquid from 1.
    assert output == ("[0:a][1:b]" if engine == "handlebars" else "[1:a][2:b]")


@pytest.mark.parametrize(("admin", "expected"), [(True, "admin"), (False, "guest")])
def test_conditionals(engine: str, admin: bool, expected: str) -> None:
    assert render(CONDITION[engine], engine=engine, admin=admin) == expected


@pytest.mark.parametrize("name", sorted(FILTERS))
def test_builtin_filters(engine: str, name: str) -> None:
    output = render(FILTERS[name][engine], FILTER_VARIABLES, engine=engine)
    assert output == FILTER_OUTPUT[name]


def test_default_variables(engine: str) -> None:
    source = {"jinja": "{{ date }}", "liquid": "{{ date }}", "handlebars": "{{date}}"}[engine]
    before = date.today().isoformat()
    output = render(source, engine=engine)
    assert output in (before, date.today().isoformat())


def test_passed_variable_overrides_default(engine: str) -> None:
    source = {"jinja": "{{ date }}", "liquid": "{{ date }}", "handlebars": "{{date}}"}[engine]
    assert render(source, engine=engine, date="yesterday") == "yesterday"


def test_now_is_an_aware_datetime() -> None:
    assert render("{{ now.tzinfo is not none }}") == "True"


def test_registered_filter_reaches_every_engine() -> None:
    for name in ("jinja", "liquid", "handlebars"):
        get_engine(name)  # engines made before the filter is registered get it too
    register_filter("shout", lambda value, mark="!": f"{str(value).upper()}{mark}")
    variables = {"who": "ada"}
    assert render("{{ who | shout }}", variables) == "ADA!"
    assert render('{{ who | shout("?") }}', variables) == "ADA?"
    assert render("{{ who | shout }}", variables, engine="liquid") == "ADA!"
    assert render('{{ who | shout: "?" }}', variables, engine="liquid") == "ADA?"
    assert render("{{shout who}}", variables, engine="handlebars") == "ADA!"
    assert render('{{shout who "?"}}', variables, engine="handlebars") == "ADA?"


def test_register_filter_rejects_bad_names() -> None:
    from fluent_ai.types.errors import ConfigurationError

    with pytest.raises(ConfigurationError):
        register_filter("not a name", str)


def test_missing_variable_is_false_in_conditions_and_an_error_when_printed() -> None:
    for engine in ("jinja", "liquid"):
        assert render("{% if missing %}x{% endif %}ok", engine=engine) == "ok"
        with pytest.raises(TemplateError, match="missing"):
            render("line one\n{{ missing }}", engine=engine)


def test_handlebars_renders_missing_variables_as_nothing() -> None:
    assert render("[{{missing}}]", engine="handlebars") == "[]"


def test_handlebars_does_not_html_escape_by_default() -> None:
    text = {"text": "<b>Tom & Jerry</b>"}
    assert render("{{text}}", text, engine="handlebars") == "<b>Tom & Jerry</b>"
    escaping = HandlebarsEngine(html_escape=True)
    output = Template.compile("{{text}}", escaping).render(text)
    assert output == "&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;"


def test_handlebars_filter_without_a_value_reads_the_variable() -> None:
    assert render("{{bullets}}", engine="handlebars", bullets="as text") == "as text"


def test_jinja_block_tags_leave_no_blank_lines() -> None:
    source = "Rules:\n{% for rule in rules %}\n  - {{ rule }}\n{% endfor %}\nEnd\n"
    assert render(source, rules=["be brief", "be kind"]) == (
        "Rules:\n  - be brief\n  - be kind\nEnd\n"
    )


def test_render_errors_are_template_errors(engine: str) -> None:
    source = {
        "jinja": "{{ n | truncate_tokens('many') }}",
        "liquid": "{{ n | truncate_tokens: 'many' }}",
        "handlebars": '{{truncate_tokens n "many"}}',
    }[engine]
    with pytest.raises(TemplateError) as caught:
        render(source, engine=engine, n="text")
    assert caught.value.engine == engine
    assert isinstance(caught.value.__cause__, Exception)
