"""Where Bedrock lives and how it takes the key.

Bedrock is regional: each region has its own endpoint, ``bedrock-runtime.{region}.
amazonaws.com``. The key is a Bedrock API key, the bearer token AWS reads from
``AWS_BEARER_TOKEN_BEDROCK``: it needs no request signing, so a pure translator can
use it. IAM credentials (SigV4 signing) are not supported.
"""

from __future__ import annotations

import os

from fluent_ai.providers.base import ProviderProfile

DEFAULT_REGION = "us-east-1"
API_KEY_ENV = "AWS_BEARER_TOKEN_BEDROCK"


def default_region() -> str:
    """The region the AWS tools would pick: ``AWS_REGION``, then ``AWS_DEFAULT_REGION``."""
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or DEFAULT_REGION


def bedrock_profile(region: str | None = None) -> ProviderProfile:
    """The Bedrock runtime endpoint of ``region`` (by default :func:`default_region`)."""
    return ProviderProfile(
        name="bedrock",
        base_url=f"https://bedrock-runtime.{region or default_region()}.amazonaws.com",
        api_key_env=API_KEY_ENV,
    )


BEDROCK = bedrock_profile()
"""Bedrock in the region the environment names when this module is imported."""
