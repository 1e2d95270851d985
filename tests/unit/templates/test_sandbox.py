"""A template from an untrusted source cannot reach Python internals, in any engine."""

from __future__ import annotations

import pytest

from fluent_ai.templates import Template, TemplateError, render

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
        "{{#with user}}{{[__class__]}}{{/with}}",
    ],
)
def test_handlebars_refuses_private_names(source: str) -> None:
    with pytest.raises(TemplateError, match="starts with '_'"):
        render(source, engine="handlebars", user=User())


@pytest.mark.parametrize(
    "source",
    [
        # each would run code: the segment is pasted into generated Python unescaped
        "{{x.[a'+str(__import__('os').getpid())+'b]}}",
        "{{[a'+str(__import__('os').getpid())+'b]}}",
        "ok {{foo \"x}}\" [a'+str(1)+'b]}}",
        '{{y.[a\\]}}{{[+__import__("os").getpid()#]}}',
    ],
)
def test_handlebars_refuses_code_injection(source: str) -> None:
    with pytest.raises(TemplateError, match="refused"):
        Template.compile(source, "handlebars")


def test_handlebars_still_reads_public_attributes() -> None:
    assert render("{{user.name}}", engine="handlebars", user=User()) == "Ada"
