"""The one band parser: every spelling people use is accepted, anything else is refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalogue.bands import BAND_CODES, BandError, band_distance, band_order, parse_band

SPELLINGS = [
    "{c}",
    "Band {c}",
    "band {c}",
    "BAND {c}",
    "B{c}",
    "b{c}",
    " Band  {c} ",
    "{C}",
    "Band {C}",
]


@pytest.mark.parametrize("code", BAND_CODES)
@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_of_every_band_parses_to_its_code(code: str, spelling: str) -> None:
    assert parse_band(spelling.format(c=code, C=code.upper())) == code


@pytest.mark.parametrize(
    "value",
    [
        "10",
        "8e",
        "",
        "   ",
        "Band",
        "0",
        "8",
        "Band 10",
        "5a",
        "B 8f",
        "five",
        "5.5",
        "-5",
        "Band 5 6",
        "9a",
    ],
)
def test_non_bands_are_refused_saying_what_is_allowed(value: str) -> None:
    with pytest.raises(BandError, match="8a-8d"):
        parse_band(value)


def test_numbers_from_json_are_accepted_but_not_booleans_or_fractions() -> None:
    assert parse_band(5) == "5"
    assert parse_band(7.0) == "7"
    for bad in (True, 5.5, 10, None, [5]):
        with pytest.raises(BandError):
            parse_band(bad)


def test_bands_order_by_position_not_text() -> None:
    assert (
        band_order("7") < band_order("8a") < band_order("8b") < band_order("8d") < band_order("9")
    )
    assert band_distance("7", "8a") == 1
    assert band_distance("8a", "8c") == 2
    assert band_distance("9", "2") == 10


@given(
    st.sampled_from(BAND_CODES),
    st.sampled_from(["", "band", "Band", "B", "b"]),
    st.text(alphabet=" ", max_size=3),
    st.booleans(),
)
def test_property_prefixes_and_spacing_never_change_the_band(
    code: str, prefix: str, space: str, upper: bool
) -> None:
    written = f"{space}{prefix}{space if prefix else ''}{code.upper() if upper else code}{space}"
    assert parse_band(written) == code


@given(st.text(max_size=12))
def test_property_any_text_parses_to_a_known_code_or_is_refused(text: str) -> None:
    try:
        code = parse_band(text)
    except BandError:
        return
    assert code in BAND_CODES
