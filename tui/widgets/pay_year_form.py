"""The Catalogue screen's form for adding a pay year by an uplift on a year it holds.

A pay award is announced before its table is published: "3.3% on every point". The form takes
the year (the one after the latest by default), the percentage and the year it is applied to
(the latest by default), shows a few bands' new figures as they are typed, and saves with
`catalogue.pay_years.add_pay_year_by_uplift` (points marked "derived"; a published year is
never replaced). A form of the app's: tui/widgets/form_fields.py says what every form shares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Select, Static

from catalogue.bands import BAND_ORDER
from tui.widgets.form_fields import FormScreen

if TYPE_CHECKING:
    from sqlite_utils import Database

# Where the catalogue's history says an edit came from.
SOURCE = "app: Catalogue screen"
PAY_YEAR = re.compile(r"^(\d{4})/(\d{2})$")
PREVIEW_BANDS = ("2", "5", "6", "7", "8a")  # a few bands' new figures, before saving
PREVIEW_POINTS = ("entry", "top")

HELP = """\
# Add a pay year by uplift

When a pay award is announced before NHS Employers publish its pay table, add the year at
once as every pay point of a year the catalogue holds raised by the award, and cost plans in
it. Give the **pay year** (written `2027/28`; the year after the latest by default), the
**uplift** as a percentage (`3.3`, or `-1.5` for a cut; between -50 and 100) and the year it
is applied **from** (the latest by default). A few bands' new figures show as you type: each
point is raised by the percentage and rounded to the nearest pound (halves up).

The new points are marked *derived*, naming the uplift and the year they came from, until
the published table is imported over them. A year whose points are published is never
replaced by an uplift; a derived year can be derived again.
"""


@dataclass
class PayYears:
    """The pay years the catalogue holds: every point of each, and how many are published."""

    years: list[str] = field(default_factory=list)  # oldest first
    salaries: dict[str, dict[tuple[str, str], int]] = field(default_factory=dict)
    published: dict[str, int] = field(default_factory=dict)  # year -> points not derived
    suggested: str = ""  # the year after the latest

    @property
    def latest(self) -> str:
        return self.years[-1] if self.years else ""


def year_problem(year: str, held: PayYears, from_year: str) -> str | None:
    """What is wrong with a pay year as typed, or None."""
    if not year:
        return "Give the pay year, such as 2027/28."
    match = PAY_YEAR.match(year)
    if not match:
        return f"{year!r}: write the pay year as NNNN/NN, such as 2027/28."
    start = int(match.group(1))
    follows = f"{(start + 1) % 100:02d}"
    if match.group(2) != follows:
        return f"{year!r}: a pay year runs April to March, so it is {start}/{follows}."
    if held.published.get(year):
        return (
            f"{year} is published ({held.published[year]} pay points not derived): import its "
            "table to change it; an uplift never replaces it."
        )
    if year == from_year:
        return f"{year} cannot be derived from itself: choose another From year."
    return None


def uplift_problem(text: str) -> str | None:
    """What is wrong with an uplift as typed, or None (as catalogue.pay_years.parse_uplift
    reads it: '3.3' or '3.3%', more than -50 and at most 100)."""
    cleaned = text.strip().removesuffix("%").strip()
    if not cleaned:
        return "Give the uplift as a percentage, such as 3.3."
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return f"{text.strip()!r} is not a percentage: give one such as 3.3."
    if not value.is_finite() or not Decimal(-50) < value <= Decimal(100):
        return f"{text.strip()!r}: give a percentage between -50 and 100."
    return None


def percent_of(text: str) -> Decimal:
    return Decimal(text.strip().removesuffix("%").strip())


PayYearValues = tuple[str, str, str]  # (the pay year, the uplift, the year it raises)


class PayYearForm(FormScreen):
    """Add a pay year as every point of another raised by a percentage."""

    HINT = "Every pay point of the From year, raised by the uplift; marked derived."
    HELP_TEXT = HELP
    FIELDS = ("pay-year", "uplift", "from-year")
    NOUN = "pay year"

    def __init__(self, db_path: Path) -> None:
        super().__init__(db_path, "Add a pay year by uplift", first="uplift")
        self.held = PayYears()

    def compose_fields(self) -> ComposeResult:
        yield from self.field_row("pay-year", "Pay year", Input(placeholder="e.g. 2027/28"))
        yield from self.field_row("uplift", "Uplift %", Input(placeholder="e.g. 3.3"))
        yield from self.field_row(
            "from-year", "From year", Select[str]((), prompt="the year it raises")
        )
        yield Static("", id="pay-preview", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#pay-preview", Static).styles.margin = (1, 1, 0, 1)

    def read(self, db: Database) -> PayYears:
        from catalogue.pay_years import next_year, pay_years  # and `uplifted`, for the preview
        from catalogue.reference_kinds import BY_NAME, load_rows

        held = PayYears(years=pay_years(db))
        for row in load_rows(db, BY_NAME["pay_point"]):
            year = str(row["pay_year"])
            held.salaries.setdefault(year, {})[(str(row["band"]), str(row["point"]))] = int(
                row["salary"]
            )
            if row["confidence"] != "derived":
                held.published[year] = held.published.get(year, 0) + 1
        held.suggested = next_year(held.latest) if held.latest else ""
        return held

    def loaded(self, data: PayYears) -> None:
        self.held = data
        years = self.query_one("#f-from-year", Select)
        if data.years:
            years.set_options((Text(year), year) for year in reversed(data.years))
            years.value = data.latest
        year = self.query_one("#f-pay-year", Input)
        with year.prevent(Input.Changed):
            year.value = data.suggested
        self._preview()

    def problems(self, values: PayYearValues) -> dict[str, str]:
        found: dict[str, str] = {}
        year, uplift, from_year = values
        if not from_year:
            found["from-year"] = "The catalogue holds no pay year to raise: import a pay table."
        problem = year_problem(year, self.held, from_year)
        if problem:
            found["pay-year"] = problem
        problem = uplift_problem(uplift)
        if problem:
            found["uplift"] = problem
        return found

    def field_changed(self, name: str) -> None:
        self._preview()

    def _preview(self) -> None:
        """A few bands' figures in the new year, from the From year's and the uplift."""
        preview = self.query_one("#pay-preview", Static)
        year, uplift, base = self.values()
        salaries = self.held.salaries.get(base, {})
        if not self.ready or not salaries:
            preview.update("")
            return
        if uplift_problem(uplift):
            preview.update(Text("The new figures show here once the uplift is a percentage."))
            return
        from catalogue.pay_years import uplifted  # loaded by the form's first worker

        percent = percent_of(uplift)
        shown = year if PAY_YEAR.match(year) else "the new year"
        text = Text(f"{shown}: {base} + {percent.normalize():f}%", style="bold")
        derived = year in self.held.salaries and not self.held.published.get(year)
        if derived:
            text.append(" (replaces its derived figures)", style="bold yellow")
        bands = sorted(
            {band for band, _ in salaries if band in PREVIEW_BANDS}, key=BAND_ORDER.__getitem__
        )
        for band in bands:
            text.append(f"\n  Band {band:<3}")
            for point in PREVIEW_POINTS:
                salary = salaries.get((band, point))
                if salary is not None:
                    new = uplifted(salary, percent)
                    text.append(f"  {point} £{salary:,} → ")
                    text.append(f"£{new:,}", style="bold")
        preview.update(text)

    def values(self) -> PayYearValues:
        return self.text("pay-year"), self.text("uplift"), self.choice("from-year")

    def row_key(self, values: PayYearValues) -> str:
        return values[0]

    def write(self, db: Database, values: PayYearValues) -> list[str]:
        from catalogue.pay_years import add_pay_year_by_uplift, parse_uplift

        year, uplift, from_year = values
        percent = parse_uplift(uplift)
        plan = add_pay_year_by_uplift(db, year, percent, from_year=from_year, source=SOURCE)
        totals = plan.totals()
        points = totals.added + totals.updated + totals.unchanged
        return [
            f"Added pay year {year}: {points} pay points, {from_year} + {percent.normalize():f}% "
            "(marked derived)"
        ]
