"""The template engines: Jinja (sandboxed), Liquid and Handlebars.

Import an engine class from its own module (``fluent_ai.templates.engines.jinja``);
this package itself loads no template library.
"""

from fluent_ai.templates.engines.base import Renderer, TemplateEngine

__all__ = ["Renderer", "TemplateEngine"]
