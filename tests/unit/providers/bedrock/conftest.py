"""Every Bedrock test runs without the machine's own AWS credentials.

The AWS credential chain reads the environment, ``~/.aws`` and, last, the instance
metadata service; a developer's real credentials must neither change what a test sees
nor be sent to the loopback servers. Tests that want credentials set them themselves.
"""

from __future__ import annotations

from pathlib import Path

import pytest

CREDENTIAL_VARIABLES = (
    "AWS_BEARER_TOKEN_BEDROCK",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
)


@pytest.fixture(autouse=True)
def no_aws_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """An empty AWS home: no credential variables, no config files, no instance metadata.

    Returns the folder where a test may write ``credentials`` and ``config`` files,
    which the chain then reads.
    """
    for name in CREDENTIAL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "aws"
    home.mkdir()
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(home / "credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(home / "config"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    return home
