"""The public API: Template, compile_template, render, PromptTemplate, default variables."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from fluent_ai.templates import (
    PromptTemplate,
    Template,
    TemplateError,
    compile_template,
    default_variables,
    engine_for_path,
    render,
)
from fluent_ai.types.errors import ConfigurationError, FluentAIError


def test_compile_and_render() -> None:
    template = Template.compile("{{ greeting }}, {{ name }}!")
    assert template.render({"greeting": "Hi"}, name="Ada") == "Hi, Ada!"
    assert template.render(greeting="Hi", name="Bo") == "Hi, Bo!"
    assert compile_template("{{ greeting }}, {{ name }}!") is template


def test_keyword_values_win_over_the_mapping() -> None:
    assert render("{{ a }}", {"a": "mapping"}, a="keyword") == "keyword"


def test_default_variables_are_fresh_and_aware() -> None:
    variables = default_variables()
    assert isinstance(variables["now"], datetime)
    assert variables["now"].tzinfo is not None
    assert variables["date"] == variables["now"].date().isoformat()


def test_unknown_engine_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="unknown template engine 'mustache'"):
        Template.compile("x", "mustache")


def test_template_error_is_a_fluent_ai_error() -> None:
    with pytest.raises(FluentAIError):
        Template.compile("{% if %}")


def test_prompt_template_compiles_at_build_and_renders_per_call() -> None:
    prompt = PromptTemplate("You help. Today is {{ date }}.")
    assert prompt.compile() is prompt.compile()
    assert prompt.render().startswith("You help. Today is 20")
    with pytest.raises(TemplateError):
        PromptTemplate("{{#if x}}", engine="handlebars").compile()


def test_prompt_template_from_file(tmp_path: Path) -> None:
    path = tmp_path / "system.liquid"
    path.write_text("Hi {{ name }}", encoding="utf-8")
    prompt = PromptTemplate.from_file(path)
    assert (prompt.engine, prompt.name) == ("liquid", str(path))
    assert prompt.render(name="Ada") == "Hi Ada"


@pytest.mark.parametrize(
    ("filename", "engine"),
    [
        ("a.j2", "jinja"),
        ("a.jinja", "jinja"),
        ("a.liquid", "liquid"),
        ("a.hbs", "handlebars"),
        ("A.HANDLEBARS", "handlebars"),
    ],
)
def test_engine_for_path(filename: str, engine: str) -> None:
    assert engine_for_path(filename) == engine


def test_engine_for_unknown_extension() -> None:
    with pytest.raises(ConfigurationError, match="no template engine"):
        engine_for_path("prompt.txt")


def test_import_loads_no_template_library() -> None:
    code = (
        "import sys, fluent_ai.templates\n"
        "print(sorted(m for m in ('jinja2', 'liquid') if m in sys.modules))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "[]"
