"""What ``build()`` checks beyond "does it parse": anything knowable before the first chat.

Each check returns the problems it found as lines for :class:`AgentBuildError`, each
starting with the builder call to fix, so that one run of a script shows everything:
a context file that is not there, a template variable that was never given, a
``max_tokens`` past what the model can write, numbers out of range.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fluent_ai.models import ModelInfo
from fluent_ai.providers.catalog import split_model
from fluent_ai.providers.pricing import model_info
from fluent_ai.templates import PromptTemplate, Template
from fluent_ai.templates.errors import UndefinedVariableError
from fluent_ai.types import ConfigurationError, FluentAIError, ToolChoice


def registry_entry(spec: str) -> ModelInfo | None:
    """What the registry says about ``spec``, or ``None`` when it cannot say anything."""
    try:
        provider, name = split_model(spec)
    except FluentAIError:
        return None  # the .model(...) check reports why
    return model_info(provider, name)


def compile_system(
    system: str | PromptTemplate, engine: str, variables: Mapping[str, Any]
) -> Template:
    """The compiled system prompt, rendered once now so a missing variable stops the build.

    The agent renders the same template with the same variables before every call (only
    ``date`` and ``now`` change), so what fails here would fail the first chat.
    """
    template = (
        system.compile() if isinstance(system, PromptTemplate) else Template.compile(system, engine)
    )
    try:
        template.render(variables)
    except UndefinedVariableError as error:
        fix = (
            f"give it a value, .system_prompt(..., {error.variable}=...)"
            if error.variable.isidentifier()
            else "give it a value in .system_prompt(...)'s keyword arguments"
        )
        raise ConfigurationError(f"{error}; {fix}, or correct the name") from error
    return template


def context_text(sources: Sequence[Any], budget: int, problems: list[str]) -> str | None:
    """The context for the system prompt; each named file it could not use is a problem."""
    from fluent_ai.context import build_context

    bundle = build_context(sources, budget)
    for failure in bundle.failures:
        problems.append(
            f".context(...): {failure.path}: {failure.reason}; fix the path or leave it out"
        )
    return bundle.render()


def default_budget(info: ModelInfo | None) -> int:
    """A quarter of the model's window when the registry knows it, else 8,000 tokens."""
    window = info.max_input_tokens if info is not None else None
    return window // 4 if window else 8_000


def range_problems(
    settings: Mapping[str, Any], max_steps: int, info: ModelInfo | None
) -> list[str]:
    """Numbers out of range, and a ``max_tokens`` past the model's known output limit."""
    found = []
    if (t := settings.get("temperature")) is not None and not 0 <= t <= 2:
        found.append(f".temperature({t}): must be between 0 and 2")
    if (p := settings.get("top_p")) is not None and not 0 < p <= 1:
        found.append(f".top_p({p}): must be in (0, 1]")
    limit = info.max_output_tokens if info is not None and info.known else None
    if (m := settings.get("max_tokens")) is not None and m < 1:
        found.append(f".max_tokens({m}): must be at least 1")
    elif m is not None and limit is not None and m > limit and info is not None:
        found.append(
            f".max_tokens({m}): {info.id} writes at most {limit:,} tokens per answer; "
            f"use .max_tokens({limit}) or less"
        )
    if max_steps < 1:
        found.append(f".max_steps({max_steps}): must be at least 1")
    return found


def tool_choice(
    choice: str | None, tools: Sequence[str], more_tools_later: bool
) -> ToolChoice | None:
    """``.tool_choice(...)``'s ``"auto"``, ``"required"``, ``"none"`` or a tool's name as
    a :class:`ToolChoice` (``None`` when not given); a name must be one of the agent's
    tools (unless MCP servers, whose tools are listed only when a run starts, bring it)."""
    if choice is None:
        return None
    if choice in ("auto", "required", "none"):
        return ToolChoice(mode=choice)
    if not tools and not more_tools_later:
        raise ConfigurationError(
            f"{choice!r} is not 'auto', 'required' or 'none', and the agent has no tools "
            "to name: give it some with .tools(...)"
        )
    if choice not in tools and not more_tools_later:
        raise ConfigurationError(
            f"{choice!r} is not 'auto', 'required', 'none' or one of the agent's tools "
            f"({', '.join(sorted(tools))})"
        )
    return ToolChoice(mode="tool", name=choice)


def tool_choices(
    picked: tuple[str, str] | None, tools: Sequence[str], more_tools_later: bool
) -> tuple[ToolChoice | None, ToolChoice | None]:
    """``.tool_choice(first, then=...)`` as the first step's choice and the later
    steps'; ``None`` where nothing is to be sent (``"auto"`` later is the API's own)."""
    if picked is None:
        return None, None
    first, then = picked
    later = None if then == "auto" else tool_choice(then, tools, more_tools_later)
    return tool_choice(first, tools, more_tools_later), later
