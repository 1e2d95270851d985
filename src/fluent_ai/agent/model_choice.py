"""Which model an agent talks to: one it builds from a spec, or one it is given.

``.model("provider/model")`` names a model the agent builds, and so closes with itself.
``.model(router)`` gives it a model made elsewhere: a
:class:`~fluent_ai.engine.Router`, a ``Cached`` or ``Deduplicated`` wrapper, a local
model, anything with a chat model's ``stream`` / ``complete`` / ``aclose``. The agent
uses it as it is and leaves it open: its owner may share it between agents (a router
keeps one health record for all of them) and closes it when they are all done.

``.model(spec).fallbacks(*specs)`` is shorthand for a router with the ``"fallbacks"``
strategy over the spec then each fallback in order, keys read from the environment
as for any model. The engine is imported only then, so an agent that does not route
does not pay for importing it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fluent_ai.providers.base import ChatModel
from fluent_ai.providers.catalog import DEFAULT_MODEL, chat_model, split_model
from fluent_ai.types import ConfigurationError

ROUTED_NAME = "router"
"""The model name an agent's requests carry to a router: each deployment puts its own."""


@dataclass(frozen=True)
class ModelChoice:
    """What ``.model(...)`` and ``.fallbacks(...)`` recorded, checked at build time."""

    model: str | ChatModel = DEFAULT_MODEL
    api_key: str | None = None
    base_url: str | None = None
    name: str | None = None
    fallbacks: tuple[str, ...] = ()

    @property
    def spec(self) -> str | None:
        """The ``provider/model`` the agent builds (the first, with fallbacks), if any."""
        return self.model if isinstance(self.model, str) else None

    @property
    def owned(self) -> bool:
        """Whether the agent builds the model, and so closes it."""
        return isinstance(self.model, str)

    @property
    def label(self) -> str:
        """The builder call to fix, for build errors."""
        return f".model({self.model!r})"

    def describe(self) -> str:
        """The model in words, for the agent's repr."""
        if isinstance(self.model, str):
            return " then ".join((self.model, *self.fallbacks))
        return repr(self.model)

    def problems(self) -> list[str]:
        """What is wrong with the choice before anything is opened, each with its call."""
        found: list[str] = []
        if isinstance(self.model, str):
            if self.fallbacks and self.api_key is not None:
                found.append(
                    ".fallbacks(...): a key given to .model(api_key=...) cannot go into a "
                    "router, which reads every key from the environment; set the "
                    "provider's variable (e.g. OPENAI_API_KEY) instead"
                )
            return found
        if not is_chat_model(self.model):
            found.append(
                f"{self.label}: expected a 'provider/model' string or a chat model (an "
                f"object with stream, complete and aclose), got {type(self.model).__name__}"
            )
            return found
        if self.api_key is not None or self.base_url is not None:
            found.append(
                f"{self.label}: api_key and base_url go with a 'provider/model' spec; a "
                "model object was made with its own"
            )
        if self.fallbacks:
            listed = ", ".join(map(repr, self.fallbacks))
            found.append(
                f".fallbacks({listed}): fallbacks go with a 'provider/model' spec, and this "
                "agent was given a model object; give it a Router whose deployments are the "
                "model and its fallbacks, Router([...], strategy='fallbacks')"
            )
        return found

    def open(self) -> ChatModel:
        """The model: the one given, or one built (a router over the fallbacks)."""
        if not isinstance(self.model, str):
            return self.model
        if not self.fallbacks:
            options = {"api_key": self.api_key, "base_url": self.base_url}
            given: dict[str, Any] = {k: v for k, v in options.items() if v is not None}
            return chat_model(self.model, **given)
        from fluent_ai.engine.deployment import Deployment
        from fluent_ai.engine.router import Router

        first = Deployment(self.model, base_url=self.base_url)
        return Router([first, *self.fallbacks], strategy="fallbacks")

    def request_name(self) -> str:
        """The model name the agent's requests carry."""
        if self.name is not None:
            return self.name
        if isinstance(self.model, str):
            return split_model(self.model)[1]
        found = model_name_of(self.model)
        if found is None:
            raise ConfigurationError(
                "this model object does not say which model its requests should name; "
                "pass it, .model(model, name='gpt-4o-mini')"
            )
        return found


def is_chat_model(value: object) -> bool:
    """Whether ``value`` has what an agent calls on its model."""
    return isinstance(getattr(value, "provider", None), str) and all(
        callable(getattr(value, method, None)) for method in ("stream", "complete", "aclose")
    )


def model_name_of(model: Any) -> str | None:
    """The model name requests to ``model`` should carry, where the model says.

    A router's deployments each put their own name, so any will do. A local model has
    its name in ``model``; a wrapper (``Cached``, ``Deduplicated``) holds the model it
    wraps in ``model``, which is looked into in turn. A remote model built by
    ``chat_model`` leaves the name to the request, so it says nothing.
    """
    for _ in range(8):  # wrappers of wrappers, within reason
        if getattr(model, "provider", None) == ROUTED_NAME:
            return ROUTED_NAME
        inner = getattr(model, "model", None)
        if isinstance(inner, str):
            return inner
        if not is_chat_model(inner):
            return None
        model = inner
    return None
