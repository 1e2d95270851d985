"""Ollama's native chat end to end over loopback HTTP: a wire-shape test, not a replay.

There are no recordings of the native API (``../shared/recordings/ollama`` holds the
OpenAI-compatible ``/v1`` only), so :class:`OllamaDouble` plays the server: a threaded
``http.server`` on 127.0.0.1 that answers ``POST /api/chat`` in the JSON and
JSON-lines shapes Ollama documents (docs/api.md, api/types.go), computing each answer
from the request it receives. Streams go out in 7-byte HTTP chunks, so lines and a
multi-byte character are cut across chunks. The tests run the whole path:
:class:`HttpChatModel`, the HTTP client, the JSON-lines reader and the protocol.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from fluent_ai.http import HttpClient
from fluent_ai.providers.ollama import OLLAMA_NATIVE, OllamaProtocol
from fluent_ai.providers.remote import HttpChatModel
from fluent_ai.types import (
    BadResponseError,
    ChatRequest,
    FinishReason,
    ImagePart,
    Message,
    NotFoundError,
    ProviderUnavailableError,
    ResponseFormat,
    StreamInterruptedError,
    TextDelta,
    ToolSpec,
)

PNG = b"\x89PNG\r\n\x1a\n" + bytes(24)
WEATHER = ToolSpec(name="get_weather", parameters={"type": "object", "properties": {}})
Chunk = dict[str, Any]


class OllamaDouble:
    """Answers computed from the request, in Ollama's documented shapes."""

    def __init__(self) -> None:
        self.received: list[Chunk] = []
        self.base_url = ""

    def answer(self, request: Chunk) -> tuple[int, list[Chunk]]:
        """The status and the chat chunks: one for a whole answer, several for a stream."""
        model, messages = request["model"], request["messages"]
        if model == "missing":
            return 404, [{"error": f'model "{model}" not found, try pulling it first'}]
        last, options = messages[-1], request.get("options", {})
        words = reply(request, last).split(" ")
        reason = "stop"
        if len(words) > options.get("num_predict", len(words)):
            words, reason = words[: options["num_predict"]], "length"
        pieces: list[Chunk] = []
        if request.get("think"):
            pieces += [{"thinking": "Thinking "}, {"thinking": "hard."}]
        if request.get("tools") and last["role"] == "user":
            arguments = {"city": last["content"], "days": 2}
            call = {
                "id": "call_ab12",
                "function": {"index": 0, "name": "get_weather", "arguments": arguments},
            }
            pieces.append({"tool_calls": [call]})
        else:
            pieces += [{"content": word if i == 0 else " " + word} for i, word in enumerate(words)]
        generated = len(pieces)  # one token per piece, counted the same whole or streamed
        if not request["stream"]:
            whole: Chunk = {}
            for piece in pieces:
                for key, value in piece.items():
                    whole[key] = whole.get(key, type(value)()) + value
            pieces = [whole]
        chunks = [chunk(model, piece) for piece in pieces]
        prompt = sum(len(str(message.get("content", "")).split()) for message in messages)
        chunks[-1] |= {"done": True, "done_reason": reason, "prompt_eval_count": prompt}
        chunks[-1] |= {"eval_count": generated, "total_duration": 1_200_000, "eval_duration": 900}
        if model == "crashy":
            chunks = [*chunks[:2], {"error": "model runner has unexpectedly stopped"}]
        elif model == "cutoff":
            chunks = chunks[:2]
        elif model == "garbled":
            chunks = [*chunks[:2], {"html": "<html>502 Bad Gateway"}]
        return 200, chunks


def chunk(model: str, message: Chunk) -> Chunk:
    return {
        "model": model,
        "created_at": "2025-11-05T10:00:00Z",
        "message": {"role": "assistant", "content": "", **message},
        "done": False,
    }


def reply(request: Chunk, last: Chunk) -> str:
    if last["role"] == "tool":
        return f"{last['tool_name']} ({last['tool_call_id']}) says {last['content']}"
    if last.get("images"):
        sizes = [len(base64.b64decode(image)) for image in last["images"]]
        return f"I see {len(sizes)} image of {sum(sizes)} bytes"
    if request.get("format") == "json":
        return json.dumps({"echo": last["content"]})
    if isinstance(request.get("format"), dict):
        fill = {"integer": len(last["content"]), "boolean": True, "string": last["content"]}
        properties = request["format"]["properties"]
        return json.dumps({name: fill[spec["type"]] for name, spec in properties.items()})
    return f"You said: {last['content']} ✓"


def handler(double: OllamaDouble) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_POST(self) -> None:
            request = json.loads(self.rfile.read(int(self.headers["content-length"])))
            double.received.append(request)
            status, chunks = double.answer(request) if self.path == "/api/chat" else (404, [])
            if status != 200 or not request["stream"]:
                payload = json.dumps(chunks[0] if chunks else {}).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json; charset=utf-8")
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                return
            lines = [
                item["html"] if "html" in item else json.dumps(item, ensure_ascii=False)
                for item in chunks
            ]
            body = "".join(line + "\n" for line in lines).encode()
            self.send_response(200)
            self.send_header("content-type", "application/x-ndjson")
            self.send_header("transfer-encoding", "chunked")
            self.end_headers()
            for start in range(0, len(body), 7):  # lines and "✓" cut across chunks
                piece = body[start : start + 7]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")

    return Handler


@pytest.fixture
def ollama() -> Iterator[OllamaDouble]:
    double = OllamaDouble()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler(double))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    double.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    yield double
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
async def model(ollama: OllamaDouble) -> AsyncIterator[HttpChatModel]:
    async with HttpClient(retry=None) as client:
        yield HttpChatModel(
            OLLAMA_NATIVE, OllamaProtocol(), base_url=ollama.base_url, client=client
        )


def ask(text: str, model: str = "llama3.2", **fields: Any) -> ChatRequest:
    return ChatRequest(model=model, messages=[Message.user(text)], **fields)


async def test_whole_and_streamed_answers_agree(model: HttpChatModel, ollama: OllamaDouble) -> None:
    whole = await model.complete(ask("hello there"))
    streamed = await model.stream_response(ask("hello there"))
    for response in (whole, streamed):
        assert response.text == "You said: hello there ✓"
        assert response.finish_reason is FinishReason.STOP
        assert (response.usage.input_tokens, response.usage.output_tokens) == (2, 5)
        assert response.usage.details["total_duration"] == 1_200_000
        assert (response.model, response.provider) == ("llama3.2", "ollama-native")
    assert [request["stream"] for request in ollama.received] == [False, True]


async def test_a_stream_yields_text_as_its_lines_arrive(model: HttpChatModel) -> None:
    deltas = [
        event.text async for event in model.stream(ask("one two")) if isinstance(event, TextDelta)
    ]
    assert deltas == ["You", " said:", " one", " two", " ✓"]


async def test_tool_call_and_its_result_round_trip(
    model: HttpChatModel, ollama: OllamaDouble
) -> None:
    first = await model.stream_response(ask("Paris", tools=[WEATHER]))
    (call,) = first.tool_calls
    assert (call.id, call.name, json.loads(call.arguments)) == (
        "call_ab12",
        "get_weather",
        {"city": "Paris", "days": 2},
    )
    assert first.finish_reason is FinishReason.TOOL_CALLS
    follow_up = ChatRequest(
        model="llama3.2",
        messages=[Message.user("Paris"), first.message, Message.tool_result(call.id, "22 C")],
        tools=[WEATHER],
    )
    second = await model.complete(follow_up)
    assert second.text == "get_weather (call_ab12) says 22 C"
    sent = ollama.received[-1]["messages"][1]["tool_calls"][0]
    assert sent["function"]["arguments"] == {"city": "Paris", "days": 2}  # an object again


async def test_thinking_and_options(model: HttpChatModel, ollama: OllamaDouble) -> None:
    request = ask(
        "a b c d e f",
        temperature=0.1,
        max_tokens=3,
        extra={"think": True, "options": {"num_ctx": 4096}},
    )
    response = await model.stream_response(request)
    assert response.thinking == "Thinking hard."
    assert response.text == "You said: a"
    assert response.finish_reason is FinishReason.LENGTH
    assert ollama.received[0]["options"] == {"temperature": 0.1, "num_predict": 3, "num_ctx": 4096}


async def test_images_go_as_base64(model: HttpChatModel, ollama: OllamaDouble) -> None:
    request = ChatRequest(
        model="llava", messages=[Message.user("what?", ImagePart(data=PNG, media_type="image/png"))]
    )
    assert (await model.complete(request)).text == "I see 1 image of 32 bytes"
    assert ollama.received[0]["messages"][0]["images"] == [base64.b64encode(PNG).decode()]


async def test_json_mode_and_schema_format(model: HttpChatModel, ollama: OllamaDouble) -> None:
    json_mode = await model.complete(ask("hi", response_format=ResponseFormat(type="json_object")))
    assert json.loads(json_mode.text) == {"echo": "hi"}
    schema = {
        "type": "object",
        "properties": {"age": {"type": "integer"}, "ok": {"type": "boolean"}},
    }
    shaped = ResponseFormat(type="json_schema", json_schema=schema)
    assert json.loads(
        (await model.stream_response(ask("Ollama", response_format=shaped))).text
    ) == {"age": 6, "ok": True}
    assert [request["format"] for request in ollama.received] == ["json", schema]


@pytest.mark.parametrize("streamed", [False, True])
async def test_a_missing_model_says_to_pull_it(model: HttpChatModel, streamed: bool) -> None:
    call = model.stream_response if streamed else model.complete
    with pytest.raises(NotFoundError, match='ollama pull missing"') as info:
        await call(ask("hi", model="missing"))
    assert info.value.status == 404


async def test_an_error_line_mid_stream_raises_a_typed_error(model: HttpChatModel) -> None:
    with pytest.raises(ProviderUnavailableError, match="unexpectedly stopped"):
        await model.stream_response(ask("one two three", model="crashy"))


async def test_a_stream_without_its_final_chunk_is_interrupted(model: HttpChatModel) -> None:
    with pytest.raises(StreamInterruptedError) as info:
        await model.stream_response(ask("one two three", model="cutoff"))
    assert info.value.partial.text == "You said:"


async def test_a_line_that_is_not_json_mid_stream_is_a_bad_response(model: HttpChatModel) -> None:
    with pytest.raises(BadResponseError, match="not JSON: '<html>502 Bad Gateway'") as info:
        await model.stream_response(ask("one two three", model="garbled"))
    assert info.value.provider == "ollama-native"
