"""httpx's command-line client loads on first use, and still works (fluent_ai._httpx_cli).

Each test runs in a fresh interpreter: what matters is the order of the first imports.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

CLI_MODULES = ("click", "rich.console", "pygments")


def run(code: str) -> dict[str, object]:
    """Run ``code`` in a fresh interpreter; it sets ``out``, printed here as JSON."""
    probe = f"import json, sys\nout = {{}}\n{code}\nprint(json.dumps(out))"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_httpx_after_fluent_ai_does_not_import_its_cli() -> None:
    out = run(
        "import fluent_ai, httpx, inspect\n"
        "inspect.getmodule(len)  # reads __file__ of every module in sys.modules\n"
        f"out['loaded'] = [m for m in {CLI_MODULES!r} if m in sys.modules]\n"
        "out['has_file'] = hasattr(sys.modules['httpx._main'], '__file__')"
    )
    assert out == {"loaded": [], "has_file": False}


def test_httpx_main_still_runs_the_cli() -> None:
    out = run(
        "import io, contextlib, fluent_ai, httpx, click\n"
        "buffer = io.StringIO()\n"
        "with contextlib.redirect_stdout(buffer):\n"
        "    try:\n"
        "        httpx.main(['--help'])\n"
        "    except SystemExit as exit:\n"
        "        out['code'] = exit.code\n"
        "out['help'] = buffer.getvalue()\n"
        "out['now_real'] = isinstance(httpx.main, click.Command)"
    )
    assert out["code"] == 0
    assert "Usage: httpx <URL> [OPTIONS]" in str(out["help"])
    assert out["now_real"] is True


def test_real_names_come_from_the_real_module() -> None:
    out = run(
        "import fluent_ai, httpx\n"
        "from httpx._main import print_help, format_certificate\n"
        "module = sys.modules['httpx._main']\n"
        "out['file'] = module.__file__\n"
        "out['same'] = httpx._main is module and print_help is module.print_help\n"
        "out['click'] = 'click' in sys.modules"
    )
    assert str(out["file"]).endswith("_main.py")
    assert out["same"] is True
    assert out["click"] is True


def test_httpx_imported_first_is_left_as_httpx_made_it() -> None:
    out = run(
        "import httpx, click\n"
        "real = sys.modules['httpx._main']\n"
        "import fluent_ai.providers.remote\n"
        "out['untouched'] = sys.modules['httpx._main'] is real and httpx.main is real.main\n"
        "out['command'] = isinstance(httpx.main, click.Command)"
    )
    assert out == {"untouched": True, "command": True}


def test_missing_names_still_raise_attribute_error() -> None:
    out = run(
        "import fluent_ai, httpx\n"
        "try:\n"
        "    from httpx._main import no_such_name\n"
        "except ImportError as error:\n"
        "    out['error'] = str(error)"
    )
    assert "no_such_name" in str(out["error"])


def test_the_stand_in_hands_over_to_the_real_client_in_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The same hand-over as above, in this process, where the coverage is measured.
    import httpx

    from fluent_ai import _httpx_cli

    monkeypatch.setitem(sys.modules, "httpx._main", _httpx_cli._stand_in)
    monkeypatch.setattr(httpx, "main", _httpx_cli.main, raising=False)
    with pytest.raises(AttributeError):
        _httpx_cli._getattr("__file__")  # asked by tools walking sys.modules: not loaded
    assert sys.modules["httpx._main"] is _httpx_cli._stand_in
    print_help = _httpx_cli._getattr("print_help")
    real = sys.modules["httpx._main"]
    assert real is not _httpx_cli._stand_in
    assert print_help is real.print_help
    assert httpx.main is real.main
    with pytest.raises(SystemExit) as exited:
        _httpx_cli.main(["--help"], standalone_mode=True)
    assert exited.value.code == 0


def test_defer_registers_the_stand_in_only_before_httpx(monkeypatch: pytest.MonkeyPatch) -> None:
    from fluent_ai import _httpx_cli

    before = sys.modules.get("httpx._main")
    _httpx_cli.defer()  # httpx is imported in this process: left alone
    assert sys.modules.get("httpx._main") is before
    monkeypatch.delitem(sys.modules, "httpx")
    monkeypatch.delitem(sys.modules, "httpx._main", raising=False)
    _httpx_cli.defer()
    assert sys.modules["httpx._main"] is _httpx_cli._stand_in
