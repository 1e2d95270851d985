"""Properties of the Handlebars engine, checked by hypothesis.

Random nestings of ``#if``, ``#unless`` and ``#each`` are rendered by the engine and
by the small reference evaluator below, written straight from the rules in the docs;
the two must agree on every template and every set of variables.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from fluent_ai.templates import TemplateError
from fluent_ai.templates.engines.handlebars import HandlebarsEngine

engine = HandlebarsEngine()


@given(st.text().filter(lambda text: "{{" not in text))
def test_text_without_tags_renders_unchanged(text: str) -> None:
    assert engine.compile(text)({}) == text


FRAGMENTS = st.sampled_from(
    [
        *"{}#/^!~>&[]()'\"\\ \n.=@|-",
        *("{{", "}}", "{{{", "}}}", "{{#if a}}", "{{/if}}", "{{else}}", "{{#each a}}"),
        *("{{/each}}", "this", "../", "@index", "as |x|", "else if", "json", "a", "b.c"),
        *("(json a)", "--", "{{!--", "--}}", "{{{{raw}}}}", "{{{{/raw}}}}", "true", "1"),
    ]
)


@settings(max_examples=500, deadline=None)
@given(source=st.lists(FRAGMENTS, max_size=24).map("".join))
def test_any_source_compiles_and_renders_or_raises_a_template_error(source: str) -> None:
    placed = True
    try:
        engine.compile(source)({"a": [1, {"c": 2}], "b": {"c": "<c>"}})
    except TemplateError as error:
        placed = error.line is not None and error.column is not None
    assert placed


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Value:
    path: str


@dataclass(frozen=True)
class If:
    path: str
    body: tuple[Any, ...]
    inverse: tuple[Any, ...] | None
    unless: bool


@dataclass(frozen=True)
class Each:
    path: str
    body: tuple[Any, ...]
    inverse: tuple[Any, ...] | None


PATHS = st.sampled_from(["a", "b", "c", "this", "@index", "@first", "@last", "../a", "../b"])
# No "\n": with no line breaks no tag is alone on its line, so whitespace is never removed.
TEXT = st.text(st.characters(exclude_characters="{\\\n\r"), max_size=5)
NODES = st.recursive(
    TEXT.map(Text) | PATHS.map(Value),
    lambda children: (
        st.builds(
            If,
            PATHS,
            st.lists(children, max_size=3).map(tuple),
            st.none() | st.lists(children, max_size=3).map(tuple),
            st.booleans(),
        )
        | st.builds(
            Each,
            PATHS,
            st.lists(children, max_size=3).map(tuple),
            st.none() | st.lists(children, max_size=3).map(tuple),
        )
    ),
    max_leaves=16,
)
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-1, 2) | st.text(max_size=3),
    lambda children: (
        st.lists(children, max_size=3) | st.fixed_dictionaries({"a": children, "c": children})
    ),
    max_leaves=8,
)


def source_of(node: Any) -> str:
    if isinstance(node, Text):
        return node.text
    if isinstance(node, Value):
        return f"{{{{{node.path}}}}}"
    name = "each" if isinstance(node, Each) else "unless" if node.unless else "if"
    inverse = "" if node.inverse is None else "{{else}}" + "".join(map(source_of, node.inverse))
    body = "".join(map(source_of, node.body))
    return f"{{{{#{name} {node.path}}}}}{body}{inverse}{{{{/{name}}}}}"


def reference(nodes: tuple[Any, ...], contexts: tuple[Any, ...], loop: dict[str, Any]) -> str:
    """The template's text by the documented rules, one node kind at a time."""
    out = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, Value):
            out.append(printed(look_up(node.path, contexts, loop)))
        elif isinstance(node, If):
            # for these values (no includeZero), Handlebars' truth is Python's
            true = bool(look_up(node.path, contexts, loop))
            chosen = node.body if true != node.unless else node.inverse or ()
            out.append(reference(chosen, contexts, loop))
        else:
            items = items_of(look_up(node.path, contexts, loop))
            for index, (key, item) in enumerate(items):
                # Handlebars.js adds a ../ level only for a context that is a new value
                inner = contexts if item is contexts[0] else (item, *contexts)
                last = index == len(items) - 1
                variables = {"index": index, "key": key, "first": index == 0, "last": last}
                out.append(reference(node.body, inner, variables))
            if not items:
                out.append(reference(node.inverse or (), contexts, loop))
    return "".join(out)


def look_up(path: str, contexts: tuple[Any, ...], loop: dict[str, Any]) -> Any:
    if path.startswith("@"):
        return loop.get(path[1:])
    if path == "this":
        return contexts[0]
    depth = path.count("../")
    context = contexts[depth] if depth < len(contexts) else None
    return context.get(path[3 * depth :]) if isinstance(context, dict) else None


def printed(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def items_of(value: Any) -> list[tuple[Any, Any]]:
    if isinstance(value, dict):
        return list(value.items())
    return list(enumerate(value)) if isinstance(value, list) else []


@settings(max_examples=300, deadline=None)
@given(
    nodes=st.lists(NODES, max_size=4).map(tuple),
    variables=st.fixed_dictionaries({"a": VALUES, "b": VALUES, "c": VALUES}),
)
def test_nested_blocks_render_like_the_reference(
    nodes: tuple[Any, ...], variables: dict[str, Any]
) -> None:
    source = "".join(map(source_of, nodes))
    assert engine.compile(source)(variables) == reference(nodes, (variables,), {})
