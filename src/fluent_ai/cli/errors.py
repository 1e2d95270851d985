"""How the command line reports a failure: one line, or one JSON object with ``--json``.

A person at a terminal wants one line saying what went wrong and how to fix it, never
a traceback. A script that asked for ``--json`` parses the answer, so it should be able
to parse a failure the same way: then the error is one JSON object on stderr,
``{"type": …, "message": …, "hints": […]}`` (plus ``provider``, ``status`` and
``retryable`` when a provider answered), and the exit status is the same as in text.
Both forms are built from the same exception, so they cannot disagree.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

import typer

from fluent_ai.types import (
    AuthenticationError,
    ConfigurationError,
    ContextLengthExceededError,
    FluentAIError,
    MissingAPIKeyError,
    RateLimitError,
)


class CLIError(ConfigurationError):
    """A mistake on the command line or in the config file; ``hint`` says how to fix it.

    The hint is part of the one-line text form and a separate entry in the JSON form.
    """

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.hint = hint
        super().__init__(message)

    def __str__(self) -> str:
        return f"{self.message}; {self.hint}" if self.hint else self.message


def wants_json(args: Sequence[str]) -> bool:
    """Whether the command line asks for JSON (``--json`` before any ``--``).

    Decided from the words themselves, so that a usage error found before any command
    runs is reported in the form that was asked for.
    """
    words = list(args)
    if "--" in words:
        words = words[: words.index("--")]
    return "--json" in words


def run(app: typer.Typer, args: Sequence[str], *, prog_name: str) -> None:
    """Run ``app`` on ``args``; exits with its status, errors reported as described above."""
    as_json = wants_json(args)
    try:
        if not as_json:
            # typer's own handling of usage errors (the boxed message) stays as it is.
            app(args=list(args), prog_name=prog_name)
            return
        status = app(args=list(args), prog_name=prog_name, standalone_mode=False)
    except FluentAIError as exc:
        report(exc, as_json=as_json)
        raise SystemExit(1) from None
    except typer.TyperException as exc:
        # Usage errors; reached with --json only, since otherwise typer prints them itself.
        report(exc, as_json=True)
        raise SystemExit(exc.exit_code) from None
    except typer.Abort:
        raise SystemExit(1) from None
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    raise SystemExit(status if isinstance(status, int) else 0)


def report(exc: FluentAIError | typer.TyperException, *, as_json: bool) -> None:
    """Print ``exc`` on stderr: ``error: …`` on one line, or one JSON object."""
    if not as_json:
        print(f"error: {exc}", file=sys.stderr)
        return
    print(json.dumps(error_object(exc), ensure_ascii=False), file=sys.stderr)


def error_object(exc: FluentAIError | typer.TyperException) -> dict[str, Any]:
    """The JSON form of ``exc``: type, message and hints, and where a provider said it."""
    if isinstance(exc, typer.TyperException):
        found: dict[str, Any] = {
            "type": type(exc).__name__,
            "message": exc.format_message(),
            "hints": _usage_hints(exc),
        }
        return found
    found = {"type": type(exc).__name__, "message": exc.message, "hints": hints(exc)}
    if exc.provider is not None:
        found.update(provider=exc.provider, status=exc.status, retryable=exc.retryable)
    return found


def hints(exc: FluentAIError) -> list[str]:
    """What the user can do about ``exc``, most useful first."""
    found: list[str] = []
    if isinstance(exc, CLIError) and exc.hint:
        found.append(exc.hint)
    # Imported here: importing fluent_ai.agent costs a fifth of a second, and when an
    # AgentBuildError exists the module is loaded already.
    from fluent_ai.agent.errors import AgentBuildError

    if isinstance(exc, AgentBuildError):
        found.extend(exc.problems)  # each names the setting at fault and what it needs
    if isinstance(exc, MissingAPIKeyError):
        found.append(
            f"set the environment variable {exc.variable} (keys are never read from "
            "the config file)"
        )
    if isinstance(exc, AuthenticationError):
        found.append("check the API key in the provider's environment variable")
    if isinstance(exc, ContextLengthExceededError):
        found.append("shorten the prompt or the history, or lower --max-tokens")
    suggestions = getattr(exc, "suggestions", None)
    if suggestions:
        found.append(f"closest known models: {', '.join(suggestions)}")
    if isinstance(exc, RateLimitError) and exc.retry_after is not None:
        found.append(f"retry after {exc.retry_after:g} seconds")
    elif exc.retryable:
        found.append("retrying may help")
    return found


def _usage_hints(exc: typer.TyperException) -> list[str]:
    context = getattr(exc, "ctx", None)  # usage errors know the command they came from
    if context is None:
        return []
    return [f"run '{context.command_path} --help' for usage"]
