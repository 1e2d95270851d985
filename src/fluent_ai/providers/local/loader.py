"""Load a local model once per process: from the built graph in the cache, or from GGUF.

The first start translates the GGUF file into an ONNX graph (its quantized blocks
carried over as they are), writes it with the tokenizer and chat format into a cache
entry keyed by the file's SHA-256 and the builder's version (see
:mod:`fluent_ai.onnx.cache`), and later starts open that entry directly: ONNX Runtime
maps the graph and the first token follows in well under a second. numpy, onnx and
onnxruntime are imported inside the functions, so importing
:mod:`fluent_ai.providers.local` costs nothing until a model is used.
"""

from __future__ import annotations

import logging
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from fluent_ai.onnx.cache import default_cache_dir, entry_name, file_digest, open_or_discard
from fluent_ai.onnx.cache import write_atomically as write_entry
from fluent_ai.onnx.progress import BuildProgress
from fluent_ai.providers.local.catalog import DEFAULT_MODEL, LocalModelSpec, resolve_model
from fluent_ai.providers.local.memory import check_memory, gigabytes
from fluent_ai.providers.local.prompt import TemplateMessage
from fluent_ai.providers.local.requirements import require_local_packages

if TYPE_CHECKING:
    from fluent_ai.providers.local.chat_format import ChatFormat
    from fluent_ai.providers.local.runner import LlamaRunner

logger = logging.getLogger(__name__)

Source = Literal["gguf", "cache"]
TOKENIZER_FILE = "tokenizer.json"


@dataclass(eq=False)
class LocalModel:
    """A model in memory, ready to generate.

    One instance is shared by every request in the process; ONNX Runtime already uses
    every core for one generation, so generations take turns by holding ``lock``.
    ``source`` says whether the graph was built from the GGUF file on this load or read
    from the cache; ``cache_path`` is the directory it was opened from (a temporary one
    when the cache could not be written).
    """

    spec: LocalModelSpec
    runner: LlamaRunner
    tokenizer: Any
    chat: ChatFormat
    source: Source
    cache_path: Path | None
    load_seconds: float
    memory_needed: int
    memory_available: int
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    scratch: tempfile.TemporaryDirectory[str] | None = field(default=None, repr=False)
    """The temporary directory the graph was built into when the cache was unwritable."""

    @property
    def context_window(self) -> int:
        return self.runner.context_window

    @property
    def end_token_ids(self) -> frozenset[int]:
        """Every token id that ends an answer (end of text, end of turn)."""
        return frozenset(self.chat.end_ids)

    def prompt_ids(self, messages: list[TemplateMessage]) -> list[int]:
        """The conversation in the model's chat format, as token ids ready to run."""
        return self.chat.prompt_ids(self.tokenizer, messages)

    def decode(self, ids: list[int]) -> str:
        text: str = self.tokenizer.decode(ids, skip_special_tokens=True)
        return text


_shared: dict[tuple[str, Path], LocalModel] = {}
_shared_lock = threading.Lock()


def load_local_model(
    model: str | LocalModelSpec = DEFAULT_MODEL,
    *,
    progress: bool = True,
    cache_dir: str | Path | None = None,
) -> LocalModel:
    """The process-wide instance of ``model`` (a name, or a resolved spec), loaded on first use.

    Blocking (a second warm, seconds on the first start): call it from a worker thread
    in async code. Loads are serialised, so concurrent first calls load once and all get
    the same instance.
    """
    spec = model if isinstance(model, LocalModelSpec) else resolve_model(model)
    directory = Path(cache_dir).expanduser().absolute() if cache_dir else default_cache_dir()
    key = (str(spec.gguf_path()), directory)
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
    from fluent_ai.providers.local.llama_config import BUILDER_VERSION

    gguf = spec.gguf_path()
    digest = file_digest(gguf, cache_dir)
    entry = cache_dir / entry_name(spec.name, (f"gguf={digest}", f"builder={BUILDER_VERSION}"))
    source: Source = "cache"
    scratch: tempfile.TemporaryDirectory[str] | None = None
    cached = entry.is_dir()
    needed, available = check_memory(gguf, building=not cached)
    opened = _open(entry) if cached else None
    if opened is None:
        source = "gguf"
        if cached:  # the entry was damaged: building needs more memory than running
            needed, available = check_memory(gguf, building=True)
        with BuildProgress(f"local/{spec.name}", 3, enabled=progress) as bar:
            built, scratch = _build(gguf, entry, bar)
            bar.stage("opening the graph")
            opened = _open(built, discard_damaged=False)
            bar.close(f"built in {time.perf_counter() - started:.1f}s")
    runner, tokenizer, chat = opened
    if scratch is not None:
        entry = Path(scratch.name)
    seconds = time.perf_counter() - started
    logger.info(
        "loaded %s from %s in %.2fs (needs about %s of RAM, %s available)",
        spec.name,
        source,
        seconds,
        gigabytes(needed),
        gigabytes(available),
    )
    local = LocalModel(spec, runner, tokenizer, chat, source, entry, seconds, needed, available)
    local.scratch = scratch
    return local


def _open(entry: Path, *, discard_damaged: bool = True) -> Any:
    """The runner, tokenizer and chat format of a cache entry, or ``None`` once a damaged
    entry is gone (see :func:`fluent_ai.onnx.cache.open_or_discard`)."""
    from tokenizers import Tokenizer

    from fluent_ai.providers.local.chat_format import ChatFormat
    from fluent_ai.providers.local.runner import LlamaRunner

    def open_entry(directory: Path) -> tuple[LlamaRunner, Tokenizer, ChatFormat]:
        tokenizer = Tokenizer.from_file(str(directory / TOKENIZER_FILE))
        return LlamaRunner.open(directory), tokenizer, ChatFormat.read(directory)

    # tokenizers raises bare Exception for a bad file; the runner, LocalModelError
    return open_or_discard(entry, open_entry, (Exception,), discard_damaged=discard_damaged)


def _build(
    gguf: Path, entry: Path, bar: BuildProgress
) -> tuple[Path, tempfile.TemporaryDirectory[str] | None]:
    """Translate ``gguf`` into the cache entry, or into a temporary directory (returned
    too, to be kept as long as the model) when the cache cannot be written: an
    unwritable cache costs a build per process, not a failure."""
    from fluent_ai.providers.local.chat_format import ChatFormat
    from fluent_ai.providers.local.gguf_file import GGUFFile
    from fluent_ai.providers.local.gguf_tokenizer import tokenizer_from_gguf
    from fluent_ai.providers.local.llama_config import GRAPH_FILE
    from fluent_ai.providers.local.llama_graph import build_llama_graph

    def write(directory: Path) -> None:
        bar.stage("building the tokenizer")
        metadata = GGUFFile(gguf).fields
        tokenizer_from_gguf(metadata).save(str(directory / TOKENIZER_FILE))
        ChatFormat.from_gguf(metadata).write(directory)
        bar.stage("translating the weights into an ONNX graph")
        build_llama_graph(gguf, directory / GRAPH_FILE, bar.counter("tensors"))

    try:
        write_entry(entry, write)
    except OSError as exc:
        logger.warning("could not cache the graph in %s (%s); using a temporary copy", entry, exc)
        scratch = tempfile.TemporaryDirectory(prefix="fluent-ai-llama-")
        write(Path(scratch.name))
        return Path(scratch.name), scratch
    return entry, None
