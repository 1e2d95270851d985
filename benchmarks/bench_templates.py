"""Compile and render time of a 2,000-line template, per engine: one table.

    uv run python -m benchmarks.bench_templates [--lines 2000] [--repeat 7]

Two templates of the same length and the same meaning are written in each engine's
syntax: a *prompt* (prose, with a variable, loop or condition every few lines, as
long system prompts are) and a *dense* one (a tag on every line, the worst case).
Compiling goes straight to the engine, past the cache, so the figure is the real cost
of a cache miss: parsing, Jinja's code generation, and this package's checks
(Liquid's unknown-filter pass; Handlebars is parsed by this package itself). The
figures are the best and the median of ``--repeat`` runs, after one warm-up run that
also imports the engine's library.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from fluent_ai.templates import ENGINE_NAMES, get_engine

# What one line of each kind looks like in each engine: variable, loop, condition.
SYNTAX = {
    "jinja": (
        "- {{ user.name | upper }} asked about {{ topic }}.",
        "{% for item in items %}[{{ item }}]{% endfor %}",
        "{% if user.premium %}Offer the premium plan.{% else %}Be brief.{% endif %}",
    ),
    "liquid": (
        "- {{ user.name | upcase }} asked about {{ topic }}.",
        "{% for item in items %}[{{ item }}]{% endfor %}",
        "{% if user.premium %}Offer the premium plan.{% else %}Be brief.{% endif %}",
    ),
    "handlebars": (
        "- {{user.name}} asked about {{topic}}.",
        "{{#each items}}[{{this}}]{{/each}}",
        "{{#if user.premium}}Offer the premium plan.{{else}}Be brief.{{/if}}",
    ),
}
PROSE = "You are a careful assistant. Answer in plain words and cite the documents given."
VARIABLES = {"user": {"name": "Ada", "premium": True}, "topic": "templates", "items": [1, 2, 3]}


def prompt_template(engine: str, lines: int) -> str:
    """Mostly prose, with one tag line in every five."""
    tags = SYNTAX[engine]
    return "\n".join(
        tags[(number // 5) % 3] if number % 5 == 4 else f"{number}. {PROSE}"
        for number in range(lines)
    )


def dense_template(engine: str, lines: int) -> str:
    """A variable, loop or condition on every line."""
    tags = SYNTAX[engine]
    return "\n".join(tags[number % 3] for number in range(lines))


def timings(action: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Best and median wall time of ``action``, in milliseconds."""
    action()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        runs.append((time.perf_counter() - start) * 1000)
    return min(runs), statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=2000, help="template length in lines")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per figure")
    arguments = parser.parse_args()

    header = (
        f"{'engine':<11} {'template':<9} {'compile best':>13} {'median':>9}"
        f" {'render best':>12} {'median':>9}"
    )
    print(f"{arguments.lines}-line templates, times in ms\n{header}\n{'-' * len(header)}")
    for engine_name in ENGINE_NAMES:
        engine = get_engine(engine_name)
        for kind, make in (("prompt", prompt_template), ("dense", dense_template)):
            source = make(engine_name, arguments.lines)
            compile_best, compile_median = timings(
                partial(engine.compile, source), arguments.repeat
            )
            renderer = engine.compile(source)
            render_best, render_median = timings(partial(renderer, VARIABLES), arguments.repeat)
            print(
                f"{engine_name:<11} {kind:<9} {compile_best:>13.1f} {compile_median:>9.1f}"
                f" {render_best:>12.1f} {render_median:>9.1f}"
            )


if __name__ == "__main__":
    main()
