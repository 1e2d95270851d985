"""Prompt templates: Jinja (sandboxed), Liquid and Handlebars behind one interface.

    from fluent_ai.templates import Template, render

    greeting = Template.compile("Hello {{ name }}, today is {{ date }}.")
    greeting.render(name="Ada")
    render("{{ items | bullets }}", items=["tea", "cake"])

Compiled templates are cached by a hash of their source; filters registered with
:func:`register_filter` reach every engine. Importing this package loads none of the
template libraries: each is imported when its engine first compiles something.
"""

from fluent_ai.templates.cache import LRUCache, template_cache
from fluent_ai.templates.engines.base import Renderer, TemplateEngine
from fluent_ai.templates.errors import TemplateError, UndefinedVariableError
from fluent_ai.templates.filters import (
    bullets,
    format_date,
    indent,
    numbered,
    to_json,
    truncate_tokens,
)
from fluent_ai.templates.registry import (
    ENGINE_NAMES,
    EXTENSIONS,
    engine_for_path,
    get_engine,
    register_filter,
    registered_filters,
)
from fluent_ai.templates.template import (
    PromptTemplate,
    Template,
    compile_template,
    default_variables,
    render,
)
from fluent_ai.templates.tokenizer import (
    DEFAULT_TOKENIZER,
    EncodingTokenizer,
    EstimatedTokenizer,
    HuggingFaceTokenizer,
    Tokenizer,
)

__all__ = [
    "DEFAULT_TOKENIZER",
    "ENGINE_NAMES",
    "EXTENSIONS",
    "EncodingTokenizer",
    "EstimatedTokenizer",
    "HuggingFaceTokenizer",
    "LRUCache",
    "PromptTemplate",
    "Renderer",
    "Template",
    "TemplateEngine",
    "TemplateError",
    "Tokenizer",
    "UndefinedVariableError",
    "bullets",
    "compile_template",
    "default_variables",
    "engine_for_path",
    "format_date",
    "get_engine",
    "indent",
    "numbered",
    "register_filter",
    "registered_filters",
    "render",
    "template_cache",
    "to_json",
    "truncate_tokens",
]
