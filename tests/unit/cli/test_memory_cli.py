"""``fluent-ai memory``: each command against a small store on disk made with the library.

The store is made with explicit 4-dimension vectors and no embedder, and the commands
run with ``--embedder none``, so only the end-to-end test loads the real local model.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

pytest.importorskip("surrealdb", reason="the memory extra is not installed")
pytest.importorskip("usearch", reason="the memory extra is not installed")

from fluent_ai.cli import main
from fluent_ai.cli.app import app
from fluent_ai.cli.memory_graph import dot, mermaid
from fluent_ai.memory import Edge, Memory, MemoryRecord, Scope

NO_EMBEDDER = ["--embedder", "none"]


@dataclass
class Store:
    url: str
    ids: dict[str, str]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    url = f"surrealkv://{tmp_path / 'store'}"
    with Memory.open(url, embedder=None, dimensions=4) as memory:
        cat = memory.add_sync(
            'Ada adopted a "grey" cat called Pixel',
            kind="semantic",
            scope=Scope(user="ada"),
            tags=["pets"],
            created_at=datetime(2024, 5, 1, tzinfo=UTC),
            vector=[1.0, 0.0, 0.0, 0.0],
        )
        vet = memory.add_sync(
            "Pixel saw the vet on Monday",
            scope=Scope(user="ada"),
            created_at=datetime(2024, 6, 1, tzinfo=UTC),
            vector=[0.9, 0.1, 0.0, 0.0],
        )
        bob = memory.add_sync(
            "[bold]Bob[/bold] likes trains", scope=Scope(user="bob"), vector=[0, 0, 1.0, 0]
        )
        memory.relate_sync(vet.id, cat.id, "follows", strength=0.8)
    return Store(url, {"cat": cat.id, "vet": vet.id, "bob": bob.id})


def cli(*args: str, stdin: str | None = None) -> str:
    """Run the command; its stdout, after checking it succeeded."""
    # Wide enough that rich folds no table cell the tests look for.
    result = CliRunner().invoke(app, list(args), input=stdin, env={"COLUMNS": "200"})
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout


def on(store: Store, *args: str) -> str:
    return cli("memory", *args, "--store", store.url, *NO_EMBEDDER)


def failing(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    """Run through the entry point with --json; the error object it printed."""
    with pytest.raises(SystemExit) as stopped:
        main(["memory", *args, "--json"])
    assert stopped.value.code == 1
    error: dict[str, object] = json.loads(capsys.readouterr().err)
    return error


def test_search_prints_a_table_and_json_with_every_signal(store: Store) -> None:
    table = on(store, "search", "cat Pixel", "--mode", "text", "--user", "ada")
    hits = json.loads(on(store, "search", "Pixel", "--mode", "text", "--expand", "1", "--json"))

    assert "Ada adopted" in table
    assert "Bob" not in table
    assert [hit["rank"] for hit in hits] == list(range(1, len(hits) + 1))
    assert {hit["memory"]["id"] for hit in hits} == {store.ids["cat"], store.ids["vet"]}
    assert all("text" in hit["scores"] for hit in hits)


def test_search_time_bounds_and_a_bad_date(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    found = json.loads(
        on(store, "search", "Pixel", "--mode", "text", "--since", "2024-05-15", "--json")
    )
    error = failing(capsys, "search", "Pixel", "--store", store.url, "--until", "May 8")

    assert [hit["memory"]["id"] for hit in found] == [store.ids["vet"]]
    assert error["type"] == "CLIError"
    assert "--until 'May 8' is not an ISO 8601 date" in str(error["message"])


def test_show_prints_every_field_and_the_edges(store: Store) -> None:
    shown = json.loads(on(store, "show", store.ids["cat"], "--json"))
    text = on(store, "show", store.ids["cat"])

    assert shown["memory"]["tags"] == ["pets"]
    assert shown["memory"]["user"] == "ada"
    assert [(e["relation"], e["source"]) for e in shown["edges"]] == [("follows", store.ids["vet"])]
    assert "semantic" in text
    assert "follows" in text
    assert "[bold]Bob[/bold] likes trains" in on(store, "show", store.ids["bob"])  # not markup


def test_a_scope_hides_another_users_memory(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    error = failing(capsys, "show", store.ids["bob"], "--store", store.url, "--user", "ada")
    assert error["type"] == "MemoryNotFoundError"


def test_forget_invalidates_and_delete_asks_first(store: Store) -> None:
    forgotten = json.loads(on(store, "forget", store.ids["vet"], "--json"))
    searched = json.loads(on(store, "search", "Pixel", "--mode", "text", "--json"))
    refused = CliRunner().invoke(
        app, ["memory", "forget", store.ids["bob"], "--delete", "--store", store.url], input="n\n"
    )
    on(store, "forget", store.ids["bob"], "--delete", "--yes")
    stats = json.loads(on(store, "stats", "--json"))

    assert forgotten["memory"]["valid_until"] is not None
    assert store.ids["vet"] not in {hit["memory"]["id"] for hit in searched}
    assert refused.exit_code == 1
    assert stats["memories"] == 2
    assert stats["invalidated"] == 1


def test_forgetting_twice_keeps_the_first_time(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    first = json.loads(on(store, "forget", store.ids["vet"], "--json"))
    error = failing(capsys, "forget", store.ids["vet"], "--store", store.url, *NO_EMBEDDER)
    shown = json.loads(on(store, "show", store.ids["vet"], "--json"))

    assert "invalidated already" in str(error["message"])
    assert shown["memory"]["valid_until"] == first["memory"]["valid_until"]


def test_delete_with_json_needs_yes(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    error = failing(capsys, "forget", store.ids["bob"], "--delete", "--store", store.url)
    assert error["hints"] == ["add --yes with --json"]


def test_stats_counts_by_kind_scope_and_relation(store: Store) -> None:
    stats = json.loads(on(store, "stats", "--json"))
    text = on(store, "stats")
    ada = json.loads(on(store, "stats", "--user", "ada", "--json"))

    assert stats["store"] == store.url
    assert stats["size_bytes"] > 0
    assert stats["by_kind"] == {"semantic": 1, "episodic": 2}
    assert {s.get("user"): s["memories"] for s in stats["by_scope"]} == {"ada": 2, "bob": 1}
    assert stats["edges"] == {"follows": 1}
    assert store.url in text
    assert ada["memories"] == 2


def test_add_without_an_embedder_says_what_to_do(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    error = failing(capsys, "add", "Brush Pixel weekly", "--store", store.url, *NO_EMBEDDER)
    assert error["type"] == "InvalidMemoryError"
    assert "has no embedder" in str(error["message"])


@pytest.mark.slow
def test_add_from_stdin_then_search_with_the_local_embedder(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from tests.support.minilm import minilm_cache

    url = f"surrealkv://{tmp_path / 'store'}"
    with minilm_cache(tmp_path_factory):
        pixel = cli(
            "memory",
            "add",
            "-",
            "--kind",
            "semantic",
            "--tag",
            "pets",
            "--user",
            "ada",
            "--store",
            url,
            stdin="Ada adopted a grey cat called Pixel\n",
        ).strip()
        cli("memory", "add", "Ada's car is a red Volvo", "--user", "ada", "--store", url)
        hits = json.loads(
            cli(
                "memory",
                "search",
                "What animal does Ada have?",
                "--user",
                "ada",
                "--json",
                "--store",
                url,
            )
        )
    assert pixel.isdigit()
    assert hits[0]["memory"]["id"] == pixel
    assert hits[0]["memory"]["tags"] == ["pets"]
    assert "vector" in hits[0]["scores"]


def test_export_then_import_into_a_new_store(store: Store, tmp_path: Path) -> None:
    file = tmp_path / "memories.jsonl"
    exported = json.loads(on(store, "export", str(file), "--json"))
    lines = [json.loads(line) for line in file.read_text(encoding="utf-8").splitlines()]
    copy = Store(f"surrealkv://{tmp_path / 'copy'}", {})
    imported = json.loads(on(copy, "import", str(file), "--user", "carol", "--json"))

    assert (exported["memories"], exported["edges"]) == (3, 1)
    assert [line["type"] for line in lines] == ["memory"] * 3 + ["edge"]
    assert all(len(line["vector"]) == 4 for line in lines[:3])
    assert (imported["memories"], imported["edges"]) == (3, 1)
    assert set(imported["ids"]) == set(store.ids.values())
    stats = json.loads(on(copy, "stats", "--json"))
    assert stats["by_scope"] == [{"user": "carol", "memories": 3}]
    assert stats["edges"] == {"follows": 1}


def test_import_of_a_broken_file_names_the_line(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "broken.jsonl"
    file.write_text('{"type": "memory"}\nnot json\n', encoding="utf-8")
    error = failing(capsys, "import", str(file), "--store", store.url)
    assert error["type"] == "InvalidMemoryError"
    assert "line 2 is not JSON" in str(error["message"])


def test_graph_writes_mermaid_and_dot(store: Store, tmp_path: Path) -> None:
    drawn = on(store, "graph")
    around = json.loads(on(store, "graph", store.ids["vet"], "--depth", "1", "--json"))
    target = tmp_path / "memory.dot"
    on(store, "graph", "--format", "dot", "-o", str(target), "--user", "ada")

    assert drawn.startswith("flowchart LR\n")
    assert f'm{store.ids["vet"]} -->|"follows 0.80"| m{store.ids["cat"]}' in drawn
    assert "#quot;grey#quot;" in drawn
    assert {node["id"] for node in around["nodes"]} == {store.ids["vet"], store.ids["cat"]}
    text = target.read_text(encoding="utf-8")
    assert text.startswith("digraph memory {")
    assert '\\"grey\\"' in text
    assert "Bob" not in text


def test_labels_are_escaped_for_each_format() -> None:
    when = datetime(2024, 1, 1, tzinfo=UTC)
    node = MemoryRecord(id="1", content='a "b" [c] | #d <e>\\ f\nnext', created_at=when)
    edge = Edge(
        id="e",
        source="1",
        target="1",
        relation="relates_to",
        strength=1.0,
        valid_from=when,
        recorded_at=when,
    )
    assert 'm1["a #quot;b#quot; #91;c#93; #124; #35;d #lt;e#gt;\\ f next"]' in mermaid(
        [node], [edge]
    )
    assert '"m1" [label="a \\"b\\" [c] | #d <e>\\\\ f next"];' in dot([node], [edge])


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_graph_renders_a_png(store: Store, tmp_path: Path) -> None:
    png = tmp_path / "memory.png"
    on(store, "graph", "--png", str(png))
    assert png.read_bytes().startswith(b"\x89PNG")


def test_png_without_graphviz_says_to_install_it(
    store: Store, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    error = failing(capsys, "graph", "--png", "out.png", "--store", store.url)
    assert "needs Graphviz's dot program" in str(error["message"])
    assert "install graphviz" in str(error["hints"])


def test_the_store_defaults_to_the_config_file_then_the_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fluent_ai.cli.memory_common import default_store

    monkeypatch.setenv("FLUENT_AI_DATA_DIR", str(tmp_path / "data"))
    assert default_store() == f"surrealkv://{tmp_path / 'data' / 'memory'}"
    cli("config", "set", "memory_store", f"surrealkv://{tmp_path / 'mine'}")
    assert default_store() == f"surrealkv://{tmp_path / 'mine'}"


def test_the_cli_default_embedder_is_the_librarys() -> None:
    from fluent_ai.cli.memory_common import DEFAULT_EMBEDDER
    from fluent_ai.memory.memory import DEFAULT_EMBEDDER as LIBRARY_DEFAULT

    assert DEFAULT_EMBEDDER == LIBRARY_DEFAULT
