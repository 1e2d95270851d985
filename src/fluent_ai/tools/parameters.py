"""A function's parameters as one pydantic model: its JSON schema and its validator.

The schema the model is shown and the check its arguments must pass come from the
same pydantic model, built from the signature, so they can never disagree. Each
parameter becomes a field under a private name (``p0``, ``p1``, …) with the real
name as its alias: parameters called ``json``, ``schema`` or ``_id`` would otherwise
clash with pydantic's own attributes.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PydanticUserError, TypeAdapter, ValidationError
from pydantic import create_model as create_pydantic_model
from pydantic.fields import FieldInfo

from fluent_ai.tools.arguments import validation_error
from fluent_ai.tools.errors import ToolDefinitionError

_SCHEMA_LISTS = ("anyOf", "oneOf", "allOf", "prefixItems")
_SCHEMA_MAPS = ("properties", "$defs", "patternProperties")
_SCHEMA_VALUES = ("items", "additionalProperties", "not", "contains")


@dataclass(frozen=True)
class Parameters:
    """The validator and JSON schema for one function's parameters."""

    model: type[BaseModel]
    schema: dict[str, Any]
    aliases: Mapping[str, str]
    """Model field name to parameter name."""
    positional_only: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """The parameter names, in signature order."""
        return tuple(self.aliases.values())

    def bind(
        self, tool_name: str, arguments: str | Mapping[str, Any]
    ) -> tuple[list[Any], dict[str, Any]]:
        """Validate the model's arguments and split them into ``*args`` and ``**kwargs``.

        Only the arguments the model sent are passed, so the function's own defaults
        apply to the rest exactly as they would in a plain Python call.
        """
        try:
            if isinstance(arguments, str):
                values = self.model.model_validate_json(arguments.strip() or "{}")
            else:
                values = self.model.model_validate(dict(arguments))
        except ValidationError as exc:
            raise validation_error(tool_name, exc, self.names) from exc
        given = {self.aliases[field]: getattr(values, field) for field in values.model_fields_set}
        args = [given.pop(name) for name in self.positional_only if name in given]
        return args, given


def describe_parameters(
    function: Callable[..., Any], descriptions: Mapping[str, str]
) -> Parameters:
    """Build :class:`Parameters` from a signature and per-parameter docstring descriptions.

    Raises :class:`ToolDefinitionError` naming the function and the parameter when a
    parameter cannot be described to a model.
    """
    where = getattr(function, "__qualname__", repr(function))
    try:
        signature = inspect.signature(function)
        hints = typing.get_type_hints(_annotated_target(function), include_extras=True)
    except (NameError, TypeError, ValueError) as exc:
        raise ToolDefinitionError(
            f"{where}: cannot read its signature and type hints: {exc}"
        ) from exc
    fields: dict[str, Any] = {}
    aliases: dict[str, str] = {}
    positional_only: list[str] = []
    for parameter in signature.parameters.values():
        name = parameter.name
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            star = "*" if parameter.kind is parameter.VAR_POSITIONAL else "**"
            raise ToolDefinitionError(
                f"{where}: parameter {star}{name} cannot be described to a model; "
                "a tool takes named, typed parameters only"
            )
        if name not in hints:
            raise ToolDefinitionError(
                f"{where}: parameter {name!r} has no type annotation; annotate it "
                f"(for example `{name}: str`) so the tool's JSON schema can be built"
            )
        if parameter.kind is parameter.POSITIONAL_ONLY:
            positional_only.append(name)
        field = f"p{len(fields)}"
        fields[field] = _field(name, hints[name], parameter.default, descriptions)
        aliases[field] = name
    model, schema = _build_model(where, getattr(function, "__name__", where), fields, aliases)
    return Parameters(model, schema, aliases, tuple(positional_only))


def _annotated_target(function: Callable[..., Any]) -> Any:
    """What carries the annotations: the function itself, or a callable object's ``__call__``."""
    return function if inspect.isroutine(function) else type(function).__call__


def _field(name: str, hint: Any, default: Any, descriptions: Mapping[str, str]) -> tuple[Any, Any]:
    """A pydantic field aliased to the parameter's name; ``Annotated`` text wins over docstrings."""
    info: dict[str, Any] = {"alias": name}
    description = _annotated_description(hint) or descriptions.get(name)
    if description:
        info["description"] = description
    if default is not inspect.Parameter.empty:
        info["default"] = default
    return hint, Field(**info)


def _annotated_description(hint: Any) -> str | None:
    """The description carried by ``Annotated[T, "text"]`` or ``Annotated[T, Field(...)]``."""
    if typing.get_origin(hint) is not Annotated:
        return None
    for extra in reversed(hint.__metadata__):
        if isinstance(extra, str):
            return extra
        if isinstance(extra, FieldInfo) and extra.description:
            return extra.description
    return None


def _build_model(
    where: str, model_name: str, fields: dict[str, Any], aliases: Mapping[str, str]
) -> tuple[type[BaseModel], dict[str, Any]]:
    """The model and its schema, or an error naming the first parameter with no schema."""
    config = ConfigDict(extra="forbid")
    try:
        model: type[BaseModel] = create_pydantic_model(model_name, __config__=config, **fields)
        schema = model.model_json_schema(by_alias=True)
    except PydanticUserError as exc:
        for field, (hint, _) in fields.items():
            try:
                TypeAdapter(hint).json_schema()
            except PydanticUserError as field_exc:
                raise ToolDefinitionError(
                    f"{where}: parameter {aliases[field]!r} has type {_type_name(hint)}, "
                    f"which cannot be described as JSON schema: {_first_line(field_exc)}"
                ) from field_exc
        raise ToolDefinitionError(
            f"{where}: its parameters cannot be described as JSON schema: {_first_line(exc)}"
        ) from exc
    _drop_titles(schema)
    return model, schema


def _drop_titles(schema: dict[str, Any]) -> None:
    """Remove pydantic's generated titles: noise to a model, paid for in tokens.

    Only schema nodes are touched, so a parameter or property that is itself called
    ``title`` keeps its place.
    """
    schema.pop("title", None)
    for key, value in schema.items():
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            for child in value.values():
                if isinstance(child, dict):
                    _drop_titles(child)
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            for child in value:
                if isinstance(child, dict):
                    _drop_titles(child)
        elif key in _SCHEMA_VALUES and isinstance(value, dict):
            _drop_titles(value)


def _type_name(hint: Any) -> str:
    return hint.__qualname__ if isinstance(hint, type) else repr(hint)


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0]
