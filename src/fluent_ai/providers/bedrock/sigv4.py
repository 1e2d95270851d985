"""AWS Signature Version 4 for Bedrock, with the credentials the AWS tools would use.

Most Bedrock users hold IAM credentials, not a Bedrock API key. When
``AWS_BEARER_TOKEN_BEDROCK`` is unset, each request is signed with SigV4 using the
credentials the AWS CLI and SDKs find, in their order: the environment
(``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, ``AWS_SESSION_TOKEN``), then the
profile named by ``AWS_PROFILE`` (else ``default``) in ``~/.aws/credentials`` and
``~/.aws/config`` (static keys, assumed roles, SSO, ``credential_process``), then a
container or instance role. botocore finds them and computes the signature: it is the
optional extra ``fluent-ai[bedrock]``, imported here only when a model needs it.

The signature is botocore's :class:`~botocore.auth.SigV4Auth`, taken through its public
steps (canonical request, string to sign, signature) rather than ``add_auth``, which
reads the clock itself: the signing time is an argument here, so AWS's published test
vectors (fixed at 2015-08-30T12:36:00Z) check the very code that signs requests. A
request is signed once, before it is sent; the HTTP client's retries resend it within
the minutes AWS accepts a signature for. Neither the secret key nor the session token
appear in a ``repr`` or in an error.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from fluent_ai.providers.bedrock.profile import API_KEY_ENV
from fluent_ai.types import ConfigurationError, MissingAPIKeyError

_SIGNATURE_HEADERS = frozenset({"authorization", "x-amz-date", "x-amz-security-token"})

SERVICE = "bedrock"
"""The signing name of every Bedrock endpoint, ``bedrock-runtime`` included."""

HOW_TO_CONFIGURE = (
    f"Bedrock takes a Bedrock API key in {API_KEY_ENV}, or AWS credentials found as the "
    "AWS CLI finds them: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (with "
    "AWS_SESSION_TOKEN for temporary ones), or a profile in ~/.aws/credentials or "
    "~/.aws/config chosen with AWS_PROFILE (set one up with `aws configure` or "
    "`aws sso login`), or the role of the container or instance"
)


class MissingCredentialsError(MissingAPIKeyError):
    """Neither a Bedrock API key nor AWS credentials were found; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        self.variable = API_KEY_ENV
        self.reason = reason
        ConfigurationError.__init__(
            self, f"no credentials for bedrock: {reason}. {HOW_TO_CONFIGURE}", provider="bedrock"
        )


class SigV4Signer:
    """Signs Bedrock requests with one set of AWS credentials (refreshed when they expire)."""

    def __init__(self, credentials: Any, region: str, *, service: str = SERVICE) -> None:
        self._credentials = credentials  # botocore Credentials, possibly refreshable
        self.region = region
        self.service = service
        self._last: Any = None  # the credentials of the last signature

    def __repr__(self) -> str:
        return f"SigV4Signer(region={self.region!r}, service={self.service!r})"

    @classmethod
    def from_environment(cls, region: str, *, profile: str | None = None) -> SigV4Signer:
        """The signer for the credentials the AWS credential chain finds.

        Raises :class:`MissingCredentialsError`, saying how to set credentials, when
        botocore is not installed or finds none. Finding them may read files and, last
        of all, ask the instance metadata service: call this once, when the model is made.
        """
        session_module = _botocore("session")
        exceptions = _botocore("exceptions")
        try:
            credentials = session_module.Session(profile=profile).get_credentials()
        except exceptions.BotoCoreError as exc:  # an unknown profile, a broken config file
            raise MissingCredentialsError(f"botocore could not load them ({exc})") from None
        if credentials is None:
            raise MissingCredentialsError(f"{API_KEY_ENV} is unset and no AWS credentials exist")
        return cls(credentials, region)

    async def sign(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes
    ) -> dict[str, str]:
        """``headers`` with ``X-Amz-Date``, the session token if any and ``Authorization``."""
        refresh_needed = getattr(self._credentials, "refresh_needed", None)
        if callable(refresh_needed) and refresh_needed():
            # Refreshing asks AWS (STS, SSO, the instance): not on the event loop.
            frozen = await asyncio.to_thread(self._frozen)
        else:
            frozen = self._frozen()
        self._last = frozen
        return sign_request(frozen, self.region, self.service, method, url, headers, body)

    def secrets(self) -> tuple[str, ...]:
        """The secret key and session token last signed with, to cut out of error bodies:
        AWS quotes the canonical request, session token included, when a signature fails."""
        if self._last is None:
            return ()
        return tuple(value for value in (self._last.secret_key, self._last.token) if value)

    def _frozen(self) -> Any:
        try:
            return self._credentials.get_frozen_credentials()
        except _botocore("exceptions").BotoCoreError as exc:  # an expired SSO session
            raise MissingCredentialsError(f"botocore could not refresh them ({exc})") from None


def sign_request(
    credentials: Any,
    region: str,
    service: str,
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    now: datetime | None = None,
) -> dict[str, str]:
    """The headers of a SigV4-signed request, signed at ``now`` (default: the clock).

    ``credentials`` is anything with ``access_key``, ``secret_key`` and ``token``
    (botocore's ``ReadOnlyCredentials``). The host is signed from the URL when
    ``headers`` has none, as the HTTP client will send it; a date, token or
    authorization already in ``headers`` is replaced.
    """
    auth_module = _botocore("auth")
    # The signature's own headers are set below: a stale copy (a request signed before)
    # would be sent, and signed, twice.
    kept = {k: v for k, v in headers.items() if k.lower() not in _SIGNATURE_HEADERS}
    request = _botocore("awsrequest").AWSRequest(method=method, url=url, data=body, headers=kept)
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    request.context["timestamp"] = stamp
    request.headers["X-Amz-Date"] = stamp
    if credentials.token:
        request.headers["X-Amz-Security-Token"] = credentials.token
    auth = auth_module.SigV4Auth(credentials, service, region)
    canonical = auth.canonical_request(request)
    signature = auth.signature(auth.string_to_sign(request, canonical), request)
    signed = auth.signed_headers(auth.headers_to_sign(request))
    request.headers["Authorization"] = (
        f"AWS4-HMAC-SHA256 Credential={auth.scope(request)}, "
        f"SignedHeaders={signed}, Signature={signature}"
    )
    return dict(request.headers.items())


def _botocore(name: str) -> Any:
    """``botocore.<name>``, or an error saying how to install it."""
    try:
        return importlib.import_module(f"botocore.{name}")
    except ImportError:
        raise MissingCredentialsError(
            f"{API_KEY_ENV} is unset, and signing with AWS credentials needs botocore: "
            "pip install 'fluent-ai[bedrock]'"
        ) from None
