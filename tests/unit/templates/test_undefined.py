"""A variable a template uses but was not given is named, with the closest given name."""

from __future__ import annotations

import pytest

from fluent_ai.templates import TemplateError, UndefinedVariableError, render


@pytest.mark.parametrize("engine", ["jinja", "liquid"])
def test_a_missing_variable_is_named_with_a_suggestion(engine: str) -> None:
    with pytest.raises(UndefinedVariableError) as info:
        render("Hello {{ nme }}", {"name": "Ada", "city": "Paris"}, engine=engine)
    error = info.value
    assert isinstance(error, TemplateError)
    assert (error.variable, error.suggestion) == ("nme", "name")
    assert str(error).endswith("'nme' is undefined (did you mean 'name'?)")
    assert error.line == 1


@pytest.mark.parametrize("engine", ["jinja", "liquid"])
def test_no_suggestion_when_nothing_is_close(engine: str) -> None:
    with pytest.raises(UndefinedVariableError) as info:
        render("{{ weather }}", {"name": "Ada"}, engine=engine)
    assert (info.value.variable, info.value.suggestion) == ("weather", None)
    assert "did you mean" not in str(info.value)


def test_a_missing_key_of_a_given_mapping_is_suggested_from_its_keys() -> None:
    with pytest.raises(UndefinedVariableError) as info:
        render("{{ user.nmae }}", {"user": {"name": "Ada"}})
    assert (info.value.variable, info.value.suggestion) == ("nmae", "name")


@pytest.mark.parametrize("engine", ["jinja", "liquid"])
def test_a_missing_variable_in_a_condition_is_still_false(engine: str) -> None:
    source = "{% if notes %}{{ notes }}{% endif %}done"
    assert render(source, {}, engine=engine) == "done"
