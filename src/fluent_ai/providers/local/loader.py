"""Load a local model once per process: from the converted cache, or from its GGUF file.

The first start dequantizes the GGUF file with transformers and saves the result as
safetensors plus the tokenizer (see :mod:`.cache`); later starts load that directly.
torch and transformers are imported here, inside the functions, so that importing
:mod:`fluent_ai.providers.local` costs nothing until a model is actually used.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from fluent_ai.providers.local.cache import cache_key, default_cache_dir, discard, write_atomically
from fluent_ai.providers.local.catalog import DEFAULT_MODEL, LocalModelSpec, resolve_model
from fluent_ai.providers.local.memory import check_memory, gigabytes
from fluent_ai.providers.local.progress import LoadProgress, transformers_bars
from fluent_ai.providers.local.requirements import require_local_packages
from fluent_ai.types import LocalModelError

logger = logging.getLogger(__name__)

Source = Literal["gguf", "cache"]


@dataclass(eq=False)
class LocalModel:
    """A model in memory, ready to generate.

    One instance is shared by every request in the process; torch already uses every
    core for one generation, so generations take turns by holding ``lock``.
    ``source`` says whether the weights were converted from the GGUF file or read from
    ``cache_path`` (``None`` when the cache could not be written).
    """

    spec: LocalModelSpec
    model: Any
    tokenizer: Any
    source: Source
    cache_path: Path | None
    load_seconds: float
    memory_needed: int
    memory_available: int
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def eos_token_ids(self) -> frozenset[int]:
        """Every token id that ends an answer (the generation config may list several)."""
        eos = self.model.generation_config.eos_token_id
        if eos is None:
            eos = self.tokenizer.eos_token_id
        return frozenset(eos if isinstance(eos, list) else [eos])


_shared: dict[tuple[str, Path], LocalModel] = {}
_shared_lock = threading.Lock()


def load_local_model(
    model: str = DEFAULT_MODEL, *, progress: bool = True, cache_dir: str | Path | None = None
) -> LocalModel:
    """The process-wide instance of ``model``, loading it on first use.

    Blocking (seconds): call it from a worker thread in async code. Loads are
    serialised, so concurrent first calls load once and all get the same instance.
    """
    spec = resolve_model(model)
    directory = Path(cache_dir).expanduser().absolute() if cache_dir else default_cache_dir()
    key = (spec.name, directory)
    with _shared_lock:
        loaded = _shared.get(key)
        if loaded is None:
            loaded = read_local_model(spec, cache_dir=directory, progress=progress)
            _shared[key] = loaded
        return loaded


def read_local_model(spec: LocalModelSpec, *, cache_dir: Path, progress: bool) -> LocalModel:
    """Load ``spec`` from disk now, from the cache if it has an entry, else from GGUF.

    Not shared and not locked: use :func:`load_local_model` unless a fresh copy is the
    point (tests and benchmarks of the load itself).
    """
    started = time.perf_counter()
    require_local_packages()
    gguf = spec.gguf_path()
    entry = cache_dir / cache_key(spec, gguf)
    cached = entry.is_dir()
    needed, available = check_memory(spec, converting=not cached)
    logger.info(
        "loading %s: needs about %s of RAM, %s available",
        spec.name,
        gigabytes(needed),
        gigabytes(available),
    )
    with LoadProgress(f"local/{spec.name}", 3 if cached else 4, enabled=progress) as bar:
        bar.stage("importing torch and transformers")
        import transformers

        with transformers_bars(bar):
            loaded = _from_cache(transformers, entry, bar) if cached else None
            if loaded is not None:
                source: Source = "cache"
                model, tokenizer = loaded
                written: Path | None = entry
            else:
                if cached:  # the entry was unreadable: converting needs more memory
                    needed, available = check_memory(spec, converting=True)
                source = "gguf"
                model, tokenizer = _from_gguf(transformers, gguf, bar)
                written = _save(model, tokenizer, entry, bar)
        seconds = time.perf_counter() - started
        bar.close(
            f"ready in {seconds:.1f}s from {source}, "
            f"{gigabytes(needed)} needed, {gigabytes(available)} free"
        )
    logger.info("loaded %s from %s in %.1fs", spec.name, source, seconds)
    return LocalModel(spec, model, tokenizer, source, written, seconds, needed, available)


def _from_cache(transformers: Any, entry: Path, bar: LoadProgress) -> tuple[Any, Any] | None:
    """The cached model, or ``None`` (entry discarded) when it cannot be read.

    A damaged entry (a disk error, files deleted by hand) must not stop the model from
    loading: it is removed and the model converted again.
    """
    try:
        bar.stage("loading the cached tokenizer")
        tokenizer = transformers.AutoTokenizer.from_pretrained(entry)
        bar.stage("loading the cached weights")
        model = transformers.AutoModelForCausalLM.from_pretrained(entry)
    except (OSError, ValueError, RuntimeError) as exc:
        logger.warning("the cached model in %s is unreadable (%s); converting again", entry, exc)
        discard(entry)
        return None
    return model, tokenizer


def _from_gguf(transformers: Any, gguf: Path, bar: LoadProgress) -> tuple[Any, Any]:
    """Tokenizer and dequantized float32 model from the GGUF file."""
    try:
        bar.stage("reading the tokenizer from GGUF")
        tokenizer = transformers.AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
        bar.stage("converting the GGUF weights")
        model = transformers.AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name)
    except (OSError, ValueError, RuntimeError, KeyError) as exc:
        raise LocalModelError(
            f"could not load {gguf}: {type(exc).__name__}: {exc}", provider="local"
        ) from exc
    _drop_gguf_quantizer(model, gguf)
    return model, tokenizer


def _drop_gguf_quantizer(model: Any, gguf: Path) -> None:
    """Make the converted model an ordinary one that ``save_pretrained`` accepts.

    transformers dequantizes this architecture's GGUF weights into plain float tensors
    but leaves a GGUF quantizer attached, which refuses to serialise. Once every weight
    is checked to be dense, the quantizer describes nothing and is removed with its own
    ``remove_quantization_config``.
    """
    packed = [name for name, p in model.named_parameters() if not p.dtype.is_floating_point]
    if packed:
        raise LocalModelError(
            f"transformers kept {len(packed)} weights of {gguf.name} packed "
            f"(e.g. {packed[0]}); fluent-ai runs and caches dequantized models only",
            provider="local",
        )
    quantizer = getattr(model, "hf_quantizer", None)
    if quantizer is not None:
        quantizer.remove_quantization_config(model)


def _save(model: Any, tokenizer: Any, entry: Path, bar: LoadProgress) -> Path | None:
    """Write the cache entry; a cache that cannot be written only costs the next start."""
    bar.stage("saving the converted model")

    def write(directory: Path) -> None:
        model.save_pretrained(directory)
        tokenizer.save_pretrained(directory)

    try:
        write_atomically(entry, write)
    except OSError as exc:
        logger.warning("could not cache the converted model in %s: %s", entry, exc)
        return None
    return entry
