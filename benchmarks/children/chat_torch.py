"""The torch path, for comparison: SmolLM2 from the same GGUF file via transformers.

    python benchmarks/children/chat_torch.py GGUF CACHE_DIR PROMPT TOKENS

The first run dequantizes the GGUF file and saves the model as safetensors into
CACHE_DIR (what fluent-ai 0.1 did); later runs load that. Greedy decoding, one prompt;
prints timings from process start, the token count and the peak RSS.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

BEGAN = time.perf_counter()


def main() -> None:
    gguf, cache, prompt, tokens = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
    import torch
    import transformers

    cold = not (cache / "config.json").is_file()
    if cold:
        tokenizer = transformers.AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
        model = transformers.AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name)
        quantizer = getattr(model, "hf_quantizer", None)
        if quantizer is not None:
            quantizer.remove_quantization_config(model)
        model.save_pretrained(cache)
        tokenizer.save_pretrained(cache)
    else:
        tokenizer = transformers.AutoTokenizer.from_pretrained(cache)
        model = transformers.AutoModelForCausalLM.from_pretrained(cache)
    loaded = time.perf_counter()
    inputs = tokenizer.apply_chat_template(
        [{"role": "user", "content": prompt}],
        add_generation_prompt=True,
        return_tensors="pt",
        return_dict=True,
    )
    stamps: list[float] = []

    class Clock(transformers.StoppingCriteria):
        def __call__(self, input_ids: object, scores: object, **kwargs: object) -> bool:
            stamps.append(time.perf_counter())
            return False

    with torch.inference_mode():
        model.generate(
            **inputs,
            max_new_tokens=int(tokens),
            min_new_tokens=int(tokens),
            do_sample=False,
            stopping_criteria=transformers.StoppingCriteriaList([Clock()]),
        )
    report = {
        "cold": cold,
        "loaded": loaded - BEGAN,
        "first_token": stamps[0] - BEGAN,
        "tokens": len(stamps),
        "decode_seconds": stamps[-1] - stamps[0],
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
