"""Staff passports: a file a person owns listing the competencies and training they hold.

The network wants staff to move between trusts without starting again. A passport is a TOML
file the person keeps; `read_passport` validates it (pydantic, extra keys refused, ids checked
against the catalogue) and `check_passport` says which reference roles and which trusts' JDs it
meets in full or nearly. The matching is pure: functions over the held competencies
{id: level} and the requirement sets, so each case can be worked out by hand in a test.

Roles need each competency at a level (1-4). A JD needs each of its competencies at the level
it says (`ct-scanning:3` in the interchange format), else at the level its reference role
needs it; only where neither says (an unmapped JD, or a competency its role does not list)
does a competency held at any level count. So holding CT at 1 ("aware") does not meet a JD of
a role that needs it at 3: it is "nearly", with the levels missing named.

Training completed on a catalogue route counts too: the route gives competencies
(route_competency), but at no stated level. So they meet a need of no stated level; where a
level is needed they do not meet it, and the gap says the person's training gives it, so
they can record the level they reached in their passport rather than have one guessed.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Annotated, Any, Generic, TypeVar

import tomli_w
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

if TYPE_CHECKING:  # a reader is a sqlite-utils Database or a plain sqlite3 connection
    from catalogue.store import Reader

from catalogue.bands import BAND_ORDER
from catalogue.errors import ImportProblem, first_problems
from catalogue.toml_files import read_toml_file, toml_text
from pathways.records import JD, RoleInfo, RouteInfo

# --- the passport file ------------------------------------------------------------------------


class PassportError(ValueError):
    """A passport file that cannot be read or is not valid; the message names file and field."""


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The catalogue ids a passport may use, so that a typo is caught where it is written."""

    competencies: Mapping[str, str]  # id -> name
    roles: frozenset[str]
    trusts: frozenset[str]
    routes: frozenset[str]


def load_vocabulary(db: Reader) -> Vocabulary:
    return Vocabulary(
        competencies={
            cid: name for cid, name in db.execute("SELECT id, name FROM competency ORDER BY id")
        },
        roles=frozenset(row[0] for row in db.execute("SELECT id FROM role")),
        trusts=frozenset(row[0] for row in db.execute("SELECT code FROM trust")),
        routes=frozenset(row[0] for row in db.execute("SELECT id FROM training_route")),
    )


def nearest(value: str, known: Iterable[str]) -> str:
    """' (nearest: 'a', 'b')' for a mistyped id, or '' when nothing is close."""
    close = difflib.get_close_matches(value, sorted(known), n=3, cutoff=0.6)
    return f" (nearest: {', '.join(repr(c) for c in close)})" if close else ""


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value: object) -> object:
    """TOML dates arrive as `date`; a quoted "2024-09-30" is accepted too, nothing else."""
    if isinstance(value, dt.datetime):
        raise _date_error(
            f"must be a date written YYYY-MM-DD, without a time (got {value.isoformat()})"
        )
    if isinstance(value, str):
        text = value.strip()
        if _ISO_DATE.match(text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                raise _date_error(f"{text!r} is not a date in the calendar") from None
        raise _date_error(f"must be a date written YYYY-MM-DD (got {_shown(value)})")
    return value


def _date_error(text: str) -> PydanticCustomError:
    return PydanticCustomError("iso_date", "{text}", {"text": text})


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
Level = Annotated[int, Field(ge=1, le=4)]


def _unknown(kind: str, value: str, known: Iterable[str], listing: str) -> PydanticCustomError:
    hint = nearest(value, known) or f" (see `workforce {listing}`)"
    # The text goes in as context, not as the template, so braces in a typo cannot break it.
    return PydanticCustomError("unknown_id", "{text}", {"text": f"unknown {kind} {value!r}{hint}"})


def _vocabulary(info: ValidationInfo) -> Vocabulary | None:
    context = info.context
    return context.get("vocabulary") if isinstance(context, dict) else None


class _Table(BaseModel):
    # strict: a level written "3" or a date written 20240930 is a mistake to report, not guess.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, str_strip_whitespace=True)


class HeldCompetency(_Table):
    id: str
    level: Level
    achieved: IsoDate | None = None
    evidence: str = ""

    @field_validator("id")
    @classmethod
    def _known_competency(cls, value: str, info: ValidationInfo) -> str:
        vocabulary = _vocabulary(info)
        if vocabulary is not None and value not in vocabulary.competencies:
            raise _unknown("competency", value, vocabulary.competencies, "competencies")
        return value


class Training(_Table):
    route: str | None = None  # a catalogue training route id ...
    name: str | None = None  # ... or the course in the person's own words
    completed: IsoDate | None = None
    note: str = ""

    @field_validator("route")
    @classmethod
    def _known_route(cls, value: str | None, info: ValidationInfo) -> str | None:
        vocabulary = _vocabulary(info)
        if value is not None and vocabulary is not None and value not in vocabulary.routes:
            raise _unknown("training route", value, vocabulary.routes, "routes")
        return value

    @model_validator(mode="after")
    def _route_or_name(self) -> Training:
        if not self.route and not self.name:
            raise PydanticCustomError(
                "route_or_name", "give `route` (a training route id) or `name` (free text)"
            )
        return self


class Passport(_Table):
    name: str | None = None
    role: str | None = None
    trust: str | None = None
    degree: bool | None = None  # holds a degree (any subject): graduate-entry routes need one
    competencies: list[HeldCompetency] = []
    training: list[Training] = []

    @field_validator("role")
    @classmethod
    def _known_role(cls, value: str | None, info: ValidationInfo) -> str | None:
        vocabulary = _vocabulary(info)
        if value is not None and vocabulary is not None and value not in vocabulary.roles:
            raise _unknown("role", value, vocabulary.roles, "roles")
        return value

    @field_validator("trust")
    @classmethod
    def _known_trust(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        code = value.upper()  # ODS codes are upper case; "rrk" means RRK
        vocabulary = _vocabulary(info)
        if vocabulary is not None and code not in vocabulary.trusts:
            raise _unknown("trust", value, vocabulary.trusts, "trusts")
        return code

    def held(self) -> dict[str, int]:
        """The competencies held: {id: level}, the input of the matching below."""
        return {item.id: item.level for item in self.competencies}

    def completed_routes(self) -> list[str]:
        """The catalogue routes the person has completed (a `completed` date given): training
        without one is under way and gives nothing yet."""
        return [item.route for item in self.training if item.route and item.completed]


def holds_degree(passport: Passport, routes: Mapping[str, RouteInfo]) -> bool:
    """Whether the passport says its holder has a degree: `degree = true`, or (with no
    `degree` given) a completed catalogue route that is a degree course (kind undergraduate)."""
    if passport.degree is not None:
        return passport.degree
    return any(
        route_id in routes and routes[route_id].kind == "undergraduate"
        for route_id in passport.completed_routes()
    )


def trained_competencies(
    passport: Passport, routes: Mapping[str, RouteInfo]
) -> dict[str, tuple[str, ...]]:
    """Competencies the passport's completed routes give and it does not list as held:
    {competency id: the routes giving it}, for `check_passport`."""
    held = passport.held()
    given: dict[str, list[str]] = {}
    for route_id in passport.completed_routes():
        route = routes.get(route_id)
        for competency in route.gives if route else ():
            if competency not in held:
                given.setdefault(competency, []).append(route_id)
    return {competency: tuple(sorted(set(ids))) for competency, ids in sorted(given.items())}


_TABLE_MODELS: dict[str, type[BaseModel]] = {"competencies": HeldCompetency, "training": Training}


def read_passport(path: Path, vocabulary: Vocabulary) -> Passport:
    """Read and validate a passport file; PassportError names the file and what is wrong."""
    try:
        text, data = read_toml_file(path)
    except ImportProblem as problem:
        raise PassportError(str(problem)) from None
    return parse_passport(data, vocabulary, source=str(path), text=text)


def read_passport_text(text: str, vocabulary: Vocabulary, *, source: str) -> Passport:
    """A passport's TOML given as text (pasted into the app in a browser, where no file on
    the server is opened), checked as a file would be; `source` names it in problems."""
    try:
        text, data = toml_text(source, text.encode("utf-8"))
    except ImportProblem as problem:
        raise PassportError(str(problem)) from None
    return parse_passport(data, vocabulary, source=source, text=text)


def parse_passport(
    data: Mapping[str, Any], vocabulary: Vocabulary, *, source: str, text: str = ""
) -> Passport:
    """Validate parsed TOML as a passport; `text` (the file) lets messages give table lines."""
    lines = _table_lines(text)
    try:
        passport = Passport.model_validate(data, context={"vocabulary": vocabulary})
    except ValidationError as error:
        problems = [_describe(detail, lines) for detail in error.errors()]
        raise PassportError(_problems(source, problems)) from None
    problems = _repeated_competencies(passport, lines)
    if problems:
        raise PassportError(_problems(source, problems))
    return passport


def _problems(source: str, problems: list[str]) -> str:
    if len(problems) == 1:
        return f"{source}: {problems[0]}"
    shown = first_problems(problems)
    return f"{source}: {len(problems)} problems:\n" + "\n".join(f"  {line}" for line in shown)


def _table_lines(text: str) -> dict[str, list[int]]:
    """Line of the n-th [[competencies]] / [[training]] header (tomllib keeps no positions)."""
    found: dict[str, list[int]] = {}
    for table in _TABLE_MODELS:
        # [ \t], not \s: \s would match the blank line before a header and start it a line early.
        header = re.compile(rf"^[ \t]*\[\[[ \t]*{table}[ \t]*\]\]", re.MULTILINE)
        found[table] = [text.count("\n", 0, m.start()) + 1 for m in header.finditer(text)]
    return found


def _where(loc: tuple[int | str, ...], lines: Mapping[str, list[int]]) -> str:
    """('competencies', 2, 'level') -> 'competencies[3].level (line 27)': tables count from 1."""
    parts: list[str] = []
    line: int | None = None
    for index, part in enumerate(loc):
        if isinstance(part, int):
            parts.append(f"[{part + 1}]")
            table = str(loc[index - 1]) if index else ""
            table_lines = lines.get(table, [])
            if index == 1 and part < len(table_lines):
                line = table_lines[part]
        else:
            parts.append(("." if parts else "") + part)
    where = "".join(parts) or "the file"
    return f"{where} (line {line})" if line else where


def _describe(detail: ErrorDetails, lines: Mapping[str, list[int]]) -> str:
    loc = tuple(detail["loc"])
    kind = detail["type"]
    value = detail.get("input")
    key = str(loc[-1]) if loc and isinstance(loc[-1], str) else ""
    if kind == "missing":
        message = "is required"
    elif kind == "extra_forbidden":
        model: type[BaseModel] = Passport
        if len(loc) > 1 and str(loc[0]) in _TABLE_MODELS:
            model = _TABLE_MODELS[str(loc[0])]
        allowed = list(model.model_fields)
        message = f"unknown key{nearest(key, allowed)}; allowed: {', '.join(allowed)}"
    elif key == "level" and kind in ("greater_than_equal", "less_than_equal"):
        message = f"must be 1-4 (got {_shown(value)})"
    elif key == "level" and kind == "int_type":
        message = f"must be a whole number 1-4, without quotes (got {_shown(value)})"
    elif kind == "int_type":
        message = f"must be a whole number (got {_shown(value)})"
    elif kind == "string_type":
        message = f'must be text in quotes, e.g. "..." (got {_shown(value)})'
    elif kind == "date_type":
        message = f"must be a date written YYYY-MM-DD (got {_shown(value)})"
    elif kind == "list_type" and len(loc) == 1 and key in _TABLE_MODELS:
        message = f"must be a list of tables: write each one under [[{key}]]"
    elif kind in ("model_type", "dict_type"):
        message = f"must be a table of keys (got {_shown(value)})"
    else:
        message = detail["msg"]
    return f"{_where(loc, lines)}: {message}"


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _repeated_competencies(passport: Passport, lines: Mapping[str, list[int]]) -> list[str]:
    """A competency listed twice is ambiguous (which level?): name both places."""
    first: dict[str, int] = {}
    problems: list[str] = []
    for index, item in enumerate(passport.competencies):
        if item.id in first:
            where = _where(("competencies", index, "id"), lines)
            problems.append(
                f"{where}: {item.id!r} is listed already in competencies[{first[item.id] + 1}]"
            )
        else:
            first[item.id] = index
    return problems


# --- writing a new passport -------------------------------------------------------------------

HEADER = """\
# Staff passport: the competencies and training you hold, in a file that you keep.
#
# It is yours: take it with you when you move between the trusts of the network. Check what it
# meets with `workforce passport check THIS-FILE` (add --trust CODE for one trust's posts).
#
# Keys at the top (each optional; TOML has no empty value, so leave out what you do not give):
#   name   your name
#   role   your current reference role id (list them: `workforce roles`)
#   trust  the ODS code of the trust you work for (list them: `workforce trusts`)
#   degree true if you hold a degree, any subject (some routes are for graduates only)
#
# One [[competencies]] table per competency you hold (ids: `workforce competencies`):
#   id        the competency id, e.g. "cannulation"
#   level     1 aware, 2 working (does it under supervision or occasionally),
#             3 proficient (does it independently), 4 expert (leads, teaches and develops it)
#   achieved  the date you achieved it, written 2024-09-30 (no quotes; optional)
#   evidence  a note of the evidence: a course, a sign-off, a portfolio entry
#
# One [[training]] table per course or programme completed (route ids: `workforce routes`):
#   route      a training route id, or instead
#   name       the course in your own words
#   completed  the date you completed it, written 2024-09-30 (leave it out while under way)
#   A completed catalogue route counts as giving its competencies when JDs are checked
#   (`workforce passport check`); a role needs a level, so list those with yours above.
#   note       anything worth knowing: provider, certificate number
#
# For example:
#   [[competencies]]
#   id = "cannulation"
#   level = 3
#   achieved = 2024-09-30
#   evidence = "Trust cannulation course; ten supervised cannulations signed off"
#
#   [[training]]
#   name = "IR(ME)R refresher, trust e-learning"
#   completed = 2025-01-15
"""


def new_passport(
    *,
    name: str | None = None,
    role: str | None = None,
    trust: str | None = None,
    checklist: Mapping[str, int] | None = None,
) -> Passport:
    """A fresh passport; `checklist` ({competency: level}) pre-fills competencies to confirm."""
    return Passport(
        name=name or None,
        role=role,
        trust=trust,
        competencies=[
            HeldCompetency(id=cid, level=level) for cid, level in sorted((checklist or {}).items())
        ],
    )


def _checklist_note(role: str) -> str:
    return (
        "#\n"
        f"# The competencies below are the ones the role {role} needs, at the level\n"
        "# it needs them: a starting checklist. Correct each level to yours, add `achieved`\n"
        "# and the evidence, and delete any you do not hold.\n"
    )


def _given(values: Mapping[str, Any]) -> dict[str, Any]:
    """The keys given a value: TOML has no null nor "no value", and an `evidence = ""` line
    would say there is evidence and it is nothing, so absent values are left out."""
    return {key: value for key, value in values.items() if value is not None and value != ""}


def passport_toml(
    passport: Passport, *, checklist_role: str | None = None, header: str | None = None
) -> str:
    """The passport as TOML under the explaining header; absent values (None, "") and empty
    lists are left out.

    `header`: the comments to head the file with instead (a passport's own, from
    `header_comments`: "" for none); `checklist_role` adds a note to the explaining header."""
    data = _given(passport.model_dump())
    tables = {name: data.pop(name, []) for name in _TABLE_MODELS}
    parts = [tomli_w.dumps(data)] if data else []
    # One [[table]] per item, never tomli-w's inline tables for short ones: the person adds
    # `achieved = ...` lines under each. Empty lists are left out, as `competencies = []`
    # would make a [[competencies]] the person adds later a TOML error.
    for name, items in tables.items():
        parts.extend(f"[[{name}]]\n" + tomli_w.dumps(_given(item)) for item in items)
    body = "\n".join(parts)
    if header is not None:  # the person's own comments, or none
        if not header:
            return body
        return f"{header}\n\n{body}" if body else f"{header}\n"
    text = HEADER + (_checklist_note(checklist_role) if checklist_role else "")
    return text + "\n" + body


# --- writing back a passport that was read ------------------------------------------------------

_CHECKLIST_NOTE = re.compile(
    r"#\n# The competencies below are the ones the role (\S+) needs, at the level\n"
)


def header_comments(text: str) -> str | None:
    """The comment lines heading a passport file (blank lines among them kept), to write back
    over it; "" when it has none. None when they are the explaining header `passport_toml`
    writes (with or without its checklist note): that is written afresh, so the note is
    there only while it is true."""
    lines: list[str] = []
    for line in text.removeprefix("\ufeff").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            break
        lines.append(line)
    block = "\n".join(lines).strip("\n")
    if block + "\n" == HEADER:
        return None
    note = _CHECKLIST_NOTE.match(block + "\n", len(HEADER)) if block.startswith(HEADER) else None
    if note and block + "\n" == HEADER + _checklist_note(note.group(1)):
        return None
    return block


def with_held(
    passport: Passport, role: str | None, trust: str | None, held: Mapping[str, int]
) -> Passport:
    """The passport with its role, trust and competencies held ({id: level}) set, and all
    else kept: name, training, and each competency still held with its `achieved` date and
    evidence (at the new level, if changed). A competency no longer held is removed; one newly
    held is added after the rest, with no date or evidence, which only the person can give."""
    kept = [
        item if item.level == held[item.id] else item.model_copy(update={"level": held[item.id]})
        for item in passport.competencies
        if item.id in held
    ]
    listed = {item.id for item in passport.competencies}
    added = [HeldCompetency(id=cid, level=held[cid]) for cid in sorted(held) if cid not in listed]
    return passport.model_copy(update={"role": role, "trust": trust, "competencies": kept + added})


# --- matching ---------------------------------------------------------------------------------

K = TypeVar("K")


@dataclass(frozen=True, slots=True)
class Gap:
    """One competency a target needs that the passport lacks or holds too low."""

    competency: str
    needed: int | None  # None: a JD asks for it at no stated level (any level counts)
    held: int | None  # None: not held at all
    # Completed routes that give it, at no stated level (a role's level is still to confirm).
    trained_by: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Fit(Generic[K]):
    target: K  # a role id, or a JD's id
    band: str | None
    gaps: tuple[Gap, ...]

    @property
    def meets(self) -> bool:
        return not self.gaps


@dataclass(frozen=True, slots=True)
class Matches(Generic[K]):
    meets: list[Fit[K]]
    nearly: list[Fit[K]]


def competency_gaps(
    held: Mapping[str, int],
    needs: Mapping[str, int | None],
    trained: Mapping[str, tuple[str, ...]] = MappingProxyType({}),
) -> tuple[Gap, ...]:
    """What `needs` asks for that `held` lacks, by competency id; a None level: any level.

    `trained` (competency -> completed routes giving it, level unstated) meets a need at any
    level, and is named on a gap where a level is needed."""
    gaps: list[Gap] = []
    for competency in sorted(needs):
        needed = needs[competency]
        have = held.get(competency)
        by_training = trained.get(competency, ())
        if needed is None and (have is not None or by_training):
            continue
        if have is None or (needed is not None and have < needed):
            gaps.append(Gap(competency, needed, have, by_training))
    return tuple(gaps)


def match(
    held: Mapping[str, int],
    needs_by_target: Mapping[K, Mapping[str, int | None]],
    bands: Mapping[K, str | None],
    near: int,
    trained: Mapping[str, tuple[str, ...]] = MappingProxyType({}),
) -> Matches[K]:
    """Targets met in full, and those missing at most `near` competencies.

    Ordered by fewest missing, then band (low first; no AfC band last); ties keep the order of
    `needs_by_target`. A target needing nothing is left out: with no requirements there is
    nothing to say it is met.
    """
    if near < 0:
        raise ValueError("near must be 0 or more")
    fits = [
        Fit(target, bands.get(target), competency_gaps(held, needs, trained))
        for target, needs in needs_by_target.items()
        if needs
    ]
    fits.sort(key=lambda fit: (len(fit.gaps), _band_rank(fit.band)))  # stable: ties keep order
    return Matches(
        meets=[fit for fit in fits if fit.meets],
        nearly=[fit for fit in fits if 0 < len(fit.gaps) <= near],
    )


def _band_rank(band: str | None) -> int:
    return BAND_ORDER[band] if band in BAND_ORDER else len(BAND_ORDER)


@dataclass(frozen=True, slots=True)
class PassportCheck:
    roles: Matches[str]
    jds: Matches[int]
    jds_without_competencies: int  # JDs listing none: nothing to check a passport against


def jd_levels(
    jd: JD,
    asked: Mapping[str, int | None],
    role_needs: Mapping[str, Mapping[str, int]],
) -> dict[str, int | None]:
    """The level a JD needs each competency at: the one it says, else its reference role's
    (None: neither says, any level counts)."""
    role = role_needs.get(jd.role or "", {})
    return {
        competency: level if level is not None else role.get(competency)
        for competency, level in asked.items()
    }


def check_passport(
    held: Mapping[str, int],
    roles: Mapping[str, RoleInfo],
    role_needs: Mapping[str, Mapping[str, int]],
    jds: Sequence[JD],
    jd_needs: Mapping[int, Mapping[str, int | None]],
    near: int,
    trained: Mapping[str, tuple[str, ...]] = MappingProxyType({}),
) -> PassportCheck:
    """Which reference roles and which JDs a passport meets, levels counting for both (a JD's
    levels by `jd_levels`), counting what completed training gives (`trained_competencies`)
    where no level is asked.

    `jd_needs`: per JD, {competency: the level the JD says, or None}
    (pathways.records.load_jd_competency_levels)."""
    role_matches = match(
        held,
        {rid: dict(needs) for rid, needs in role_needs.items() if rid in roles},
        {rid: role.band_min for rid, role in roles.items()},
        near,
        trained,
    )
    asked = {jd.id: jd_levels(jd, jd_needs.get(jd.id, {}), role_needs) for jd in jds}
    jd_matches = match(
        held,
        {jd_id: needs for jd_id, needs in asked.items() if needs},
        {jd.id: jd.band for jd in jds},
        near,
        trained,
    )
    return PassportCheck(
        roles=role_matches,
        jds=jd_matches,
        jds_without_competencies=sum(1 for needs in asked.values() if not needs),
    )


def vacant_wte(jd: JD) -> float | None:
    """Funded minus in post; negative when over establishment; None when either is unknown."""
    if jd.wte_funded is None or jd.wte_in_post is None:
        return None
    return round(jd.wte_funded - jd.wte_in_post, 2)
