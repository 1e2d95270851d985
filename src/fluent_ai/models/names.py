"""Model-name rules: dated snapshots, plausible names, closest matches.

Vendors publish models as dated snapshots and accept the undated name for the latest
one, each in its own style: OpenAI ``gpt-4o-2024-08-06``, Anthropic
``claude-sonnet-4-5-20250929``, Vertex AI ``claude-3-5-sonnet@20240620``, Bedrock
``anthropic.claude-3-5-sonnet-20240620-v1:0`` (the date before a version). The same
rule, applied to every provider, lets either spelling resolve.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

_SNAPSHOT = re.compile(
    r"^(?P<base>.+?)[-@]"
    r"(?P<date>20\d\d(?P<sep>-?)(?:0[1-9]|1[0-2])(?P=sep)(?:0[1-9]|[12]\d|3[01]))"
    r"(?P<version>-v\d+(?::\d+)?)?(?P<variant>:[^:/@]+)?$"
)
_VERSIONED = re.compile(r"\d-v\d+(?::\d+)?(?::[^:/@]+)?$")
_PLAUSIBLE = re.compile(r"^[A-Za-z0-9@][\w.:@/+-]{0,199}$")


def undated(name: str) -> tuple[str, str] | None:
    """``claude-sonnet-4-5-20250929:thinking`` → ``("claude-sonnet-4-5:thinking", "20250929")``.

    The date may be written ``-YYYYMMDD``, ``@YYYYMMDD`` or ``-YYYY-MM-DD``; it comes
    back as ``YYYYMMDD`` so that snapshots in either style compare. A Bedrock version
    after the date stays: ``…-20240620-v1:0`` → ``…-v1:0``. ``None`` when the name
    carries no snapshot date.
    """
    match = _SNAPSHOT.match(name)
    if match is None:
        return None
    rest = (match["version"] or "") + (match["variant"] or "")
    return match["base"] + rest, match["date"].replace("-", "")


def snapshot_aliases(names: Iterable[str]) -> dict[str, str]:
    """Undated alias → the latest dated snapshot it stands for.

    An alias that is itself a model name is left out: the real model wins.
    """
    names = list(names)
    taken = {name.lower() for name in names}
    latest: dict[str, tuple[str, str]] = {}
    for name in names:
        split = undated(name)
        # A Bedrock id without its date (``…-v1:0``) is no name Bedrock answers to.
        if split is None or split[0].lower() in taken or _VERSIONED.search(name):
            continue
        alias, date = split
        if alias not in latest or date > latest[alias][0]:
            latest[alias] = (date, name)
    return {alias: name for alias, (_, name) in latest.items()}


def is_plausible(name: str) -> bool:
    """Whether ``name`` could be a model id: one token of the usual characters."""
    return _PLAUSIBLE.match(name) is not None


def closest(queries: Iterable[str], candidates: Mapping[str, str], count: int = 3) -> list[str]:
    """The ``count`` candidates most similar to any of ``queries``, best first.

    ``candidates`` maps each spelling to compare against to the name to show for it,
    so aliases can count as matches while suggestions stay canonical and distinct.
    """
    from difflib import SequenceMatcher  # only error messages need it

    matchers = [SequenceMatcher(b=query.lower(), autojunk=False) for query in queries]
    scored = []
    for spelling, shown in candidates.items():
        score = 0.0
        for matcher in matchers:
            matcher.set_seq1(spelling.lower())
            score = max(score, matcher.ratio())
        scored.append((-score, shown))
    found: list[str] = []
    for _, shown in sorted(scored):
        if shown not in found:
            found.append(shown)
            if len(found) == count:
                break
    return found
