"""What fluent-ai knows about one model: limits, prices and capabilities.

:class:`ModelInfo` is a plain frozen dataclass rather than a pydantic model because the
registry builds a few hundred of them on first use and that must stay well under a
millisecond per provider; nothing here is parsed from untrusted input (the catalogue is
validated once, when it is turned into generated code).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

ModelKind = Literal["chat", "embedding", "reranker"]
"""What a model does: generate text, embed text as vectors, or rank documents."""

Capability = Literal["vision", "tools", "json_schema", "thinking", "streaming"]
"""A feature a model may support; ``ModelInfo.supports(capability)`` asks for one."""

MODEL_KINDS: tuple[ModelKind, ...] = get_args(ModelKind)
CAPABILITIES: tuple[Capability, ...] = get_args(Capability)


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelInfo:
    """One model of one provider.

    Limits and prices are ``None`` when unknown. Prices are USD per million tokens;
    ``cached_input_price`` is what a prompt-cache hit costs and ``cache_write_price``
    what writing to the cache costs (``None``: charged as ordinary input).

    ``known`` is ``False`` for a model the registry has never heard of but accepted
    because its provider is known: its limits and prices are ``None`` and its capability
    flags are not facts, so callers should not refuse a feature on their account.

    ``provenance`` says where each stated field came from, as ``(field, source)``
    pairs: a catalogue (``"litellm"``, ``"aichat"``), ``"rule"`` for fluent-ai's own
    rules, ``"recording"`` for what recorded traffic showed; :meth:`source` reads it.
    ``deprecation_date`` (``YYYY-MM-DD``) is when the vendor retires the model.
    """

    provider: str
    name: str
    kind: ModelKind = "chat"
    api_name: str = ""
    aliases: tuple[str, ...] = ()
    max_input_tokens: int | None = None
    max_output_tokens: int | None = None
    input_price: float | None = None
    output_price: float | None = None
    cached_input_price: float | None = None
    cache_write_price: float | None = None
    supports_vision: bool = False
    supports_tools: bool = False
    supports_json_schema: bool = False
    supports_thinking: bool = False
    supports_streaming: bool = False
    thinking_budget: int | None = None
    embedding_dimensions: int | None = None
    max_batch_size: int | None = None
    max_tokens_per_text: int | None = None
    deprecation_date: str | None = None
    known: bool = True
    provenance: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        # The wire name defaults to the registry name; catalogue variants such as
        # ``claude-sonnet-4-6:thinking`` send a different one.
        if not self.api_name:
            object.__setattr__(self, "api_name", self.name)

    @property
    def id(self) -> str:
        """``provider/name``, the string :func:`fluent_ai.models.resolve` accepts."""
        return f"{self.provider}/{self.name}"

    @property
    def has_prices(self) -> bool:
        """Whether a call's cost can be computed: input (and, for chat, output) is priced."""
        if self.input_price is None:
            return False
        return self.kind != "chat" or self.output_price is not None

    def source(self, field: str) -> str | None:
        """Where the value of ``field`` came from, or ``None`` if nothing stated it."""
        return dict(self.provenance).get(field)

    def supports(self, capability: Capability) -> bool:
        """Whether the model supports ``capability`` (one of :data:`CAPABILITIES`)."""
        return bool(getattr(self, f"supports_{capability}"))
