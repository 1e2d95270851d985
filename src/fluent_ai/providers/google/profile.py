"""Where Gemini lives and how it takes credentials: the Gemini API and Vertex AI.

The Gemini API takes an API key in ``x-goog-api-key``, read from ``GEMINI_API_KEY``
(the name Google's SDKs and AI Studio use; their older ``GOOGLE_API_KEY`` is not read,
since a profile names one variable: pass ``api_key=`` to use another).

Vertex AI takes a short-lived OAuth access token as a bearer token, read from
``GOOGLE_VERTEX_TOKEN``; ``gcloud auth print-access-token`` prints one (valid for about
an hour). Its URL names a Google Cloud project and location, so its profile is built by
:func:`vertex_profile`.
"""

from __future__ import annotations

import os

from fluent_ai.providers.base import ProviderProfile
from fluent_ai.types import ConfigurationError

GOOGLE = ProviderProfile(
    name="google",
    base_url="https://generativelanguage.googleapis.com/v1beta",
    api_key_env="GEMINI_API_KEY",
    auth_header="x-goog-api-key",
    auth_scheme="",
)

VERTEX_TOKEN_ENV = "GOOGLE_VERTEX_TOKEN"
VERTEX_PROJECT_ENV = "GOOGLE_CLOUD_PROJECT"
VERTEX_LOCATION_ENV = "GOOGLE_CLOUD_LOCATION"


def vertex_profile(
    project: str | None = None, location: str | None = None, *, api_version: str = "v1beta1"
) -> ProviderProfile:
    """The Vertex AI profile for one project and location.

    ``project`` and ``location`` default to ``GOOGLE_CLOUD_PROJECT`` and
    ``GOOGLE_CLOUD_LOCATION`` (the variables gcloud and Google's SDKs read), the
    location to ``global``. ``v1beta1`` is the version Google's SDK calls: it takes
    JSON Schemas for tools and output, which ``v1`` does not on every model.
    """
    project = project or os.environ.get(VERTEX_PROJECT_ENV)
    if not project:
        raise ConfigurationError(
            f"Vertex AI needs a Google Cloud project: pass project= or set {VERTEX_PROJECT_ENV}",
            provider="google-vertex",
        )
    location = location or os.environ.get(VERTEX_LOCATION_ENV) or "global"
    host = "aiplatform.googleapis.com"
    if location != "global":
        host = f"{location}-{host}"
    return ProviderProfile(
        name="google-vertex",
        base_url=(
            f"https://{host}/{api_version}/projects/{project}"
            f"/locations/{location}/publishers/google"
        ),
        api_key_env=VERTEX_TOKEN_ENV,
    )
