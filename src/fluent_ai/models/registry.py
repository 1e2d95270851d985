"""The registry: every known model, loaded one provider at a time on first use.

Nothing is read at import. The first question about a provider imports its generated
module (a tuple of dict literals) and builds its :class:`ModelInfo` records, which
takes well under a millisecond; a bare model name loads providers in preference order
only until one of them knows it.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import importlib.util
import pkgutil
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Final

from fluent_ai.models.entry import Entry
from fluent_ai.models.errors import GeneratedDataError
from fluent_ai.models.info import MODEL_KINDS, ModelInfo, ModelKind
from fluent_ai.models.local import MODELS as LOCAL_MODELS
from fluent_ai.models.names import snapshot_aliases, undated
from fluent_ai.models.providers import LOCAL, WITHOUT_DATA, preference_order

GENERATED_PACKAGE: Final = "fluent_ai.models._generated"


class ProviderModels:
    """One provider's models, indexed by lower-case name and alias."""

    def __init__(self, provider: str, models: Iterable[ModelInfo]) -> None:
        self.provider = provider
        models = list(models)
        derived = snapshot_aliases(model.name for model in models)
        extra: dict[str, list[str]] = {}
        for alias, name in derived.items():
            extra.setdefault(name, []).append(alias)
        self.models: tuple[ModelInfo, ...] = tuple(
            dataclasses.replace(model, aliases=(*model.aliases, *extra[model.name]))
            if model.name in extra
            else model
            for model in models
        )
        self._names: dict[str, list[ModelInfo]] = {}
        self._aliases: dict[str, list[ModelInfo]] = {}
        for model in sorted(self.models, key=lambda m: MODEL_KINDS.index(m.kind)):
            self._names.setdefault(model.name.lower(), []).append(model)
            for alias in model.aliases:
                self._aliases.setdefault(alias.lower(), []).append(model)

    def find(self, name: str) -> list[ModelInfo]:
        """The models called ``name`` (any case, alias or dated snapshot), chat first.

        A dated name whose undated form is known, such as ``claude-opus-4-6-20260205``,
        resolves to that model under the dated name, as Anthropic serves it.
        """
        key = name.lower()
        found = self._names.get(key) or self._aliases.get(key)
        if found:
            return found
        split = undated(name)
        if split is None:
            return []
        base = self._names.get(split[0].lower()) or self._aliases.get(split[0].lower()) or []
        return [dataclasses.replace(m, name=name, api_name=name, aliases=()) for m in base]

    def spellings(self) -> dict[str, str]:
        """Every ``provider/name`` and ``provider/alias`` → the canonical ``provider/name``."""
        found = {}
        for model in self.models:
            found[model.id] = model.id
            for alias in model.aliases:
                found[f"{self.provider}/{alias}"] = model.id
        return found


class Registry:
    """Models by provider, loaded lazily through ``load(provider)``.

    Loading needs no lock: two threads that load the same provider at once build
    equal indexes and one simply replaces the other.
    """

    def __init__(
        self,
        providers: Iterable[str],
        load: Callable[[str], Iterable[Entry]],
        *,
        local: Iterable[ModelInfo] = LOCAL_MODELS,
    ) -> None:
        self._load = load
        self._local = tuple(local)
        with_data = {*providers, LOCAL}
        self._without_data = frozenset(WITHOUT_DATA) - with_data
        self._providers = tuple(preference_order(with_data | self._without_data))
        self._loaded: dict[str, ProviderModels] = {}

    @classmethod
    def from_package(cls, package: str = GENERATED_PACKAGE) -> Registry:
        """The registry of the generated modules in ``package`` (the installed data)."""
        spec = importlib.util.find_spec(package)
        locations = spec.submodule_search_locations if spec else None
        names = [info.name for info in pkgutil.iter_modules(locations or [])]

        def load(provider: str) -> tuple[Entry, ...]:
            models: tuple[Entry, ...] = importlib.import_module(f"{package}.{provider}").MODELS
            return models

        return cls([name for name in names if not name.startswith("_")], load)

    @classmethod
    def from_entries(cls, data: Mapping[str, Iterable[Entry]]) -> Registry:
        """A registry over entries already in memory, such as a parsed catalogue."""
        return cls(data.keys(), lambda provider: data[provider])

    @classmethod
    def from_directory(cls, directory: Path) -> Registry:
        """The registry of generated modules in ``directory``, read without importing them.

        Raises :class:`~fluent_ai.models.errors.GeneratedDataError` if any is malformed.
        """
        from fluent_ai.models.generated import read_directory

        data = read_directory(directory)
        if data.problems:
            name, problem = next(iter(sorted(data.problems.items())))
            raise GeneratedDataError(f"{directory / name}: {problem}")
        return cls.from_entries(data.providers)

    @property
    def providers(self) -> tuple[str, ...]:
        """Every provider id, in the order bare model names are looked up."""
        return self._providers

    def provider(self, provider: str) -> ProviderModels:
        """``provider``'s models, loading them on first use; ``KeyError`` if unknown."""
        loaded = self._loaded.get(provider)
        if loaded is None:
            if provider not in self._providers:
                raise KeyError(provider)
            # Imported here so that its rules are compiled only once data is needed.
            from fluent_ai.models.overlay import model_info

            if provider == LOCAL:
                models = self._local
            elif provider in self._without_data:
                models = ()
            else:
                models = tuple(model_info(provider, entry) for entry in self._load(provider))
            loaded = self._loaded[provider] = ProviderModels(provider, models)
        return loaded

    def models(
        self, provider: str | None = None, *, kind: ModelKind | None = None
    ) -> list[ModelInfo]:
        """Every model, or ``provider``'s, optionally only those of one ``kind``."""
        providers = self._providers if provider is None else (provider,)
        return [
            model
            for name in providers
            for model in self.provider(name).models
            if kind is None or model.kind == kind
        ]


@functools.cache
def default_registry() -> Registry:
    """The registry of the data shipped with fluent-ai, created on first use."""
    return Registry.from_package()
