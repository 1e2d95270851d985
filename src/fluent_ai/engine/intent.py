"""Routing by intent: rules first, then the nearest labelled examples by meaning.

:class:`IntentRouter` names the route (a deployment group, a tag) for a request. Its
rules (:mod:`fluent_ai.engine.intent_rules`) are tried first, in order: cheap, exact,
and what a team writes down. What no rule catches is embedded (the local
all-MiniLM-L6-v2 by default, offline) and compared with labelled examples, either with
each route's centroid (the mean of its examples: fast, steady with few examples) or
with the ``k`` nearest examples (follows routes whose examples are spread out). A
match less similar than ``threshold`` goes to the ``default`` route rather than to a
guess. :meth:`IntentRouter.explain` says what decided: the rule, or the examples with
their similarities.

Rules and examples are one immutable snapshot. :meth:`IntentRouter.update` builds the
next one (embedding its examples) while requests keep being routed on the current one,
then swaps it in with one assignment: a request sees the old rules or the new, never a
mix, and nothing waits for the embedding.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

from fluent_ai.engine.intent_rules import Rule, last_user_text
from fluent_ai.types import ChatRequest, ConfigurationError, Message

if TYPE_CHECKING:
    from fluent_ai.embeddings import EmbeddingModel

Method = Literal["centroid", "knn"]


@dataclass(frozen=True, slots=True)
class Neighbour:
    """A labelled example close to the request, and how close (cosine similarity)."""

    text: str
    route: str
    similarity: float


@dataclass(frozen=True, slots=True)
class Decision:
    """The route chosen and why: ``by`` a ``"rule"`` (named in ``rule``), the
    ``"examples"`` (``confidence`` the similarity that won, ``neighbours`` the closest
    examples), or the ``"default"`` (no rule matched and no example was close enough)."""

    route: str
    by: Literal["rule", "examples", "default"]
    rule: str | None = None
    confidence: float | None = None
    neighbours: tuple[Neighbour, ...] = ()

    def __str__(self) -> str:
        if self.by == "rule":
            return f"{self.route}: rule {self.rule!r} matched"
        closest = ", ".join(f"{n.route} {n.similarity:.2f} {n.text!r}" for n in self.neighbours)
        if self.by == "examples":
            return f"{self.route}: examples, confidence {self.confidence:.2f} ({closest})"
        return f"{self.route}: default, nothing close enough ({closest or 'no examples'})"


@dataclass(frozen=True, slots=True)
class _Snapshot:
    rules: tuple[Rule, ...]
    texts: tuple[str, ...]
    routes: tuple[str, ...]
    vectors: Any  # float32 (examples, dimensions), rows of unit length
    centroids: Any  # float32 (routes, dimensions), rows of unit length
    centroid_routes: tuple[str, ...]


class IntentRouter:
    """Names the route for each request: by rules, else by labelled examples."""

    def __init__(
        self,
        *,
        embedder: str | EmbeddingModel = "local/all-minilm-l6-v2",
        method: Method = "centroid",
        k: int = 5,
        threshold: float = 0.3,
        default: str = "default",
    ) -> None:
        if method not in ("centroid", "knn"):
            raise ConfigurationError(f"method must be 'centroid' or 'knn', not {method!r}")
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise ConfigurationError(f"k must be a whole number, at least 1, not {k!r}")
        if not -1.0 <= threshold <= 1.0:
            raise ConfigurationError(f"threshold is a cosine similarity, -1 to 1: {threshold}")
        self.method: Method = method
        self.k = k
        self.threshold = threshold
        self.default = default
        self._embedder = embedder
        self._model: EmbeddingModel | None = None
        self._snapshot = _Snapshot((), (), (), None, None, ())

    @classmethod
    async def build(
        cls,
        rules: Sequence[Rule] = (),
        examples: Mapping[str, Sequence[str]] | None = None,
        **options: Any,
    ) -> IntentRouter:
        """A router with ``rules`` and ``examples`` (route → example texts) loaded."""
        router = cls(**options)
        await router.update(rules=rules, examples=examples or {})
        return router

    async def update(
        self,
        *,
        rules: Sequence[Rule] | None = None,
        examples: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        """Replace the rules, the examples or both (what is not given is kept); requests
        routed meanwhile use the current ones until the new are ready."""
        current = self._snapshot
        kept_rules = tuple(rules) if rules is not None else current.rules
        for rule in kept_rules:
            if not isinstance(rule, Rule):
                raise ConfigurationError(f"rules must be Rule objects, not {type(rule).__name__}")
        if examples is None:
            self._snapshot = replace(current, rules=kept_rules)
            return
        pairs = [(text, route) for route, texts in examples.items() for text in texts]
        if any(not isinstance(text, str) or not text.strip() for text, _ in pairs):
            raise ConfigurationError("every example must be a non-empty string")
        vectors = await self._vectors([text for text, _ in pairs], "document") if pairs else None
        routes = tuple(route for _, route in pairs)
        centroid_routes = tuple(dict.fromkeys(routes))
        centroids = _centroids(vectors, routes, centroid_routes) if pairs else None
        self._snapshot = _Snapshot(
            kept_rules,
            tuple(text for text, _ in pairs),
            routes,
            vectors,
            centroids,
            centroid_routes,
        )

    async def route(self, request: ChatRequest | str) -> str:
        """The route's name for ``request`` (a chat request, or the user's text)."""
        return (await self.explain(request)).route

    async def explain(self, request: ChatRequest | str) -> Decision:
        """The route for ``request`` and what decided it."""
        snapshot = self._snapshot  # one read: the whole decision uses one snapshot
        asked = request if isinstance(request, ChatRequest) else _as_request(request)
        text = last_user_text(asked)
        for rule in snapshot.rules:
            if rule.matches(asked, text):
                return Decision(rule.route, "rule", rule=rule.label)
        if snapshot.vectors is None or not text.strip():
            return Decision(self.default, "default")
        [query] = await self._vectors([text], "query")
        return self._nearest(snapshot, query)

    def _nearest(self, snapshot: _Snapshot, query: Any) -> Decision:
        numpy = _numpy()

        similarities = snapshot.vectors @ query
        order = numpy.argsort(-similarities)[: self.k]
        neighbours = tuple(
            Neighbour(snapshot.texts[i], snapshot.routes[i], float(similarities[i])) for i in order
        )
        if self.method == "centroid":
            scores = snapshot.centroids @ query
            best = int(numpy.argmax(scores))
            route, confidence = snapshot.centroid_routes[best], float(scores[best])
        else:
            votes: dict[str, float] = {}
            for neighbour in neighbours:
                votes[neighbour.route] = votes.get(neighbour.route, 0.0) + neighbour.similarity
            route = max(votes, key=lambda name: votes[name])
            confidence = max(n.similarity for n in neighbours if n.route == route)
        if confidence < self.threshold:
            return Decision(self.default, "default", confidence=confidence, neighbours=neighbours)
        return Decision(route, "examples", confidence=confidence, neighbours=neighbours)

    async def _vectors(self, texts: list[str], input_type: Literal["document", "query"]) -> Any:
        numpy = _numpy()
        result = await self._embedding_model().embed(texts, input_type=input_type)
        vectors = numpy.asarray(result.vectors, dtype=numpy.float32)
        norms = numpy.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / numpy.where(norms == 0, 1, norms)

    def _embedding_model(self) -> EmbeddingModel:
        if not isinstance(self._embedder, str):
            return self._embedder
        if self._model is None:
            from fluent_ai.embeddings import get_embedding_model

            self._model = get_embedding_model(self._embedder)
        return self._model

    async def aclose(self) -> None:
        """Close the embedder if this router made it (one passed in is the caller's)."""
        model, self._model = self._model, None
        if model is not None:
            await model.aclose()


def _numpy() -> Any:
    """numpy, which routing by examples needs (the local embedder brings it)."""
    try:
        import numpy
    except ImportError as exc:
        raise ConfigurationError(
            "routing by examples needs numpy: pip install 'fluent-ai[embeddings]' "
            "(or route by rules alone, with no examples)"
        ) from exc
    return numpy


def _centroids(vectors: Any, routes: tuple[str, ...], names: tuple[str, ...]) -> Any:
    numpy = _numpy()

    rows = [
        vectors[[i for i, route in enumerate(routes) if route == name]].mean(axis=0)
        for name in names
    ]
    centroids = numpy.asarray(rows, dtype=numpy.float32)
    return centroids / numpy.linalg.norm(centroids, axis=1, keepdims=True)


def _as_request(text: str) -> ChatRequest:
    return ChatRequest(model="intent", messages=[Message.user(text)])
