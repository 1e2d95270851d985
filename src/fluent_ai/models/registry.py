"""The registry: every known model, loaded one provider at a time on first use.

Nothing is read at import. The first question about a provider imports its generated
module in each catalogue (tuples of dict literals), merges them and builds its
:class:`ModelInfo` records; a bare model name loads providers in preference order only
until one of them knows it.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import importlib.util
import pkgutil
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
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


Loader = Callable[[str], Iterable[Entry]]
"""Provider id → that provider's entries in one catalogue."""


@dataclass(frozen=True, slots=True)
class CatalogueData:
    """One catalogue's generated data: which providers it covers, how to load one,
    and where it came from (shown by ``fluent-ai models show``)."""

    providers: frozenset[str]
    load: Loader
    origin: str


class Registry:
    """Models by provider, merged from every catalogue, loaded on first use.

    ``catalogues`` maps a catalogue's name (``"litellm"``, ``"aichat"``) to its data;
    :mod:`fluent_ai.models.merge` decides which one wins for each field. Loading needs
    no lock: two threads that load the same provider at once build equal indexes and
    one simply replaces the other.
    """

    def __init__(
        self,
        catalogues: Mapping[str, CatalogueData],
        *,
        local: Iterable[ModelInfo] = LOCAL_MODELS,
    ) -> None:
        self._catalogues = dict(catalogues)
        self._local = tuple(local)
        with_data = {LOCAL}.union(*(data.providers for data in self._catalogues.values()))
        self._without_data = frozenset(WITHOUT_DATA) - with_data
        self._providers = tuple(preference_order(with_data | self._without_data))
        self._loaded: dict[str, ProviderModels] = {}

    @classmethod
    def from_package(cls, root: Path | None = None) -> Registry:
        """The registry of the installed data: for each catalogue, what ``fluent-ai
        models sync`` wrote under ``root`` (default: the user cache) when this version
        synced it, else the data shipped in the package."""
        from fluent_ai.models.catalogues import SOURCES
        from fluent_ai.models.store import read_manifest, synced_directory

        catalogues = {}
        for source in SOURCES:
            directory = synced_directory(source, root)
            manifest = read_manifest(directory) if directory is not None else None
            if directory is None or manifest is None:
                catalogues[source] = _package_data(f"{GENERATED_PACKAGE}.{source}")
            else:
                when = time.strftime("%Y-%m-%d %H:%M", time.localtime(manifest.synced_at))
                origin = f"synced {when} from {manifest.location} into {directory}"
                catalogues[source] = _directory_data(directory, origin)
        return cls(catalogues)

    @classmethod
    def from_entries(cls, data: Mapping[str, Iterable[Entry]], source: str = "aichat") -> Registry:
        """A registry over one catalogue's entries already in memory."""
        return cls.from_catalogues({source: data})

    @classmethod
    def from_catalogues(cls, catalogues: Mapping[str, Mapping[str, Iterable[Entry]]]) -> Registry:
        """A registry over several catalogues in memory: name → provider → entries."""
        return cls(
            {
                source: CatalogueData(frozenset(data), data.__getitem__, "in memory")
                for source, data in catalogues.items()
            }
        )

    @classmethod
    def from_directory(cls, directory: Path) -> Registry:
        """The registry of the generated modules in ``directory/<catalogue>/``, read
        without importing them.

        Raises :class:`~fluent_ai.models.errors.GeneratedDataError` if any is malformed.
        """
        from fluent_ai.models.generated import read_directory

        catalogues = {}
        for sub in sorted(path for path in directory.iterdir() if path.is_dir()):
            data = read_directory(sub)
            if data.problems:
                name, problem = next(iter(sorted(data.problems.items())))
                raise GeneratedDataError(f"{sub / name}: {problem}")
            catalogues[sub.name] = data.providers
        return cls.from_catalogues(catalogues)

    @property
    def providers(self) -> tuple[str, ...]:
        """Every provider id, in the order bare model names are looked up."""
        return self._providers

    @property
    def origins(self) -> dict[str, str]:
        """Each catalogue's name → where its data was read from."""
        return {source: data.origin for source, data in self._catalogues.items()}

    def provider(self, provider: str) -> ProviderModels:
        """``provider``'s models, loading them on first use; ``KeyError`` if unknown."""
        loaded = self._loaded.get(provider)
        if loaded is None:
            if provider not in self._providers:
                raise KeyError(provider)
            # Imported here so that the rules are compiled only once data is needed.
            from fluent_ai.models.merge import merge

            if provider == LOCAL:
                models: Iterable[ModelInfo] = self._local
            else:
                models = merge(
                    provider,
                    {
                        source: data.load(provider)
                        for source, data in self._catalogues.items()
                        if provider in data.providers
                    },
                )
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


def _package_data(package: str) -> CatalogueData:
    """A catalogue shipped as an importable package of generated modules."""
    spec = importlib.util.find_spec(package)
    locations = spec.submodule_search_locations if spec else None
    names = {info.name for info in pkgutil.iter_modules(locations or [])}

    def load(provider: str) -> tuple[Entry, ...]:
        models: tuple[Entry, ...] = importlib.import_module(f"{package}.{provider}").MODELS
        return models

    shipped = frozenset(name for name in names if not name.startswith("_"))
    return CatalogueData(shipped, load, "shipped with fluent-ai")


def _directory_data(directory: Path, origin: str) -> CatalogueData:
    """A catalogue synced into ``directory``, each module read (not imported) on use."""
    from fluent_ai.models.generated import module_name, read_module

    names = {path.stem for path in directory.glob("*.py") if not path.stem.startswith("_")}

    def load(provider: str) -> tuple[Entry, ...]:
        path = directory / module_name(provider)
        try:
            _, entries = read_module(path.read_text(encoding="utf-8"), str(path))
        except (OSError, UnicodeDecodeError) as exc:
            raise GeneratedDataError(
                f"{path}: {exc}; run `fluent-ai models sync` to repair it"
            ) from exc
        return entries

    return CatalogueData(frozenset(names), load, origin)


@functools.cache
def default_registry() -> Registry:
    """The registry of the installed data (synced or shipped), created on first use."""
    return Registry.from_package()
