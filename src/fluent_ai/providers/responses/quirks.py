"""How one vendor's Responses API differs from OpenAI's own.

OpenRouter and DeepSeek serve the Responses wire format too. The recorded traffic shows
them answering in the same shapes (DeepSeek and OpenRouter's models put raw reasoning
in ``reasoning_text`` parts, OpenRouter frames its stream with ``data: [DONE]`` and no
``event:`` lines), which the decoders read for every vendor alike. What differs is
what the server keeps between calls, so that is the one flag.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Quirks:
    """The differences the translator knows about; the defaults are OpenAI's.

    ``stateful``
        Whether the server stores responses, so a request may continue one with
        ``previous_response_id`` or ``conversation`` instead of sending the history.
        OpenRouter's and DeepSeek's Responses APIs are documented as stateless: such a
        request is refused before it is sent rather than answered without its context.
    """

    stateful: bool = True


OPENAI_QUIRKS = Quirks()
"""OpenAI's own dialect: the reference the others differ from."""

STATELESS = Quirks(stateful=False)
"""A vendor that keeps nothing between calls (OpenRouter, DeepSeek)."""
