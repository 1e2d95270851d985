"""Memory store speed: add and search latency and recall@10, one table.

    uv run --all-extras --group bench python -m benchmarks.bench_memory \
        [--count 10000] [--queries 200] [--rows surrealkv,mem,hnsw,usearch,mem0]

Unit vectors of 384 dimensions (all-MiniLM-L6-v2's size) clustered around 200 topics,
with short texts, no embedding model in the loop: the figures are the store's own
cost. Each row stores ``--count`` memories one ``add`` at a time, then runs
``--queries`` vector searches;
recall@10 is measured against exact search (every vector compared, with numpy).
Rows: fluent-ai on ``surrealkv://`` (SurrealDB on disk, usearch beside it), on
``mem://``, SurrealDB's own HNSW index alone (what a server store searches with),
plain usearch alone (the floor: no database at all), and mem0 (``mem0ai``, in the
``bench`` group; the row is skipped, with the reason, when it is not installed).

mem0 runs as its users run it locally: ``Memory.from_config`` with its default vector
store (Qdrant's local mode, on disk, which searches exactly) and SQLite history,
``add(text, infer=False)`` so that no LLM extracts facts, and ``search(text,
threshold=0.0)`` (its default 0.1 drops far neighbours that recall@10 counts). Its
local embedders need torch or a download from a model hub, so it is handed, through
its ``langchain`` embedder provider, an ``Embeddings`` object that is no model at all:
a dict lookup of the same precomputed vectors, so its figures are its own cost too.
Its OpenAI LLM client is built (mem0 always builds one) with a dummy key and a
loopback address, is never called, and telemetry is off (``MEM0_TELEMETRY=False``):
nothing leaves the machine. Without fastembed and spaCy installed, mem0's search is
semantic only (no BM25, no entities).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import logging
import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy

from fluent_ai.memory import Memory

DIMENSIONS = 384


CENTRES = numpy.random.default_rng(0).standard_normal((200, DIMENSIONS)).astype("float32")
"""Topics: real sentence embeddings cluster by what they are about, and HNSW's recall
depends on that structure (on uniformly random 384-d vectors, which no text produces,
every approximate index does far worse)."""


def vectors(count: int, seed: int) -> numpy.ndarray:
    """Unit vectors scattered around the topic centres."""
    rng = numpy.random.default_rng(seed)
    rows = CENTRES[rng.integers(0, len(CENTRES), count)]
    rows = rows + 0.6 * rng.standard_normal((count, DIMENSIONS)).astype("float32")
    unit: numpy.ndarray = rows / numpy.linalg.norm(rows, axis=1, keepdims=True)
    return unit


def exact_top(data: numpy.ndarray, query: numpy.ndarray, k: int) -> list[int]:
    return [int(i) for i in numpy.argsort(-(data @ query))[:k]]


def recall_at_10(data: numpy.ndarray, queries: numpy.ndarray, found: list[set[int]]) -> float:
    """The share of each query's exact ten nearest among what was found, averaged.

    Computed after the timed searches, never between them: an exact search reads every
    vector (150 MB at 100,000), which would leave each timed search a cold cache."""
    exact = [set(exact_top(data, query, 10)) for query in queries]
    return sum(len(got & best) / 10 for got, best in zip(found, exact, strict=True)) / len(found)


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.95)] * 1000


async def fluent_ai(url: str, data: numpy.ndarray, queries: numpy.ndarray) -> tuple[float, ...]:
    adds, searches, found = [], [], []
    async with Memory.open(url, embedder=None, dimensions=DIMENSIONS) as memory:
        ids: list[str] = []
        for number, row in enumerate(data):
            start = time.perf_counter()
            added = await memory.add(f"memory {number}", vector=row.tolist())
            adds.append(time.perf_counter() - start)
            ids.append(added.id)
        position = {memory_id: number for number, memory_id in enumerate(ids)}
        for query in queries:
            start = time.perf_counter()
            hits = await memory.search(vector=query.tolist(), mode="vector", k=10)
            searches.append(time.perf_counter() - start)
            found.append({position[hit.memory.id] for hit in hits})
    return (*percentiles(adds), *percentiles(searches), recall_at_10(data, queries, found))


async def surreal_hnsw(data: numpy.ndarray, queries: numpy.ndarray) -> tuple[float, ...]:
    """SurrealDB's own HNSW index (what a server store uses), on the embedded engine:
    one record per add, then ``<|10,40|>`` searches."""
    from surrealdb import AsyncSurreal

    db = AsyncSurreal("mem://")
    await db.connect("mem://")
    await db.use("bench", "hnsw")
    await db.query_raw(
        "DEFINE TABLE item SCHEMALESS; DEFINE INDEX item_vector ON item FIELDS embedding "
        f"HNSW DIMENSION {DIMENSIONS} DIST COSINE TYPE F32 EFC 150 M 12;",
        {},
    )
    adds, searches, found = [], [], []
    for number, row in enumerate(data):
        start = time.perf_counter()
        await db.query_raw(
            "CREATE type::thing('item', $key) SET embedding = $vector RETURN NONE",
            {"key": number + 1, "vector": row.tolist()},
        )
        adds.append(time.perf_counter() - start)
    for query in queries:
        start = time.perf_counter()
        response = await db.query_raw(
            "SELECT id FROM item WHERE embedding <|10,40|> $vector", {"vector": query.tolist()}
        )
        searches.append(time.perf_counter() - start)
        found.append({int(row["id"].id) - 1 for row in response["result"][0]["result"]})
    await db.close()
    return (*percentiles(adds), *percentiles(searches), recall_at_10(data, queries, found))


def plain_usearch(data: numpy.ndarray, queries: numpy.ndarray) -> tuple[float, ...]:
    from usearch.index import Index

    index = Index(ndim=DIMENSIONS, metric="cos", dtype="f32")
    adds, searches, found = [], [], []
    for number, row in enumerate(data):
        start = time.perf_counter()
        index.add(number, row)
        adds.append(time.perf_counter() - start)
    for query in queries:
        start = time.perf_counter()
        matches = index.search(query, 10)
        searches.append(time.perf_counter() - start)
        found.append({int(key) for key in matches.keys})
    return (*percentiles(adds), *percentiles(searches), recall_at_10(data, queries, found))


def mem0(folder: Path, data: numpy.ndarray, queries: numpy.ndarray) -> tuple[float, ...]:
    """mem0 with ``infer=False``, its default local vector store, and precomputed vectors."""
    os.environ["MEM0_TELEMETRY"] = "False"  # read when mem0 is imported
    os.environ["MEM0_DIR"] = str(folder)  # its config and user id file, not ~/.mem0
    folder.mkdir()
    logging.getLogger("mem0").setLevel(logging.ERROR)  # no spaCy, no fastembed: see above
    from langchain_core.embeddings import Embeddings
    from mem0 import Memory as Mem0
    from mem0.memory import telemetry

    if telemetry.MEM0_TELEMETRY:  # mem0 was imported before this function turned it off
        raise RuntimeError("mem0's telemetry is on: run with MEM0_TELEMETRY=False")

    class PrecomputedEmbeddings(Embeddings):
        """Not a model: the benchmark's own vector for each text, looked up in a dict."""

        def __init__(self, table: dict[str, list[float]]) -> None:
            self.table = table

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return [self.table[text] for text in texts]

        def embed_query(self, text: str) -> list[float]:
            return self.table[text]

    table = {f"memory {number}": row.tolist() for number, row in enumerate(data)}
    table |= {f"query {number}": row.tolist() for number, row in enumerate(queries)}
    memory = Mem0.from_config(
        {
            "embedder": {
                "provider": "langchain",
                "config": {"model": PrecomputedEmbeddings(table), "embedding_dims": DIMENSIONS},
            },
            "vector_store": {
                "provider": "qdrant",
                "config": {"path": str(folder / "qdrant"), "embedding_model_dims": DIMENSIONS},
            },
            # Never called with infer=False; a loopback address in case it ever were.
            "llm": {
                "provider": "openai",
                "config": {"api_key": "unused", "openai_base_url": "http://127.0.0.1:9/v1"},
            },
            "history_db_path": str(folder / "history.db"),
        }
    )
    adds, searches, found = [], [], []
    position: dict[str, int] = {}
    for number in range(len(data)):
        start = time.perf_counter()
        added = memory.add(f"memory {number}", user_id="bench", infer=False)
        adds.append(time.perf_counter() - start)
        position[added["results"][0]["id"]] = number
    for number in range(len(queries)):
        start = time.perf_counter()
        # threshold=0: its default (0.1) drops weak neighbours, which recall@10 would count
        hits = memory.search(
            f"query {number}", filters={"user_id": "bench"}, top_k=10, threshold=0.0
        )
        searches.append(time.perf_counter() - start)
        found.append({position[hit["id"]] for hit in hits["results"]})
    memory.vector_store.client.close()
    return (*percentiles(adds), *percentiles(searches), recall_at_10(data, queries, found))


ROWS = ("surrealkv", "mem", "hnsw", "usearch", "mem0")
"""The rows, in the order they run; ``--rows`` picks some (the slow ones at 100,000
memories are SurrealDB's HNSW, which fills at under 100 rows a second, and mem0)."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="memories stored")
    parser.add_argument("--queries", type=int, default=200, help="searches timed")
    parser.add_argument(
        "--rows", default=",".join(ROWS), help=f"which rows, comma-separated (of {', '.join(ROWS)})"
    )
    arguments = parser.parse_args()
    wanted = [row.strip() for row in arguments.rows.split(",") if row.strip()]
    if unknown := sorted(set(wanted) - set(ROWS)):
        parser.error(f"no row {', '.join(unknown)}: choose from {', '.join(ROWS)}")
    data = vectors(arguments.count, 1)
    queries = vectors(arguments.queries, 2)
    print(f"{arguments.count:,} memories of {DIMENSIONS} dimensions, {arguments.queries} searches")
    print(
        f"{'':<28}{'add p50':>10}{'add p95':>10}{'search p50':>12}{'search p95':>12}"
        f"{'recall@10':>11}",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as folder:
        for row in (row for row in ROWS if row in wanted):
            measured = run_row(row, Path(folder), data, queries)
            if isinstance(measured, str):
                print(measured, flush=True)
                continue
            name, (add50, add95, search50, search95, recall) = measured
            print(
                f"{name:<28}{add50:>8.2f}ms{add95:>8.2f}ms{search50:>10.2f}ms"
                f"{search95:>10.2f}ms{recall:>11.3f}",
                flush=True,
            )


def run_row(
    row: str, folder: Path, data: numpy.ndarray, queries: numpy.ndarray
) -> tuple[str, tuple[float, ...]] | str:
    """One row's name and figures, printed as soon as it is measured (a row at 100,000
    memories takes minutes), or why it was skipped."""
    if row == "surrealkv":
        store = f"surrealkv://{folder / 'store'}"
        return "fluent-ai surrealkv://", asyncio.run(fluent_ai(store, data, queries))
    if row == "mem":
        return "fluent-ai mem://", asyncio.run(fluent_ai("mem://", data, queries))
    if row == "hnsw":
        return "SurrealDB HNSW alone", asyncio.run(surreal_hnsw(data, queries))
    if row == "usearch":
        return "usearch alone", plain_usearch(data, queries)
    if importlib.util.find_spec("mem0") and importlib.util.find_spec("langchain"):
        return "mem0 (Qdrant local)", mem0(folder / "mem0", data, queries)
    return "mem0: skipped, mem0ai or langchain is not installed (--group bench)"


if __name__ == "__main__":
    main()
