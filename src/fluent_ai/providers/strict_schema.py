"""JSON schemas in the strict forms vendors' constrained decoding accepts.

A pydantic model's schema is ordinary JSON Schema; OpenAI's strict structured outputs
and Anthropic's structured outputs each accept a subset of it, and reject the rest
with an HTTP 400. Each protocol's encoder calls its vendor's function here, once, so
the wire always carries a schema the vendor takes:

* **OpenAI** (Chat Completions and Responses, ``"strict": true``; Mistral and the
  OpenAI-compatible vendors share the encoder): every object has
  ``additionalProperties: false`` and lists all its properties in ``required``, so an
  optional property becomes a required one that may be ``null``. ``default``,
  ``minLength`` / ``maxLength``, ``uniqueItems``, ``min``/``maxProperties``,
  ``patternProperties`` and the conditional keywords are not accepted, nor string
  formats outside OpenAI's list.
* **Anthropic** (``output_config.format``, always constrained): every object has
  ``additionalProperties: false``; numeric bounds, string lengths, array sizes other
  than ``minItems`` 0 or 1, formats outside Anthropic's list and regular expressions
  with look-around, back-references or word boundaries are not accepted. Optional
  properties and ``default`` are.

Both: ``oneOf`` becomes ``anyOf`` (pydantic writes ``oneOf`` for discriminated unions,
whose variants are told apart by a ``const`` anyway), an ``allOf`` of one schema is
merged into its parent, and a ``$ref`` with keys beside it is replaced by the
definition it names. A keyword taken out is not lost: it is written into the
``description`` (``{minLength: 3}``), as the vendors' own SDKs do, so the model still
reads it, and the agent validates the answer against the full pydantic model.

The input is never changed; the functions return a transformed copy, and a schema
already in strict form comes back equal to itself.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

Schema = dict[str, Any]

_CONDITIONAL = frozenset(
    {
        "not",
        "if",
        "then",
        "else",
        "dependentRequired",
        "dependentSchemas",
        "dependencies",
        "unevaluatedProperties",
        "unevaluatedItems",
        "contains",
        "minContains",
        "maxContains",
        "propertyNames",
        "patternProperties",
        "minProperties",
        "maxProperties",
        "uniqueItems",
    }
)


@dataclass(frozen=True)
class _Dialect:
    """What one vendor's strict mode accepts."""

    unsupported: frozenset[str]
    formats: frozenset[str]
    all_required: bool
    bounded_min_items: bool
    simple_patterns: bool


_OPENAI = _Dialect(
    unsupported=_CONDITIONAL | {"default", "minLength", "maxLength"},
    formats=frozenset(
        {"date-time", "time", "date", "duration", "email", "hostname", "ipv4", "ipv6", "uuid"}
    ),
    all_required=True,
    bounded_min_items=False,
    simple_patterns=False,
)

_ANTHROPIC = _Dialect(
    unsupported=_CONDITIONAL
    | {
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minLength",
        "maxLength",
        "maxItems",
    },
    formats=frozenset(
        {
            "date-time",
            "time",
            "date",
            "duration",
            "email",
            "hostname",
            "uri",
            "ipv4",
            "ipv6",
            "uuid",
        }
    ),
    all_required=False,
    bounded_min_items=True,
    simple_patterns=True,
)

# Regular-expression features Anthropic's grammar compiler refuses.
_COMPLEX_PATTERN = re.compile(r"\(\?<?[=!]|\\[1-9]|\\[bB]")

_SUBSCHEMA_MAPS = ("properties", "$defs", "definitions")
_SUBSCHEMA_LISTS = ("anyOf", "allOf", "prefixItems")


def openai_strict(schema: Schema) -> Schema:
    """``schema`` in the form OpenAI's ``"strict": true`` structured outputs accept."""
    return _Walk(_OPENAI, schema).node(schema)


def anthropic_strict(schema: Schema) -> Schema:
    """``schema`` in the form Anthropic's structured outputs accept."""
    return _Walk(_ANTHROPIC, schema).node(schema)


class _Walk:
    """One transformation of one schema: the dialect, and the root ``$ref``s point into."""

    def __init__(self, dialect: _Dialect, root: Schema) -> None:
        self.dialect = dialect
        self.root = root

    def node(self, schema: Schema, inlining: frozenset[str] = frozenset()) -> Schema:
        node = {key: value for key, value in schema.items() if key != "$schema"}
        node = self._flatten(node, inlining)
        if "$ref" in node and len(node) > 1:
            ref = node["$ref"]
            target = self._resolve(ref)
            if target is not None and ref not in inlining:
                merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
                return self.node(merged, inlining | {ref})
        if "oneOf" in node:
            node["anyOf"] = [*node.pop("oneOf"), *node.get("anyOf", ())]
            node.pop("discriminator", None)
        for key in _SUBSCHEMA_MAPS:
            if isinstance(node.get(key), dict):
                node[key] = {
                    name: self.node(sub, inlining) if isinstance(sub, dict) else sub
                    for name, sub in node[key].items()
                }
        for key in _SUBSCHEMA_LISTS:
            if isinstance(node.get(key), list):
                node[key] = [
                    self.node(s, inlining) if isinstance(s, dict) else s for s in node[key]
                ]
        if isinstance(node.get("items"), dict):
            node["items"] = self.node(node["items"], inlining)
        if node.get("type") == "object" or isinstance(node.get("properties"), dict):
            self._close(node, inlining)
        self._relocate(node)
        return node

    def _flatten(self, node: Schema, inlining: frozenset[str]) -> Schema:
        """Merge an ``allOf`` of one schema into ``node`` (``node``'s own keys win)."""
        all_of = node.get("allOf")
        if isinstance(all_of, list) and len(all_of) == 1 and isinstance(all_of[0], dict):
            rest = {key: value for key, value in node.items() if key != "allOf"}
            return {**all_of[0], **rest}
        return node

    def _resolve(self, ref: object) -> Schema | None:
        if not isinstance(ref, str) or not ref.startswith("#/"):
            return None
        target: Any = self.root
        for key in ref[2:].split("/"):
            if not isinstance(target, dict) or key not in target:
                return None
            target = target[key]
        return target if isinstance(target, dict) else None

    def _close(self, node: Schema, inlining: frozenset[str]) -> None:
        """An object: no keys but its own, and (OpenAI) every one of them required."""
        extra = node.get("additionalProperties")
        if isinstance(extra, dict):
            if self.dialect.all_required:
                node["additionalProperties"] = self.node(extra, inlining)
            else:
                _note(node, "additionalProperties", extra)
                node["additionalProperties"] = False
        elif extra is not False:
            node["additionalProperties"] = False
        properties = node.get("properties")
        if not self.dialect.all_required or not isinstance(properties, dict):
            return
        required = set(node.get("required", ()))
        node["properties"] = {
            name: sub if name in required else _nullable(sub, self)
            for name, sub in properties.items()
        }
        node["required"] = list(properties)

    def _relocate(self, node: Schema) -> None:
        """Move the keywords this vendor refuses into the description."""
        dialect = self.dialect
        moved = [key for key in node if key in dialect.unsupported]
        if "format" in node and node["format"] not in dialect.formats:
            moved.append("format")
        if dialect.bounded_min_items and node.get("minItems", 0) not in (0, 1):
            moved.append("minItems")
        pattern = node.get("pattern")
        if (
            dialect.simple_patterns
            and isinstance(pattern, str)
            and _COMPLEX_PATTERN.search(pattern)
        ):
            moved.append("pattern")
        for key in moved:
            value = node.pop(key)
            if not (key == "default" and value is None):  # null is what "absent" becomes
                _note(node, key, value)

    def allows_null(self, schema: Schema) -> bool:
        if "$ref" in schema:
            target = self._resolve(schema["$ref"])
            return target is not None and self.allows_null(target)
        kind = schema.get("type")
        if not schema or kind == "null" or (isinstance(kind, list) and "null" in kind):
            return True
        if "const" in schema and schema["const"] is None:
            return True
        if None in schema.get("enum", ()):
            return True
        return any(self.allows_null(v) for v in schema.get("anyOf", ()) if isinstance(v, dict))


def _nullable(schema: Any, walk: _Walk) -> Any:
    """``schema`` that also accepts ``null``: how a strict schema says "optional"."""
    if not isinstance(schema, dict) or walk.allows_null(schema):
        return schema
    kind = schema.get("type")
    if isinstance(kind, str) and not {"enum", "const", "anyOf", "$ref"} & schema.keys():
        return {**schema, "type": [kind, "null"]}
    outer = {key: schema[key] for key in ("title", "description") if key in schema}
    inner = {key: value for key, value in schema.items() if key not in outer}
    return {**outer, "anyOf": [inner, {"type": "null"}]}


def _note(node: Schema, key: str, value: Any) -> None:
    """Append ``{key: value}`` to ``node``'s description, so the model still reads it."""
    shown = value if isinstance(value, str) else json.dumps(value)
    hint = f"{{{key}: {shown}}}"
    description = node.get("description")
    node["description"] = f"{description} {hint}" if description else hint
