"""Where a provider's requests go: one resolution for chat and embeddings alike.

The order, first that is set wins:

1. ``base_url=`` given in code (or ``--base-url`` on the command line);
2. the profile's URL variable, ``<PROVIDER>_BASE_URL`` (``OPENAI_BASE_URL``,
   ``OLLAMA_NATIVE_BASE_URL``, …), as the vendors' SDKs read it;
3. the profile's host variable, for a vendor whose own tools name the server alone:
   ``OLLAMA_HOST`` (see :func:`server_url`), with the profile's path kept, so it moves
   Ollama's native API, its OpenAI-compatible ``/v1`` and its embeddings together;
4. the profile's default.

Chat models and embedding models both call :func:`base_url_for`, so a variable that
moves one moves the other (``OPENAI_BASE_URL`` once reached chat but not embeddings).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import urlsplit

from fluent_ai.providers.base import ProviderProfile
from fluent_ai.types.errors import ConfigurationError

_UNSPECIFIED = {"0.0.0.0": "127.0.0.1", "::": "::1"}
"""Addresses a server listens on to mean "every interface": a client reaches it locally."""

_SCHEME_PORTS = {"http": 80, "https": 443}


def base_url_for(
    profile: ProviderProfile,
    explicit: str | None = None,
    *,
    environ: Mapping[str, str] | None = None,
) -> str:
    """The base URL for ``profile``'s requests, without a trailing slash (see above)."""
    env = os.environ if environ is None else environ
    if explicit:
        return explicit.rstrip("/")
    configured = env.get(profile.base_url_env, "").strip()
    if configured:
        return configured.rstrip("/")
    host = env.get(profile.host_env, "").strip() if profile.host_env else ""
    if host and profile.host_env:
        default = urlsplit(profile.base_url)
        root = server_url(host, default_port=default.port or 80, variable=profile.host_env)
        return root + default.path.rstrip("/")
    return profile.base_url.rstrip("/")


def server_url(host: str, *, default_port: int, variable: str = "OLLAMA_HOST") -> str:
    """``scheme://host:port[/path]`` for a server named the way ``OLLAMA_HOST`` names it.

    As Ollama's CLI and Python SDK read it: ``host``, ``host:port``, ``:port``,
    ``http://host[:port]``, ``https://host[:port]``, with an optional path; IPv6 in
    brackets. No scheme means ``http``; no port means ``default_port`` (11434 for
    Ollama), except that an explicit ``http://`` or ``https://`` means 80 or 443; no
    host means the local machine. ``0.0.0.0`` (and ``::``), which tell a server to
    listen everywhere, mean the local machine to a client.
    """
    scheme, found, rest = host.partition("://")
    port = default_port
    if not found:
        scheme, rest = "http", host
    elif scheme in _SCHEME_PORTS:
        port = _SCHEME_PORTS[scheme]
    else:
        raise ConfigurationError(
            f"{variable}={host!r} has the scheme {scheme!r}: use http:// or https://, "
            "or give just host:port"
        )
    try:
        parts = urlsplit(f"{scheme}://{rest}")
        name = parts.hostname or "127.0.0.1"
        port = parts.port or port
    except ValueError as exc:  # a port that is not a number, or out of range
        raise ConfigurationError(f"{variable}={host!r} is not host[:port]: {exc}") from exc
    name = _UNSPECIFIED.get(name, name)
    if ":" in name:  # an IPv6 address, which urlsplit hands back without its brackets
        name = f"[{name}]"
    path = parts.path.strip("/")
    return f"{scheme}://{name}:{port}" + (f"/{path}" if path else "")
