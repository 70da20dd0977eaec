"""Pay beyond the band on a JD: the interchange format's pay fields read and written.

Agenda for Change pay points are national, but trusts pay the same band differently: a
recruitment and retention premium (RRP: an annual amount, or a percentage of basic pay, meant
to be time-limited and reviewed), new starters appointed above the band's entry point, a
local supplement. A file gives them as the columns `rrp`, `rrp_until`, `appointment_point`,
`supplement` and `pay_note` (catalogue.jd_format.PAY_FIELDS).

The parsers here are strict, as every import field is: each raises ValueError with words a
person can act on, and the importer names the file, line and field. Word and Excel documents
are read leniently first (`amount_in_text`, `date_in_text`: "£1,500 per annum", "31/03/2027"),
and what they make of a cell is said aloud, then parsed here like any file's.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from catalogue.jd_format import APPOINTMENT_POINTS

# An annual premium or supplement above this is a typing slip (or a number of thousands of
# digits), not a payment: a 30% premium on the top of Band 9 (the most the NHS Terms and
# Conditions of Service Handbook, section 5, normally allows) is under 40,000.
MAX_PAY_ELEMENT = 100_000
PAY_NOTE_CHARS = 200  # a short note, not a policy
_PLAIN = re.compile(r"\d+(?:\.\d+)?")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:37]}...' ({len(str(value)):,} characters)"


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _pounds(value: object, written: object) -> int | None:
    """Whole pounds a year from a number or its text; None for zero (no payment)."""
    if isinstance(value, bool):
        raise ValueError("must be an amount of pounds a year, such as 1500")
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        try:
            number = Decimal(repr(value))
        except InvalidOperation as error:  # nan, inf
            raise ValueError(f"{_shown(written)} is not an amount of pounds") from error
    else:
        text = str(value).strip().removeprefix("£").strip()
        if _THOUSANDS.fullmatch(text):
            text = text.replace(",", "")
        if not _PLAIN.fullmatch(text):
            raise ValueError(
                f"{_shown(written)} is not an amount of pounds a year (such as 1500 or £1,500)"
            )
        number = Decimal(text)
    if not number.is_finite():
        raise ValueError(f"{_shown(written)} is not an amount of pounds")
    if number < 0:
        raise ValueError(f"{_shown(written)} must be zero or more")
    if number > MAX_PAY_ELEMENT:
        raise ValueError(
            f"{_shown(written)} a year is more than any premium or supplement "
            f"({MAX_PAY_ELEMENT:,}): a typing slip?"
        )
    if number != number.to_integral_value():
        hint = (
            ": a percentage of basic pay is written with its sign, such as 10%"
            if number < 1
            else ""
        )
        raise ValueError(f"{_shown(written)} is not whole pounds a year{hint}")
    return int(number) or None


def parse_rrp(value: object) -> tuple[int | None, float | None]:
    """A premium as written: (annual amount, None) for 1500 or "£1,500", (None, percent) for
    "10%"; (None, None) for none (empty, or zero)."""
    if _empty(value):
        return None, None
    if isinstance(value, str) and value.strip().endswith("%"):
        text = value.strip()[:-1].strip()
        if not _PLAIN.fullmatch(text):
            raise ValueError(f"{_shown(value)} is not a percentage of basic pay (such as 10%)")
        percent = float(text)
        if percent > 100:
            raise ValueError(f"{_shown(value)} is more than basic pay itself")
        return None, (percent or None)
    return _pounds(value, value), None


def parse_amount(value: object) -> int | None:
    """A supplement as written: whole pounds a year (1500, "£1,500"), None for none."""
    if _empty(value):
        return None
    if isinstance(value, str) and value.strip().endswith("%"):
        raise ValueError(f"{_shown(value)}: give a supplement as pounds a year, such as 1500")
    return _pounds(value, value)


def parse_date(value: object) -> str | None:
    """A review or end date written YYYY-MM-DD (a TOML date too), as that text; None for none."""
    if _empty(value):
        return None
    if isinstance(value, datetime):
        raise ValueError(f"{value.isoformat()} is a date and time: give the date alone")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip() if isinstance(value, str) else None
    if text is None or not _ISO_DATE.fullmatch(text):
        raise ValueError(f"{_shown(value)} is not a date written YYYY-MM-DD (such as 2027-03-31)")
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError as error:
        raise ValueError(f"{text!r} is not a date in the calendar") from error


_POINT_WORDS = {"mid": "intermediate", "middle": "intermediate", "bottom": "entry"}


def parse_point(value: object) -> str:
    """The pay point new starters are appointed at: entry (the default, also for empty),
    intermediate (or mid) or top."""
    if _empty(value):
        return "entry"
    if not isinstance(value, str):
        raise ValueError(f"must be one of {', '.join(APPOINTMENT_POINTS)}")
    text = value.strip().lower()
    point = _POINT_WORDS.get(text, text)
    if point not in APPOINTMENT_POINTS:
        raise ValueError(
            f"{_shown(value)} is not a pay point: use entry, intermediate (mid) or top"
        )
    return point


def parse_note(value: object) -> str:
    if _empty(value):
        return ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise ValueError("must be text")
    text = " ".join(str(value).split())
    if len(text) > PAY_NOTE_CHARS:
        raise ValueError(
            f"is {len(text):,} characters: a pay note is a short note, at most {PAY_NOTE_CHARS}"
        )
    return text


def rrp_text(amount: int | None, percent: float | None) -> int | str | None:
    """A premium as the interchange format writes it: 1500, "10%" (or "12.5%"), or None."""
    if amount is not None:
        return amount
    if percent is not None:
        return f"{percent:g}%"
    return None


# ---- documents: a trust's own wording of a payment or a date ---------------------------------

_AMOUNT_IN_TEXT = re.compile(r"£\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{2}))?|(\d+(?:\.\d+)?)\s*%")
_BARE_NUMBER = re.compile(r"\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_DAY_MONTH_YEAR = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")
_DAY_NAME_YEAR = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?\s+(\d{4})\b")


def amount_in_text(text: str) -> str | None:
    """A payment as a document words it, in the interchange form: "£1,500 per annum" ->
    "1500", "10% of basic salary" -> "10%", "1500" -> "1500"; None if it names no amount, or
    more than one (a range such as "£1,000 - £2,000" is not one payment)."""
    found = _AMOUNT_IN_TEXT.findall(text)
    if len(found) == 1:
        pounds, pence, percent = found[0]
        if percent:
            return f"{percent}%"
        return pounds.replace(",", "") + (f".{pence}" if pence and pence != "00" else "")
    if not found:
        bare = _BARE_NUMBER.fullmatch(text)
        return bare.group(1).replace(",", "") if bare else None
    return None


def date_in_text(text: str) -> str | None:
    """A date as a UK document writes it, as YYYY-MM-DD: "31/03/2027", "31.03.2027",
    "31 March 2027", "31st Mar 2027"; one already YYYY-MM-DD; None if none (or not a real
    date). Day first, as in the UK."""
    iso = re.search(r"\b\d{4}-\d{2}-\d{2}\b", text)
    candidates: list[tuple[int, int, int]] = []
    if iso:
        year, month, day = (int(part) for part in iso.group().split("-"))
        candidates.append((year, month, day))
    for day, month, year in _DAY_MONTH_YEAR.findall(text):
        candidates.append((int(year), int(month), int(day)))
    for day, name, year in _DAY_NAME_YEAR.findall(text):
        month_number = _MONTHS.get(name.lower())
        if month_number:
            candidates.append((int(year), month_number, int(day)))
    for year, month, day in candidates:
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            continue
    return None


_POINT_IN_TEXT = re.compile(r"\b(entry|bottom|start|intermediate|mid|middle|top)\b", re.IGNORECASE)


def point_in_text(text: str) -> str | None:
    """The pay point a document words ("Entry point of the band", "top of band", "mid
    point"), as the interchange format names it; None if it names none, or more than one."""
    found = {match.lower() for match in _POINT_IN_TEXT.findall(text)}
    points = {_POINT_WORDS.get(word, "entry" if word == "start" else word) for word in found}
    return points.pop() if len(points) == 1 else None


def read_pay_text(name: str, text: str) -> tuple[str, str | None]:
    """A pay field of a document as the interchange format takes it, and a note when that is
    not what the document wrote ("£1,500 per annum" read as 1500). Text that cannot be read
    goes on as written, for the import to refuse naming the field."""
    reader = {
        "rrp": amount_in_text,
        "supplement": amount_in_text,
        "rrp_until": date_in_text,
        "appointment_point": point_in_text,
    }.get(name)
    if reader is None:
        return text, None
    value = reader(text)
    if value is None:
        return text, None
    return value, (None if value == text.strip() else f"{name} read as {value} from {text!r}")
