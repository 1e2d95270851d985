"""The one Retry-After reader: any header text gives ``None`` or a finite wait, never a crash.

A 429 answered with ``Retry-After: Wed, 21 Oct 2015 07:28:00 -0000`` once raised a raw
``TypeError`` in one provider's private copy of this parsing, and ``Retry-After: inf``
came out as ``retry_after=inf``. These tests hold the shared reader to its promise.
"""

from __future__ import annotations

import math
from email.utils import formatdate

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fluent_ai.http import parse_retry_after
from fluent_ai.http.retry import MAX_RETRY_AFTER, retry_after_seconds

NOW = 1_700_000_000.0  # 2023-11-14 22:13:20 UTC
LATER = "Tue, 14 Nov 2023 22:14:02"  # NOW + 42 s


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (f"{LATER} GMT", 42.0),
        (f"{LATER} +0000", 42.0),
        (f"{LATER} -0000", 42.0),  # RFC 5322's "zone unknown": HTTP dates are UTC
        (f"{LATER} +0100", 0.0),  # an hour earlier in UTC: already past
        ("Wed, 21 Oct 2015 07:28:00 -0000", 0.0),
        ("Fri, 31 Dec 9999 23:59:59 GMT", MAX_RETRY_AFTER),
        ("Fri, 31 Dec 9999 23:59:59 -2359", MAX_RETRY_AFTER),  # past year 9999 in UTC
        ("Wed, 21 Oct 99999 07:28:00 GMT", None),
        ("Wed, 21 Oct 2015 25:28:00 GMT", None),
        ("-5", 0.0),
        ("1e300", MAX_RETRY_AFTER),
        ("9" * 400, None),  # overflows to inf
        ("inf", None),
        ("-inf", None),
        ("nan", None),
        ("", None),
        ("soon", None),
    ],
)
def test_awkward_retry_after_values(value: str, expected: float | None) -> None:
    assert parse_retry_after({"retry-after": value}, now=NOW) == expected


def test_header_names_match_in_any_case_in_a_plain_dict() -> None:
    assert parse_retry_after({"Retry-After": "3"}) == 3.0
    assert parse_retry_after({"Retry-After-Ms": "250", "Retry-After": "3"}) == 0.25


@pytest.mark.parametrize("value", ["inf", "nan", "-inf", "later"])
def test_an_unusable_retry_after_ms_falls_back_to_retry_after(value: str) -> None:
    assert parse_retry_after({"retry-after-ms": value, "retry-after": "2"}) == 2.0


def test_a_huge_retry_after_ms_is_capped() -> None:
    assert parse_retry_after({"retry-after-ms": "1e308"}) == MAX_RETRY_AFTER


def test_waits_from_a_body_follow_the_same_rules() -> None:
    assert retry_after_seconds(30.0) == 30.0
    assert retry_after_seconds(-1.0) == 0.0
    assert retry_after_seconds(math.inf) is None
    assert retry_after_seconds(math.nan) is None
    assert retry_after_seconds(1e12) == MAX_RETRY_AFTER


def _usable(wait: float | None) -> bool:
    return wait is None or (math.isfinite(wait) and 0.0 <= wait <= MAX_RETRY_AFTER)


@given(seconds=st.text(), millis=st.one_of(st.none(), st.text()))
def test_any_header_text_gives_none_or_a_finite_wait(seconds: str, millis: str | None) -> None:
    headers = {"retry-after": seconds}
    if millis is not None:
        headers["retry-after-ms"] = millis
    assert _usable(parse_retry_after(headers))
    # As a response carries them: bytes, which httpx decodes as it sees fit.
    raw = {name.encode(): value.encode("utf-8", "surrogatepass") for name, value in headers.items()}
    assert _usable(parse_retry_after(httpx.Headers(raw), now=NOW))


@given(number=st.floats(allow_nan=True, allow_infinity=True))
def test_any_number_gives_none_or_a_finite_wait(number: float) -> None:
    assert _usable(parse_retry_after({"retry-after": repr(number)}))
    assert _usable(parse_retry_after({"retry-after-ms": str(number)}))


_ZONES = st.one_of(
    st.sampled_from(["GMT", "UT", "UTC", "EST", "-0000", "+0000", "Z", ""]),
    st.from_regex(r"\A[+-][0-9]{4}\Z"),
)


@given(
    day=st.integers(0, 40),
    month=st.sampled_from(["Jan", "Feb", "Jun", "Oct", "Dec", "Foo"]),
    year=st.integers(0, 120_000),
    clock=st.tuples(st.integers(0, 99), st.integers(0, 99), st.integers(0, 99)),
    zone=_ZONES,
)
def test_any_date_shaped_text_gives_none_or_a_finite_wait(
    day: int, month: str, year: int, clock: tuple[int, int, int], zone: str
) -> None:
    value = f"Wed, {day:02d} {month} {year} {clock[0]:02d}:{clock[1]:02d}:{clock[2]:02d} {zone}"
    assert _usable(parse_retry_after({"retry-after": value}, now=NOW))


@given(when=st.floats(0, 253_402_300_799), now=st.floats(0, 253_402_300_799))
def test_real_http_dates_give_the_time_until_them(when: float, now: float) -> None:
    wait = parse_retry_after({"retry-after": formatdate(when, usegmt=True)}, now=now)
    assert wait is not None
    expected = min(max(int(when) - now, 0.0), MAX_RETRY_AFTER)
    assert wait == pytest.approx(expected, abs=1e-3)
