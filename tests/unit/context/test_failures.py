"""Paths the caller named that cannot be used are failures; what a walk filters out is not."""

from __future__ import annotations

from pathlib import Path

from fluent_ai.context import Directory, File, Files, build_context


def test_named_paths_that_cannot_be_used_are_failures(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("notes\n")
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "a.md").write_text("a\n")
    (tmp_path / "tree" / "blob.bin").write_bytes(b"\0\1")
    bundle = build_context(
        [
            File(tmp_path / "notes.md"),
            File(tmp_path / "missing.md"),
            Directory(tmp_path / "tree"),
            Directory(tmp_path / "gone"),
            Files.glob("nowhere/*.md", root=tmp_path),
        ],
        budget_tokens=None,
    )
    failed = {Path(f.path).name: f.reason for f in bundle.failures}
    assert set(failed) == {"missing.md", "gone", "nowhere"}
    assert "No such file" in failed["missing.md"]
    # The binary file met while walking the tree is recorded, but not as a failure.
    [blob] = [s for s in bundle.skipped if s.path.endswith("blob.bin")]
    assert (blob.kind, blob.named) == ("binary", False)
    assert bundle.paths[0].endswith("notes.md")


def test_a_duplicate_of_a_named_file_is_not_a_failure(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("a\n")
    bundle = build_context([File(tmp_path / "a.md"), File(tmp_path / "a.md")], None)
    assert [s.kind for s in bundle.skipped] == ["duplicate"]
    assert bundle.failures == []
