"""The gateway's POST routes found by their exact path, before Starlette's router.

Starlette's router tries each route's pattern in turn and runs a request through two
exception-handling layers (its ``ExceptionMiddleware`` and the route's own), each of
which wraps every message sent. On the routes that carry the traffic that work does
nothing: their handlers answer every failure themselves and raise no
``HTTPException``. :class:`HotRoutes` sits last in the middleware (inside the metrics,
the tracing span and CORS, which still see every request) and hands a ``POST`` to one
of these paths straight to its handler, with the scope as the router would have set
it; anything else (another method, path or a ``root_path``) goes on to the router, so
a ``GET`` still gets its 405 and a trailing slash its redirect. An exception a handler
raises reaches Starlette's outer error middleware as before.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

Handler = Callable[[Request], Awaitable[Response]]


class HotRoutes:
    """ASGI middleware: ``POST`` to one of ``routes`` (exact path) skips the router."""

    def __init__(self, app: ASGIApp, routes: Sequence[tuple[Route, Handler]]) -> None:
        self.app = app
        self.routes = {route.path: (route, handler) for route, handler in routes}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and not scope.get("root_path"):
            found = self.routes.get(scope["path"])
            if found is not None:
                route, handler = found
                scope["route"] = route  # as the router sets it (the tracing span reads it)
                scope["endpoint"] = handler
                scope["path_params"] = {}
                response = await handler(Request(scope, receive, send))
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def hot(routes: Sequence[Route]) -> list[tuple[Route, Handler]]:
    """The ``POST``-only routes among ``routes``, each with its handler."""
    return [(route, route.endpoint) for route in routes if route.methods == {"POST"}]
