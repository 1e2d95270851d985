"""``build()`` finds what would otherwise fail (or be silently lost) at the first chat."""

from __future__ import annotations

from pathlib import Path

import pytest

from fluent_ai.agent import AgentBuildError, FluentAI
from fluent_ai.context import Directory, File, Files
from fluent_ai.models import resolve

# Nothing listens on port 9: a build must not need the network.
NOWHERE = "http://127.0.0.1:9/v1"


def openai_agent(model: str = "openai/gpt-4o"):  # type: ignore[no-untyped-def]
    return FluentAI.agent("checked").model(model, api_key="sk-test", base_url=NOWHERE)


def problems_of(builder) -> list[str]:  # type: ignore[no-untyped-def]
    with pytest.raises(AgentBuildError) as info:
        builder.build()
    return info.value.problems


def test_a_missing_context_file_is_reported_at_build(tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("# Notes\n")
    [problem] = problems_of(openai_agent().context(File(notes), File(tmp_path / "typo.md")))
    assert problem.startswith(".context(...): ")
    assert "typo.md" in problem
    assert "No such file" in problem


def test_a_named_directory_or_glob_root_that_is_not_there_is_reported(tmp_path: Path) -> None:
    builder = openai_agent().context(
        Directory(tmp_path / "nowhere"), Files.glob("missing/**/*.md", root=tmp_path)
    )
    problems = problems_of(builder)
    assert len(problems) == 2
    assert all("no such directory" in p for p in problems)


def test_a_named_binary_file_is_reported_but_one_met_in_a_tree_is_not(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "guide.md").write_text("guide\n")
    (tmp_path / "docs" / "logo.png").write_bytes(b"\x89PNG\0\0")
    agent = openai_agent().context(Directory(tmp_path / "docs")).build()
    assert agent.config.context_text is not None
    assert "guide" in agent.config.context_text
    [problem] = problems_of(openai_agent().context(File(tmp_path / "docs" / "logo.png")))
    assert "binary file" in problem


def test_an_undefined_template_variable_is_reported_at_build_with_a_suggestion() -> None:
    builder = openai_agent().system_prompt("You help {{ nme }}. Today is {{ date }}.", name="Ada")
    [problem] = problems_of(builder)
    assert problem.startswith(".system_prompt(...): ")
    assert "'nme' is undefined" in problem
    assert "did you mean 'name'?" in problem
    assert ".system_prompt(..., nme=...)" in problem


def test_liquid_templates_are_checked_the_same_way() -> None:
    builder = openai_agent().system_prompt("Hi {{ usr }}", engine="liquid", user="Ada")
    [problem] = problems_of(builder)
    assert "'usr' is undefined" in problem
    assert "did you mean 'user'?" in problem


def test_optional_variables_built_in_ones_and_given_ones_pass() -> None:
    agent = (
        openai_agent()
        .system_prompt(
            "Hi {{ name }}, it is {{ date }} ({{ now.year }})."
            "{% if notes %} {{ notes }}{% endif %}",
            name="Ada",
        )
        .build()
    )
    prompt = agent.config.system_prompt()
    assert prompt is not None
    assert prompt.startswith("Hi Ada, it is 2")


def test_max_tokens_above_the_models_known_output_limit_is_reported() -> None:
    limit = resolve("openai/gpt-4o").max_output_tokens
    assert limit is not None
    [problem] = problems_of(openai_agent().max_tokens(limit + 1))
    assert problem.startswith(f".max_tokens({limit + 1}): ")
    assert f"{limit:,} tokens" in problem
    assert f".max_tokens({limit})" in problem
    assert openai_agent().max_tokens(limit).build().config.max_tokens == limit


def test_a_model_the_registry_does_not_know_is_not_limited() -> None:
    agent = openai_agent("openai/gpt-99-preview").max_tokens(1_000_000).build()
    assert agent.config.max_tokens == 1_000_000


def test_every_problem_is_reported_together(tmp_path: Path) -> None:
    limit = resolve("openai/gpt-4o").max_output_tokens
    assert limit is not None
    builder = (
        openai_agent()
        .system_prompt("{{ topic }}")
        .context(File(tmp_path / "absent.md"))
        .max_tokens(limit * 2)
    )
    problems = problems_of(builder)
    assert [p.split(":", 1)[0] for p in problems] == [
        ".system_prompt(...)",
        ".context(...)",
        f".max_tokens({limit * 2})",
    ]
