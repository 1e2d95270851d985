"""Small answers every handler gives: JSON bodies, failures in the caller's format."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import orjson
from starlette.responses import Response

from fluent_ai.server.errors import Failure, failure_for
from fluent_ai.server.wires import Wire
from fluent_ai.types import FluentAIError

log = logging.getLogger("fluent_ai.server")


def json_reply(
    data: dict[str, Any], *, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    return Response(orjson.dumps(data), status, headers, media_type="application/json")


def failed(wire: Wire, failure: Failure) -> Response:
    """``failure`` in the caller's format, at its status, with its headers."""
    return json_reply(wire.error(failure), status=failure.status, headers=failure.headers)


def logged(error: Exception) -> Failure:
    """The failure for ``error``; one that is not a typed error is a bug, logged whole."""
    failure = failure_for(error)
    if not isinstance(error, FluentAIError):
        log.error("unexpected error serving a call", exc_info=error)
    return failure


def deployment_of(route: Any) -> str:
    """The deployment a router's route report names as having answered, if any."""
    if isinstance(route, dict):
        name = route.get("deployment")
        if isinstance(name, str):
            return name
    return ""
