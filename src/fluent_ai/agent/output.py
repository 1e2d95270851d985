"""Structured output: how an agent asks for it, and how it reads the answer back.

A model the registry knows to lack JSON-schema support gets the schema in its system
prompt instead of as a constrained-decoding request, which it would reject or ignore;
every other model, including those the registry has never heard of, gets the native
request, marked strict so each protocol sends its vendor's strict form
(:mod:`fluent_ai.providers.strict_schema`). Either way the answer is validated against
the pydantic model, with one corrective retry in :class:`~fluent_ai.agent.Agent`.

Strict forms require every property, so an optional field is sent as one that may be
``null``; :func:`parse_output` reads such a ``null`` back as "absent", so the field's
own default applies instead of failing validation.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from pydantic import BaseModel

from fluent_ai.models import ModelInfo
from fluent_ai.types import ResponseFormat

Schema = dict[str, Any]
M = TypeVar("M", bound=BaseModel)


def native_schema(info: ModelInfo | None) -> bool:
    """Whether to ask for the schema natively: unless the registry knows the model cannot."""
    return info is None or not info.known or info.supports_json_schema


def output_request(
    model: object, info: ModelInfo | None
) -> tuple[ResponseFormat | None, str | None] | None:
    """``(response_format, instructions)``: one of them asks for ``model``'s schema
    (``None`` without an output type); ``model`` must be a pydantic model class."""
    if model is None:
        return None
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        raise TypeError(f"expected a pydantic model class, got {model!r}")
    schema = model.model_json_schema()
    if native_schema(info):
        return ResponseFormat(
            type="json_schema", name=model.__name__, json_schema=schema, strict=True
        ), None
    return None, (
        "Answer with one JSON value that matches this JSON schema, and nothing else: no "
        "prose before or after it, no Markdown fence.\n\n" + json.dumps(schema)
    )


def parse_output(text: str, model: type[M]) -> M:
    """The answer as ``model``; raises pydantic's ``ValidationError`` if it is not one."""
    candidate = json_text(text)
    try:
        value = json.loads(candidate)
    except ValueError:
        return model.model_validate_json(candidate)  # raises, saying why it is not JSON
    schema = model.model_json_schema()
    cleaned = drop_absent_nulls(value, schema, schema.get("$defs", {}))
    return model.model_validate_json(json.dumps(cleaned))


def json_text(text: str) -> str:
    """The JSON in an answer, without the Markdown fence some models wrap it in."""
    stripped = text.strip()
    if stripped.startswith("```"):
        stripped = stripped.split("\n", 1)[1] if "\n" in stripped else ""
        stripped = stripped.rsplit("```", 1)[0]
    start = min((i for i in (stripped.find("{"), stripped.find("[")) if i >= 0), default=0)
    candidate = stripped[start:]
    try:
        json.loads(candidate)
    except ValueError:
        return stripped
    return candidate


def drop_absent_nulls(value: Any, schema: Schema, defs: Schema) -> Any:
    """``value`` without the ``null`` of optional properties whose schema has no null.

    Those nulls stand for "absent" in a strict schema (see the module docstring).
    Nested objects are followed through ``$ref``, ``allOf`` of one, array items, and an
    ``anyOf`` with one object variant; anything else is left as it is.
    """
    schema = _resolve(schema, defs)
    if isinstance(value, dict):
        target = _object_schema(schema, defs)
        if target is None:
            return value
        required = set(target.get("required", ()))
        properties: Schema = target["properties"]
        cleaned = {}
        for key, item in value.items():
            sub = properties.get(key)
            if sub is None:
                cleaned[key] = item
            elif item is None and key not in required and not _allows_null(sub, defs):
                continue
            else:
                cleaned[key] = drop_absent_nulls(item, sub, defs)
        return cleaned
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [drop_absent_nulls(item, schema["items"], defs) for item in value]
    return value


def _object_schema(schema: Schema, defs: Schema) -> Schema | None:
    if isinstance(schema.get("properties"), dict):
        return schema
    variants = [_resolve(v, defs) for v in schema.get("anyOf", ()) if isinstance(v, dict)]
    objects = [v for v in variants if isinstance(v.get("properties"), dict)]
    return objects[0] if len(objects) == 1 else None


def _allows_null(schema: Schema, defs: Schema, depth: int = 0) -> bool:
    schema = _resolve(schema, defs)
    kind = schema.get("type")
    if not schema or kind == "null" or (isinstance(kind, list) and "null" in kind):
        return True
    if "const" in schema and schema["const"] is None:
        return True
    if None in schema.get("enum", ()):
        return True
    variants = [*schema.get("anyOf", ()), *schema.get("oneOf", ())]
    return depth < 8 and any(
        _allows_null(v, defs, depth + 1) for v in variants if isinstance(v, dict)
    )


def _resolve(schema: Schema, defs: Schema) -> Schema:
    """Follow a local ``$ref`` and a one-element ``allOf`` (pydantic's wrapped reference)."""
    for _ in range(8):  # a chain of references this long is a cycle
        all_of = schema.get("allOf")
        if isinstance(all_of, list) and len(all_of) == 1 and isinstance(all_of[0], dict):
            schema = all_of[0]
            continue
        ref = schema.get("$ref")
        if not (isinstance(ref, str) and ref.startswith("#/$defs/")):
            break
        target = defs.get(ref.removeprefix("#/$defs/"))
        if not isinstance(target, dict):
            break
        schema = target
    return schema
