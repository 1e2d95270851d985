"""What virtual keys add to each gateway call: the key check and the spend accounting.

Times :meth:`Gatekeeper.admit` (hash the presented secret, find the key, check expiry,
models, budget, rpm and tpm buckets) and :meth:`Gatekeeper.charge` (price the usage,
add it to the batch) for a key with every limit set, in process, as the handlers run
them. Neither touches a disk or a network; the batch is written off the request path.

    uv run --all-extras python benchmarks/bench_gateway_keys.py
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from starlette.datastructures import Headers

from fluent_ai.engine import Deployment, Router
from fluent_ai.server.gatekeeper import Gatekeeper
from fluent_ai.server.key_store import KeyStore
from fluent_ai.server.observe import Noted

ROUNDS = 7
CALLS = 20_000


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        gate = Gatekeeper(KeyStore(Path(folder) / "keys.sqlite3"), master_key="fa-master")
        key, secret = gate.store.create(
            "bench", models=["fast"], rpm=10**9, tpm=10**12, budget=10**9
        )
        gate.add(key)
        router = Router([Deployment("openai/gpt-4o", name="gpt", api_key_env="PATH")], retry=None)
        gate.serve({"fast": router})
        headers = Headers({"authorization": f"Bearer {secret}", "content-type": "json"})
        admit, charge = [], []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            for _ in range(CALLS):
                gate.admit(headers, "fast", Noted(model="fast"))
            admit.append((time.perf_counter() - start) / CALLS * 1e6)
            done = Noted(model="fast", input_tokens=900, output_tokens=120, deployment="gpt")
            done.key = key.id
            start = time.perf_counter()
            for _ in range(CALLS):
                gate.charge(done)
            charge.append((time.perf_counter() - start) / CALLS * 1e6)
        gate.store.close()
    print(f"admit (key check): median {statistics.median(admit):.2f} µs, best {min(admit):.2f}")
    print(f"charge (spend):    median {statistics.median(charge):.2f} µs, best {min(charge):.2f}")
    print(f"together:          {statistics.median(admit) + statistics.median(charge):.2f} µs/call")


if __name__ == "__main__":
    main()
