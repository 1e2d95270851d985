"""The batch envelopes of the loopback TEST DOUBLE in :mod:`tests.support.batch_server`.

OpenAI's Batch API (a file upload, a batch object whose ``status`` moves from
``validating`` to ``completed``, ``expired`` or ``cancelled``, output and error files)
and Anthropic's Message Batches (``processing_status`` from ``in_progress`` to
``ended``, a ``results_url`` of JSON lines), written from the vendors' documentation,
since no batch traffic was recorded. Each item's answer is a real recorded chat answer,
looked up by the question it asks (:meth:`Envelopes.answer`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

from tests.support.cassettes import Interaction, cassettes, load

CHAT = {"openai": "/v1/chat/completions", "anthropic": "/v1/messages"}
CUSTOM_ID = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


def question(body: Mapping[str, Any]) -> str:
    """The text of the last user message of an OpenAI or Anthropic request body."""
    for message in reversed(body.get("messages") or []):
        if message.get("role") != "user":
            continue
        content = message.get("content")
        if isinstance(content, str):
            return content
        return "".join(p.get("text", "") for p in content or [] if isinstance(p, dict))
    return ""


def recorded_answers(provider: str) -> dict[str, Interaction]:
    """Each recorded non-streamed chat call of ``provider``, by the question it asked."""
    found: dict[str, Interaction] = {}
    for path in cassettes(provider):
        for item in load(path):
            if item.path == CHAT[provider] and not item.is_stream and item.is_json:
                found.setdefault(question(item.request_body), item)
    return found


class Envelopes:
    """The batch endpoints' state machines; :class:`BatchServer` holds the state."""

    answers: dict[str, dict[str, Interaction]]
    steps: int | None
    expire: set[str]
    refuse: str | None
    base_url: str
    batches: dict[str, dict[str, Any]]
    files: dict[str, bytes]
    cancelled: list[str]
    errors: list[str]

    def answer(self, provider: str, body: Mapping[str, Any]) -> Interaction | None:
        asked = question(body)
        found = self.answers[provider].get(asked)
        if found is None:
            self.errors.append(f"no recorded {provider} answer for {asked!r}")
        return found

    # OpenAI: files and batches.

    def upload(self, content_type: str, raw: bytes) -> tuple[int, Any]:
        form = BytesParser(policy=HTTP).parsebytes(
            b"content-type: " + content_type.encode() + b"\r\n\r\n" + raw
        )
        parts = {p.get_param("name", header="content-disposition"): p for p in form.iter_parts()}
        if "file" not in parts or parts.get("purpose") is None:
            self.errors.append(f"upload without file or purpose: {sorted(map(str, parts))}")
            return 400, {"error": {"message": "file and purpose are required"}}
        purpose = parts["purpose"].get_content().strip()
        if purpose != "batch":
            self.errors.append(f"upload purpose {purpose!r}")
        data = parts["file"].get_payload(decode=True)
        if not isinstance(data, bytes):
            self.errors.append("the uploaded file is not a plain part")
            return 400, {"error": {"message": "file must be a file part"}}
        file_id = f"file-{len(self.files) + 1}"
        self.files[file_id] = data
        return 200, {
            "id": file_id,
            "object": "file",
            "bytes": len(data),
            "created_at": 1,
            "filename": parts["file"].get_filename(),
            "purpose": purpose,
        }

    def openai_create(self, body: Mapping[str, Any]) -> tuple[int, Any]:
        if body.get("endpoint") != CHAT["openai"] or body.get("completion_window") != "24h":
            self.errors.append(f"batch create body {dict(body)!r}")
        lines = self.files[body["input_file_id"]].decode().splitlines()
        items = [json.loads(line) for line in lines if line.strip()]
        wrong = [
            n
            for n, item in enumerate(items, 1)
            if item.get("method") != "POST"
            or item.get("url") != CHAT["openai"]
            or "stream" in item.get("body", {})
        ]
        if wrong:
            self.errors.append(f"bad batch lines {wrong}")
        refused = [n for n, item in enumerate(items, 1) if question(item["body"]) == self.refuse]
        problems = [
            {"code": "invalid_request", "line": n, "message": "refused line", "param": "body"}
            for n in wrong + refused
        ]
        batch_id = f"batch_{len(self.batches) + 1:04d}"
        self.batches[batch_id] = {
            "provider": "openai",
            "items": items,
            "polls": 0,
            "object": {
                "id": batch_id,
                "object": "batch",
                "endpoint": CHAT["openai"],
                "errors": {"object": "list", "data": problems} if problems else None,
                "input_file_id": body["input_file_id"],
                "completion_window": "24h",
                "status": "failed" if problems else "validating",
                "output_file_id": None,
                "error_file_id": None,
                "request_counts": {"total": len(items), "completed": 0, "failed": 0},
            },
        }
        return 200, self.batches[batch_id]["object"]

    def openai_poll(self, batch_id: str) -> tuple[int, Any]:
        state = self.batches[batch_id]
        obj = state["object"]
        if obj["status"] in ("failed", "completed", "expired", "cancelled"):
            return 200, obj
        state["polls"] += 1
        if obj["status"] == "cancelling":
            obj["status"] = "cancelled"  # nothing was processed: no files
            return 200, obj
        if self.steps is None or state["polls"] < self.steps:
            obj["status"] = "in_progress"
            return 200, obj
        out: list[dict[str, Any]] = []
        failed: list[dict[str, Any]] = []
        for item in reversed(state["items"]):  # any order: custom_id matches them up
            line: dict[str, Any] = {
                "id": f"batch_req_{item['custom_id']}",
                "custom_id": item["custom_id"],
            }
            found = (
                None
                if question(item["body"]) in self.expire
                else self.answer("openai", item["body"])
            )
            if found is None:
                message = "This request could not be executed before the completion window expired."
                failed.append(
                    line
                    | {"response": None, "error": {"code": "batch_expired", "message": message}}
                )
                continue
            line["response"] = {
                "status_code": found.status,
                "request_id": "req_1",
                "body": found.response_body,
            }
            (out if found.status == 200 else failed).append(line | {"error": None})
        for key, lines in (("output_file_id", out), ("error_file_id", failed)):
            if lines:
                file_id = f"file-{len(self.files) + 1}"
                self.files[file_id] = "".join(json.dumps(x) + "\n" for x in lines).encode()
                obj[key] = file_id
        expired = any(line["error"] for line in failed)
        obj["status"] = "expired" if expired else "completed"
        obj["request_counts"] = {
            "total": len(state["items"]),
            "completed": len(out),
            "failed": len(failed),
        }
        return 200, obj

    # Anthropic: message batches.

    def anthropic_create(self, body: Mapping[str, Any]) -> tuple[int, Any]:
        requests = body.get("requests") or []
        ids = [r.get("custom_id", "") for r in requests]
        bad = [i for i in ids if not CUSTOM_ID.match(i)] + (
            [] if len(set(ids)) == len(ids) else ["dup"]
        )
        params = [r.get("params") or {} for r in requests]
        if any(question(p) == self.refuse for p in params):
            message = "requests: too many requests in one batch"  # as a 413-sized refusal
            return 400, {
                "type": "error",
                "error": {"type": "invalid_request_error", "message": message},
            }
        if bad or any(
            "stream" in p or not {"model", "max_tokens", "messages"} <= set(p) for p in params
        ):
            self.errors.append(f"bad message batch: {bad}")
            return 400, {
                "type": "error",
                "error": {"type": "invalid_request_error", "message": "bad"},
            }
        batch_id = f"msgbatch_{len(self.batches) + 1:04d}"
        self.batches[batch_id] = {
            "provider": "anthropic",
            "items": requests,
            "polls": 0,
            "lines": None,
            "object": {
                "id": batch_id,
                "type": "message_batch",
                "processing_status": "in_progress",
                "request_counts": {
                    "processing": len(requests),
                    "succeeded": 0,
                    "errored": 0,
                    "canceled": 0,
                    "expired": 0,
                },
                "ended_at": None,
                "created_at": "2024-08-20T18:37:24.100435Z",
                "expires_at": "2024-08-21T18:37:24.100435Z",
                "archived_at": None,
                "cancel_initiated_at": None,
                "results_url": None,
            },
        }
        return 200, self.batches[batch_id]["object"]

    def anthropic_poll(self, batch_id: str) -> tuple[int, Any]:
        state = self.batches[batch_id]
        obj = state["object"]
        if obj["processing_status"] == "ended":
            return 200, obj
        state["polls"] += 1
        canceling = obj["processing_status"] == "canceling"
        if not canceling and (self.steps is None or state["polls"] < self.steps):
            return 200, obj
        lines, counts = [], dict.fromkeys(obj["request_counts"], 0)
        for item in reversed(state["items"]):
            asked = question(item["params"])
            result: dict[str, Any]
            if canceling:
                result = {"type": "canceled"}
            elif asked in self.expire:
                result = {"type": "expired"}
            else:
                found = self.answer("anthropic", item["params"])
                body = (
                    found.response_body
                    if found
                    else {"type": "error", "error": {"type": "api_error"}}
                )
                ok = found is not None and found.status == 200
                result = (
                    {"type": "succeeded", "message": body}
                    if ok
                    else {"type": "errored", "error": body}
                )
            counts[result["type"]] += 1
            lines.append({"custom_id": item["custom_id"], "result": result})
        state["lines"] = lines
        obj.update(
            processing_status="ended",
            request_counts=counts,
            ended_at="2024-08-20T18:40:00Z",
            results_url=f"{self.base_url}/v1/messages/batches/{batch_id}/results",
        )
        return 200, obj

    def cancel(self, batch_id: str) -> tuple[int, Any]:
        self.cancelled.append(batch_id)
        obj = self.batches[batch_id]["object"]
        if self.batches[batch_id]["provider"] == "openai":
            obj["status"] = "cancelling"
        else:
            obj.update(processing_status="canceling", cancel_initiated_at="2024-08-20T18:39:00Z")
        return 200, obj
