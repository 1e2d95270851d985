"""The history keys named centrally are the ones the protocols really use."""

from __future__ import annotations

from fluent_ai.providers import anthropic, bedrock, google, responses
from fluent_ai.providers.history import HISTORY_KEYS, carry


def test_history_keys_match_the_protocols() -> None:
    keys = {anthropic.CONTENT_KEY, responses.ITEMS_KEY, bedrock.CONTENT_KEY, google.CONTENTS_KEY}
    assert keys == HISTORY_KEYS


def test_carry_appends_entries_in_order_and_ignores_other_keys() -> None:
    carried: dict[str, list[object]] = {}
    carry(carried, {"anthropic_content": [["a"]], "citations": [1]})
    carry(carried, {"anthropic_content": [["b"]]})
    assert carried == {"anthropic_content": [["a"], ["b"]]}
