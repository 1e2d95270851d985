"""A deployment: one model at one endpoint with one key, as the router sees it.

Several deployments may serve the same model (two regions, two keys, two vendors of
one open model); each has a unique ``name``, which the route report and the health
report use. The key is never written in a deployment: ``api_key_env`` names the
environment variable that holds it (the provider's own, ``OPENAI_API_KEY``…, when
unset), so a deployment can be printed, logged or kept in a config file.

The HTTP client of a deployment built here sends each request once, unless the
deployment asks for its own ``retry``: the router's failover takes the place of
retries (see ``docs/engine.md``). A ``chat_model`` given instead of a spec to build
from (a local model, a model wrapped in a cache) is used as it is and left to its
owner to close.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from fluent_ai.engine.limits import check_limit
from fluent_ai.http import HttpClient, RetryPolicy, Timeouts
from fluent_ai.providers.base import ChatModel
from fluent_ai.providers.catalog import chat_model, split_model
from fluent_ai.types import ChatRequest, ConfigurationError, MissingAPIKeyError


@dataclass(frozen=True)
class Deployment:
    """One model the router may send a request to.

    ``model`` is a ``provider/model`` spec; ``base_url``, ``api_key_env`` and
    ``settings`` (request fields such as ``temperature``, used where the caller leaves
    them unset, and any other key as a wire field) say how to reach and call it.
    ``weight`` counts for the weighted strategy, ``tags`` select groups of deployments
    (``router.complete(request, tags=["cheap"])``). ``max_in_flight`` caps the calls
    in flight at once, ``rpm`` and ``tpm`` the requests and tokens a minute
    (:mod:`fluent_ai.engine.limits`); a deployment at a limit is passed over, or waited
    for (``Router(wait_for_capacity=...)``). ``max_input_tokens``,
    ``input_price`` and ``output_price`` (USD per million tokens) replace the registry's
    figures. ``timeouts`` and ``retry`` configure the deployment's own HTTP client.
    """

    model: str
    name: str = ""
    base_url: str | None = None
    api_key_env: str | None = None
    settings: Mapping[str, Any] = field(default_factory=dict)
    weight: float = 1.0
    tags: tuple[str, ...] = ()
    max_in_flight: int | None = None
    rpm: int | None = None
    tpm: int | None = None
    max_input_tokens: int | None = None
    input_price: float | None = None
    output_price: float | None = None
    timeouts: Timeouts | None = None
    retry: RetryPolicy | None = None
    chat_model: ChatModel | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not self.name:
            object.__setattr__(self, "name", self.model)
        object.__setattr__(self, "tags", tuple(self.tags))
        if self.weight < 0:
            raise ConfigurationError(f"deployment {self.name!r}: weight must not be negative")
        for limit in ("max_in_flight", "rpm", "tpm"):
            check_limit(self.name, limit, getattr(self, limit))
        if "/" not in self.model and self.chat_model is None:
            # A bare name resolves through the registry; do it now for a clear error.
            split_model(self.model)

    @property
    def provider(self) -> str:
        return split_model(self.model)[0]

    @property
    def model_name(self) -> str:
        """The provider's own model name, as requests carry it."""
        return split_model(self.model)[1]

    def open(self) -> ChatModel:
        """The model this deployment sends to: ``chat_model``, else one built from the spec."""
        if self.chat_model is not None:
            return self.chat_model
        key = None
        if self.api_key_env:
            key = os.environ.get(self.api_key_env)
            if not key:
                raise MissingAPIKeyError(self.provider, self.api_key_env)
        limits: dict[str, Any] = {}
        if self.timeouts is not None:
            limits = {"timeouts": self.timeouts, "stream_timeouts": self.timeouts}
        factory = partial(HttpClient, retry=self.retry, **limits)
        return chat_model(self.model, api_key=key, base_url=self.base_url, client_factory=factory)

    def request_settings(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """``settings`` checked, as request fields and wire extras."""
        from fluent_ai.engine.shape import split_settings

        fields, extra = split_settings(self.settings)
        try:
            checked = ChatRequest(model=self.model_name, messages=[], **fields)
        except ValueError as exc:
            raise ConfigurationError(f"deployment {self.name!r}: bad settings: {exc}") from exc
        return {k: getattr(checked, k) for k in fields}, extra
