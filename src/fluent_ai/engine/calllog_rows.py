"""The call log's table: its schema, a call turned into a row, and a row read back.

One row per call, with the request's messages and the answer as JSON (inline image and
document bytes are replaced by their size: a log of prompts, not of attachments) and
the last user message and the answer's text in an FTS5 index for ``search``. Nothing
of the request's transport is kept (no URL, header or key), and an error's text is
passed through :func:`~fluent_ai.types.redaction.redact` as errors are everywhere else.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from fluent_ai.engine.observe_events import CallEnd
from fluent_ai.engine.route import ROUTE_KEY
from fluent_ai.types import ChatRequest, Message
from fluent_ai.types.redaction import redact

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS calls (
    id INTEGER PRIMARY KEY,
    call_id TEXT NOT NULL,
    time TEXT NOT NULL,
    model TEXT NOT NULL,
    provider TEXT NOT NULL,
    deployment TEXT,
    response_model TEXT,
    conversation TEXT,
    stream INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    prompt TEXT NOT NULL,
    system TEXT,
    messages TEXT NOT NULL,
    settings TEXT NOT NULL,
    answer TEXT,
    response TEXT,
    finish_reason TEXT,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    cost_usd REAL,
    latency_ms REAL NOT NULL,
    first_event_ms REAL,
    error_type TEXT,
    error TEXT
);
CREATE INDEX IF NOT EXISTS calls_conversation ON calls (conversation);
CREATE VIRTUAL TABLE IF NOT EXISTS calls_fts USING fts5(
    prompt, answer, content='calls', content_rowid='id'
);
CREATE TRIGGER IF NOT EXISTS calls_indexed AFTER INSERT ON calls BEGIN
    INSERT INTO calls_fts (rowid, prompt, answer) VALUES (new.id, new.prompt, new.answer);
END;
CREATE TRIGGER IF NOT EXISTS calls_unindexed AFTER DELETE ON calls BEGIN
    INSERT INTO calls_fts (calls_fts, rowid, prompt, answer)
    VALUES ('delete', old.id, old.prompt, old.answer);
END;
"""

FIELDS = (
    "call_id", "time", "model", "provider", "deployment", "response_model", "conversation",
    "stream", "outcome", "prompt", "system", "messages", "settings", "answer", "response",
    "finish_reason", "input_tokens", "output_tokens", "cost_usd", "latency_ms",
    "first_event_ms", "error_type", "error",
)  # fmt: skip
INSERT = f"INSERT INTO calls ({', '.join(FIELDS)}) VALUES ({', '.join('?' * len(FIELDS))})"
SELECT = f"SELECT c.id, {', '.join('c.' + name for name in FIELDS)} FROM calls AS c"
"""Every column of :class:`LoggedCall`, from ``calls AS c``."""

_SETTINGS = ("temperature", "top_p", "max_tokens", "stop", "seed")


@dataclass(frozen=True, slots=True)
class LoggedCall:
    """One call as the log keeps it. ``time`` is when it was sent (ISO 8601, UTC);
    ``prompt`` is the last user message's text, ``messages`` the whole request."""

    id: int
    call_id: str
    time: str
    model: str
    provider: str
    deployment: str | None
    response_model: str | None
    conversation: str | None
    stream: bool
    outcome: str
    prompt: str
    system: str | None
    messages: list[dict[str, Any]]
    settings: dict[str, Any]
    answer: str | None
    response: dict[str, Any] | None
    finish_reason: str | None
    input_tokens: int
    output_tokens: int
    cost_usd: float | None
    latency_ms: float
    first_event_ms: float | None
    error_type: str | None
    error: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def to_row(event: CallEnd) -> tuple[Any, ...]:
    """The values of :data:`INSERT` for a finished call (run in the writer thread)."""
    request = event.request
    response = event.response
    sent = datetime.fromtimestamp(event.time - event.latency, UTC)
    settings = {name: value for name in _SETTINGS if (value := getattr(request, name)) is not None}
    if request.tools:
        settings["tools"] = [tool.name for tool in request.tools]
    return (
        event.id,
        sent.isoformat(timespec="milliseconds"),
        event.model,
        event.provider,
        _deployment(event),
        event.response_model,
        event.conversation,
        int(event.stream),
        event.outcome,
        last_user_text(request),
        request.system,
        json.dumps([_message_json(m) for m in request.messages], ensure_ascii=False),
        json.dumps(settings, ensure_ascii=False),
        response.text if response is not None else None,
        json.dumps(_message_json(response.message), ensure_ascii=False) if response else None,
        event.finish_reason.value if event.finish_reason is not None else None,
        event.usage.input_tokens,
        event.usage.output_tokens,
        event.cost_usd,
        event.latency * 1000,
        event.first_event * 1000 if event.first_event is not None else None,
        event.error_type,
        redact(str(event.error)) if event.error is not None and event.outcome == "error" else None,
    )


def from_row(row: tuple[Any, ...]) -> LoggedCall:
    """A row of :data:`SELECT` as a :class:`LoggedCall`."""
    values = dict(zip(("id", *FIELDS), row, strict=True))
    values["stream"] = bool(values["stream"])
    for name in ("messages", "settings", "response"):
        if values[name] is not None:
            values[name] = json.loads(values[name])
    return LoggedCall(**values)


def _deployment(event: CallEnd) -> str | None:
    """The deployment that answered: the event's own, or a router's report in the answer."""
    if event.deployment is not None or event.response is None:
        return event.deployment
    route = event.response.extra.get(ROUTE_KEY)
    found = route.get("deployment") if isinstance(route, dict) else None
    return found if isinstance(found, str) else None


def last_user_text(request: ChatRequest) -> str:
    for message in reversed(request.messages):
        if message.role == "user":
            return message.text
    return ""


def match_query(text: str) -> str:
    """``text`` as an FTS5 query that cannot be a syntax error: each word a quoted
    string (inner quotes doubled), all of them required. FTS5's own operators (``OR``,
    ``NEAR``, ``*``) are thus plain words, as a user typing a phrase expects."""
    words = text.split()
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)


def _message_json(message: Message) -> dict[str, Any]:
    data = message.model_dump(mode="json", exclude_none=True)
    for part, dumped in zip(message.parts, data["parts"], strict=True):
        inline = getattr(part, "data", None)
        if isinstance(inline, bytes):
            dumped["data"] = f"[{len(inline)} bytes not logged]"
    return data


__all__ = ["LoggedCall", "from_row", "match_query", "to_row"]
