"""How far a batch has got, as one value handed to the caller's progress callback.

A call may run several remote batches at once (more requests than one batch takes, or a
router whose deployments are at two vendors) next to items that failed before they were
sent; :class:`Tally` adds them up, so the callback always sees the whole call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class BatchProgress:
    """``done`` of ``total`` items have an outcome, ``errors`` of them a failure.

    ``status`` is the vendor's word for the batch that just reported (``validating``,
    ``in_progress``, ``ended``…), or ``"running"`` / ``"done"`` when the requests run
    concurrently; ``batch_id`` names that remote batch (``None`` when concurrent).
    """

    done: int
    total: int
    errors: int
    status: str
    batch_id: str | None = None


ProgressCallback = Callable[[BatchProgress], None]


class Tally:
    """The counts of one call: items settled here, plus each remote batch's own."""

    def __init__(self, total: int, callback: ProgressCallback | None) -> None:
        self.total = total
        self._callback = callback
        self._done = 0
        self._errors = 0
        self._jobs: dict[str, tuple[int, int]] = {}

    def item(self, failed: bool) -> None:
        """One item settled here (answered, or failed before it could be sent)."""
        self._done += 1
        self._errors += failed
        self._emit("done" if self._done == self.total else "running", None)

    def job(self, batch_id: str, status: str, done: int, errors: int) -> None:
        """What the latest poll of a remote batch said."""
        self._jobs[batch_id] = (done, errors)
        self._emit(status, batch_id)

    def _emit(self, status: str, batch_id: str | None) -> None:
        if self._callback is None:
            return
        done = self._done + sum(d for d, _ in self._jobs.values())
        errors = self._errors + sum(e for _, e in self._jobs.values())
        self._callback(BatchProgress(min(done, self.total), self.total, errors, status, batch_id))
