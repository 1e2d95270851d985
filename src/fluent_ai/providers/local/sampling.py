"""Turn a request's sampling settings into validated generation options.

The rules, since providers disagree:

* ``temperature=0`` is greedy decoding (always the most likely token): deterministic.
* ``temperature=None`` is greedy too (SmolLM2's generation config sets no sampling),
  unless a sampling knob (``top_p``, or ``top_k`` / ``min_p`` in ``extra``) is given:
  asking for nucleus sampling means sampling, at temperature 1.
* ``seed`` makes sampling reproducible: the same seed and request give the same text.
* ``extra`` may carry ``top_k``, ``min_p`` and ``repetition_penalty``; anything else is
  refused, because silently ignoring a setting would make its effect look like noise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fluent_ai.types import ChatRequest, InvalidRequestError, UnsupportedFeatureError

DEFAULT_MAX_TOKENS = 512

_SAMPLING_EXTRAS = ("top_k", "min_p")
_EXTRAS = (*_SAMPLING_EXTRAS, "repetition_penalty")


@dataclass(frozen=True, slots=True)
class GenerationOptions:
    """What one generation is asked to do.

    ``temperature`` is ``None`` for greedy decoding; ``top_k=0``, ``top_p=1`` and
    ``min_p=0`` leave the distribution whole; ``repetition_penalty=1`` is none.
    """

    max_tokens: int = DEFAULT_MAX_TOKENS
    stop: tuple[str, ...] = ()
    seed: int | None = None
    temperature: float | None = None
    top_p: float = 1.0
    top_k: int = 0
    min_p: float = 0.0
    repetition_penalty: float = 1.0

    @property
    def greedy(self) -> bool:
        return self.temperature is None


def _invalid(message: str) -> InvalidRequestError:
    return InvalidRequestError(message, provider="local")


def _number(extra: dict[str, Any], key: str, low: float, high: float, *, whole: bool) -> float:
    value = extra[key]
    if isinstance(value, bool) or not isinstance(value, int if whole else int | float):
        kind = "a whole number" if whole else "a number"
        raise _invalid(f"extra[{key!r}] must be {kind}, got {value!r}")
    if not low <= value <= high:
        raise _invalid(f"extra[{key!r}] must be between {low} and {high}, got {value}")
    return float(value)


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
    extra = request.extra
    top_k = int(_number(extra, "top_k", 0, 10**9, whole=True)) if "top_k" in extra else 0
    min_p = _number(extra, "min_p", 0, 1, whole=False) if "min_p" in extra else 0.0
    penalty = (
        _number(extra, "repetition_penalty", 1e-3, 1e3, whole=False)
        if "repetition_penalty" in extra
        else 1.0
    )
    knobs = request.top_p is not None or any(k in extra for k in _SAMPLING_EXTRAS)
    temperature: float | None = None
    if request.temperature is not None and request.temperature > 0:
        temperature = request.temperature
    elif request.temperature is None and knobs:
        temperature = 1.0
    sampling = temperature is not None
    return GenerationOptions(
        max_tokens=request.max_tokens or DEFAULT_MAX_TOKENS,
        stop=tuple(s for s in request.stop or () if s),
        seed=request.seed,
        temperature=temperature,
        top_p=request.top_p if sampling and request.top_p is not None else 1.0,
        top_k=top_k if sampling else 0,
        min_p=min_p if sampling else 0.0,
        repetition_penalty=penalty,
    )
