"""A streamed answer: started only once it has a first event, ended honestly.

The first event is awaited before the response starts, so a call that fails before
any answer (every deployment down, a bad request upstream) still gets its HTTP
status; after that, a failure ends the stream with the caller's format's error event,
never with a clean finish. The tokens and the deployment that answered are noted for
the metrics and the access log as they pass.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator

from starlette.responses import Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from fluent_ai.engine.route import ROUTE_KEY
from fluent_ai.providers.base import ChatModel
from fluent_ai.server.observe import Noted
from fluent_ai.server.replies import deployment_of, failed, logged
from fluent_ai.server.wires import StreamWriter, Wire
from fluent_ai.types import ChatRequest, ProviderData, StreamError, StreamEvent, UsageUpdate

STREAM_HEADERS = {"cache-control": "no-cache", "x-accel-buffering": "no"}


async def stream_reply(
    model: ChatModel, call: ChatRequest, wire: Wire, writer: StreamWriter, note: Noted
) -> Response:
    """The streamed answer, or the failure that came before its first event."""
    events = model.stream(call)
    try:
        first: StreamEvent | None = await anext(events)
        if isinstance(first, StreamError):
            raise first.error
    except StopAsyncIteration:
        first = None
    except Exception as exc:
        await events.aclose()
        return failed(wire, logged(exc))
    body = _sent(events, first, writer, note)
    return EventStream(body, media_type="text/event-stream", headers=STREAM_HEADERS)


class EventStream(StreamingResponse):
    """A :class:`StreamingResponse` that watches for the caller leaving with one plain
    asyncio task where Starlette starts an anyio task group (two tasks, their cancel
    scopes and their wrappers: the largest part of the gateway's own cost per stream
    after the encoding). The behaviour is Starlette's: a caller that leaves stops the
    stream, and so the upstream call, at once; a server of ASGI 2.4 gets Starlette's
    own path, which needs no watch."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        version = scope.get("asgi", {}).get("spec_version", "2.0")
        if scope["type"] != "http" or tuple(map(int, version.split("."))) >= (2, 4):
            await super().__call__(scope, receive, send)
            return
        task = asyncio.current_task()
        assert task is not None  # an ASGI app runs in a task
        left, cancelling = False, task.cancelling()
        broke: list[Exception] = []

        async def watch() -> None:
            nonlocal left
            try:
                while (await receive())["type"] != "http.disconnect":
                    pass
            except Exception as exc:  # as in Starlette's task group: the stream fails
                broke.append(exc)
            left = True
            task.cancel()

        watcher = asyncio.create_task(watch())
        try:
            await self.stream_response(send)
        except asyncio.CancelledError:
            if not left or task.uncancel() > cancelling:
                raise  # cancelled from outside (a shutdown), not by the watch
            if broke:
                raise broke[0] from None
        finally:
            watcher.cancel()
        if self.background is not None:
            await self.background()


async def _sent(
    events: AsyncGenerator[StreamEvent, None],
    first: StreamEvent | None,
    writer: StreamWriter,
    note: Noted,
) -> AsyncIterator[bytes]:
    try:
        if first is not None:
            yield writer.write(first)
            async for event in events:
                match event:
                    case StreamError(error=error):
                        raise error
                    case UsageUpdate(usage=usage):
                        note.input_tokens, note.output_tokens = (
                            usage.input_tokens,
                            usage.output_tokens,
                        )
                    case ProviderData(data=extra) if ROUTE_KEY in extra:
                        note.deployment = deployment_of(extra[ROUTE_KEY])
                sent = writer.write(event)
                if sent:
                    yield sent
        yield writer.end()
    except Exception as exc:
        yield writer.error(logged(exc))
    finally:
        await events.aclose()
