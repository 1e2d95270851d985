"""What a response writes in one turn of the loop goes out in one write
(:mod:`fluent_ai.server.protocol`): the bytes in their order, nothing held past the turn
or past ``FLUSH_AT`` bytes, a close that sends what was held, a response's end sent at
once; then the protocol serving the gateway for real, one write a whole answer."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

pytest.importorskip("uvicorn", reason="the server extra is not installed")

import httpx

from fluent_ai.engine import Deployment, Router
from fluent_ai.server import create_app, protocol
from fluent_ai.server.protocol import FLUSH_AT, CoalescingTransport, HttpProtocol
from tests.support.faults import upstream
from tests.support.gateway import KEY_ENV, QUESTION, recorded, served

HEAD = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n"


class Wire(asyncio.Transport):
    """The socket's side: what was written, one entry a write, and whether it closed."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.writes.append(bytes(data))

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def get_write_buffer_size(self) -> int:
        return 0  # every write taken at once


async def test_the_writes_of_one_turn_go_out_in_one() -> None:
    wire = Wire()
    transport = CoalescingTransport(wire, asyncio.get_running_loop())
    transport.write(HEAD)
    transport.write(b"ok")
    assert wire.writes == []
    assert transport.get_write_buffer_size() == len(HEAD) + 2
    await asyncio.sleep(0)  # the end of the turn
    assert wire.writes == [HEAD + b"ok"]
    transport.write(b"data: 1\n\n")
    transport.write(b"data: 2\n\n")
    await asyncio.sleep(0)
    transport.write(b"data: 3\n\n")
    await asyncio.sleep(0)
    assert wire.writes == [HEAD + b"ok", b"data: 1\n\ndata: 2\n\n", b"data: 3\n\n"]
    await asyncio.sleep(0)  # a turn with nothing written sends nothing
    assert len(wire.writes) == 3


async def test_a_large_write_goes_out_before_the_turn_ends() -> None:
    wire = Wire()
    transport = CoalescingTransport(wire, asyncio.get_running_loop())
    transport.write(HEAD)
    transport.write(b"x" * FLUSH_AT)
    assert wire.writes == [HEAD + b"x" * FLUSH_AT]  # the socket's buffer sees it now
    transport.write(b"tail")
    await asyncio.sleep(0)
    assert wire.writes[-1] == b"tail"


async def test_a_close_sends_what_was_held_first() -> None:
    wire = Wire()
    transport = CoalescingTransport(wire, asyncio.get_running_loop())
    transport.write(b"HTTP/1.1 204 No Content\r\n\r\n")
    transport.close()
    assert wire.writes == [b"HTTP/1.1 204 No Content\r\n\r\n"]
    assert wire.closed
    transport.write(b"late")  # after the close: dropped, as a closing socket drops it
    await asyncio.sleep(0)
    assert wire.writes == [b"HTTP/1.1 204 No Content\r\n\r\n"]


def test_a_whole_answer_is_one_write_sent_when_the_response_completes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    writes: list[bytes] = []

    class Recorded:
        """The socket's transport, its writes recorded."""

        def __init__(self, transport: asyncio.Transport) -> None:
            self._transport = transport

        def write(self, data: bytes) -> None:
            writes.append(data)
            self._transport.write(data)

        def __getattr__(self, name: str) -> Any:
            return getattr(self._transport, name)

    class Recording(CoalescingTransport):
        def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
            super().__init__(Recorded(transport), loop)  # type: ignore[arg-type]

    class Marked(HttpProtocol):
        def on_response_complete(self) -> None:
            super().on_response_complete()
            writes.append(b"<complete>")  # after the answer: sent then, not at the turn's end

    monkeypatch.setattr(protocol, "CoalescingTransport", Recording)
    with upstream("gpt") as up:
        deployment = Deployment("openai/gpt-4o", base_url=up.v1, api_key_env=KEY_ENV)
        app = create_app({"fast": Router([deployment], retry=None)})
        with served(app, http=Marked) as url, httpx.Client(base_url=url) as client:
            body = {"model": "fast", "messages": QUESTION}
            assert client.post("/v1/chat/completions", json=body).status_code == 200
    assert len(writes) == 2
    assert writes[1] == b"<complete>"
    assert writes[0].startswith(b"HTTP/1.1 200 OK\r\n")
    assert writes[0].endswith(b"}")


def test_the_gateway_answers_whole_and_streamed_over_it() -> None:
    with upstream("gpt") as up:
        deployment = Deployment("openai/gpt-4o", base_url=up.v1, api_key_env=KEY_ENV)
        app = create_app({"fast": Router([deployment], retry=None)})
        with served(app, http=HttpProtocol) as url, httpx.Client(base_url=url) as client:
            body = {"model": "fast", "messages": QUESTION}
            for _ in range(2):  # a kept-alive connection: the second answer too
                whole = client.post("/v1/chat/completions", json=body)
                assert whole.status_code == 200
                assert (
                    whole.json()["choices"][0]["message"]["content"]
                    == recorded(up, stream=False).text
                )
            streamed = client.post("/v1/chat/completions", json={**body, "stream": True})
            assert streamed.status_code == 200
            assert streamed.text.endswith("data: [DONE]\n\n")
            assert client.get("/v1/chat/completions").status_code == 405
            assert client.get("/health").json() == {"status": "ok"}
