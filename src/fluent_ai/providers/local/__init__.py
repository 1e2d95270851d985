"""The offline default: SmolLM2-135M-Instruct, run in-process on the CPU.

Importing this package is cheap: torch and transformers are imported when a model is
first loaded, and a missing ``local`` extra is reported then, with the command that
installs it.
"""

from fluent_ai.providers.local.catalog import MODELS, LocalModelSpec, resolve_model
from fluent_ai.providers.local.chat_model import LocalChatModel
from fluent_ai.providers.local.constraint import IncompleteAnswerError
from fluent_ai.providers.local.loader import LocalModel, load_local_model

__all__ = [
    "MODELS",
    "IncompleteAnswerError",
    "LocalChatModel",
    "LocalModel",
    "LocalModelSpec",
    "load_local_model",
    "resolve_model",
]
