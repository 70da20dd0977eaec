"""The Import screen's form for a Word JD as read: each field, what was read into it and where
from (a table cell, a paragraph, the page header), to correct any before the JD is imported.

The corrections are not written anywhere, nor into the document: they go back to the Import
screen, which reads the document with them (`import_catalogue(corrections=...)`) in its dry
run and in the import. Using them checks them first as the import would (a dry run: nothing
is written), so a refusal shows here, beside the field it names.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Select, Static

from catalogue.je_levels import read_level
from tui.widgets.choice_list import ChoiceList
from tui.widgets.field_checks import text_problem
from tui.widgets.form_fields import FormScreen

if TYPE_CHECKING:
    from sqlite_utils import Database

Corrections = dict[str, str]  # field -> the value it is given instead of the one read

# The fields of a JD a person may correct (catalogue.jd_format.FIELDS), in the order shown.
LABELS = {
    "trust": "Trust",
    "jd_ref": "Reference",
    "title": "Title",
    "band": "Band",
    "wte_funded": "WTE funded",
    "wte_in_post": "WTE in post",
    "role": "Reference role",
    "competencies": "Competencies",
    "je_levels": "JE levels",
    "summary": "Summary",
}

HELP = """\
# A Word JD as read

Each field of the job description as it was read from the document, and where from: a table
cell (`table 1, row 2`), a paragraph (`paragraph 7, under 'Job Purpose'`), a heading, the page
header; or that it was not found. Put right any that was read wrong or not at all: a JD needs
its **trust**, **reference**, **title** and **band** (`6`, `Band 8a`, `B7`). The WTE are
numbers (`0.8`); the JE levels are empty or 16 levels, factor 1 first (a sub-level such as
`4a` is kept as written and scored as its level; a range such as `2-3` is refused). The
**reference role** is left for matching unless you choose one; the **competencies** are those
the text names, to add to or take from (type to narrow the list, space chooses).

Each field is checked as you type; what is wrong is said under it. **Use corrections**
(ctrl+s) checks the JD with them as the import would (nothing is written), then closes: the
Import screen checks the file again with them, and imports it with them when you confirm.
The document itself is not changed. Fields set back to what was read are no longer
corrections.
"""


@dataclass(frozen=True)
class JDRead:
    """A Word JD as read, and what its fields may be chosen from (as (id, label) pairs)."""

    values: dict[str, str]  # field -> as read, as text ("" when not found)
    where: dict[str, str]  # field -> where it was read from
    notes: list[str]  # what the reader assumed, said aloud
    trusts: list[tuple[str, str]]
    roles: list[tuple[str, str]]
    competencies: list[tuple[str, str]]
    factors: int  # how many factors a JE profile has
    problem: str = ""  # the document could not be read at all


def as_text(name: str, value: object) -> str:
    """A field's value as read, as the form shows and the import takes it: "4 6 3 ..." for
    JE levels, "ct-scanning;cannulation" for competencies, "0.8" for a WTE."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        separator = ";" if name == "competencies" else " "
        items = sorted(str(item) for item in value) if name == "competencies" else value
        return separator.join(str(item) for item in items)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def band_problem(text: str) -> str | None:
    from catalogue.bands import BandError, parse_band  # light: re alone

    if not text:
        return "Give the band, such as 6 or 8a: the document states none that was read."
    try:
        parse_band(text)
    except BandError as error:
        return str(error)
    return None


def wte_problem(text: str) -> str | None:
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        return f"{text!r} is not a number of WTE: write it such as 0.8 or 12.5."
    if not math.isfinite(value) or value < 0:
        return f"{text!r}: a WTE is zero or more."
    return None


def levels_problem(text: str, factors: int) -> str | None:
    parts = text.split()
    if not parts:
        return None
    levels = [read_level(part) for part in parts]
    # Whole numbers pass here whatever their size: the import names a level out of range.
    readable = all(level or part.isdigit() for part, level in zip(parts, levels, strict=True))
    if len(parts) != factors or not readable:
        return (
            f"Give {factors} levels, factor 1 first (found {len(parts)}), or none: whole "
            "numbers, a sub-level letter allowed (4a)."
        )
    ranges = [part for part, level in zip(parts, levels, strict=True) if level and level.is_range]
    if ranges:
        return f"A JD holds one level per factor: {ranges[0]} is a range."
    return None


class JDForm(FormScreen):
    """The Word JD at `path` as read (with `trust` as chosen on the Import screen), with the
    `corrections` made so far; closed with the corrections to use (Saved.values)."""

    FIELDS = tuple(LABELS)
    NOUN = "JD"
    SAVE_LABEL = "Use corrections"
    HINT = (
        "Each field as read from the document, and where from. Correct any: the dry run and "
        "the import use the corrections; the document is not changed."
    )
    HELP_TEXT = HELP
    WIDGET_KEYS = (
        *FormScreen.WIDGET_KEYS,
        ("space", "In the competencies: choose or unchoose the one under the cursor"),
    )
    BINDINGS = [
        Binding(
            "ctrl+s",
            "save",
            "Use",
            id="form-save",
            tooltip="Check the JD with the corrections (nothing is written), and use them",
        ),
    ]

    def __init__(
        self, db_path: Path, path: Path, *, trust: str | None, corrections: Mapping[str, str]
    ) -> None:
        super().__init__(db_path, f"What was read from {path.name}", first="title")
        self.path = path
        self.trust = trust  # the trust chosen on the Import screen, if any
        self.given = dict(corrections)  # the corrections as the form opened
        self.read_as: dict[str, str] = dict.fromkeys(LABELS, "")
        self.trusts: set[str] = set()
        self.factors = 16
        self.unreadable = ""

    def compose_fields(self) -> ComposeResult:
        for name, label in LABELS.items():
            if name == "competencies":
                yield from self.list_field(
                    name, label, ChoiceList([], noun="competencies"), hint=""
                )
            elif name in ("trust", "role"):
                prompt = "choose the trust" if name == "trust" else "none: left for matching"
                yield from self.field_row(name, label, Select[str]((), prompt=prompt), hint="")
            else:
                yield from self.field_row(name, label, Input(), hint="")
        yield Static("", id="jd-notes", classes="form-list-hint", markup=False)

    # -- reading the document ---------------------------------------------------------------

    def read(self, db: Database) -> JDRead:
        from catalogue.document_context import DocumentContext
        from catalogue.docx_jd import read_docx
        from catalogue.errors import ImportProblem

        def pairs(sql: str) -> list[tuple[str, str]]:
            return [(str(key), str(label)) for key, label in db.execute(sql).fetchall()]

        trusts = pairs("SELECT code, code || '  ' || name FROM trust ORDER BY code")
        roles = pairs(  # a retired role takes no new JDs
            "SELECT id, title || ' (' || id || ')' FROM role WHERE status != 'retired' "
            "ORDER BY title"
        )
        competencies = pairs("SELECT id, name || ' (' || id || ')' FROM competency ORDER BY name")
        try:
            context = DocumentContext.from_db(db, self.trust)
            document = read_docx(self.path, context)
        except ImportProblem as problem:
            return JDRead({}, {}, [], trusts, roles, competencies, 16, str(problem))
        values = {name: as_text(name, document.values.get(name)) for name in LABELS}
        factors = len(context.factor_names) or 16
        return JDRead(values, document.where, document.notes, trusts, roles, competencies, factors)

    def loaded(self, data: JDRead) -> None:
        self.unreadable = data.problem
        self.read_as.update(data.values)
        self.trusts = {code for code, _ in data.trusts}
        self.factors = data.factors
        shown = {name: self.given.get(name, self.read_as[name]) for name in LABELS}
        for name in ("trust", "role"):
            select = self.query_one(f"#f-{name}", Select)
            options = data.trusts if name == "trust" else data.roles
            with select.prevent(Select.Changed):
                select.set_options((Text(label), key) for key, label in options)
                if shown[name] in {key for key, _ in options}:
                    select.value = shown[name]
        self.query_one("#f-competencies", ChoiceList).set_choices(
            data.competencies, [c for c in shown["competencies"].split(";") if c]
        )
        for name in LABELS:
            control = self.control(name)
            if isinstance(control, Input):
                with control.prevent(Input.Changed):
                    control.value = shown[name]
            self.query_one(f"#{name}-hint", Static).update(Text(self._hint(name, data)))
        notes = "\n".join(data.notes)
        self.query_one("#jd-notes", Static).update(Text(notes and f"Also read: {notes}"))
        self.tried = True  # what is missing or wrong is said at once: it is what to put right

    def _hint(self, name: str, data: JDRead) -> str:
        """Where the field's value was read from (or that it was not), and whether it was
        corrected here before."""
        read, where = self.read_as[name], data.where.get(name, "")
        if name == "role" and not read:
            said = "not read from documents: left for matching, unless you choose one"
        elif where == "--trust":
            said = "the trust chosen on the Import screen (t)"
        elif where:
            said = f"where read: {where}"
            if name == "trust" and read not in self.trusts:
                said = f"read as {read!r} ({where}): not a trust of the catalogue"
        else:
            said = "not found in the document"
        if name in self.given:
            was = f"read as {read!r}" if read else "none read"
            return f"corrected here ({was}); {said}"
        return said

    # -- what the form holds ---------------------------------------------------------------

    def current(self, name: str) -> str:
        """What the field `name` holds, as the import takes it."""
        if name in ("trust", "role"):
            return self.choice(name)
        if name == "competencies":
            return ";".join(self.chosen(name))
        if name == "je_levels":
            return " ".join(self.text(name).split())
        return self.text(name)

    def values(self) -> Corrections:
        """The corrections: each field that holds other than what was read."""
        return {
            name: value for name in LABELS if (value := self.current(name)) != self.read_as[name]
        }

    def problems(self, values: Corrections) -> dict[str, str]:
        if self.unreadable:
            return {}
        held = {**self.read_as, **values}
        found: dict[str, str] = {}

        def note(name: str, problem: str | None) -> None:
            if problem:
                found[name] = problem

        if held["trust"] not in self.trusts:
            found["trust"] = "Choose the trust the post belongs to: the document names none."
        note("jd_ref", text_problem(held["jd_ref"], "reference", required=True, most=100))
        note("title", text_problem(held["title"], "title", required=True))
        note("band", band_problem(held["band"]))
        note("wte_funded", wte_problem(held["wte_funded"]))
        note("wte_in_post", wte_problem(held["wte_in_post"]))
        note("je_levels", levels_problem(held["je_levels"], self.factors))
        note("summary", text_problem(held["summary"], "summary", most=4000))
        return found

    def status(self) -> Text | str:
        if self.unreadable:
            return Text(f"The document could not be read: {self.unreadable}")
        count = len(self.values())
        if not count:
            return "As read, with no corrections. ctrl+s uses the corrections; Escape closes."
        return f"{count} field{'s' if count != 1 else ''} corrected. ctrl+s uses them."

    def nothing_to_save(self) -> str | None:
        if self.unreadable:
            return "The document could not be read: there is nothing to correct."
        return super().nothing_to_save()

    def row_key(self, values: Corrections) -> str:
        return str(self.path)

    def write(self, db: Database, values: Corrections) -> list[str]:
        """Check the JD read with `values` as the import would, writing nothing."""
        from catalogue.catalogue_import import import_catalogue

        corrections = {str(self.path): values} if values else None
        import_catalogue(db, [self.path], dry_run=True, trust=self.trust, corrections=corrections)
        if not values:
            return [f"{self.path.name}: read as it is, with no corrections."]
        fields = ", ".join(LABELS[name].lower() for name in values)
        return [f"{self.path.name}: corrected the {fields}; checked again with them."]
