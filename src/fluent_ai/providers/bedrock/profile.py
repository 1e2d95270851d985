"""Where Bedrock lives and how it takes the key.

Bedrock is regional: each region has its own endpoint, ``bedrock-runtime.{region}.
amazonaws.com``. A Bedrock API key, the bearer token AWS reads from
``AWS_BEARER_TOKEN_BEDROCK``, is sent as it is. Without one, requests are signed with
SigV4 using the AWS credential chain (environment, shared config and credentials files,
profiles, session tokens, roles): see :mod:`fluent_ai.providers.bedrock.sigv4`, which
needs the optional extra ``fluent-ai[bedrock]`` (botocore).
"""

from __future__ import annotations

import configparser
import os
from functools import partial
from pathlib import Path

from fluent_ai.providers.base import ProviderProfile, RequestSigner

DEFAULT_REGION = "us-east-1"
API_KEY_ENV = "AWS_BEARER_TOKEN_BEDROCK"


def default_region() -> str:
    """The region the AWS tools would pick: ``AWS_REGION``, then ``AWS_DEFAULT_REGION``,
    then the ``region`` of the profile in use (``AWS_PROFILE``, else ``default``) in the
    shared config file (``AWS_CONFIG_FILE``, else ``~/.aws/config``), else us-east-1."""
    return (
        os.environ.get("AWS_REGION")
        or os.environ.get("AWS_DEFAULT_REGION")
        or _configured_region()
        or DEFAULT_REGION
    )


def _configured_region() -> str | None:
    """The profile's ``region`` in the shared config file, read as the AWS CLI reads it."""
    path = Path(os.environ.get("AWS_CONFIG_FILE") or Path.home() / ".aws" / "config")
    parser = configparser.RawConfigParser()
    try:
        parser.read(path.expanduser(), encoding="utf-8")
    except (OSError, configparser.Error):
        return None  # an unreadable file: the AWS tools would fail on it, not guess
    profile = os.environ.get("AWS_PROFILE") or "default"
    for section in (f"profile {profile}", profile):
        if parser.has_option(section, "region"):
            return parser.get(section, "region").strip() or None
    return None


def bedrock_profile(region: str | None = None) -> ProviderProfile:
    """The Bedrock runtime endpoint of ``region`` (by default :func:`default_region`)."""
    return ProviderProfile(
        name="bedrock",
        base_url=f"https://bedrock-runtime.{region or default_region()}.amazonaws.com",
        api_key_env=API_KEY_ENV,
        signer=partial(_iam_signer, region or default_region()),
    )


def _iam_signer(region: str) -> RequestSigner:
    """SigV4 with the credentials the AWS tools would find (botocore imported only now)."""
    from fluent_ai.providers.bedrock.sigv4 import SigV4Signer

    return SigV4Signer.from_environment(region)


BEDROCK = bedrock_profile()
"""Bedrock in the region the environment names when this module is imported."""
