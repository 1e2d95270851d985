"""Reading Alt-Svc offers, and what the client remembers of them (no network, no QUIC)."""

from __future__ import annotations

from fluent_ai.http.altsvc import (
    BROKEN_FOR,
    DEFAULT_MAX_AGE,
    Alternative,
    AltSvcMemory,
    parse_alt_svc,
)

ORIGIN = ("api.example.com", 443)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_entries_are_read_in_the_servers_order() -> None:
    header = 'h3=":443"; ma=86400, h3-29=":8443"; ma=60, h2="alt.example.com:443"'
    assert parse_alt_svc([header]) == [
        Alternative("h3", "", 443, 86400.0),
        Alternative("h3-29", "", 8443, 60.0),
        Alternative("h2", "alt.example.com", 443, DEFAULT_MAX_AGE),
    ]


def test_odd_entries_are_skipped_and_clear_forgets() -> None:
    header = 'h3=443, h3=":0", h3=":x", h3=":99999", h3="[::1]:4433"; persist=1; ma="5"'
    assert parse_alt_svc([header, "garbage"]) == [Alternative("h3", "::1", 4433, 5.0)]
    assert parse_alt_svc(['h3=":443"', "clear"]) is None
    assert parse_alt_svc(['h3=":443"; ma=soon']) == []


def test_an_offer_lasts_its_max_age() -> None:
    clock = Clock()
    memory = AltSvcMemory(clock=clock)
    assert memory.endpoint(ORIGIN) is None
    memory.learn(ORIGIN, ['h2=":443", h3=":8443"; ma=60'])
    assert memory.endpoint(ORIGIN) == ("api.example.com", 8443)
    clock.now += 59
    memory.learn(ORIGIN, [])  # a response without the header changes nothing
    assert memory.endpoint(ORIGIN) == ("api.example.com", 8443)
    clock.now += 1
    assert memory.endpoint(ORIGIN) is None


def test_a_new_header_replaces_the_offer() -> None:
    memory = AltSvcMemory(clock=Clock())
    memory.learn(ORIGIN, ['h3="quic.example.com:443"'])
    assert memory.endpoint(ORIGIN) == ("quic.example.com", 443)
    memory.learn(ORIGIN, ['h2=":443"'])
    assert memory.endpoint(ORIGIN) is None
    memory.learn(ORIGIN, ['h3=":443"'])
    memory.learn(ORIGIN, ["clear"])
    assert memory.endpoint(ORIGIN) is None


def test_a_broken_endpoint_is_avoided_for_a_while() -> None:
    clock = Clock()
    memory = AltSvcMemory(clock=clock)
    memory.learn(ORIGIN, ['h3=":443"'])
    memory.mark_broken(ORIGIN)
    assert memory.is_broken(ORIGIN)
    assert memory.endpoint(ORIGIN) is None
    clock.now += BROKEN_FOR - 1
    assert memory.endpoint(ORIGIN) is None
    clock.now += 1
    assert not memory.is_broken(ORIGIN)
    assert memory.endpoint(ORIGIN) == ("api.example.com", 443)
    assert memory.endpoint(("other.example.com", 443)) is None
