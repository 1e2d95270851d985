"""The engine (layer 3): routing across models and providers.

A :class:`Router` is a chat model over several :class:`Deployment` objects: strategies
(fallbacks, weighted, latency, cost, least busy), failover, cooldowns and circuit
breakers (:class:`HealthPolicy`), with the route of every answer (:class:`Route`) and
the health of every deployment (:meth:`Router.health`) as data. :class:`Deduplicated`
and :class:`Cached` wrap any chat model (a router included) to share identical calls
in flight and to answer repeated ones from a store; :class:`IntentRouter` names the
route for a request by rules and labelled examples. :class:`Observed` reports every
call (events, metrics, OpenTelemetry spans, a SQLite :class:`CallLog`). See
``docs/engine.md`` and ``docs/observability.md``.

Names are imported on first use (PEP 562), so importing one module of the engine does
not import the others.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_MODULES = {
    "fluent_ai.engine.router": ["Router"],
    "fluent_ai.engine.deployment": ["Deployment"],
    "fluent_ai.engine.health": ["HealthPolicy"],
    "fluent_ai.engine.route": ["Route"],
    "fluent_ai.engine.probes": ["ProbeResult"],
    "fluent_ai.engine.stats": ["DeploymentHealth", "RouterHealth"],
    "fluent_ai.engine.failover": ["LimitsReachedError", "NoDeploymentAvailableError"],
    "fluent_ai.engine.state_redis": ["RedisState"],
    "fluent_ai.engine.dedup": ["Deduplicated"],
    "fluent_ai.engine.cache": ["CacheHit", "CacheStats", "Cached"],
    "fluent_ai.engine.cache_store": ["CacheEntry", "CacheStore", "CacheStoreError"],
    "fluent_ai.engine.cache_memory": ["MemoryStore"],
    "fluent_ai.engine.cache_sqlite": ["SQLiteStore"],
    "fluent_ai.engine.cache_redis": ["RedisStore"],
    "fluent_ai.engine.semantic": ["SemanticIndex"],
    "fluent_ai.engine.intent": ["Decision", "IntentRouter"],
    "fluent_ai.engine.intent_rules": ["Rule"],
    "fluent_ai.engine.observe": ["Observed"],
    "fluent_ai.engine.observe_events": ["CallEnd", "CallEvent", "CallStart"],
    "fluent_ai.engine.observe_metrics": ["CallStats", "Metrics"],
    "fluent_ai.engine.calllog": ["CallLog", "LoggedCall"],
}
_EXPORTS = {name: module for module, names in _MODULES.items() for name in names}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:
    from fluent_ai.engine.cache import Cached as Cached
    from fluent_ai.engine.cache import CacheHit as CacheHit
    from fluent_ai.engine.cache import CacheStats as CacheStats
    from fluent_ai.engine.cache_memory import MemoryStore as MemoryStore
    from fluent_ai.engine.cache_redis import RedisStore as RedisStore
    from fluent_ai.engine.cache_sqlite import SQLiteStore as SQLiteStore
    from fluent_ai.engine.cache_store import CacheEntry as CacheEntry
    from fluent_ai.engine.cache_store import CacheStore as CacheStore
    from fluent_ai.engine.cache_store import CacheStoreError as CacheStoreError
    from fluent_ai.engine.calllog import CallLog as CallLog
    from fluent_ai.engine.calllog import LoggedCall as LoggedCall
    from fluent_ai.engine.dedup import Deduplicated as Deduplicated
    from fluent_ai.engine.deployment import Deployment as Deployment
    from fluent_ai.engine.failover import LimitsReachedError as LimitsReachedError
    from fluent_ai.engine.failover import NoDeploymentAvailableError as NoDeploymentAvailableError
    from fluent_ai.engine.health import HealthPolicy as HealthPolicy
    from fluent_ai.engine.intent import Decision as Decision
    from fluent_ai.engine.intent import IntentRouter as IntentRouter
    from fluent_ai.engine.intent_rules import Rule as Rule
    from fluent_ai.engine.observe import Observed as Observed
    from fluent_ai.engine.observe_events import CallEnd as CallEnd
    from fluent_ai.engine.observe_events import CallEvent as CallEvent
    from fluent_ai.engine.observe_events import CallStart as CallStart
    from fluent_ai.engine.observe_metrics import CallStats as CallStats
    from fluent_ai.engine.observe_metrics import Metrics as Metrics
    from fluent_ai.engine.probes import ProbeResult as ProbeResult
    from fluent_ai.engine.route import Route as Route
    from fluent_ai.engine.router import Router as Router
    from fluent_ai.engine.semantic import SemanticIndex as SemanticIndex
    from fluent_ai.engine.state_redis import RedisState as RedisState
    from fluent_ai.engine.stats import DeploymentHealth as DeploymentHealth
    from fluent_ai.engine.stats import RouterHealth as RouterHealth


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'fluent_ai.engine' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
