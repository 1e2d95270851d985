"""Trimming to a token budget: oldest turns first, tool pairs together, essentials kept."""

import itertools

from hypothesis import given
from hypothesis import strategies as st

from fluent_ai.chat import Conversation, message_tokens, prompt_tokens
from fluent_ai.templates import EstimatedTokenizer
from fluent_ai.types import Message, TextPart, ToolCallPart, ToolResultPart

TOKENIZER = EstimatedTokenizer()
STEPS = ["prompt", "answer", "tools", "tool_results_in_user", "system", "unanswered_call"]


@st.composite
def histories(draw: st.DrawFn) -> list[Message]:
    """Conversations shaped like real ones: prompts, answers, tool loops (OpenAI style,
    and Anthropic style with results in a user message), system notes, dangling calls."""
    ids = itertools.count()
    words = st.text(alphabet="ab ", max_size=40)
    messages: list[Message] = []
    for step in draw(st.lists(st.sampled_from(STEPS), max_size=14)):
        if step == "prompt":
            messages.append(Message.user(draw(words)))
        elif step == "answer":
            messages.append(Message.assistant(draw(words)))
        elif step == "system":
            messages.append(Message.system(draw(words)))
        else:
            calls = [
                ToolCallPart(id=f"call-{next(ids)}", name="f", arguments=draw(words))
                for _ in range(draw(st.integers(1, 3)))
            ]
            messages.append(Message(role="assistant", parts=calls))
            if step == "unanswered_call":
                continue
            results = [ToolResultPart(tool_call_id=c.id, content=draw(words)) for c in calls]
            results = draw(st.permutations(results))
            if step == "tools":
                messages.extend(Message(role="tool", parts=[result]) for result in results)
            else:
                extra = [TextPart(text=draw(words))] if draw(st.booleans()) else []
                messages.append(Message(role="user", parts=[*results, *extra]))
    return messages


def is_prompt(message: Message) -> bool:
    return message.role == "user" and any(
        not isinstance(part, ToolResultPart) for part in message.parts
    )


def links(messages: list[Message]) -> list[tuple[int, int]]:
    """(call message, result message) index pairs."""
    calls = {
        part.id: index
        for index, message in enumerate(messages)
        for part in message.parts
        if isinstance(part, ToolCallPart)
    }
    return [
        (calls[part.tool_call_id], index)
        for index, message in enumerate(messages)
        for part in message.parts
        if isinstance(part, ToolResultPart) and part.tool_call_id in calls
    ]


@given(histories(), st.data())
def test_trim_invariants(messages: list[Message], data: st.DataObject) -> None:
    system = "You are terse."
    conversation = Conversation(system=system, messages=messages)
    total = conversation.tokens()
    budget = data.draw(st.integers(min_value=0, max_value=total + 5))
    trimmed = conversation.trim(budget)
    kept_ids = {id(message) for message in trimmed.messages}
    kept = [id(message) in kept_ids for message in messages]

    # Order is kept: the result is the originals, in order, some left out.
    assert trimmed.messages == [m for m, k in zip(messages, kept, strict=True) if k]
    assert trimmed.system == system
    # System messages always stay; so does the latest user prompt.
    assert all(k for m, k in zip(messages, kept, strict=True) if m.role == "system")
    prompts = [index for index, message in enumerate(messages) if is_prompt(message)]
    latest = prompts[-1] if prompts else None
    if latest is not None:
        assert kept[latest]
    # A tool call and its result are kept or dropped together.
    pairs = links(messages)
    for call, result in pairs:
        assert kept[call] == kept[result]
    # Nothing is dropped when everything fits.
    if total <= budget:
        assert all(kept)
    tokens = prompt_tokens(system, trimmed.messages, TOKENIZER)
    # Over budget only when nothing more could go: every message still kept is a system
    # message or tied to the latest prompt by tool pairs spanning the gap between them.
    if tokens > budget:

        def spanned(edge: int) -> bool:
            return any(call < edge <= result for call, result in pairs)

        for index, message in enumerate(messages):
            if kept[index] and message.role != "system":
                assert latest is not None
                low, high = sorted((index, latest))
                assert all(spanned(edge) for edge in range(low + 1, high + 1))
    # Oldest first: among the messages before the latest prompt, the dropped ones
    # come before every kept one (system messages aside).
    if latest is not None:
        before = [kept[i] for i in range(latest) if messages[i].role != "system"]
        assert before == sorted(before)


def turn(question: str, answer: str) -> list[Message]:
    return [Message.user(question), Message.assistant(answer)]


def test_oldest_turns_go_first() -> None:
    history = [*turn("one " * 50, "uno " * 50), *turn("two", "dos"), *turn("three", "tres")]
    conversation = Conversation(system="Be brief.", messages=history)
    keep_two = prompt_tokens("Be brief.", history[2:], TOKENIZER)
    assert conversation.trim(keep_two).messages == history[2:]
    assert conversation.trim(keep_two - 1).messages == history[4:]
    assert conversation.trim(conversation.tokens()).messages == history
    assert conversation.messages == history  # trim leaves the conversation whole


def test_a_long_tool_loop_loses_its_oldest_steps_but_not_its_question() -> None:
    question = Message.user("Find the weather in three cities.")
    steps = []
    for city in ("Paris", "Rome", "Oslo"):
        call = ToolCallPart(id=city, name="weather", arguments=f'{{"city": "{city}"}}')
        steps += [
            Message(role="assistant", parts=[call]),
            Message.tool_result(city, f"{city}: sunny " * 20),
        ]
    conversation = Conversation(messages=[*turn("Hi", "Hello"), question, *steps])
    budget = prompt_tokens(None, [question, *steps[2:]], TOKENIZER)
    assert conversation.trim(budget).messages == [question, *steps[2:]]


def test_when_nothing_fits_the_minimum_is_returned() -> None:
    history = [Message.system("Rules."), *turn("a", "b"), Message.user("the question " * 30)]
    trimmed = Conversation(system="Long system prompt " * 30, messages=history).trim(10)
    assert trimmed.messages == [history[0], history[3]]


def test_trim_keeps_metadata_in_a_copy() -> None:
    conversation = Conversation(messages=turn("q", "a"), metadata={"title": "T"})
    trimmed = conversation.trim(1_000)
    trimmed.metadata["title"] = "changed"
    assert conversation.metadata == {"title": "T"}


def test_token_counts_cover_every_part() -> None:
    message = Message.user("hello world")
    assert message_tokens(message, TOKENIZER) == 4 + TOKENIZER.count("hello world")
    assert Conversation(system="sys", messages=[message]).tokens() == (
        4 + TOKENIZER.count("sys") + message_tokens(message, TOKENIZER)
    )
