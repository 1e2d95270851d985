"""Compiled templates are cached by source hash, per engine and name, in a bounded LRU."""

from __future__ import annotations

import threading
import uuid

from fluent_ai.templates import LRUCache, Template, register_filter, template_cache
from fluent_ai.templates.engines.jinja import JinjaEngine


def unique_source() -> str:
    return f"Hello {{{{ name }}}} {uuid.uuid4().hex}"


def test_same_source_and_engine_gives_the_same_object(engine: str) -> None:
    source = unique_source().replace("{{ name }}", "{{name}}")
    assert Template.compile(source, engine) is Template.compile(source, engine)


def test_engine_and_name_are_part_of_the_key() -> None:
    source = unique_source()
    jinja = Template.compile(source, "jinja")
    assert Template.compile(source, "liquid") is not jinja
    assert Template.compile(source, "jinja", name="greeting.j2") is not jinja
    assert Template.compile(source, JinjaEngine()) is not jinja


def test_hits_and_misses_are_counted() -> None:
    source = unique_source()
    misses, hits = template_cache.misses, template_cache.hits
    Template.compile(source)
    Template.compile(source)
    assert (template_cache.misses - misses, template_cache.hits - hits) == (1, 1)


def test_least_recently_used_entry_is_evicted() -> None:
    cache: LRUCache[str] = LRUCache(maxsize=2)
    cache.get_or_create("a", lambda: "A")
    cache.get_or_create("b", lambda: "B")
    cache.get_or_create("a", lambda: "unused")  # "a" is now the most recent
    cache.get_or_create("c", lambda: "C")
    assert "a" in cache
    assert "b" not in cache
    assert len(cache) == 2


def test_concurrent_misses_agree_on_one_object() -> None:
    cache: LRUCache[object] = LRUCache(maxsize=4)
    start = threading.Barrier(8)
    results: list[object] = []

    def compile_once() -> None:
        start.wait()
        results.append(cache.get_or_create("key", object))

    threads = [threading.Thread(target=compile_once) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(result) for result in results}) == 1


def test_registering_a_filter_empties_the_cache() -> None:
    source = unique_source()
    before = Template.compile(source)
    register_filter("cache_test_filter", str)
    assert Template.compile(source) is not before
