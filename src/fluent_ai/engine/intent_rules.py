"""Rules that route a request by what it plainly is: words, patterns, tools, images,
length, metadata.

Most routing needs no model: a request with an image goes to a vision deployment, one
carrying tools to a model that calls them well, one mentioning "invoice" to the
finance group. A :class:`Rule` holds such conditions, all of which must hold; rules
are tried in order and the first that matches decides, before any embedding is made.
Only the last user message's text is read for words and patterns: that is what the
user is asking now.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fluent_ai.types import ChatRequest, ConfigurationError, ImagePart


@dataclass(frozen=True, slots=True)
class Rule:
    """Route to ``route`` when every condition given holds.

    ``pattern`` is a regular expression searched in the text (case-insensitive);
    ``keywords`` match as whole words, any one of them; ``has_tools`` / ``has_images``
    ask for the request to carry (or lack) tools or images; ``min_chars`` /
    ``max_chars`` bound the text's length; ``metadata`` must all be in the request's
    metadata with equal values. ``name`` says which rule decided (default: the route).
    """

    route: str
    pattern: str | None = None
    keywords: tuple[str, ...] = ()
    has_tools: bool | None = None
    has_images: bool | None = None
    min_chars: int | None = None
    max_chars: int | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    name: str | None = None
    _compiled: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)
    _keywords: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        label = self.name or self.route
        if not self.route:
            raise ConfigurationError("a routing rule needs a route to send requests to")
        if self.pattern is not None:
            try:
                compiled = re.compile(self.pattern, re.IGNORECASE)
            except re.error as exc:
                raise ConfigurationError(
                    f"routing rule {label!r}: pattern {self.pattern!r} is not a regular "
                    f"expression: {exc}"
                ) from exc
            object.__setattr__(self, "_compiled", compiled)
        if isinstance(self.keywords, str):
            raise ConfigurationError(
                f"routing rule {label!r}: keywords should be a list of words, "
                f"not the string {self.keywords!r}"
            )
        words = "|".join(re.escape(word) for word in self.keywords)
        if words:
            object.__setattr__(self, "_keywords", re.compile(rf"\b(?:{words})\b", re.IGNORECASE))
        if self.pattern is None and not any(
            (
                self.keywords,
                self.has_tools is not None,
                self.has_images is not None,
                self.min_chars is not None,
                self.max_chars is not None,
                self.metadata,
            )
        ):
            raise ConfigurationError(
                f"routing rule {label!r} has no condition, so it would match every "
                "request: give a pattern, keywords, has_tools, has_images, a length or "
                "metadata (or make the route the default)"
            )

    @property
    def label(self) -> str:
        return self.name or self.route

    def matches(self, request: ChatRequest, text: str) -> bool:
        """Whether every condition holds for ``request`` (``text``: its last user text)."""
        if self._compiled is not None and not self._compiled.search(text):
            return False
        if self._keywords is not None and not self._keywords.search(text):
            return False
        if self.has_tools is not None and bool(request.tools) != self.has_tools:
            return False
        if self.has_images is not None and has_images(request) != self.has_images:
            return False
        if self.min_chars is not None and len(text) < self.min_chars:
            return False
        if self.max_chars is not None and len(text) > self.max_chars:
            return False
        found = request.metadata or {}
        return all(key in found and found[key] == value for key, value in self.metadata.items())


def last_user_text(request: ChatRequest) -> str:
    """The text of the last user message: what is being asked now."""
    for message in reversed(request.messages):
        if message.role == "user":
            return message.text
    return ""


def has_images(request: ChatRequest) -> bool:
    return any(isinstance(part, ImagePart) for m in request.messages for part in m.parts)
