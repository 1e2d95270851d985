"""Where in the source a python-liquid error is.

Liquid errors carry the token they failed on, and its offset, except for one family:
an expression that ends too early (``{% for x in %}``) fails on a synthetic
end-of-expression token that has no offset. For those, this module finds the tag by
parsing ever longer prefixes of the source, cut just before a tag, in a binary search:
parsing stops at the first error, so the shortest prefix that fails the same way ends
with the faulty tag. A block left open (``expected tag endif``) is reported where
Liquid noticed it, at the end of the template.
"""

from __future__ import annotations

from liquid import Environment
from liquid.exceptions import LiquidError


def error_offset(environment: Environment, source: str, error: LiquidError) -> int | None:
    """The offset in ``source`` of what ``error`` is about, or ``None`` if unknown."""
    token = error.token
    if token is not None and token.start_index >= 0 and token.source == source:
        return token.start_index
    if str(error.message).startswith("expected tag end"):
        return len(source)
    return _search_tag(environment, source, error)


def _search_tag(environment: Environment, source: str, error: LiquidError) -> int | None:
    # (where the tag's markup starts, where to point at) for every tag and output
    tags: list[tuple[int, int]] = []
    for token in environment.tokenizer()(source):
        if token.kind == "output":
            tags.append((token.start_index, token.start_index))
        elif token.kind == "tag":
            # a tag token starts at the tag's name; its markup at the "{%" before it
            tags.append((source.rfind("{%", 0, token.start_index), token.start_index))
        elif token.kind == "expression" and tags:
            tags[-1] = (tags[-1][0], token.start_index)
    cuts = [markup for markup, _ in tags[1:]] + [len(source)]

    low, high = 0, len(cuts) - 1
    if not tags or not _fails_alike(environment, source[: cuts[high]], error):
        return None
    while low < high:
        middle = (low + high) // 2
        if _fails_alike(environment, source[: cuts[middle]], error):
            high = middle
        else:
            low = middle + 1
    return tags[low][1]


def _fails_alike(environment: Environment, prefix: str, error: LiquidError) -> bool:
    try:
        environment.from_string(prefix)
    except LiquidError as other:
        return type(other) is type(error) and str(other.message) == str(error.message)
    return False
