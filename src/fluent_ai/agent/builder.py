"""The fluent builder: ``FluentAI.agent(name).model(...)....build()``.

Builder methods only record what they are given; :meth:`AgentBuilder.build` checks
everything at once and reports every problem together, each labelled with the call
that caused it, so one run of a script shows all that needs fixing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar, cast

from pydantic import BaseModel

from fluent_ai.agent.agent import Agent
from fluent_ai.agent.checks import (
    compile_system,
    context_text,
    default_budget,
    range_problems,
    registry_entry,
    tool_choices,
)
from fluent_ai.agent.config import (
    AgentConfig,
    Callbacks,
    ChunkCallback,
    MemoryCallback,
    ToolResultCallback,
    TurnCallback,
)
from fluent_ai.agent.errors import AgentBuildError
from fluent_ai.agent.memory import MemorySettings
from fluent_ai.agent.memory_build import memory_settings
from fluent_ai.agent.model_choice import ModelChoice
from fluent_ai.agent.output import output_request
from fluent_ai.agent.run import OutputT
from fluent_ai.models import ModelInfo
from fluent_ai.providers.base import ChatModel
from fluent_ai.templates import PromptTemplate, Template
from fluent_ai.tools import Tool, ToolExecutor
from fluent_ai.types import FluentAIError, Message

if TYPE_CHECKING:
    # Only for annotations: the mcp package is an optional extra, imported on use, and
    # the memory package is loaded only when an agent is given a memory.
    from fluent_ai.memory import Memory, Scope
    from fluent_ai.tools.mcp import MCPServer


M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class AgentBuilder(Generic[OutputT]):
    """Collects an agent's settings; every method returns a new builder.

    Generic over the output type, like the agent it builds: ``.output(City)`` turns an
    ``AgentBuilder[None]`` into an ``AgentBuilder[City]``, whose ``build()`` is an
    ``Agent[City]``.
    """

    name: str
    _model: ModelChoice = field(default_factory=ModelChoice)
    _settings: Mapping[str, Any] = field(default_factory=dict)
    _system: str | PromptTemplate | None = None
    _engine: str = "jinja"
    _variables: Mapping[str, Any] = field(default_factory=dict)
    _context: tuple[Any, ...] = ()
    _context_budget: int | None = None
    _tools: tuple[Tool | Callable[..., Any], ...] = ()
    _tool_choice: tuple[str, str] | None = None
    _tool_timeout: float | None = 30.0
    _mcp: tuple[MCPServer, ...] = ()
    _params: Mapping[str, Any] = field(default_factory=dict)
    _metadata: Mapping[str, Any] = field(default_factory=dict)
    _history: tuple[Message, ...] = ()
    _callbacks: Callbacks = field(default_factory=Callbacks)
    _max_steps: int = 10
    _output: type[OutputT] | None = None
    _memory: Mapping[str, Any] | None = None

    def _set(self, **changes: Any) -> Self:
        return replace(self, **changes)

    def _setting(self, key: str, value: Any) -> Self:
        return self._set(_settings={**self._settings, key: value})

    def model(
        self,
        model: str | ChatModel,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        name: str | None = None,
    ) -> Self:
        """``provider/model`` (``"anthropic/claude-sonnet-4-5"``, ``"local/smollm2"``), or a
        chat model made elsewhere (a ``Router``, a ``Cached`` model), used as it is and left
        open for its owner; ``name`` is the model name requests carry, for a model object
        that does not say (see :mod:`fluent_ai.agent.model_choice`)."""
        choice = ModelChoice(model, api_key, base_url, name, self._model.fallbacks)
        return self._set(_model=choice)

    def fallbacks(self, *specs: str) -> Self:
        """Models to try in order when the ``.model(...)`` spec fails (connection errors,
        timeouts, 429, 5xx): a ``Router`` with the ``"fallbacks"`` strategy over them."""
        return self._set(_model=replace(self._model, fallbacks=specs))

    def temperature(self, value: float) -> Self:
        return self._setting("temperature", value)

    def max_tokens(self, value: int) -> Self:
        return self._setting("max_tokens", value)

    def top_p(self, value: float) -> Self:
        return self._setting("top_p", value)

    def stop(self, *sequences: str) -> Self:
        return self._setting("stop", sequences)

    def system_prompt(
        self, template: str | PromptTemplate, *, engine: str = "jinja", **variables: Any
    ) -> Self:
        """A template rendered before every call; ``date`` and ``now`` are always defined."""
        return self._set(_system=template, _engine=engine, _variables=variables)

    def context(self, *sources: Any, budget_tokens: int | None = None) -> Self:
        """Files, directories or globs whose text joins the system prompt, within a budget."""
        return self._set(_context=self._context + sources, _context_budget=budget_tokens)

    def tools(self, *tools: Tool | Callable[..., Any], timeout: float | None = 30.0) -> Self:
        """Plain typed functions (sync or async) or ``Tool`` objects."""
        return self._set(_tools=self._tools + tools, _tool_timeout=timeout)

    def tool_choice(self, choice: str, *, then: str = "auto") -> Self:
        """``"auto"`` (the default), ``"required"``, ``"none"`` or a tool's name: how the
        model must use tools on the first step of each run; ``then`` on the steps after
        (``"auto"``: free; ``"none"``: answer from the results, no more calls)."""
        return self._set(_tool_choice=(choice, then))

    def mcp_server(self, server: MCPServer) -> Self:
        return self._set(_mcp=(*self._mcp, server))

    def additional_params(self, **params: Any) -> Self:
        """Provider-specific request fields, sent as they are."""
        return self._set(_params={**self._params, **params})

    def metadata(self, **values: Any) -> Self:
        return self._set(_metadata={**self._metadata, **values})

    def history(self, messages: Iterable[Message]) -> Self:
        return self._set(_history=tuple(messages))

    def on_chunk(self, callback: ChunkCallback) -> Self:
        return self._set(_callbacks=replace(self._callbacks, on_chunk=callback))

    def on_tool_result(self, callback: ToolResultCallback) -> Self:
        return self._set(_callbacks=replace(self._callbacks, on_tool_result=callback))

    def on_turn(self, callback: TurnCallback) -> Self:
        return self._set(_callbacks=replace(self._callbacks, on_turn=callback))

    def on_memory(self, callback: MemoryCallback) -> Self:
        """Called before each turn with the memories the model is given (see ``.memory``)."""
        return self._set(_callbacks=replace(self._callbacks, on_memory=callback))

    def memory(
        self,
        memory: Memory,
        *,
        scope: Scope | None = None,
        k: int = 5,
        store_turns: bool = True,
        min_score: float | None = None,
        learn: bool | str = False,
    ) -> Self:
        """Long-term memory: recall before each turn, store the turn after it.

        The ``k`` best memories in ``scope`` (default ``Scope(agent=<name>)``) for the
        user's message join the system prompt within the context budget; with
        ``store_turns`` the message and answer are stored in ``scope``. ``min_score`` is
        the least cosine similarity a memory needs (``None``: no floor). ``learn`` draws
        facts from each user message after the turn (``True``: with the agent's own
        model; or a ``"provider/model"``), one more model call per turn. The memory
        stays the caller's to close. See :mod:`fluent_ai.agent.memory`.
        """
        options = {"memory": memory, "scope": scope, "k": k, "learn": learn}
        return self._set(_memory={**options, "store_turns": store_turns, "min_score": min_score})

    def max_steps(self, steps: int) -> Self:
        return self._set(_max_steps=steps)

    def output(self, model: type[M]) -> AgentBuilder[M]:
        """Answer with a validated instance of ``model`` (in ``reply.output``, typed ``model``).

        Models with a native JSON-schema mode get the schema as a strict constraint; a
        model the registry knows to lack one gets it in the system prompt instead
        (:mod:`fluent_ai.agent.output`).
        """
        return cast("AgentBuilder[M]", self._set(_output=model))

    def build(self) -> Agent[OutputT]:
        """Check every setting and return the agent, or raise :class:`AgentBuildError`."""
        choice = self._model
        problems: list[str] = choice.problems()
        model = None if problems else self._check(problems, choice.label, choice.open)
        name = self._check(problems, choice.label, choice.request_name) if model else None
        info = registry_entry(choice.spec) if model is not None and choice.spec else None
        system = self._check(problems, ".system_prompt(...)", self._compile_system)
        executor = self._check(problems, ".tools(...)", self._executor)
        names = list(executor.tools) if executor else []
        picked, mcp = self._tool_choice, bool(self._mcp)
        choices = self._check(
            problems, ".tool_choice(...)", lambda: tool_choices(picked, names, mcp)
        )
        context = self._check(problems, ".context(...)", lambda: self._context_text(info, problems))
        memory = self._memory_settings(info, context, problems)
        output = self._check(problems, ".output(...)", lambda: output_request(self._output, info))
        problems += range_problems(self._settings, self._max_steps, info)
        if problems or model is None or name is None:
            raise AgentBuildError(self.name, problems)
        response_format, output_instructions = output or (None, None)
        settings = self._settings
        config = AgentConfig(
            name=self.name,
            model_spec=choice.describe(),
            model_name=name,
            model=model,
            owns_model=choice.owned,
            system=system,
            context_text=context,
            executor=executor,
            mcp_servers=self._mcp,
            temperature=settings.get("temperature"),
            max_tokens=settings.get("max_tokens"),
            top_p=settings.get("top_p"),
            stop=settings.get("stop"),
            additional_params=dict(self._params),
            metadata=dict(self._metadata),
            history=self._history,
            variables=dict(self._variables),
            callbacks=self._callbacks,
            max_steps=self._max_steps,
            response_format=response_format,
            output_instructions=output_instructions,
            memory=memory,
            tool_choices=choices or (None, None),
        )
        return Agent(config, self._output)

    @staticmethod
    def _check(problems: list[str], call: str, step: Callable[[], Any]) -> Any:
        try:
            return step()
        except (FluentAIError, TypeError, ValueError) as exc:
            problems.append(f"{call}: {exc}")
            return None

    def _compile_system(self) -> Template | None:
        if self._system is None:
            return None
        return compile_system(self._system, self._engine, self._variables)

    def _executor(self) -> ToolExecutor | None:
        if not self._tools:
            return None
        return ToolExecutor(
            self._tools, timeout=self._tool_timeout, on_result=self._callbacks.on_tool_result
        )

    def _context_text(self, info: ModelInfo | None, problems: list[str]) -> str | None:
        if not self._context:
            return None
        return context_text(self._context, self._context_budget or default_budget(info), problems)

    def _memory_settings(
        self, info: ModelInfo | None, context: str | None, problems: list[str]
    ) -> MemorySettings | None:
        """The checked ``.memory(...)``; memories get what the context files leave."""
        if self._memory is None:
            return None
        budget = self._context_budget
        return memory_settings(
            self._memory, self.name, self._model, budget, info, context, problems
        )


class FluentAI:
    """The entry point: ``FluentAI.agent("name")`` starts a builder."""

    @staticmethod
    def agent(name: str) -> AgentBuilder[None]:
        return AgentBuilder(name)
