"""One progress display for a model load, on stderr, that ``progress=False`` fully silences.

A load goes through a few stages of very different lengths (importing torch, reading
the tokenizer, dequantizing the weights, writing the cache), so the display is one line
naming the current stage with the time spent so far, and a second, temporary line
counting tensors while transformers dequantizes them.

transformers draws its own bars: its generic ones ("Loading weights") obey
``transformers.utils.logging.disable_progress_bar``, but the GGUF dequantizing loop calls
``tqdm`` directly, so nothing but replacing that module-level name can silence it or
restyle it. :func:`transformers_bars` does both for the duration of a load and then puts
everything back. Loads are serialised by the loader's lock, so the swap cannot race
with another load in this process.
"""

from __future__ import annotations

import contextlib
import importlib
import sys
from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import Any, TypeVar

T = TypeVar("T")

_STAGE_FORMAT = "{desc} [{n_fmt}/{total_fmt}, {elapsed}]"
_COUNT_FORMAT = "  {desc}: {percentage:3.0f}%|{bar:20}| {n_fmt}/{total_fmt} [{elapsed}]"


class LoadProgress:
    """The stage line of one load; a no-op when ``enabled`` is false."""

    def __init__(self, title: str, stages: int, *, enabled: bool = True) -> None:
        self._title = title
        self._started = False
        self._bar: Any = None
        if enabled:
            from tqdm.auto import tqdm

            self._tqdm = tqdm
            self._bar = tqdm(
                total=stages, desc=title, bar_format=_STAGE_FORMAT, file=sys.stderr, leave=True
            )

    def stage(self, name: str) -> None:
        """Start the next stage: the previous one counts as done."""
        if self._bar is not None:
            if self._started:
                self._bar.n += 1
            self._started = True
            # drawn at once: update() would skip a redraw within tqdm's minimum interval,
            # hiding the name of a long stage that follows a short one
            self._bar.set_description_str(f"{self._title}: {name}", refresh=True)

    def track(self, items: Iterable[T], name: str) -> Iterable[T]:
        """Count ``items`` on a temporary line under the stage line."""
        if self._bar is None:
            return items
        return self._tqdm(  # type: ignore[no-any-return]
            items, desc=name, bar_format=_COUNT_FORMAT, file=sys.stderr, leave=False
        )

    def close(self, summary: str | None = None) -> None:
        """Mark every stage done and leave ``summary`` on the line."""
        if self._bar is None:
            return
        self._bar.n = self._bar.total
        if summary:
            self._bar.set_description_str(f"{self._title}: {summary}", refresh=False)
        self._bar.close()
        self._bar = None

    def __enter__(self) -> LoadProgress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            # a failed load leaves the stage it failed in on the line
            self._bar.close()
            self._bar = None


@contextlib.contextmanager
def transformers_bars(progress: LoadProgress) -> Iterator[None]:
    """Route transformers' load-time bars through ``progress`` (or nowhere) while inside.

    transformers must already be importable; this imports the two modules it patches.
    """
    # typed as Any: one name is private to the module, and these functions are unannotated
    gguf_loader: Any = importlib.import_module("transformers.modeling_gguf_pytorch_utils")
    hf_logging: Any = importlib.import_module("transformers.utils.logging")

    def dequantizing(items: Iterable[T], *args: Any, **kwargs: Any) -> Iterable[T]:
        return progress.track(items, "dequantizing tensors")

    was_enabled = hf_logging.is_progress_bar_enabled()
    original = getattr(gguf_loader, "tqdm", None)
    hf_logging.disable_progress_bar()
    if original is not None:
        gguf_loader.tqdm = dequantizing
    try:
        yield
    finally:
        if original is not None:
            gguf_loader.tqdm = original
        if was_enabled:
            hf_logging.enable_progress_bar()
