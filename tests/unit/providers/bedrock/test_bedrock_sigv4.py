"""SigV4 signing: AWS's published test vectors, the credential chain, and the wire.

The vectors (``tests/data/sigv4_test_suite.json``, its source named inside) check the
very function that signs Bedrock requests. The chain is botocore's, fed an isolated AWS
home (see ``conftest.py``): environment variables, a profile in the credentials file,
a session token. Signed requests go through the real model to a loopback server.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from botocore.credentials import ReadOnlyCredentials
from tests.unit.http.loopback import Loopback, Received, Reply, loopback_server

from fluent_ai.providers.bedrock import BedrockConverseProtocol, bedrock_profile
from fluent_ai.providers.bedrock.sigv4 import (
    MissingCredentialsError,
    SigV4Signer,
    sign_request,
)
from fluent_ai.providers.remote import HttpChatModel
from fluent_ai.types import (
    AuthenticationError,
    ChatRequest,
    Message,
    MissingAPIKeyError,
)

SUITE = json.loads((Path(__file__).parents[3] / "data" / "sigv4_test_suite.json").read_text())
ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEYsecret"
SESSION_TOKEN = "FwoGZXIvYXdzEBYaDEXAMPLEsessionTOKENvalue/1234567890abcdef+xyz=="
REQUEST = ChatRequest(model="us.amazon.nova-micro-v1:0", messages=[Message.user("Hello!")])
ANSWER = {
    "output": {"message": {"role": "assistant", "content": [{"text": "Hi!"}]}},
    "stopReason": "end_turn",
    "usage": {"inputTokens": 7, "outputTokens": 3, "totalTokens": 10},
}


@pytest.fixture
def server() -> Iterator[Loopback]:
    with loopback_server() as loopback:
        yield loopback


@pytest.mark.parametrize("case", SUITE["cases"], ids=lambda case: case["name"])
def test_the_aws_signature_v4_test_suite(case: dict[str, Any]) -> None:
    credentials = ReadOnlyCredentials(
        SUITE["access_key"], SUITE["secret_key"], case.get("session_token")
    )
    headers = sign_request(
        credentials,
        SUITE["region"],
        SUITE["service"],
        case["method"],
        case["url"],
        case["headers"],
        case["body"].encode(),
        now=datetime.fromisoformat(SUITE["signed_at"]),
    )
    assert headers["Authorization"] == case["authorization"]
    assert headers["X-Amz-Date"] == "20150830T123600Z"
    if "session_token" in case:
        assert headers["X-Amz-Security-Token"] == case["session_token"]


def _model(server: Loopback, region: str = "us-west-2") -> HttpChatModel:
    return HttpChatModel(
        bedrock_profile(region), BedrockConverseProtocol(), base_url=server.url("")
    )


def _check_signature(received: Received, *, secret: str, token: str | None) -> None:
    """Sign what the server received again, at the time it names: the same signature
    means the body and the headers arrived exactly as they were signed."""
    authorization = received.headers["authorization"]
    signed_names = authorization.split("SignedHeaders=")[1].split(",")[0].split(";")
    stamp = datetime.strptime(received.headers["x-amz-date"], "%Y%m%dT%H%M%SZ")
    access_key = authorization.split("Credential=")[1].split("/")[0]
    again = sign_request(
        ReadOnlyCredentials(access_key, secret, token),
        "us-west-2",
        "bedrock",
        received.method,
        "http://" + received.headers["host"] + received.path,
        {k: v for k, v in received.headers.items() if k in signed_names and k != "x-amz-date"},
        received.body,
        now=stamp.replace(tzinfo=UTC),
    )
    assert again["Authorization"] == authorization


async def test_credentials_from_the_environment_sign_each_request(
    server: Loopback, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    monkeypatch.setenv("AWS_SESSION_TOKEN", SESSION_TOKEN)
    server.reply(Reply(200, {"content-type": "application/json"}, json.dumps(ANSWER).encode()))
    async with _model(server) as model:
        result = await model.complete(REQUEST)
    assert result.text == "Hi!"
    [sent] = server.received
    authorization = sent.headers["authorization"]
    assert authorization.startswith(
        f"AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/{sent.headers['x-amz-date'][:8]}"
        "/us-west-2/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-date;"
        "x-amz-security-token, Signature="
    )
    assert sent.headers["x-amz-security-token"] == SESSION_TOKEN
    assert sent.path == "/model/us.amazon.nova-micro-v1%3A0/converse"
    assert json.loads(sent.body) == {
        "messages": [{"role": "user", "content": [{"text": "Hello!"}]}]
    }
    _check_signature(sent, secret=SECRET_KEY, token=SESSION_TOKEN)


async def test_a_profile_in_the_credentials_file(
    server: Loopback, monkeypatch: pytest.MonkeyPatch, no_aws_credentials: Path
) -> None:
    (no_aws_credentials / "credentials").write_text(
        "[default]\naws_access_key_id = AKIADEFAULTNOTUSED00\naws_secret_access_key = x\n\n"
        f"[work]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\n"
    )
    monkeypatch.setenv("AWS_PROFILE", "work")
    server.reply(Reply(200, {"content-type": "application/json"}, json.dumps(ANSWER).encode()))
    async with _model(server) as model:
        await model.complete(REQUEST)
    [sent] = server.received
    assert f"Credential={ACCESS_KEY}/" in sent.headers["authorization"]
    assert "x-amz-security-token" not in sent.headers
    _check_signature(sent, secret=SECRET_KEY, token=None)


def test_a_bedrock_api_key_is_used_before_iam_credentials(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    monkeypatch.setenv("AWS_BEARER_TOKEN_BEDROCK", "ABSKQmVkcm9ja0FQSUtleS1zZWNyZXQtMTIz")
    model = HttpChatModel(bedrock_profile("us-west-2"), BedrockConverseProtocol())
    assert model._signer is None
    assert model._headers["authorization"].startswith("Bearer ABSK")


def test_no_credentials_at_all_says_how_to_set_them() -> None:
    with pytest.raises(MissingCredentialsError) as info:
        HttpChatModel(bedrock_profile("us-west-2"), BedrockConverseProtocol())
    text = str(info.value)
    for advice in ("AWS_BEARER_TOKEN_BEDROCK", "AWS_ACCESS_KEY_ID", "AWS_PROFILE", "aws sso login"):
        assert advice in text
    assert isinstance(info.value, MissingAPIKeyError)  # the CLI's hint still applies
    assert info.value.variable == "AWS_BEARER_TOKEN_BEDROCK"


def test_an_unknown_profile_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_PROFILE", "nosuchprofile")
    with pytest.raises(MissingCredentialsError, match="nosuchprofile"):
        SigV4Signer.from_environment("us-east-1")


async def test_secrets_stay_out_of_reprs_and_errors(
    server: Loopback, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    monkeypatch.setenv("AWS_SESSION_TOKEN", SESSION_TOKEN)
    # AWS quotes the canonical request, session token included, when a signature fails.
    said = (
        "The request signature we calculated does not match the signature you provided. "
        f"The Canonical String for this request should have been 'POST\\n/model\\n\\n"
        f"x-amz-security-token:{SESSION_TOKEN}\\n'"
    )
    headers = {"content-type": "application/json", "x-amzn-errortype": "InvalidSignatureException"}
    server.reply(Reply(403, headers, json.dumps({"message": said}).encode()))
    async with _model(server) as model:
        with pytest.raises(AuthenticationError) as info:
            await model.complete(REQUEST)
        shown = " ".join([str(info.value), repr(info.value), repr(model), repr(model._signer)])
        shown += json.dumps(info.value.body)
    assert "signature we calculated" in shown
    assert SESSION_TOKEN not in shown
    assert SECRET_KEY not in shown


def test_the_region_of_the_profile_in_the_config_file(
    monkeypatch: pytest.MonkeyPatch, no_aws_credentials: Path
) -> None:
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    (no_aws_credentials / "config").write_text(
        "[default]\nregion = eu-west-1\n\n[profile work]\nregion = ap-southeast-2\n"
    )
    assert "eu-west-1" in bedrock_profile().base_url
    monkeypatch.setenv("AWS_PROFILE", "work")
    assert bedrock_profile().base_url == "https://bedrock-runtime.ap-southeast-2.amazonaws.com"
    monkeypatch.setenv("AWS_REGION", "us-west-2")  # the environment wins, as for the AWS CLI
    assert "us-west-2" in bedrock_profile().base_url
