"""A router from a YAML file: ``Router.from_config("router.yaml")``.

One router, or several by name under ``routers:`` (``from_config(path, "fast")``)::

    strategy: fallbacks           # fallbacks | weighted | latency | cost | least-busy
    first_event_timeout: 10       # seconds; a stream slower to start fails over
    failover_on: [AuthenticationError]   # typed errors (fluent_ai.types) to fail over on too
    retry: {max_attempts: 2}      # rounds over the deployments; null for one round
    health: {allowed_failures: 3, cooldown: 5, breaker_failures: 5, open_for: 30}
    deployments:
      - openai/gpt-4o-mini        # a spec alone
      - model: anthropic/claude-haiku-4-5
        name: haiku
        api_key_env: ANTHROPIC_KEY_EU   # the variable that holds the key
        base_url: https://eu.example.com
        weight: 2
        tags: [cheap]
        settings: {temperature: 0.2}
        timeouts: {connect: 5, read: 60}
        rpm: 500                  # limits: requests and tokens a minute, calls at once
        tpm: 200000
        max_in_flight: 8
    wait_for_capacity: 5          # seconds a call waits for a deployment at its limits
    state: redis://127.0.0.1:6379/0   # share limits and health between processes
    intents: {default: general, rules: [{route: cheap, max_chars: 200}]}  # see intent_config

Keys are only ever named by environment variable (``api_key_env``): a file holding a
key inline (``api_key:``, ``key:``…) is refused, and no error repeats a value from
the file, so neither the file nor a message about it carries a secret.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import yaml

from fluent_ai import types
from fluent_ai.engine.deployment import Deployment
from fluent_ai.engine.health import HealthPolicy
from fluent_ai.http import RetryPolicy, Timeouts
from fluent_ai.types import ConfigurationError, FluentAIError

if TYPE_CHECKING:
    from fluent_ai.engine.router import Router

SECRET_KEYS = frozenset(
    {"api_key", "apikey", "key", "secret", "password", "token", "authorization"}
)
ROUTER_KEYS = frozenset(
    {"strategy", "first_event_timeout", "failover_on", "retry", "health", "intents"}
    | {"wait_for_capacity", "state"}
)
DEPLOYMENT_KEYS = frozenset(
    f.name for f in dataclasses.fields(Deployment) if f.name != "chat_model"
)


def load_router(path: Path, name: str | None = None, **options: Any) -> Router:
    """The router the file at ``path`` describes (``name`` picks one under ``routers:``)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigurationError(f"cannot read router config {path}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise ConfigurationError(f"router config {path} is not valid YAML: {exc}") from None
    section = _pick(data, name, path)
    return router_from(
        section, where=f"{path}" + (f" (router {name!r})" if name else ""), **options
    )


def router_from(section: Mapping[str, Any], *, where: str = "config", **options: Any) -> Router:
    """A router from one already-parsed router section."""
    from fluent_ai.engine.router import Router

    unknown = set(section) - ROUTER_KEYS - {"deployments"}
    if unknown:
        raise ConfigurationError(
            f"{where}: unknown router setting(s) {', '.join(sorted(unknown))}; "
            f"use {', '.join(sorted(ROUTER_KEYS | {'deployments'}))}"
        )
    entries = section.get("deployments")
    if not isinstance(entries, list) or not entries:
        raise ConfigurationError(f"{where}: 'deployments' must be a non-empty list")
    settings: dict[str, Any] = {}
    if "strategy" in section:
        settings["strategy"] = section["strategy"]
    if "first_event_timeout" in section:
        settings["first_event_timeout"] = section["first_event_timeout"]
    if "health" in section:
        settings["health"] = _build(HealthPolicy, section["health"], f"{where}: health")
    if "retry" in section:
        retry = section["retry"]
        settings["retry"] = None if retry is None else _build(RetryPolicy, retry, f"{where}: retry")
    if "failover_on" in section:
        settings["failover_on"] = [_error_type(n, where) for n in section["failover_on"] or ()]
    for key in ("wait_for_capacity", "state"):  # seconds; a redis:// URL
        if key in section:
            settings[key] = _limit_setting(key, section[key], where)
    if section.get("intents") is not None:  # rules and examples: fluent_ai.engine.intent_config
        from fluent_ai.engine.intent_config import intents_from

        settings["intents"] = intents_from(section["intents"], f"{where}: intents")
    deployments = [
        _deployment(entry, f"{where}: deployment {i + 1}") for i, entry in enumerate(entries)
    ]
    return Router(deployments, **{**settings, **options})


def _limit_setting(key: str, value: Any, where: str) -> Any:
    if key == "state":
        if value is None:
            return None
        if not isinstance(value, str) or not value.startswith(("redis://", "rediss://")):
            raise ConfigurationError(f"{where}: state must be a redis:// or rediss:// URL")
        if urlsplit(value).password:
            raise ConfigurationError(
                f"{where}: the state URL holds a password, a secret in the file; pass "
                "state=RedisState(url) with the URL read from the environment instead"
            )
        return value
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        return value
    raise ConfigurationError(f"{where}: wait_for_capacity must be seconds or null")


def _pick(data: Any, name: str | None, path: Path) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise ConfigurationError(f"router config {path} must be a mapping")
    routers = data.get("routers")
    if routers is None:
        if name is not None:
            raise ConfigurationError(
                f"router config {path} has no 'routers:' to pick {name!r} from"
            )
        return data
    if not isinstance(routers, Mapping) or not routers:
        raise ConfigurationError(f"router config {path}: 'routers' must map names to routers")
    if name is None:
        if len(routers) != 1:
            raise ConfigurationError(
                f"router config {path} has several routers ({', '.join(map(str, routers))}); "
                "name the one to use"
            )
        name = next(iter(routers))
    if name not in routers or not isinstance(routers[name], Mapping):
        raise ConfigurationError(
            f"router config {path} has no router {name!r} (it has {', '.join(map(str, routers))})"
        )
    section: Mapping[str, Any] = routers[name]
    return section


def _deployment(entry: Any, where: str) -> Deployment:
    if isinstance(entry, str):
        return Deployment(entry)
    if not isinstance(entry, Mapping):
        raise ConfigurationError(f"{where}: a deployment is a spec or a mapping")
    _refuse_secrets(entry, where)
    _refuse_secrets(entry.get("settings") or {}, f"{where}: settings")
    unknown = set(entry) - DEPLOYMENT_KEYS
    if unknown:
        raise ConfigurationError(
            f"{where}: unknown setting(s) {', '.join(sorted(map(str, unknown)))}; "
            f"use {', '.join(sorted(DEPLOYMENT_KEYS))}"
        )
    values = dict(entry)
    if "model" not in values:
        raise ConfigurationError(f"{where}: 'model' (provider/model) is required")
    if "timeouts" in values:
        values["timeouts"] = _build(Timeouts, values["timeouts"], f"{where}: timeouts")
    if "retry" in values:
        retry = values["retry"]
        values["retry"] = None if retry is None else _build(RetryPolicy, retry, f"{where}: retry")
    if "tags" in values:
        values["tags"] = tuple(str(t) for t in values["tags"] or ())
    try:
        return Deployment(**values)
    except TypeError as exc:
        raise ConfigurationError(f"{where}: {exc}") from None


def _refuse_secrets(entry: Mapping[str, Any], where: str) -> None:
    found = sorted(str(k) for k in entry if str(k).lower().replace("-", "_") in SECRET_KEYS)
    if found:
        raise ConfigurationError(
            f"{where}: {', '.join(found)} would hold a secret in the file; keys are read "
            "from the environment only: name the variable with api_key_env"
        )


def _build(kind: type[Any], values: Any, where: str) -> Any:
    if not isinstance(values, Mapping):
        raise ConfigurationError(f"{where} must be a mapping")
    names = {f.name for f in dataclasses.fields(kind) if f.name != "sleep"}
    unknown = set(values) - names
    if unknown:
        raise ConfigurationError(
            f"{where}: unknown setting(s) {', '.join(sorted(map(str, unknown)))}; "
            f"use {', '.join(sorted(names))}"
        )
    try:
        return kind(**values)
    except (TypeError, ValueError) as exc:
        raise ConfigurationError(f"{where}: {exc}") from None


def _error_type(name: Any, where: str) -> type[FluentAIError]:
    found = getattr(types, str(name), None)
    if isinstance(found, type) and issubclass(found, FluentAIError):
        return found
    raise ConfigurationError(
        f"{where}: failover_on names {name!r}, which is no error type of fluent_ai.types"
    )
