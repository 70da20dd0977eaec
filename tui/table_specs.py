"""What each of the app's catalogue tables shows: its columns, how each is shown and sorted,
where its rows come from, what a row's detail is, and how it is exported.

The loaders and detail readers are named, not imported: they run in worker threads, which
import catalogue.queries and pathways.details there, off the UI thread and after the first frame.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from catalogue.bands import BAND_ORDER
from pathways import figures

Row = dict[str, Any]

UNKNOWN = "unknown"  # a field no source settled (a route's `unconfirmed`): never guessed


@dataclass(frozen=True)
class Column:
    label: str
    text: Callable[[Row], str]  # what the cell shows
    sort: Callable[[Row], Any]  # what it sorts by (numbers as numbers, bands in band order)
    right: bool = False  # numbers are set right
    width: int | None = None  # long text is cut here in the table (the detail shows it whole)


@dataclass(frozen=True)
class TableSpec:
    name: str  # the tab's id and the export's default file name
    title: str  # the tab's label
    noun: str  # what a row is, plural: "roles"
    key: str  # the field that identifies a row
    columns: tuple[Column, ...]
    toml_table: str  # the table each row becomes in a TOML export (as `workforce export`)
    load: str | None = None  # the catalogue.queries function listing the rows
    detail: str | None = None  # the pathways.details function reading one row's detail


def _field(name: str) -> Callable[[Row], str]:
    return lambda row: "" if row.get(name) is None else str(row[name])


def _sort_text(name: str) -> Callable[[Row], Any]:
    return lambda row: str(row.get(name) or "").casefold()


def _sort_number(name: str) -> Callable[[Row], Any]:
    # Missing values sort after every number, whichever way the column is sorted first.
    return lambda row: (row.get(name) is None, row.get(name) or 0)


def text_column(label: str, name: str, *, width: int | None = None) -> Column:
    return Column(label, _field(name), _sort_text(name), width=width)


def number_column(label: str, name: str) -> Column:
    return Column(label, _field(name), _sort_number(name), right=True)


def money(value: object) -> str:
    return figures.money(value) if isinstance(value, int) else ""


def money_column(label: str, name: str) -> Column:
    # "—": the band has no such pay point (Band 2 has one; Bands 3 and 4 no intermediate).
    return Column(label, lambda row: money(row.get(name)) or "—", _sort_number(name), right=True)


def band_range(row: Row) -> str:
    low, high = row.get("band_min"), row.get("band_max")
    if not low:
        return "medical pay"
    return str(low) if low == high else f"{low}–{high}"


def _band_sort(name: str) -> Callable[[Row], Any]:
    return lambda row: BAND_ORDER.get(str(row.get(name) or ""), len(BAND_ORDER))


def _route_field(name: str, shown: Callable[[object], str] = str) -> Callable[[Row], str]:
    """A route's field, or 'unknown' when no source settled it."""

    def text(row: Row) -> str:
        if name in str(row.get("unconfirmed") or "").split(","):
            return UNKNOWN
        value = row.get(name)
        return "" if value is None else shown(value)

    return text


ROLES = TableSpec(
    name="roles",
    title="Roles",
    noun="roles",
    key="id",
    toml_table="role",
    load="list_roles",
    detail="role_detail",
    columns=(
        text_column("Title", "title", width=36),
        text_column("Staff group", "staff_group"),
        Column("Bands", band_range, _band_sort("band_min")),
        text_column("Career level", "career_level"),
        text_column("Registration", "registration"),
        text_column("Id", "id"),
    ),
)

BANDS = TableSpec(
    name="bands",
    title="Bands and pay",
    noun="bands",
    key="band",
    toml_table="band",
    load="list_bands",
    detail="band_detail",
    columns=(
        Column("Band", _field("band"), _band_sort("band")),
        Column("JE points", lambda r: f"{r['je_min']}–{r['je_max']}", _sort_number("je_min")),
        money_column("Entry", "entry"),
        money_column("Intermediate", "intermediate"),
        money_column("Top", "top"),
        text_column("Pay year", "pay_year"),
        text_column("Confidence", "pay_confidence"),
        Column(
            "Note",
            lambda r: "closed to new entrants" if r.get("closed") else "",
            _sort_number("closed"),
        ),
    ),
)

COMPETENCIES = TableSpec(
    name="competencies",
    title="Competencies",
    noun="competencies",
    key="id",
    toml_table="competency",
    load="list_competencies",
    detail="competency_detail",
    columns=(
        text_column("Competency", "name", width=40),
        text_column("Pillar", "pillar"),
        number_column("Roles", "roles"),
        text_column("Id", "id"),
    ),
)

ROUTES = TableSpec(
    name="routes",
    title="Training routes",
    noun="routes",
    key="id",
    toml_table="route",
    load="list_routes",
    detail="route_detail",
    columns=(
        text_column("Route", "name", width=44),
        text_column("Kind", "kind"),
        Column("Level", _route_field("level"), _sort_number("level"), right=True),
        Column("Months", _route_field("months"), _sort_number("months"), right=True),
        Column(
            "Funding cap",
            _route_field("funding_cap", money),
            _sort_number("funding_cap"),
            right=True,
        ),
        Column("Fee", _route_field("fee", money), _sort_number("fee"), right=True),
        text_column("Status", "status"),
        text_column("Id", "id"),
    ),
)

TRUSTS = TableSpec(
    name="trusts",
    title="Trusts",
    noun="trusts",
    key="code",
    toml_table="trust",
    load="list_trusts",
    detail="trust_detail",
    columns=(
        text_column("ICB", "icb"),
        text_column("ODS", "code"),
        text_column("Trust", "name", width=60),
        number_column("JDs", "jds"),
    ),
)

CATALOGUE_TABLES: tuple[TableSpec, ...] = (ROLES, BANDS, COMPETENCIES, ROUTES, TRUSTS)
