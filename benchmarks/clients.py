"""One streamed chat, written with each client library, counting text deltas.

Each runner streams from the benchmark server and returns how many text deltas it
received, so a runner that silently dropped chunks would fail the benchmark.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from functools import cache
from typing import Any

import httpx

from fluent_ai.http import POOL_LIMITS, HttpClient
from fluent_ai.providers.anthropic import ANTHROPIC, AnthropicProtocol
from fluent_ai.providers.openai import OpenAIChatProtocol
from fluent_ai.providers.openai.profiles import PROFILES
from fluent_ai.providers.remote import HttpChatModel
from fluent_ai.types import ChatRequest, Message, TextDelta

PROMPT = [Message.user("benchmark")]
_OPENED: list[HttpClient] = []


@cache
def _fluent(kind: str, base_url: str, network: str = "default") -> HttpChatModel:
    # "httpx" forces httpx's own transport, to show what the default one saves.
    client = HttpClient(
        transport=httpx.AsyncHTTPTransport(limits=POOL_LIMITS) if network == "httpx" else None
    )
    _OPENED.append(client)
    if kind == "anthropic":
        return HttpChatModel(
            ANTHROPIC, AnthropicProtocol(), api_key="bench", base_url=base_url, client=client
        )
    return HttpChatModel(
        PROFILES["openai"],
        OpenAIChatProtocol(),
        api_key="bench",
        base_url=base_url + "/v1",
        client=client,
    )


async def fluent_openai(base_url: str, chunks: int) -> int:
    model = _fluent("openai", base_url)
    request = ChatRequest(model=f"bench-{chunks}", messages=PROMPT)
    return sum([isinstance(e, TextDelta) async for e in model.stream(request)])


async def fluent_openai_httpx(base_url: str, chunks: int) -> int:
    model = _fluent("openai", base_url, "httpx")
    request = ChatRequest(model=f"bench-{chunks}", messages=PROMPT)
    return sum([isinstance(e, TextDelta) async for e in model.stream(request)])


async def fluent_anthropic(base_url: str, chunks: int) -> int:
    model = _fluent("anthropic", base_url)
    request = ChatRequest(model=f"bench-{chunks}", messages=PROMPT, max_tokens=64)
    return sum([isinstance(e, TextDelta) async for e in model.stream(request)])


async def close() -> None:
    """Close the clients the fluent-ai runners opened, before their event loop ends."""
    for client in _OPENED:
        await client.aclose()
    _OPENED.clear()
    for connection in _FLOORS.values():
        if connection.transport is not None:
            connection.transport.close()
    _FLOORS.clear()
    _fluent.cache_clear()


@cache
def _openai_sdk(base_url: str) -> Any:
    import openai

    return openai.AsyncOpenAI(api_key="bench", base_url=base_url + "/v1", max_retries=0)


async def openai_sdk(base_url: str, chunks: int) -> int:
    stream = await _openai_sdk(base_url).chat.completions.create(
        model=f"bench-{chunks}",
        messages=[{"role": "user", "content": "benchmark"}],
        stream=True,
    )
    count = 0
    async for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            count += 1
    return count


@cache
def _anthropic_sdk(base_url: str) -> Any:
    import anthropic

    return anthropic.AsyncAnthropic(api_key="bench", base_url=base_url, max_retries=0)


async def anthropic_sdk(base_url: str, chunks: int) -> int:
    stream = await _anthropic_sdk(base_url).messages.create(
        model=f"bench-{chunks}",
        max_tokens=64,
        messages=[{"role": "user", "content": "benchmark"}],
        stream=True,
    )
    count = 0
    async for event in stream:
        if event.type == "content_block_delta" and event.delta.type == "text_delta":
            count += 1
    return count


async def litellm_openai(base_url: str, chunks: int) -> int:
    import litellm

    stream = await litellm.acompletion(
        model=f"openai/bench-{chunks}",
        api_base=base_url + "/v1",
        api_key="bench",
        messages=[{"role": "user", "content": "benchmark"}],
        stream=True,
        num_retries=0,
    )
    count = 0
    async for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            count += 1
    return count


class _Floor(asyncio.Protocol):
    """The least a client can do: write the request's bytes, wait for the answer's."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.data = bytearray()
        self.done: asyncio.Future[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.data += data
        end = self.data.find(b"\r\n\r\n")
        if end < 0 or self.done is None or self.done.done():
            return
        length = int(self.data[:end].lower().split(b"content-length: ")[1].split(b"\r\n")[0])
        if len(self.data) >= end + 4 + length:
            self.done.set_result(None)


_FLOORS: dict[str, _Floor] = {}


async def floor(base_url: str, chunks: int) -> int:
    """The same request on a kept-alive socket with no HTTP library: the server's own
    cost and the loopback round trip, which every other row includes."""
    connection = _FLOORS.get(base_url)
    if connection is None or connection.transport is None or connection.transport.is_closing():
        host, port = base_url.removeprefix("http://").split(":")
        _, connection = await asyncio.get_running_loop().create_connection(_Floor, host, int(port))
        _FLOORS[base_url] = connection
    body = json.dumps({"model": f"bench-{chunks}", "messages": [], "stream": True}).encode()
    head = b"POST /v1/chat/completions HTTP/1.1\r\nhost: bench\r\ncontent-length: %d\r\n\r\n"
    connection.data.clear()
    connection.done = asyncio.get_running_loop().create_future()
    assert connection.transport is not None
    connection.transport.write(head % len(body) + body)
    await connection.done
    return bytes(connection.data).count(b'"content": "tok')


RUNNERS: dict[str, Callable[[str, int], Awaitable[int]]] = {
    "no HTTP library (the floor: server and round trip)": floor,
    "fluent-ai (OpenAI protocol)": fluent_openai,
    "fluent-ai (OpenAI protocol, httpx transport)": fluent_openai_httpx,
    "openai SDK": openai_sdk,
    "litellm (OpenAI protocol)": litellm_openai,
    "fluent-ai (Anthropic protocol)": fluent_anthropic,
    "anthropic SDK": anthropic_sdk,
}


def available(name: str) -> bool:
    """Whether the library a runner needs is installed (litellm is in the bench group)."""
    import importlib.util

    module = name.split()[0].lower()
    return (
        module in ("fluent-ai", "openai", "anthropic", "no")
        or importlib.util.find_spec(module) is not None
    )
