"""``fluent-ai serve`` turns its options into uvicorn's config and the workers' environment.

The supervisor itself is replaced here by a recorder: what runs it is tested end to end
in test_serve.py, in a process of its own (where coverage is not measured).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("uvicorn", reason="the server extra is not installed")

import uvicorn

from fluent_ai.cli import main
from fluent_ai.cli import serve as serve_module
from fluent_ai.server.config import OPTIONS_VARIABLE


def test_the_options_reach_uvicorn_and_the_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # serve() sets this one for its workers; monkeypatch puts it back afterwards.
    monkeypatch.setenv(OPTIONS_VARIABLE, "")
    monkeypatch.setenv("SERVE_KEY", "sk-test")
    path = tmp_path / "gateway.yaml"
    path.write_text(
        "routers:\n  fast: {deployments: [{model: openai/gpt-4o, api_key_env: SERVE_KEY}]}\n"
        "embeddings:\n  small: {model: openai/text-embedding-3-small, api_key_env: SERVE_KEY}\n"
    )
    seen: dict[str, Any] = {}

    def supervise(config: Any) -> None:
        seen["config"] = config
        seen["workers_env"] = json.loads(os.environ[OPTIONS_VARIABLE])
        seen["metrics"] = Path(seen["workers_env"]["metrics"])
        seen["metrics_existed"] = seen["metrics"].is_dir()

    monkeypatch.setattr(serve_module, "_supervise", supervise)
    # uvicorn's Config applies its logging config at once, process-wide: not in a test.
    monkeypatch.setattr(uvicorn.Config, "configure_logging", lambda self: None)
    args = ["serve", str(path), "--port", "4321", "--workers", "3", "--drain", "7"]
    with pytest.raises(SystemExit) as stopped:
        main([*args, "--cors-origin", "https://app.example", "--max-body", "1000"])
    assert stopped.value.code in (0, None)
    config = seen["config"]
    assert (config.app, config.factory) == ("fluent_ai.server.config:worker_app", True)
    assert (config.host, config.port, config.workers) == ("127.0.0.1", 4321, 3)
    assert config.access_log is False
    assert config.timeout_graceful_shutdown == 7
    assert seen["workers_env"] == {
        "config": str(path.resolve()),
        "max_body": 1000,
        "cors_origins": ["https://app.example"],
        "master_key_env": None,
        "metrics": str(seen["metrics"]),
    }
    assert seen["metrics_existed"]
    assert not seen["metrics"].exists()  # removed when the server stopped
    assert "serving fast, small at http://127.0.0.1:4321" in capsys.readouterr().err


def test_access_lines_go_to_stderr_as_bare_json() -> None:
    config = serve_module._logging("debug")
    assert config["formatters"]["json_line"] == {"format": "%(message)s"}
    access = config["loggers"]["fluent_ai.server.access"]
    assert (access["handlers"], access["propagate"]) == (["access_json"], False)
    assert config["handlers"]["access_json"]["stream"] == "ext://sys.stderr"
    assert config["handlers"]["access_json"]["class"].endswith("access_log.BufferedLines")
    assert config["loggers"]["fluent_ai.server"]["level"] == "DEBUG"
