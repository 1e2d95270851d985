"""Sources respect .gitignore files as git does: root and nested files, negation, exclude."""

import shutil
import subprocess
from pathlib import Path

import pytest

from fluent_ai.context import Directory, Files

from .files import make_repository, make_tree


def paths(source: Directory | Files) -> list[str]:
    return source.load().paths


def test_root_gitignore_with_negation(tmp_path: Path) -> None:
    make_repository(
        tmp_path,
        {
            ".gitignore": "*.log\n!keep.log\nbuild/\n",
            "app.log": "noise",
            "keep.log": "wanted",
            "build/out.txt": "generated",
            "src/main.txt": "code",
            "src/debug.log": "noise",
        },
    )
    assert paths(Directory(tmp_path)) == [
        f"{tmp_path.as_posix()}/.gitignore",
        f"{tmp_path.as_posix()}/keep.log",
        f"{tmp_path.as_posix()}/src/main.txt",
    ]


def test_nested_gitignore_applies_below_its_directory_only(tmp_path: Path) -> None:
    make_repository(
        tmp_path,
        {
            "docs/.gitignore": "draft-*.md\n",
            "docs/draft-1.md": "unfinished",
            "docs/guide.md": "finished",
            "docs/deep/draft-2.md": "unfinished",
            "draft-top.md": "not under docs",
        },
    )
    found = paths(Files.glob("**/*.md", root=tmp_path))
    assert found == ["docs/guide.md", "draft-top.md"]


def test_deeper_negation_overrides_a_parent_rule(tmp_path: Path) -> None:
    make_repository(
        tmp_path,
        {
            ".gitignore": "secret*\n",
            "secret.txt": "hidden",
            "sub/.gitignore": "!secret-ok.txt\n",
            "sub/secret-ok.txt": "allowed again",
            "sub/secret-no.txt": "still hidden",
        },
    )
    assert paths(Files.glob("**/*.txt", root=tmp_path)) == ["sub/secret-ok.txt"]


def test_a_file_in_an_ignored_directory_cannot_be_re_included(tmp_path: Path) -> None:
    # git does not look inside an excluded directory, so the "!" line has no effect.
    make_repository(tmp_path, {".gitignore": "build/\n!build/keep.md\n", "build/keep.md": "x"})
    assert paths(Files.glob("**/*.md", root=tmp_path)) == []


def test_info_exclude_is_honoured_and_dot_git_never_read(tmp_path: Path) -> None:
    make_repository(tmp_path, {"local.md": "mine", "shared.md": "ours"})
    (tmp_path / ".git" / "info" / "exclude").write_text("local.md\n", encoding="utf-8")
    (tmp_path / ".git" / "notes.md").write_text("git internals", encoding="utf-8")
    assert paths(Files.glob("**/*.md", root=tmp_path)) == ["shared.md"]


def test_rules_above_the_walked_directory_still_apply(tmp_path: Path) -> None:
    make_repository(tmp_path, {".gitignore": "*.tmp\n", "src/a.txt": "a", "src/b.tmp": "b"})
    assert paths(Directory(tmp_path / "src")) == [f"{(tmp_path / 'src').as_posix()}/a.txt"]


def test_outside_a_repository_the_tree_s_own_gitignore_applies(tmp_path: Path) -> None:
    make_tree(tmp_path, {".gitignore": "*.tmp\n", "a.txt": "a", "b.tmp": "b"})
    assert paths(Files.glob("*", root=tmp_path)) == [".gitignore", "a.txt"]


def test_a_source_rooted_in_an_ignored_directory_says_so(tmp_path: Path) -> None:
    make_repository(tmp_path, {".gitignore": "build/\n", "build/report.txt": "generated"})
    bundle = Directory(tmp_path / "build").load()
    assert bundle.documents == ()
    [skipped] = bundle.skipped
    assert skipped.kind == "ignored"
    assert "gitignore=False" in skipped.reason
    forced = Directory(tmp_path / "build", gitignore=False).load()
    assert [d.text for d in forced.documents] == ["generated"]


def test_gitignore_false_reads_everything_but_dot_git(tmp_path: Path) -> None:
    make_repository(tmp_path, {".gitignore": "*.log\n", "a.log": "log"})
    assert paths(Files.glob("*", root=tmp_path, gitignore=False)) == [".gitignore", "a.log"]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs the git command")
def test_agrees_with_git_itself(tmp_path: Path) -> None:
    files = {
        ".gitignore": "*.o\n/out/\ndocs/**/tmp-*\n!important.o\n\\#literal\nlogs/*\n!logs/.keep\n",
        "a.c": "", "a.o": "", "important.o": "", "sub/b.o": "", "sub/important.o": "",
        "out/x.txt": "", "sub/out/y.txt": "", "docs/tmp-1.md": "", "docs/a/tmp-2.md": "",
        "docs/a/keep.md": "", "#literal": "", "logs/.keep": "", "logs/today.txt": "",
        "sub/.gitignore": "*.txt\n!keep.txt\n", "sub/keep.txt": "", "sub/drop.txt": "",
        "sub/deeper/drop.txt": "", "sub/deeper/keep.txt": "", "spaces in name.md": "",
    }  # fmt: skip
    make_tree(tmp_path, files)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    listed = subprocess.run(
        ["git", "-C", str(tmp_path), "ls-files", "--others", "--exclude-standard", "-z"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    expected = sorted(name for name in listed.split("\0") if name)
    assert paths(Files.glob("**", root=tmp_path)) == expected
