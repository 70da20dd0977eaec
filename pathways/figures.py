"""Money and WTE written for people, one way everywhere (the CLI, the app, the board report).

Plain Python with no imports beyond the standard library, so the command line and the app can
use it without loading the analyses.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def whole_pounds(amount: float) -> int:
    """Round money once, at the end, half away from zero (not banker's rounding)."""
    return int(Decimal(repr(amount)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def money(amount: float) -> str:
    """Whole pounds with thousands separators; a saving is '-£1,234'."""
    pounds = whole_pounds(amount)
    return f"-£{-pounds:,}" if pounds < 0 else f"£{pounds:,}"


def wte(value: float | None) -> str:
    """WTE to two places at most, no trailing zeros: 4.5, 12, 0.75, 1,250.5."""
    if value is None:
        return ""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def count_text(count: int, noun: str, plural: str | None = None) -> str:
    """'1 JD', '2 JDs', '1,250 competencies' (with `plural` where adding s is wrong)."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


def illustrative_note(count: int) -> str:
    """'12 JDs in this catalogue are ILLUSTRATIVE, not real posts' (1: 'JD ... is'): said by
    every listing that shows the packaged JDs."""
    verb = "is" if count == 1 else "are"
    return f"{count_text(count, 'JD')} in this catalogue {verb} ILLUSTRATIVE, not real posts"
