"""Turn what a user types (``claude/claude-sonnet-4-5``, ``gpt-4o``) into a :class:`ModelInfo`."""

from __future__ import annotations

import functools

from fluent_ai.models.errors import UnknownModelError
from fluent_ai.models.info import ModelInfo, ModelKind
from fluent_ai.models.names import closest, is_plausible
from fluent_ai.models.providers import provider_id
from fluent_ai.models.registry import Registry, default_registry


def resolve(
    reference: str,
    *,
    kind: ModelKind | None = None,
    strict: bool = False,
    registry: Registry | None = None,
) -> ModelInfo:
    """The model ``reference`` names.

    ``reference`` is ``provider/model`` or a bare model name. Providers may be given by
    alias (``claude`` → ``anthropic``, ``gemini`` → ``google``); models by name, alias or
    dated snapshot, in any case (``claude-sonnet-4-5`` finds
    ``claude-sonnet-4-5-20250929`` and the other way round). A bare name is looked up
    in each provider in :data:`~fluent_ai.models.providers.PREFERENCE` order. ``kind``
    picks between models that share a name, and rejects a model of another kind.

    A model the registry does not know, on a provider it does, is returned with
    ``known=False`` and its limits and prices unknown, so new models work the day they
    ship; ``strict=True`` refuses it instead. Anything else raises
    :class:`UnknownModelError` listing the three closest known names.

    Answers are remembered per registry (a registry's data never changes once loaded),
    so pricing every call of a session costs a dictionary lookup.
    """
    return _resolve(reference, kind, strict, registry or default_registry())


@functools.lru_cache(maxsize=4096)
def _resolve(reference: str, kind: ModelKind | None, strict: bool, registry: Registry) -> ModelInfo:
    reference = reference.strip()
    head, slash, tail = reference.partition("/")
    provider = provider_id(head) if slash else ""
    if provider in registry.providers:
        return _from_provider(registry, provider, tail, kind=kind, strict=strict)
    for candidate in registry.providers:
        found = _pick(registry, candidate, reference, kind)
        if found is not None:
            return found
    raise UnknownModelError(
        f"unknown model {reference!r}", suggestions=suggestions(reference, registry=registry)
    )


def suggestions(reference: str, *, count: int = 3, registry: Registry | None = None) -> list[str]:
    """The ``count`` known ``provider/name``s closest to ``reference``, best first.

    A reference that starts with a known provider is compared with full ids; anything
    else with bare model names, both as a whole and after its first ``/`` (which may
    be a mistyped provider), so a typo in either part still finds its model.
    """
    registry = registry or default_registry()
    reference = reference.strip()
    head, slash, tail = reference.partition("/")
    provider = provider_id(head) if slash else ""
    qualified = provider in registry.providers
    candidates: dict[str, str] = {}
    for name in registry.providers:
        for spelling, canonical in registry.provider(name).spellings().items():
            key = spelling if qualified else spelling.partition("/")[2]
            candidates.setdefault(key, canonical)
    if qualified:
        queries = [f"{provider}/{tail}"]
    elif slash:
        queries = [reference, tail]
    else:
        queries = [reference]
    return closest(queries, candidates, count)


def _from_provider(
    registry: Registry, provider: str, name: str, *, kind: ModelKind | None, strict: bool
) -> ModelInfo:
    found = _pick(registry, provider, name, kind)
    if found is not None:
        return found
    others = registry.provider(provider).find(name) if name else []
    if others:
        raise UnknownModelError(
            f"{others[0].id} is a model of kind {others[0].kind!r}, not {kind!r}", suggestions=[]
        )
    if strict or not is_plausible(name):
        reference = f"{provider}/{name}"
        raise UnknownModelError(
            f"unknown model {reference!r}", suggestions=suggestions(reference, registry=registry)
        )
    chosen = kind or "chat"
    return ModelInfo(
        provider=provider,
        name=name,
        kind=chosen,
        supports_streaming=chosen == "chat",
        known=False,
    )


def _pick(registry: Registry, provider: str, name: str, kind: ModelKind | None) -> ModelInfo | None:
    """The first of ``provider``'s models called ``name`` of the wanted kind, if any."""
    if not name:
        return None
    for model in registry.provider(provider).find(name):
        if kind is None or model.kind == kind:
            return model
    return None
