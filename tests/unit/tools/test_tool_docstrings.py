"""Docstring summaries and parameter descriptions in the Google, reST and NumPy styles."""

from fluent_ai.tools import Tool
from fluent_ai.tools.docstrings import Docstring, parse_docstring


def test_empty_and_missing() -> None:
    assert parse_docstring(None) == Docstring()
    assert parse_docstring("") == Docstring()


def test_summary_is_the_first_paragraph_joined() -> None:
    text = """Look up a city's weather
    for the coming days.

    The second paragraph is not part of the summary.
    """
    assert parse_docstring(text) == Docstring(
        summary="Look up a city's weather for the coming days.", parameters={}
    )


def test_google() -> None:
    text = """Book a table.

    Args:
        restaurant (str): Which restaurant,
            by its listed name.
        guests: How many people.

            Counts children too.
        *extras: Ignored by tools but still parsed.

    Returns:
        value: Not a parameter.
    """
    assert parse_docstring(text) == Docstring(
        summary="Book a table.",
        parameters={
            "restaurant": "Which restaurant, by its listed name.",
            "guests": "How many people. Counts children too.",
            "extras": "Ignored by tools but still parsed.",
        },
    )


def test_google_summary_stops_at_a_section() -> None:
    text = """Book a table.
    Args:
        guests: How many people.
    """
    assert parse_docstring(text) == Docstring(
        summary="Book a table.", parameters={"guests": "How many people."}
    )


def test_rest() -> None:
    text = """Convert an amount.

    :param amount: How much,
        in the source currency.
    :param str currency: ISO code.
    :type currency: str
    :returns: The converted amount.
    """
    assert parse_docstring(text) == Docstring(
        summary="Convert an amount.",
        parameters={"amount": "How much, in the source currency.", "currency": "ISO code."},
    )


def test_numpy() -> None:
    text = """Resize an image.

    Parameters
    ----------
    width, height : int
        The new size
        in pixels.
    keep_ratio : bool, optional
        Keep the aspect ratio.

    Returns
    -------
    bool
        Whether anything changed.
    """
    assert parse_docstring(text) == Docstring(
        summary="Resize an image.",
        parameters={
            "width": "The new size in pixels.",
            "height": "The new size in pixels.",
            "keep_ratio": "Keep the aspect ratio.",
        },
    )


def test_descriptions_reach_the_schema_for_each_style() -> None:
    def google(city: str) -> None:
        """Weather.

        Args:
            city: The city.
        """

    def rest(city: str) -> None:
        """Weather.

        :param city: The city.
        """

    def numpy(city: str) -> None:
        """Weather.

        Parameters
        ----------
        city : str
            The city.
        """

    for function in (google, rest, numpy):
        described = Tool.from_function(function)
        assert described.description == "Weather."
        assert described.parameters["properties"]["city"] == {
            "description": "The city.",
            "type": "string",
        }
