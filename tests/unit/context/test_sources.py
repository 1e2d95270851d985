"""File, Directory and Files.glob: what each finds, how paths are shown, limits, async."""

import os
from pathlib import Path

import pytest

from fluent_ai.context import ContextSource, Directory, File, Files
from fluent_ai.templates import EstimatedTokenizer

from .files import make_tree


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_tree(
        tmp_path,
        {
            "README.md": "# Project\n",
            "docs/guide.md": "Guide text.",
            "docs/api/index.md": "API text.",
            "docs/notes.txt": "Notes.",
            "src/app.py": "print('hi')\n",
            "src/app_test.py": "assert True\n",
            "src/pkg/util.py": "X = 1\n",
        },
    )


def test_glob_shows_paths_relative_to_root_and_counts_tokens(project: Path) -> None:
    bundle = Files.glob("docs/**/*.md", root=project).load()
    assert bundle.paths == ["docs/api/index.md", "docs/guide.md"]
    tokenizer = EstimatedTokenizer()
    assert [d.tokens for d in bundle.documents] == [
        tokenizer.count("API text."),
        tokenizer.count("Guide text."),
    ]
    assert bundle.total_tokens > sum(d.tokens for d in bundle.documents)  # tags cost too


def test_glob_without_double_star_stays_at_its_depth(project: Path) -> None:
    assert Files.glob("*.md", root=project).load().paths == ["README.md"]
    assert Files.glob("docs/*", root=project).load().paths == ["docs/guide.md", "docs/notes.txt"]
    assert Files.glob("*/*.py", root=project).load().paths == ["src/app.py", "src/app_test.py"]


def test_glob_defaults_to_the_working_directory(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    assert Files.glob("docs/*.md").load().paths == ["docs/guide.md"]


def test_absolute_glob_shows_absolute_paths(project: Path) -> None:
    pattern = f"{project.as_posix()}/docs/*.md"
    assert Files.glob(pattern).load().paths == [f"{project.as_posix()}/docs/guide.md"]


def test_glob_of_a_missing_directory_says_so(project: Path) -> None:
    bundle = Files.glob("nowhere/**/*.md", root=project).load()
    assert bundle.documents == ()
    [skipped] = bundle.skipped
    assert skipped.path == f"{project.as_posix()}/nowhere"
    assert (skipped.kind, skipped.reason) == ("unreadable", "no such directory")


def test_directory_include_and_exclude(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    source = Directory("src", include="*.py", exclude=["*_test.py"])
    assert source.load().paths == ["src/app.py", "src/pkg/util.py"]
    assert Directory(".", include="docs/**").load().paths == [
        "docs/api/index.md",
        "docs/guide.md",
        "docs/notes.txt",
    ]


def test_excluded_directories_are_not_entered(project: Path) -> None:
    source = Directory(project / "src", exclude="pkg")
    assert [p.rpartition("/")[2] for p in source.load().paths] == ["app.py", "app_test.py"]


def test_missing_directory_and_file_are_recorded(tmp_path: Path) -> None:
    [missing_dir] = Directory(tmp_path / "nope").load().skipped
    assert (missing_dir.kind, missing_dir.reason) == ("unreadable", "no such directory")
    [missing_file] = File(tmp_path / "nope.md").load().skipped
    assert missing_file.kind == "unreadable"
    assert "No such file" in missing_file.reason
    [not_regular] = File(tmp_path).load().skipped
    assert not_regular.reason == "not a regular file"


def test_file_is_read_even_when_gitignored(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    make_tree(tmp_path, {".gitignore": "*.env\n", "local.env": "A=1\n"})
    bundle = File(tmp_path / "local.env").load()
    assert [d.text for d in bundle.documents] == ["A=1\n"]


def test_unreadable_directory_is_recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_tree(tmp_path, {"open/a.txt": "a", "locked/b.txt": "b"})
    locked = tmp_path / "locked"
    real_scandir = os.scandir

    def scandir(path: Path) -> object:
        # As for a directory without read permission (which root would read anyway).
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    bundle = Directory(tmp_path).load()
    assert [d.text for d in bundle.documents] == ["a"]
    [skipped] = bundle.skipped
    assert (skipped.path, skipped.kind) == (f"{locked.as_posix()}", "unreadable")
    assert skipped.reason == "directory not readable: Permission denied"


def test_directory_symlinks_are_not_followed(tmp_path: Path) -> None:
    make_tree(tmp_path, {"real/a.txt": "a"})
    (tmp_path / "real" / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "link.txt").symlink_to(tmp_path / "real" / "a.txt")
    found = Files.glob("**/*.txt", root=tmp_path).load().paths
    assert found == ["link.txt", "real/a.txt"]


def test_sources_are_context_sources(project: Path) -> None:
    for source in (File(project / "README.md"), Directory(project), Files.glob("*", project)):
        assert isinstance(source, ContextSource)


async def test_aload_gives_what_load_gives(project: Path) -> None:
    source = Directory(project)
    assert await source.aload() == source.load()
