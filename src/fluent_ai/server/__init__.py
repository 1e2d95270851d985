"""The gateway (layer 5): OpenAI- and Anthropic-compatible endpoints over any model.

:func:`create_app` makes the ASGI application; ``fluent-ai serve`` runs it. Needs the
``server`` extra (``pip install 'fluent-ai[server]'``). See ``docs/server.md``.
"""

from __future__ import annotations

from fluent_ai.server.app import create_app

__all__ = ["create_app"]
