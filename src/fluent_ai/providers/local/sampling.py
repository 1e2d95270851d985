"""Turn a request's sampling settings into arguments for transformers' ``generate``.

The rules, since providers disagree:

* ``temperature=0`` is greedy decoding (always the most likely token): deterministic.
* ``temperature=None`` keeps the model's own generation defaults (greedy for SmolLM2,
  whose generation config sets none), unless a sampling knob (``top_p``, or ``top_k`` /
  ``min_p`` in ``extra``) is given: asking for nucleus sampling means sampling.
* ``seed`` makes sampling reproducible: the same seed and request give the same text.
* ``extra`` may carry ``top_k``, ``min_p`` and ``repetition_penalty``; anything else is
  refused, because silently ignoring a setting would make its effect look like noise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fluent_ai.types import ChatRequest, InvalidRequestError, UnsupportedFeatureError

DEFAULT_MAX_TOKENS = 512

_SAMPLING_EXTRAS = ("top_k", "min_p")
_EXTRAS = (*_SAMPLING_EXTRAS, "repetition_penalty")


@dataclass(frozen=True, slots=True)
class GenerationOptions:
    """What one generation is asked to do; ``sampling`` goes to ``generate`` as is."""

    max_tokens: int = DEFAULT_MAX_TOKENS
    stop: tuple[str, ...] = ()
    seed: int | None = None
    sampling: dict[str, Any] = field(default_factory=dict)


def _invalid(message: str) -> InvalidRequestError:
    return InvalidRequestError(message, provider="local")


def _check_ranges(request: ChatRequest) -> None:
    if request.max_tokens is not None and request.max_tokens < 1:
        raise _invalid(f"max_tokens must be at least 1, got {request.max_tokens}")
    if request.temperature is not None and request.temperature < 0:
        raise _invalid(f"temperature must be 0 or more, got {request.temperature}")
    if request.top_p is not None and not 0 < request.top_p <= 1:
        raise _invalid(f"top_p must be in (0, 1], got {request.top_p}")
    unknown = sorted(set(request.extra) - set(_EXTRAS))
    if unknown:
        raise UnsupportedFeatureError(
            f"the local model does not understand extra={unknown}; it accepts {list(_EXTRAS)}",
            provider="local",
        )


def generation_options(request: ChatRequest) -> GenerationOptions:
    """Validated generation settings for ``request``."""
    _check_ranges(request)
    knobs: dict[str, Any] = {k: request.extra[k] for k in _SAMPLING_EXTRAS if k in request.extra}
    if request.top_p is not None:
        knobs["top_p"] = request.top_p
    sampling: dict[str, Any] = {}
    if request.temperature == 0:
        sampling["do_sample"] = False
    elif request.temperature is not None or knobs:
        sampling["do_sample"] = True
        if request.temperature is not None:
            sampling["temperature"] = request.temperature
        sampling.update(knobs)
    if "repetition_penalty" in request.extra:
        sampling["repetition_penalty"] = request.extra["repetition_penalty"]
    return GenerationOptions(
        max_tokens=request.max_tokens or DEFAULT_MAX_TOKENS,
        stop=tuple(s for s in request.stop or () if s),
        seed=request.seed,
        sampling=sampling,
    )
