"""Glob matching over relative paths: Path.glob's rules, segment by segment."""

import fnmatch

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fluent_ai.context.patterns import Glob, PathFilter, is_literal

segment_text = st.text(alphabet="ab.-_]!^", min_size=1, max_size=6)
segment_pattern = st.text(alphabet="ab.*?[]!^-", min_size=1, max_size=8)


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("docs/**/*.md", "docs/a.md", True),
        ("docs/**/*.md", "docs/x/y/a.md", True),
        ("docs/**/*.md", "docs/a.txt", False),
        ("docs/**/*.md", "other/docs/a.md", False),
        ("*.md", "a.md", True),
        ("*.md", "docs/a.md", False),
        ("**/*.md", "a.md", True),
        ("**/*.md", "x/y/z/a.md", True),
        ("docs/*", "docs/a.md", True),
        ("docs/*", "docs/x/a.md", False),
        ("**", "any/thing/at/all", True),
        ("a/**/b/**/c", "a/b/c", True),
        ("a/**/b/**/c", "a/1/b/2/3/c", True),
        ("a/**/b/**/c", "a/1/c", False),
        ("?.md", "a.md", True),
        ("?.md", "ab.md", False),
        ("[ab].md", "b.md", True),
        ("[!ab].md", "c.md", True),
        ("[!ab].md", "a.md", False),
        ("*", ".hidden", True),
        ("README.md", "README.md", True),
        ("README.md", "readme.md", False),
    ],
)
def test_glob_matches_like_path_glob(pattern: str, path: str, expected: bool) -> None:
    assert Glob(pattern).matches(path) is expected


@given(segment_pattern, segment_text)
def test_a_segment_matches_exactly_as_fnmatch_does(pattern: str, name: str) -> None:
    assert Glob(pattern).matches(name) == fnmatch.fnmatchcase(name, pattern)


@given(segment_pattern, st.lists(segment_text, max_size=4), segment_text)
def test_double_star_matches_any_number_of_directories(
    pattern: str, directories: list[str], name: str
) -> None:
    path = "/".join([*directories, name])
    assert Glob(f"**/{pattern}").matches(path) == fnmatch.fnmatchcase(name, pattern)


@given(st.lists(segment_text, min_size=1, max_size=5))
def test_star_never_crosses_a_directory(parts: list[str]) -> None:
    assert Glob("*").matches("/".join(parts)) == (len(parts) == 1)


def test_is_literal() -> None:
    assert is_literal("docs")
    assert not is_literal("*.md")
    assert not is_literal("[ab]")


def test_filter_patterns_without_slash_match_names_at_any_depth() -> None:
    paths = PathFilter.of("*.py", None)
    assert paths.includes_file("app.py")
    assert paths.includes_file("pkg/sub/app.py")
    assert not paths.includes_file("pkg/app.txt")


def test_filter_patterns_with_slash_match_whole_paths() -> None:
    paths = PathFilter.of(["src/**/*.py"], ["src/generated/**", "*_test.py"])
    assert paths.includes_file("src/a/b.py")
    assert not paths.includes_file("tests/b.py")
    assert not paths.includes_file("src/generated/x.py")
    assert not paths.includes_file("src/a/b_test.py")


def test_exclusion_covers_directories_and_drops_a_trailing_slash() -> None:
    paths = PathFilter.of(None, ["build/", "node_modules"])
    assert paths.excludes("build")
    assert paths.excludes("web/node_modules")
    assert not paths.excludes("src")
    assert paths.includes_file("src/a.txt")
