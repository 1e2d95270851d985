"""One progress display for a graph build, on stderr, that ``enabled=False`` fully silences.

A first start goes through a few stages of very different lengths (reading the weights,
building the tokenizer, translating the weights into an ONNX graph, opening it), so the
display is one line naming the current stage with the time spent so far, and a second,
temporary line counting the builder's steps (tensors, layers) while the graph is built.
A warm start opens a cached graph in a fraction of a second and shows nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import TracebackType
from typing import Any

_STAGE_FORMAT = "{desc} [{n_fmt}/{total_fmt}, {elapsed}]"
_COUNT_FORMAT = "  {desc}: {percentage:3.0f}%|{bar:20}| {n_fmt}/{total_fmt} [{elapsed}]"


class BuildProgress:
    """The stage line of one build; every method is a no-op when ``enabled`` is false."""

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

    def counter(self, name: str) -> Callable[[int, int], None]:
        """A ``(done, total)`` callback that counts on a temporary line under the stage."""
        line: Any = None

        def update(done: int, total: int) -> None:
            nonlocal line
            if self._bar is None:
                return
            if line is None:
                line = self._tqdm(
                    total=total, desc=name, bar_format=_COUNT_FORMAT, file=sys.stderr, leave=False
                )
            line.update(done - line.n)  # drawn at most every tqdm interval, not per step
            if done >= total:
                line.close()

        return update

    def close(self, summary: str | None = None) -> None:
        """Mark every stage done and leave ``summary`` on the line."""
        if self._bar is None:
            return
        self._bar.n = self._bar.total
        if summary:
            self._bar.set_description_str(f"{self._title}: {summary}", refresh=False)
        self._bar.close()
        self._bar = None

    def __enter__(self) -> BuildProgress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            # a failed build leaves the stage it failed in on the line
            self._bar.close()
            self._bar = None
