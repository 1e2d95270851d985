"""The recorded calls run over each transport an HttpClient can send through."""

from __future__ import annotations

from tests.support.networks import network

__all__ = ["network"]
