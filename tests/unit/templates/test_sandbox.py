"""A template from an untrusted source cannot reach Python internals, in any engine."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from fluent_ai.templates import TemplateError, render

JINJA_ESCAPES = [
    "{{ ''.__class__.__mro__ }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ lipsum.__globals__['os'] }}",
    "{{ ().__class__.__base__.__subclasses__() }}",
    "{{ '{0.__class__}'.format(1) }}",
    "{{ user|attr('__class__') }}",
    "{% for c in ''.__class__.__mro__ %}{{ c }}{% endfor %}",
    "{{ items.append(1) }}",
]


class User:
    """A Python object passed to a template, with a path to its module's globals."""

    def __init__(self) -> None:
        self.name = "Ada"


@pytest.mark.parametrize("source", JINJA_ESCAPES)
def test_jinja_escapes_fail(source: str) -> None:
    with pytest.raises(TemplateError, match="unsafe"):
        render(source, user=User(), items=[])


def test_jinja_still_reads_public_attributes() -> None:
    assert render("{{ user.name }}", user=User()) == "Ada"


def test_liquid_reads_no_attributes_of_python_objects() -> None:
    with pytest.raises(TemplateError, match="undefined"):
        render("{{ user.__class__ }}", engine="liquid", user=User())
    with pytest.raises(TemplateError, match="undefined"):
        render("{{ user.name }}", engine="liquid", user=User())


@pytest.mark.parametrize(
    "source",
    [
        "{{user.[__class__].[__init__].[__globals__]}}",
        "{{user.[__dict__]}}",
        "{{user.__class__}}",
        "{{#with user}}{{[__class__]}}{{/with}}",
        "{{#each user}}{{this}}{{/each}}",
        "{{items.[__len__]}}{{items.__class__.__name__}}{{text.upper}}",
    ],
)
def test_handlebars_reads_nothing_of_python_objects(source: str) -> None:
    variables = {"user": User(), "items": [1], "text": "abc"}
    assert render(source, variables, engine="handlebars") == ""


@pytest.mark.parametrize(
    "source",
    [
        # Each once ran code under pybars3, which pasted the segment into generated Python.
        "{{x.[a'+str(__import__('os').getpid())+'b]}}",
        "{{[a'+str(__import__('os').getpid())+'b]}}",
        '{{y.[a\\]}}{{[+__import__("os").getpid()#]}}',
    ],
)
def test_handlebars_segments_are_only_names(source: str) -> None:
    assert render(source, engine="handlebars", x={"a": 1}, y={}) == ""


@pytest.mark.parametrize(
    "source", ["ok {{foo \"x}}\" [a'+str(1)+'b]}}", "{{lookup user '__class__'}}"]
)
def test_handlebars_calls_only_registered_filters(source: str) -> None:
    with pytest.raises(TemplateError, match="unknown helper"):
        render(source, engine="handlebars")


@dataclass
class Profile:
    name: str
    _token: str = "secret"


def test_handlebars_reads_public_fields_of_dataclasses_only() -> None:
    profile = Profile("Ada")
    assert render("{{p.name}}[{{p._token}}]", engine="handlebars", p=profile) == "Ada[]"
    assert render("[{{user.name}}]", engine="handlebars", user=User()) == "[]"
