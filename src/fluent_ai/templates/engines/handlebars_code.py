"""Loading the Python that pybars3 generates, with its escape hatches shut.

pybars3 compiles a template to Python source and runs it. Two things make that unsafe
for templates from untrusted sources, and both are closed here:

- A ``[bracketed]`` path segment is pasted into the generated source between quotes,
  unescaped, so ``{{x.[a'+__import__('os').getpid()+'b]}}`` runs code. Before the code
  runs, its syntax tree is checked against the names, attributes and constructs that
  pybars3 0.9.7's code builder emits; anything else means the template broke out of
  a string, and it is refused.
- Path segments are resolved with ``getattr`` on objects, so
  ``{{user.[__class__].[__init__].[__globals__]}}`` walks to module globals (and from
  there to ``os.environ``). The ``resolve`` the code calls is replaced by one that
  refuses segments starting with ``_``, which is the same line Jinja's sandbox draws.

The code is run in a fresh namespace instead of through ``Compiler.compile``, which
would also register every compiled template in ``sys.modules`` for good. That
namespace is also where the HTML escaping of ``{{value}}`` is turned off: prompts are
not web pages, and ``<tags>`` in a prompt must reach the model as written.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from typing import Any

from pybars import PybarsError
from pybars._compiler import prepare, resolve

_NAMES = frozenset(
    {
        "PybarsError", "Scope", "_helpers", "_pybars_", "called", "context", "dict",
        "ensure_scope", "hasattr", "helper", "helpers", "inner", "options", "overrides",
        "partial", "partialName", "partials", "prepare", "pybars", "resolve",
        "resolve_subexpr", "result", "root", "scope", "str", "strlist", "this", "value",
    }
)  # fmt: skip
_ATTRIBUTES = frozenset({"PybarsError", "__version__", "append", "get", "grow", "update"})
_NODES = (
    ast.Module, ast.Import, ast.ImportFrom, ast.alias, ast.FunctionDef, ast.arguments,
    ast.arg, ast.keyword, ast.Lambda, ast.Assign, ast.Expr, ast.If, ast.Return,
    ast.Raise, ast.Call, ast.Name, ast.Attribute, ast.Subscript, ast.Constant, ast.Dict,
    ast.BoolOp, ast.And, ast.Or, ast.Compare, ast.Is, ast.IsNot, ast.NotIn, ast.NotEq,
    ast.BinOp, ast.Mod, ast.UnaryOp, ast.USub, ast.Load, ast.Store,
)  # fmt: skip
_BLOCK_FUNCTION = re.compile(r"block_\d+")

TemplateFunction = Callable[..., Any]


class UnsafeTemplateError(Exception):
    """The generated code does something pybars3's code builder never emits."""


def load(code: str, filename: str, *, html_escape: bool) -> TemplateFunction:
    """Check ``code`` (from ``Compiler.precompile``) and return its ``render`` function."""
    tree = ast.parse(code, filename)
    for node in ast.walk(tree):
        _check(node)
    namespace: dict[str, Any] = {}
    exec(compile(tree, filename, "exec", dont_inherit=True), namespace)
    namespace["resolve"] = _resolve_public
    if not html_escape:
        namespace["prepare"] = _prepare_verbatim
    function: TemplateFunction = namespace["render"]
    return function


def _check(node: ast.AST) -> None:
    if not isinstance(node, _NODES):
        raise UnsafeTemplateError(f"unexpected {type(node).__name__} in generated code")
    if isinstance(node, ast.Name) and not _known_name(node.id):
        raise UnsafeTemplateError(f"unexpected name {node.id!r} in generated code")
    if isinstance(node, ast.Attribute) and node.attr not in _ATTRIBUTES:
        raise UnsafeTemplateError(f"unexpected attribute {node.attr!r} in generated code")


def _known_name(name: str) -> bool:
    return name in _NAMES or _BLOCK_FUNCTION.fullmatch(name) is not None


def _resolve_public(context: Any, *segments: str) -> Any:
    for segment in segments:
        if segment.startswith("_"):
            raise PybarsError(f"access to {segment!r} is not allowed: it starts with '_'")
    return resolve(context, *segments)


def _prepare_verbatim(value: Any, should_escape: bool) -> Any:
    return prepare(value, False)
