"""The Routes screen's forms: add or change a training route (with the roles it leads to and the
competencies it gives), and close, retire or reopen one.

Both save through the catalogue's own API (`catalogue.reference_import.save_rows`,
`catalogue.retire.retire_route`): the checks of an import, one transaction, provenance
recorded as "app: Routes screen". The screen reads what they need in a worker
(`load_route_form_data`) before opening one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Select, Static

from catalogue.models import Registration
from catalogue.vocabulary import ROUTE_KINDS
from tui.widgets.choice_list import ChoiceList
from tui.widgets.field_checks import number_problem, slug_problem, text_problem, whole_number
from tui.widgets.form_fields import FormScreen

if TYPE_CHECKING:
    from sqlite_utils import Database

Row = dict[str, Any]

SOURCE = "app: Routes screen"
REGISTRATIONS: tuple[str, ...] = get_args(Registration)
# The figures a route may hold as "unknown" (its `unconfirmed`): giving one settles it.
FIGURES = ("level", "months", "funding_cap", "standard_ref", "registration", "fee")
DEGREE = {"no": "no: open without a degree", "yes": "yes: for graduates only"}
# What the status dialog offers, and what each means.
STATUSES = {
    "closed": "closed: no new entrants",
    "retired": "retired: no longer offered",
    "open": "open: taking entrants (again)",
}

ROUTE_HELP = """\
# A training route

A route into or up the career ladder: an apprenticeship, a degree, a postgraduate course, an
in-house programme. Its **id** (lowercase words joined by `-`) is fixed once it is added; its
**name** and **kind** are required. The figures (RQF/FHEQ level, months, apprenticeship
funding cap in pounds, IfATE standard) may be left empty where no source settles them: they
show as unknown, and giving one settles it.

**Fee** is the tuition for the whole route in pounds (a course a person could pay for
themselves), with **Fee source** naming where the figure comes from (a university's published
fee, with the year of entry): a fee needs its source. Leave it empty where none is known: it
shows as unknown, never 0. **Needs a degree**: yes for a graduate-entry route; paths do not
count it for someone not known to hold a degree, and say so.

**Leads to** lists the roles the route opens and **Gives** the competencies it gives: type
in the box over a list to narrow it, then space (or Enter) chooses or unchooses the one under
the cursor; what is chosen is listed under the list.

Each field is checked as you type; what is wrong is said under it. Saving writes the route in
one transaction, recorded in the catalogue's history as the Routes screen's edit (for a route
held already, only what you changed); if the catalogue refuses it, it says why here and
nothing is written.
"""

STATUS_HELP = """\
# Close, retire or reopen a route

**Closed**: no new entrants (people on it finish). **Retired**: no longer offered. **Open**:
taking entrants again. The change is dated today, with the note saying why. The moves that
name the route keep naming it, and it stays in passports and saved scenarios; paths stop
using a closed or retired route.
"""


@dataclass(frozen=True)
class RouteFormData:
    """What the route forms choose from: every route (as the catalogue holds it), every role
    and every competency, as (id, label) pairs in the order listed."""

    routes: dict[str, Row]
    roles: list[tuple[str, str]]
    competencies: list[tuple[str, str]]


def load_route_form_data(db: Database) -> RouteFormData:
    """Read what the forms need (in a worker thread)."""
    from catalogue.reference_kinds import BY_NAME, load_rows

    routes = {str(row["id"]): row for row in load_rows(db, BY_NAME["route"])}
    roles = sorted(load_rows(db, BY_NAME["role"]), key=lambda r: str(r["title"]).casefold())
    competencies = sorted(
        load_rows(db, BY_NAME["competency"]), key=lambda c: str(c["name"]).casefold()
    )
    return RouteFormData(
        routes,
        [
            (
                str(role["id"]),
                f"{role['title']} ({role['id']})"
                + (" · retired" if role.get("status") == "retired" else ""),
            )
            for role in roles
        ],
        [(str(c["id"]), f"{c['name']} · {c['pillar']} ({c['id']})") for c in competencies],
    )


def _shown(value: object) -> str:
    return "" if value is None else str(value)


class RouteForm(FormScreen):
    """Add a route (`route` None) or change one: its id (fixed once added), name, kind,
    figures, entry requirements, the roles it leads to and the competencies it gives."""

    FIELDS = (
        "id",
        "name",
        "kind",
        "level",
        "months",
        "funding_cap",
        "standard_ref",
        "registration",
        "fee",
        "fee_source",
        "needs_degree",
        "entry_requirements",
        "source",
        "leads_to",
        "gives",
    )
    NOUN = "route"
    HELP_TEXT = ROUTE_HELP
    WIDGET_KEYS = (
        *FormScreen.WIDGET_KEYS,
        ("space", "In a list: choose or unchoose the one under the cursor"),
    )

    def __init__(self, db_path: Path, data: RouteFormData, route: str | None = None) -> None:
        self.data = data
        self.route: Row | None = data.routes.get(route) if route is not None else None
        if self.route is None:
            heading = "Add a training route"
        else:
            heading = f"Change the route {self.route['name']} ({self.route['id']})"
        super().__init__(db_path, heading, first="id" if self.route is None else "name")

    def compose_fields(self) -> ComposeResult:
        route = self.route or {}
        unknown = set(route.get("unconfirmed") or ())

        def figure(name: str, placeholder: str) -> Input:
            # A figure no source settled says so, rather than showing as blank.
            if name in unknown and route.get(name) in (None, ""):
                placeholder = "unknown (no public source settled it)"
            return Input(_shown(route.get(name)), placeholder=placeholder)

        if self.route is not None:
            status = str(route["status"])
            if route.get("status_from"):
                status += f" since {route['status_from']}"
            yield Static(
                Text(f"Status: {status} (x on the Routes screen closes, retires or reopens it)"),
                classes="form-hint",
            )
        yield from self.field_row(
            "id",
            "Id",
            Input(
                _shown(route.get("id")),
                placeholder="lowercase-words-joined-by-hyphens",
                disabled=self.route is not None,
            ),
            hint=None if self.route is None else "A route's id is fixed once it is added.",
        )
        yield from self.field_row("name", "Name", Input(_shown(route.get("name")), placeholder=""))
        kinds = [(Text(kind), kind) for kind in ROUTE_KINDS]
        kind = route.get("kind")
        yield from self.field_row(
            "kind",
            "Kind",
            Select(
                kinds,
                prompt="choose the kind",
                value=kind if kind in ROUTE_KINDS else Select.NULL,
            ),
        )
        yield from self.field_row("level", "Level (RQF/FHEQ)", figure("level", "1 to 8"))
        yield from self.field_row("months", "Months", figure("months", "how long it takes"))
        yield from self.field_row(
            "funding_cap",
            "Funding cap (£)",
            figure("funding_cap", "apprenticeship funding band, in pounds"),
        )
        yield from self.field_row(
            "standard_ref", "Standard", figure("standard_ref", "IfATE reference, e.g. ST0619")
        )
        yield from self.field_row(
            "fee", "Fee (£)", figure("fee", "tuition for the whole route, in pounds")
        )
        yield from self.field_row(
            "fee_source",
            "Fee source",
            Input(
                _shown(route.get("fee_source")),
                placeholder="where the fee comes from: university, year of entry, address",
            ),
        )
        yield from self.field_row(
            "needs_degree",
            "Needs a degree",
            Select(
                [(Text(label), name) for name, label in DEGREE.items()],
                value="yes" if route.get("needs_degree") else "no",
                allow_blank=False,
            ),
        )
        registration = route.get("registration") or "none"
        yield from self.field_row(
            "registration",
            "Registration",
            Select(
                [(Text(name), name) for name in REGISTRATIONS],
                value=registration if registration in REGISTRATIONS else "none",
                allow_blank=False,
            ),
        )
        yield from self.field_row(
            "entry_requirements",
            "Entry requirements",
            Input(_shown(route.get("entry_requirements"))),
        )
        yield from self.field_row(
            "source",
            "Source",
            Input(
                _shown(route.get("source")),
                placeholder="where the facts come from (else: the network's own)",
            ),
        )
        yield from self.list_field(
            "leads_to",
            "Leads to (roles)",
            ChoiceList(self.data.roles, route.get("leads_to") or (), noun="roles"),
        )
        yield from self.list_field(
            "gives",
            "Gives (competencies)",
            ChoiceList(self.data.competencies, route.get("gives") or (), noun="competencies"),
        )

    def values(self) -> Row:
        return {
            "id": self.text("id"),
            "name": self.text("name"),
            "kind": self.choice("kind"),
            "level": self.text("level"),
            "months": self.text("months"),
            "funding_cap": self.text("funding_cap"),
            "standard_ref": self.text("standard_ref"),
            "registration": self.choice("registration"),
            "fee": self.text("fee"),
            "fee_source": self.text("fee_source"),
            "needs_degree": self.choice("needs_degree"),
            "entry_requirements": self.text("entry_requirements"),
            "source": self.text("source"),
            "leads_to": self.chosen("leads_to"),
            "gives": self.chosen("gives"),
        }

    def problems(self, values: Row) -> dict[str, str]:
        found: dict[str, str] = {}

        def note(name: str, problem: str | None) -> None:
            if problem:
                found[name] = problem

        note("id", slug_problem(values["id"]))
        if self.route is None and "id" not in found and values["id"] in self.data.routes:
            existing = self.data.routes[values["id"]]["name"]
            found["id"] = (
                f"The route {values['id']!r} ({existing}) exists already: choose another id, "
                "or change that route (c on the Routes screen)."
            )
        note("name", text_problem(values["name"], "name", required=True))
        if not values["kind"]:
            found["kind"] = "Choose the kind of route."
        note("level", number_problem(values["level"], "level", least=1, most=8))
        note("months", number_problem(values["months"], "number of months", least=1))
        note("funding_cap", number_problem(values["funding_cap"], "funding cap", least=0))
        note("standard_ref", text_problem(values["standard_ref"], "standard", most=20))
        note("fee", number_problem(values["fee"], "fee", least=0))
        note("fee_source", text_problem(values["fee_source"], "fee source", most=500))
        if values["fee"] and not values["fee_source"] and "fee_source" not in found:
            found["fee_source"] = (
                "Name where the fee comes from (a university's published fee, with the year "
                "of entry): a fee is never given without its source."
            )
        note(
            "entry_requirements",
            text_problem(values["entry_requirements"], "entry requirements", most=2000),
        )
        note("source", text_problem(values["source"], "source", most=500))
        return found

    def row_key(self, values: Row) -> str:
        return str(values["id"])

    def route_row(self, values: Row) -> Row:
        """The row to save, in the model's shape. For a route held already, only the fields
        changed (the rest keep their values); a figure given that was unknown is known now."""

        def number(text: str) -> int | None:
            return whole_number(text) if text else None

        row: Row = {
            "id": values["id"],
            "name": values["name"],
            "kind": values["kind"],
            "level": number(values["level"]),
            "months": number(values["months"]),
            "funding_cap": number(values["funding_cap"]),
            "standard_ref": values["standard_ref"],
            "registration": values["registration"],
            "fee": number(values["fee"]),
            "fee_source": values["fee_source"],
            "needs_degree": values["needs_degree"] == "yes",
            "entry_requirements": values["entry_requirements"],
            "leads_to": values["leads_to"],
            "gives": values["gives"],
        }
        if values["source"]:
            row["source"] = values["source"]
        if self.route is None or self.initial is None:
            return row
        changed = {name for name in values if values[name] != self.initial.get(name)}
        unknown = list(self.route.get("unconfirmed") or ())
        settled = [name for name in unknown if name in changed and name in FIGURES]
        row = {name: value for name, value in row.items() if name == "id" or name in changed}
        if settled:
            row["unconfirmed"] = [name for name in unknown if name not in settled]
        return row

    def write(self, db: Database, values: Row) -> list[str]:
        from catalogue.reference_import import save_rows
        from catalogue.reference_kinds import BY_NAME

        plan = save_rows(db, BY_NAME["route"], [self.route_row(values)], source=SOURCE)
        return plan.lines or [f"route {values['id']}: unchanged"]


class RouteStatusForm(FormScreen):
    """Close a route (no new entrants), retire it (no longer offered), or open it again, with
    a note saying why. Moves that name it keep naming it: it stays for them and for passports."""

    FIELDS = ("status", "note")
    NOUN = "route's status"
    HELP_TEXT = STATUS_HELP

    def __init__(self, db_path: Path, route: Row) -> None:
        self.route = route
        super().__init__(
            db_path, f"Close, retire or reopen {route['name']} ({route['id']})", first="status"
        )

    def compose_fields(self) -> ComposeResult:
        status = str(self.route["status"])
        since = f" since {self.route['status_from']}" if self.route.get("status_from") else ""
        yield Static(Text(f"It is {status}{since} now."), classes="form-hint")
        proposed = {"open": "closed", "closed": "retired", "retired": "open"}.get(status, "closed")
        yield from self.field_row(
            "status",
            "New status",
            Select(
                [(Text(label), name) for name, label in STATUSES.items()],
                value=proposed,
                allow_blank=False,
            ),
            hint="Dated today. The moves that name the route keep naming it.",
        )
        yield from self.field_row(
            "note",
            "Note",
            Input(
                str(self.route.get("status_note") or ""),
                placeholder="why, and who may still use it",
            ),
        )

    def values(self) -> Row:
        return {"status": self.choice("status"), "note": self.text("note")}

    def problems(self, values: Row) -> dict[str, str]:
        found: dict[str, str] = {}
        if values["status"] == self.route["status"]:
            found["status"] = f"The route is {values['status']} already: choose another status."
        note = text_problem(values["note"], "note", most=500)
        if note:
            found["note"] = note
        return found

    def row_key(self, values: Row) -> str:
        return str(self.route["id"])

    def nothing_to_save(self) -> str | None:
        return None  # the status proposed is a change: it may be saved as it is

    def write(self, db: Database, values: Row) -> list[str]:
        from catalogue.retire import retire_route

        route = str(self.route["id"])
        retire_route(db, route, status=values["status"], note=values["note"], source=SOURCE)
        return [f"route {route}: {values['status']}"]
