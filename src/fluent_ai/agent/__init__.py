"""Agents: the fluent builder and the chat loop with tools (layer 4)."""

from fluent_ai.agent.agent import Agent, Break, Continue, LoopAction, Reprompt
from fluent_ai.agent.builder import AgentBuilder, FluentAI
from fluent_ai.agent.errors import (
    AgentBuildError,
    FactsNotLearnedError,
    OutputValidationError,
    StepLimitError,
    TurnNotStoredError,
)
from fluent_ai.agent.run import AgentEvent, Reply, ToolResults

__all__ = [
    "Agent",
    "AgentBuildError",
    "AgentBuilder",
    "AgentEvent",
    "Break",
    "Continue",
    "FactsNotLearnedError",
    "FluentAI",
    "LoopAction",
    "OutputValidationError",
    "Reply",
    "Reprompt",
    "StepLimitError",
    "ToolResults",
    "TurnNotStoredError",
]
