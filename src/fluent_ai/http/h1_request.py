"""The bytes of an HTTP/1.1 request's head, checked before anything is sent.

httpx's own transport refuses a header that would break the request's framing (h11
does); this transport writes the head itself, so it refuses the same: a CR, LF or NUL
in a value, or a name that is not an RFC 9110 token, would let text from a caller end
one header and start another.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+\Z")
_UNSAFE = re.compile(rb"[\r\n\x00]")


class InvalidHeader(ValueError):
    """A header that would change the request's framing if sent: refused before sending."""


def request_head(method: bytes, target: bytes, headers: list[tuple[bytes, bytes]]) -> bytes:
    """The request line and headers, checked: a CR, LF or NUL in a value, or a name
    that is not a token, would let a caller's text end the header and start another."""
    lines = [b"%s %s HTTP/1.1\r\n" % (method, target)]
    for name, value in headers:
        if not _TOKEN.match(name) or _UNSAFE.search(value):
            raise InvalidHeader(
                f"illegal header: {name[:64]!r} (a header's value cannot hold CR, LF or NUL)"
            )
        lines.append(b"%s: %s\r\n" % (name, value))
    lines.append(b"\r\n")
    return b"".join(lines)
