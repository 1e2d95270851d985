"""Read the recorded provider traffic in ``../shared/recordings`` (see its README)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

REPO = Path(__file__).resolve().parents[2]


def recordings_dir() -> Path:
    """``$FLUENT_AI_RECORDINGS`` or ``../shared/recordings`` beside the repository."""
    override = os.environ.get("FLUENT_AI_RECORDINGS")
    return Path(override) if override else REPO.parent / "shared" / "recordings"


@dataclass(frozen=True)
class Interaction:
    method: str
    path: str
    query: str
    request_headers: dict[str, list[str]]
    request_body: Any
    status: int
    response_headers: dict[str, list[str]]
    response_body: Any  # parsed JSON (dict / list) or raw text (str)

    @property
    def is_json(self) -> bool:
        return not isinstance(self.response_body, str)

    @property
    def response_text(self) -> str:
        if isinstance(self.response_body, str):
            return self.response_body
        return json.dumps(self.response_body)

    @property
    def content_type(self) -> str:
        for name, values in self.response_headers.items():
            if name.lower() == "content-type" and values:
                value = values[0]
                return value.decode() if isinstance(value, bytes) else str(value)
        return "application/json" if self.is_json else "text/plain"

    @property
    def is_stream(self) -> bool:
        return "text/event-stream" in self.content_type or (
            isinstance(self.response_body, str) and self.response_body.lstrip().startswith("data:")
        )


def _body(section: dict[str, Any]) -> Any:
    if "parsed_body" in section:
        return section["parsed_body"]
    body = section.get("body")
    if isinstance(body, dict) and set(body) == {"string"}:
        text = body["string"]
        if isinstance(text, bytes):
            text = text.decode()
        try:
            parsed = json.loads(text)
        except (TypeError, ValueError):
            return text
        return parsed if isinstance(parsed, dict | list) else text
    if isinstance(body, str):
        try:
            return json.loads(body)
        except ValueError:
            return body
    return body


@cache
def load(path: Path) -> tuple[Interaction, ...]:
    data = yaml.safe_load(path.read_text())
    out = []
    for item in data["interactions"]:
        req, resp = item["request"], item["response"]
        url = urlsplit(req["uri"])
        out.append(
            Interaction(
                method=req["method"].upper(),
                path=url.path,
                query=url.query,
                request_headers=req.get("headers") or {},
                request_body=_body(req),
                status=resp["status"]["code"],
                response_headers=resp.get("headers") or {},
                response_body=_body(resp),
            )
        )
    return tuple(out)


def cassettes(provider: str) -> list[Path]:
    """Every cassette recorded for ``provider`` (a folder name under the recordings)."""
    folder = recordings_dir() / provider
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []
