"""How one vendor's dialect of Chat Completions differs from OpenAI's own.

Every OpenAI-compatible vendor speaks the same wire format with a few differences. They
are listed here as data, one flag per difference, so the translator has no
``if vendor == ...`` branches: a new vendor is a new :class:`Quirks` value, and the
recorded traffic says which flags it needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class Quirks:
    """The differences the translator knows about; the defaults are the common dialect.

    ``instructions_role``
        The role that carries :attr:`ChatRequest.system <fluent_ai.types.ChatRequest.system>`.
        OpenAI calls the application's instructions ``developer``; most compatible
        vendors only know ``system``. System messages inside the history are always sent
        as ``system``.
    ``max_tokens_field``
        OpenAI replaced ``max_tokens`` with ``max_completion_tokens`` (its reasoning
        models reject the old name); most compatible vendors only know ``max_tokens``.
    ``reasoning_field``
        The assistant-message field that carries thinking back to the vendor in the
        history: ``reasoning_content`` (DeepSeek), ``reasoning`` (Cerebras, Ollama), or
        ``None`` where the vendor has no such field (OpenAI), so thinking parts are
        left out of the request. Responses are read from either field whatever this says.
    ``document_urls``
        Whether a ``file`` part may carry a URL in ``file_data`` (OpenRouter fetches
        it); elsewhere documents must be sent inline.
    ``usage_envelope``
        A top-level object that also carries ``usage`` (Groq's ``x_groq``): some Groq
        streams put the final usage only there.
    ``think_tags``
        Whether answers may open with a ``<think>…</think>`` block that is thinking, not
        text (reasoning models served without a reasoning parser); see :mod:`.think_tags`.
    """

    instructions_role: Literal["system", "developer"] = "system"
    max_tokens_field: Literal["max_tokens", "max_completion_tokens"] = "max_tokens"
    reasoning_field: Literal["reasoning", "reasoning_content"] | None = None
    document_urls: bool = False
    usage_envelope: str | None = None
    think_tags: bool = False


OPENAI_QUIRKS = Quirks(instructions_role="developer", max_tokens_field="max_completion_tokens")
"""OpenAI's own dialect: the reference the others differ from."""
