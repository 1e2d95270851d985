"""The proxies set in the environment, as the URL patterns httpx routes by.

httpx reads ``HTTP_PROXY``, ``HTTPS_PROXY``, ``ALL_PROXY`` and ``NO_PROXY`` itself only
when it builds its own transports. :class:`~fluent_ai.http.client.HttpClient` builds
them (to put the cache and the typed-error layer in front of each), so it passes them
through httpx's public ``mounts=`` option instead, computed here.

``NO_PROXY`` is read as curl and Python's ``urllib`` read it: ``*`` turns every proxy
off; ``example.com``, ``.example.com`` and ``*.example.com`` all exempt example.com and
its subdomains (httpx alone would leave example.com itself proxied for the dotted
form); IP addresses (``10.1.2.3``, ``::1``, ``[::1]``) and ``localhost`` match exactly;
``host:port`` exempts that port only; a URL (``http://internal``) exempts that scheme
and host. CIDR blocks (``10.0.0.0/8``) cannot be written as an httpx URL pattern: they
are skipped with a logged warning rather than turned into a pattern that would match
only the network's first address.
"""

from __future__ import annotations

import ipaddress
import logging
from urllib.request import getproxies

logger = logging.getLogger(__name__)


def environment_proxies() -> dict[str, str | None]:
    """URL pattern → proxy URL, or ``None`` for the patterns that go direct.

    ``urllib.request.getproxies`` reads the variables (lower case first, as curl does,
    and on Windows and macOS the system settings); only the HTTP schemes are taken, so
    that unrelated ``*_PROXY`` variables (``TRAVIS_APT_PROXY``) never route HTTP traffic.
    """
    found = getproxies()
    routes: dict[str, str | None] = {}
    for scheme in ("http", "https", "all"):
        proxy = found.get(scheme)
        if proxy:
            routes[f"{scheme}://"] = proxy if "://" in proxy else f"http://{proxy}"
    for entry in found.get("no", "").split(","):
        host = entry.strip()
        if host == "*":
            return {}
        pattern = direct_pattern(host) if host else None
        if pattern is not None:
            routes[pattern] = None
    return routes


def direct_pattern(entry: str) -> str | None:
    """The httpx URL pattern for one ``NO_PROXY`` entry; ``None`` for a CIDR block."""
    if "://" in entry:
        return entry
    if _is_ip(entry):
        return f"all://[{entry}]" if ":" in entry else f"all://{entry}"
    if entry.startswith("[") and _is_ip(entry[1:].partition("]")[0]):
        return f"all://{entry}"
    if "/" in entry and _is_ip(entry.partition("/")[0]):
        logger.warning(
            "NO_PROXY entry %r is an address block, which cannot be matched here: "
            "requests to its hosts use the proxy; list those hosts in NO_PROXY instead",
            entry,
        )
        return None
    name, colon, port = entry.rpartition(":")
    if entry.lower().partition(":")[0] == "localhost" or (
        colon and port.isdigit() and _is_ip(name)
    ):
        return f"all://{entry}"
    # "*" before a name matches the name itself and its subdomains in httpx's patterns.
    return f"all://*{entry.lstrip('*.')}"


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
