"""A response's head goes out with its body (:mod:`fluent_ai.server.protocol`): one write
for a whole answer, the bytes in their order, nothing held past the loop's turn, and a
close that sends what was held; then the protocol serving the gateway for real."""

from __future__ import annotations

import asyncio

import pytest

pytest.importorskip("uvicorn", reason="the server extra is not installed")

import httpx

from fluent_ai.engine import Deployment, Router
from fluent_ai.server import create_app
from fluent_ai.server.protocol import HeadWithBody, HttpProtocol
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


async def test_a_head_and_its_body_go_out_in_one_write() -> None:
    wire = Wire()
    transport = HeadWithBody(wire, asyncio.get_running_loop())
    transport.write(HEAD)
    assert wire.writes == []
    transport.write(b"ok")
    assert wire.writes == [HEAD + b"ok"]
    transport.write(b"more")  # not a head: at once
    assert wire.writes == [HEAD + b"ok", b"more"]
    await asyncio.sleep(0)  # the end of the turn finds nothing held
    assert wire.writes == [HEAD + b"ok", b"more"]


async def test_a_head_alone_goes_out_at_the_end_of_the_loop_s_turn() -> None:
    wire = Wire()
    transport = HeadWithBody(wire, asyncio.get_running_loop())
    transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")
    assert transport.get_write_buffer_size() == 25
    await asyncio.sleep(0)
    assert wire.writes == [b"HTTP/1.1 100 Continue\r\n\r\n"]
    transport.write(b"HTTP/1.1 204 No Content\r\n\r\n")
    transport.close()  # sends the held head first
    assert wire.writes[-1] == b"HTTP/1.1 204 No Content\r\n\r\n"
    assert wire.closed
    await asyncio.sleep(0)
    assert len(wire.writes) == 2


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
