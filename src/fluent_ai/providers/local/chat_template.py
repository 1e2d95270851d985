"""The model's own chat template, read from the GGUF file and rendered as transformers would.

    template = chat_template_from_gguf(GGUFFile(path).fields)
    prompt = template.render([{"role": "user", "content": "Hi"}])
    # '<|im_start|>system\\nYou are a helpful AI assistant named SmolLM...'

A chat model only answers well when the conversation is laid out exactly as in its
fine-tuning (role markers, newlines, a default system prompt), and the file carries
that layout as a Hugging Face Jinja template (``tokenizer.chat_template``). Nearly all
of them were written and tested against ``transformers``' ``apply_chat_template``, so
this module reproduces its environment rather than using fluent-ai's prompt engine
(:mod:`fluent_ai.templates.engines.jinja`). Both run in Jinja's
``ImmutableSandboxedEnvironment`` (the template comes from a downloaded file, so it
must not reach Python internals) with ``trim_blocks`` and ``lstrip_blocks``, but:

* Undefined names are Jinja's plain ``Undefined``, not the prompt engine's strict one.
  Templates read keys a message may lack (``message.tool_calls``) and variables
  nobody passes (``tools``, ``documents``); those must be empty and false, as in
  transformers, not an error.
* ``keep_trailing_newline`` is off: transformers drops the template's final newline.
* ``tojson`` does not HTML-escape (``<`` stays ``<`` in a tool schema), and the
  globals transformers adds are here: ``raise_exception``, ``strftime_now``, the
  ``loopcontrols`` extension (``{% break %}``) and ``{% generation %}`` blocks.

A file without a template is refused rather than given ChatML by default: it is
almost always a base model, which continues text instead of answering, and a made-up
layout would hide that behind fluent but wrong replies.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NoReturn

import jinja2
from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.sandbox import ImmutableSandboxedEnvironment

from fluent_ai.types import LocalModelError

if TYPE_CHECKING:
    from jinja2.parser import Parser

    from fluent_ai.providers.local.gguf_tokenizer import SpecialTokens

TEMPLATE_KEY = "tokenizer.chat_template"

# What a template's own Python operations raise on a conversation it cannot lay out
# ('a' + 1, messages[0] of an empty list), besides Jinja's TemplateError.
_RENDER_ERRORS = (
    jinja2.TemplateError,
    ArithmeticError,
    AttributeError,
    LookupError,
    TypeError,
    ValueError,
)


class _TemplateRefused(jinja2.TemplateError):
    """The template called ``raise_exception``: the conversation breaks its rules."""


class _Generation(Extension):
    """``{% generation %}...{% endgeneration %}``: renders its body unchanged.

    transformers uses the block to find the assistant's tokens for training masks;
    for a prompt only its body matters, but without the tag the template fails to parse.
    """

    tags = {"generation"}  # noqa: RUF012 (Jinja reads this class attribute)

    def parse(self, parser: Parser) -> list[nodes.Node]:
        next(parser.stream)
        return list(parser.parse_statements(("name:endgeneration",), drop_needle=True))


def _raise_exception(message: str) -> NoReturn:
    raise _TemplateRefused(message)


def _tojson(
    value: Any,
    ensure_ascii: bool = False,
    indent: int | None = None,
    separators: tuple[str, str] | None = None,
    sort_keys: bool = False,
) -> str:
    """transformers' ``tojson``: plain JSON, with the options templates pass it."""
    return json.dumps(
        value, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys
    )


def _strftime_now(format: str) -> str:
    return datetime.now().strftime(format)


@lru_cache(maxsize=1)
def _environment() -> ImmutableSandboxedEnvironment:
    environment = ImmutableSandboxedEnvironment(
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=[_Generation, "jinja2.ext.loopcontrols"],
    )
    environment.filters["tojson"] = _tojson
    environment.globals["raise_exception"] = _raise_exception
    environment.globals["strftime_now"] = _strftime_now
    return environment


@lru_cache(maxsize=8)
def _compile(source: str) -> jinja2.Template:
    try:
        return _environment().from_string(source)
    except jinja2.TemplateSyntaxError as error:
        raise LocalModelError(
            f"the model's chat template does not parse (line {error.lineno}: {error.message}); "
            "the GGUF file's tokenizer.chat_template is broken, use another file of the model",
            provider="local",
        ) from error


@dataclass(frozen=True, slots=True)
class ChatTemplate:
    """A chat template and the special-token strings it may print.

    Build one from a file with :func:`chat_template_from_gguf`, or directly with a
    template of your own for a file that has none. The source is compiled (and checked)
    when the object is made, once per distinct source.
    """

    source: str
    bos_token: str | None = None
    eos_token: str | None = None

    def __post_init__(self) -> None:
        _compile(self.source)

    def render(
        self, messages: Sequence[Mapping[str, Any]], *, add_generation_prompt: bool = True
    ) -> str:
        """The conversation laid out as the model expects, ending where it should reply.

        Keys whose value is ``None`` are left out of each message, as transformers does:
        templates test whether a key is present, and would print ``None`` otherwise.
        """
        variables: dict[str, Any] = {
            "messages": [
                {key: value for key, value in message.items() if value is not None}
                for message in messages
            ],
            "tools": None,
            "documents": None,
            "add_generation_prompt": add_generation_prompt,
        }
        for name in ("bos_token", "eos_token"):
            if getattr(self, name) is not None:
                variables[name] = getattr(self, name)
        try:
            return _compile(self.source).render(variables)
        except _TemplateRefused as error:
            raise LocalModelError(
                f"the model's chat template refused the conversation: {error.message}",
                provider="local",
            ) from error
        except _RENDER_ERRORS as error:
            raise LocalModelError(
                f"the model's chat template failed on this conversation "
                f"({type(error).__name__}: {error}); check the roles and contents of the "
                "messages, or give the model a template of your own",
                provider="local",
            ) from error


def chat_template_from_gguf(
    metadata: Mapping[str, Any], special: SpecialTokens | None = None
) -> ChatTemplate:
    """The file's default chat template, with its BOS and EOS strings.

    ``special`` saves reading the token ids again when the caller has them already.
    """
    source = metadata.get(TEMPLATE_KEY)
    if not isinstance(source, str) or not source.strip():
        raise LocalModelError(
            f"the GGUF file has no chat template ({TEMPLATE_KEY}): it is probably a base "
            "model, which continues text instead of answering. Use the instruct (chat) "
            "GGUF of the model, or pass a ChatTemplate of your own.",
            provider="local",
        )
    if special is None:
        from fluent_ai.providers.local.gguf_tokenizer import special_tokens_from_gguf

        special = special_tokens_from_gguf(metadata)
    return ChatTemplate(source, bos_token=special.bos_token, eos_token=special.eos_token)
