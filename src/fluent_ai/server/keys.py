"""Virtual keys: what a gateway key may do, and the secret that proves it is held.

A key's secret (``fa-`` and 32 random URL-safe characters) is shown once, when the key
is made; the store keeps only its SHA-256 digest and a short prefix to tell keys apart
in a listing. A presented secret is hashed and looked up by digest, so the gateway
never holds a secret it could leak, and comparing digests leaks nothing about one.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fluent_ai.types import InvalidRequestError

SECRET_PREFIX = "fa-"
SHOWN = 7
"""Characters of a secret kept for display (``fa-`` and four more): not enough to guess it."""

NO_KEY = (
    "this gateway needs a key: send it as 'Authorization: Bearer KEY' (OpenAI clients) "
    "or 'x-api-key: KEY' (Anthropic clients)"
)

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def new_secret() -> str:
    """A fresh key secret: ``fa-`` and 32 URL-safe characters (192 random bits)."""
    return SECRET_PREFIX + secrets.token_urlsafe(24)


def digest(secret: str) -> str:
    """The SHA-256 of a secret, as stored and looked up."""
    return hashlib.sha256(secret.encode()).hexdigest()


def presented(headers: Mapping[str, str]) -> str | None:
    """The secret the caller sent, from either SDK's header."""
    given = headers.get("authorization")
    if given is not None:
        scheme, _, secret = given.partition(" ")
        if scheme.lower() == "bearer" and secret.strip():
            return secret.strip()
    return headers.get("x-api-key") or None


def expiry(given: str | float | None, *, now: float | None = None) -> float | None:
    """When a key made now with ``given`` (``30d``, ``12h``, ``90m`` or seconds) expires."""
    if given is None or given == "":
        return None
    start = time.time() if now is None else now
    if isinstance(given, int | float) and not isinstance(given, bool):
        seconds = float(given)
    else:
        found = _DURATION.match(str(given))
        if found is None:
            raise InvalidRequestError(
                f"expiry {given!r} is not a duration: write a number and a unit, "
                "s, m, h, d or w (e.g. 30d)"
            )
        seconds = float(found.group(1)) * _SECONDS[found.group(2)]
    if seconds <= 0:
        raise InvalidRequestError("a key's expiry must be in the future")
    return start + seconds


@dataclass
class VirtualKey:
    """One key as the store keeps it: never the secret, only its digest."""

    id: str
    name: str
    prefix: str
    digest: str = field(repr=False)
    models: tuple[str, ...] = ()
    rpm: int | None = None
    tpm: int | None = None
    budget: float | None = None
    expires: float | None = None
    revoked: bool = False
    created: float = 0.0
    spent: float = 0.0

    def allows(self, model: str) -> bool:
        return not self.models or model in self.models

    def expired(self, now: float) -> bool:
        return self.expires is not None and now >= self.expires

    def public(self) -> dict[str, Any]:
        """What a listing shows: everything but the digest."""
        return {
            "id": self.id,
            "name": self.name,
            "prefix": self.prefix,
            "models": list(self.models),
            "rpm": self.rpm,
            "tpm": self.tpm,
            "budget": self.budget,
            "spent": round(self.spent, 9),
            "expires": self.expires,
            "revoked": self.revoked,
            "created": self.created,
        }


def checked_limits(
    rpm: int | None, tpm: int | None, budget: float | None, models: tuple[str, ...]
) -> None:
    """Refuse limits that could never let a call through, with what to write instead."""
    for name, value in (("rpm", rpm), ("tpm", tpm)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise InvalidRequestError(f"a key's {name} must be a whole number, not {value!r}")
        if value is not None and value < 1:
            raise InvalidRequestError(f"a key's {name} must be at least 1 (leave it out for none)")
    if budget is not None and (isinstance(budget, bool) or not isinstance(budget, int | float)):
        raise InvalidRequestError(f"a key's budget must be a number of USD, not {budget!r}")
    if budget is not None and budget < 0:
        raise InvalidRequestError("a key's budget must not be negative")
    if not all(isinstance(m, str) and m for m in models):
        raise InvalidRequestError("a key's models must be served model names")
