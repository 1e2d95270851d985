"""The clients ``benchmarks.bench_router`` measures, each as one :data:`Call`.

Every builder returns its clients by name, the first being the direct call the others
are compared with: fluent-ai's model and its routers over HTTP, a cache hit and the
routers over it (no I/O at all: the router's own code), and litellm's ``acompletion``
and ``litellm.Router`` on the same upstream. A router names its own model, and the
server reads the number of deltas to send from the model name, so each router kind is
built once per chunk count.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from contextlib import aclosing
from typing import Any

from fluent_ai.engine import Cached, Deployment, Router
from fluent_ai.providers.base import ChatModel
from fluent_ai.types import ChatRequest, Message, TextDelta

# litellm downloads its price list at import unless told to use its bundled copy.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
KEY_ENV = "FLUENT_AI_BENCH_KEY"
os.environ.setdefault(KEY_ENV, "bench")

Call = Callable[[int, bool], Awaitable[int]]
"""One call of ``chunks`` deltas, streamed or not: the deltas received (1 for a whole answer)."""

PROMPT = [Message.user("benchmark")]


async def deltas(model: ChatModel, request: ChatRequest) -> int:
    async with aclosing(model.stream(request)) as events:
        return sum([type(e) is TextDelta async for e in events])


def fluent_call(models: dict[int, ChatModel], temperature: float | None = None) -> Call:
    """Calls of the fluent-ai model for each chunk count (a router names its own model)."""

    async def call(chunks: int, stream: bool) -> int:
        request = ChatRequest(model=f"bench-{chunks}", messages=PROMPT, temperature=temperature)
        if stream:
            return await deltas(models[chunks], request)
        return int(bool((await models[chunks].complete(request)).text))

    return call


def deployment(
    base_url: str, chunks: int, name: str = "", model: ChatModel | None = None
) -> Deployment:
    return Deployment(
        f"openai/bench-{chunks}",
        name=name,
        base_url=base_url + "/v1",
        api_key_env=KEY_ENV,
        chat_model=model,
    )


def routers(
    base_url: str, counts: tuple[int, ...], model: ChatModel | None = None
) -> dict[str, dict[int, ChatModel]]:
    """The routers measured, by kind, each with one router per chunk count."""
    made: dict[str, dict[int, ChatModel]] = {
        kind: {} for kind in ("1 deployment", "3, fallbacks", "3, latency")
    }
    for n in counts:
        three = [deployment(base_url, n, f"d{i}", model) for i in range(3)]
        made["1 deployment"][n] = Router([deployment(base_url, n, model=model)])
        made["3, fallbacks"][n] = Router(three, strategy="fallbacks")
        made["3, latency"][n] = Router(three, strategy="latency")
    return made


def fluent_clients(base_url: str, counts: tuple[int, ...]) -> tuple[dict[str, Call], list[Any]]:
    # The direct model is the very model a deployment builds (same client settings).
    direct = deployment(base_url, 1).open()
    made = routers(base_url, counts)
    calls = {"fluent-ai direct": fluent_call(dict.fromkeys(counts, direct))}
    calls |= {f"fluent-ai Router, {k}": fluent_call(v) for k, v in made.items()}
    return calls, [direct, *(r for v in made.values() for r in v.values())]


def no_io_clients(base_url: str, counts: tuple[int, ...]) -> tuple[dict[str, Call], list[Any]]:
    """A :class:`Cached` hit and routers over it: the router's own code, with no HTTP."""
    cached = Cached(deployment(base_url, 1).open())
    made = routers(base_url, counts, cached)
    calls = {"Cached hit": fluent_call(dict.fromkeys(counts, cached), 0.0)}
    calls |= {f"Router over it, {k}": fluent_call(v, 0.0) for k, v in made.items()}
    return calls, [cached]


def litellm_clients(base_url: str, counts: tuple[int, ...]) -> tuple[dict[str, Call], list[Any]]:
    """The same calls through litellm: ``acompletion`` and ``litellm.Router.acompletion``."""
    import litellm
    from litellm.router import Router as LiteLLMRouter

    litellm.suppress_debug_info = True
    messages = [{"role": "user", "content": "benchmark"}]

    def params(n: int) -> dict[str, str]:
        return {"model": f"openai/bench-{n}", "api_base": base_url + "/v1", "api_key": "bench"}

    def answer_of(send: Callable[..., Awaitable[Any]], group: str) -> Call:
        async def call(chunks: int, stream: bool) -> int:
            got = await send(model=group.format(n=chunks), messages=messages, stream=stream)
            if not stream:
                return int(bool(got.choices[0].message.content))
            return sum([bool(c.choices and c.choices[0].delta.content) async for c in got])

        return call

    one = [{"model_name": f"bench-{n}", "litellm_params": params(n)} for n in counts]
    three = [{"model_name": f"{d}-{n}", "litellm_params": params(n)} for n in counts for d in "abc"]
    fallbacks = [{f"a-{n}": [f"b-{n}", f"c-{n}"]} for n in counts]
    pool = [
        {"model_name": f"bench-{n}", "litellm_params": params(n)} for n in counts for _ in "abc"
    ]
    by_latency = LiteLLMRouter(
        model_list=pool, routing_strategy="latency-based-routing", num_retries=0
    )

    async def direct(**kwargs: Any) -> Any:
        return await litellm.acompletion(
            api_base=base_url + "/v1", api_key="bench", num_retries=0, **kwargs
        )

    calls = {
        "litellm acompletion": answer_of(direct, "openai/bench-{n}"),
        "litellm Router, 1 deployment": answer_of(
            LiteLLMRouter(model_list=one, num_retries=0).acompletion, "bench-{n}"
        ),
        "litellm Router, 3, fallbacks": answer_of(
            LiteLLMRouter(model_list=three, fallbacks=fallbacks, num_retries=0).acompletion,
            "a-{n}",
        ),
        "litellm Router, 3, latency": answer_of(by_latency.acompletion, "bench-{n}"),
    }
    return calls, []  # litellm keeps its HTTP clients in a cache of its own
