"""Importing job descriptions: check every row against the catalogue, then write all or nothing.

An import is two steps. `plan_import` reads the files and resolves every row (trust, role,
band, competencies, JE levels) against the catalogue, collecting every problem it finds; it
writes nothing. `apply_plan` writes a clean plan in one transaction. A file with any problem
is refused whole, so the catalogue is never half-imported.

The key of a job description is (trust, jd_ref): importing the same rows again changes
nothing, and a changed row updates the post it names rather than adding a second one.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlite_utils import Database

from catalogue.bands import BandError, parse_band

# Re-exported: defined in catalogue.errors, light to import.
from catalogue.errors import MAX_PROBLEMS_SHOWN as MAX_PROBLEMS_SHOWN
from catalogue.errors import ImportRefused as ImportRefused
from catalogue.jd_format import (
    ALL_FIELDS,
    COMPETENCY_SEPARATOR,
    LEVEL_SEPARATOR,
    competency_item,
    split_item,
)
from catalogue.jd_pay import parse_amount, parse_date, parse_note, parse_point, parse_rrp, rrp_text
from catalogue.jd_sources import ImportProblem, SourceRow, read_source
from catalogue.je_levels import Level, check_level, read_level, read_levels, write_levels
from catalogue.je_scheme import JEScheme, je_score, load_scheme
from catalogue.models import JobDescription


@dataclass(frozen=True)
class Vocabulary:
    """What an imported row may refer to, read once from the catalogue being imported into."""

    trust_codes: frozenset[str]
    trust_by_name: dict[str, str]  # lower-cased full name -> ODS code
    roles: frozenset[str]
    medical_roles: frozenset[str]  # on medical and dental pay: no AfC band
    retired_roles: dict[str, str | None]  # retired role -> the role it was merged into
    competency_ids: frozenset[str]
    competency_by_name: dict[str, str]  # lower-cased name -> id
    scheme: JEScheme

    @classmethod
    def from_db(cls, db: Database) -> Vocabulary:
        trusts = db.execute("SELECT code, name FROM trust").fetchall()
        competencies = db.execute("SELECT id, name FROM competency").fetchall()
        roles = db.execute("SELECT id, pay_system, status, merged_into FROM role").fetchall()
        return cls(
            trust_codes=frozenset(code for code, _ in trusts),
            trust_by_name={name.lower(): code for code, name in trusts},
            roles=frozenset(rid for rid, *_ in roles),
            medical_roles=frozenset(rid for rid, pay, *_ in roles if pay == "medical"),
            retired_roles={rid: into for rid, _, status, into in roles if status == "retired"},
            competency_ids=frozenset(cid for cid, _ in competencies),
            competency_by_name={name.lower(): cid for cid, name in competencies},
            scheme=load_scheme(db),
        )


def _nearest(value: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(known), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""


def _text(row: SourceRow, name: str, *, required: bool = False) -> str:
    value = row.values.get(name)
    if value is None:
        text = ""
    elif isinstance(value, str):
        # Line breaks stored as "\n" whatever the file used: a spreadsheet's CRLF inside a
        # quoted cell, or a lone CR, would otherwise make the same JD read from an LF and a
        # CRLF copy of one file compare unequal, and re-importing it report changes.
        text = value.strip().replace("\r\n", "\n").replace("\r", "\n")
    elif isinstance(value, int | float) and not isinstance(value, bool):
        text = str(value)  # a TOML or JSON jd_ref written as a number
    else:
        raise ImportProblem(row.file, row.where, name, f"must be text, not {type(value).__name__}")
    if required and not text:
        raise ImportProblem(row.file, row.where, name, "is empty")
    return text


def _trust(row: SourceRow, vocab: Vocabulary) -> str:
    given = _text(row, "trust", required=True)
    if given.upper() in vocab.trust_codes:
        return given.upper()
    by_name = vocab.trust_by_name.get(given.lower())
    if by_name:
        return by_name
    hint = _nearest(given.upper(), vocab.trust_codes) or _nearest(
        given.lower(), vocab.trust_by_name
    )
    raise ImportProblem(
        row.file,
        row.where,
        "trust",
        f"unknown trust {given!r}: give its ODS code or exact name{hint}",
    )


def _role(row: SourceRow, vocab: Vocabulary) -> str | None:
    given = _text(row, "role").lower()
    if not given:
        return None
    if given in vocab.roles:
        return given
    raise ImportProblem(
        row.file,
        row.where,
        "role",
        f"unknown reference role {given!r}{_nearest(given, vocab.roles)}; "
        "leave it empty to have it matched later",
    )


def _band(row: SourceRow, role: str | None, vocab: Vocabulary) -> str | None:
    value = row.values.get("band")
    empty = value is None or (isinstance(value, str) and not value.strip())
    if role in vocab.medical_roles:
        if empty:
            return None
        raise ImportProblem(
            row.file,
            row.where,
            "band",
            f"{role} is on medical and dental pay, not Agenda for Change: leave the band empty",
        )
    try:
        return parse_band(value)
    except BandError as error:
        raise ImportProblem(row.file, row.where, "band", str(error)) from error


def _wte(row: SourceRow, name: str) -> float | None:
    value = row.values.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ImportProblem(row.file, row.where, name, "must be a number of WTE")
    try:
        # Plain ASCII digits only: float() also takes "1_000" and other scripts' digits.
        if isinstance(value, str) and not _PLAIN_NUMBER.fullmatch(value.strip()):
            raise ValueError(value)
        number = float(value.strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError, OverflowError) as error:
        # "12,5" is how spreadsheets in many locales write 12.5: say so rather than guess, as
        # "1,250" could as well be a thousands separator.
        decimal_comma = isinstance(value, str) and re.fullmatch(r"\s*\d+,\d+\s*", value)
        advice = "write the decimal with a point, e.g. 12.5" if decimal_comma else "e.g. 12.5"
        raise ImportProblem(
            row.file, row.where, name, f"{_short(value)} is not a number of WTE ({advice})"
        ) from error
    shown = _short(value)
    if math.isnan(number) or number < 0:
        raise ImportProblem(row.file, row.where, name, f"{shown} must be zero or more")
    if number > MAX_WTE:  # infinity too, from a number of thousands of digits
        raise ImportProblem(
            row.file, row.where, name, f"{shown} WTE is more than any post holds ({MAX_WTE:,})"
        )
    return number


def _short(value: object) -> str:
    """A value as a message quotes it: at most 40 characters of it."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:37]}...' ({len(str(value)):,} characters)"


# A plausible WTE: a whole network's largest establishment is in the thousands; anything
# beyond is a typing slip (or 1e308), and would overflow the costings that multiply it.
MAX_WTE = 10_000
_PLAIN_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)")


def _competencies(row: SourceRow, vocab: Vocabulary) -> tuple[str, ...]:
    value = row.values.get("competencies")
    if value is None:
        items: list[str] = []
    elif isinstance(value, str):
        items = value.split(COMPETENCY_SEPARATOR)
    elif isinstance(value, list) and all(isinstance(item, str) for item in value):
        items = value
    else:
        raise ImportProblem(
            row.file, row.where, "competencies", "must be ;-separated text or a list of text"
        )
    resolved: dict[str, int | None] = {}
    for item in items:
        given = item.strip()
        if not given:
            continue
        name, level = _competency_level(row, given)
        cid = name.lower() if name.lower() in vocab.competency_ids else None
        cid = cid or vocab.competency_by_name.get(name.lower())
        if cid is None:
            hint = _nearest(name.lower(), vocab.competency_ids) or _nearest(
                name.lower(), vocab.competency_by_name
            )
            raise ImportProblem(
                row.file, row.where, "competencies", f"unknown competency {name!r}{hint}"
            )
        if cid in resolved and resolved[cid] != level:
            raise ImportProblem(
                row.file,
                row.where,
                "competencies",
                f"{cid} is listed twice at different levels "
                f"({competency_item(cid, resolved[cid])} and {competency_item(cid, level)})",
            )
        resolved[cid] = level
    # Order carries no meaning in a JD; sorting by id makes re-imports compare equal.
    return tuple(competency_item(cid, resolved[cid]) for cid in sorted(resolved))


def _competency_level(row: SourceRow, given: str) -> tuple[str, int | None]:
    """'CT scanning:3' -> ('CT scanning', 3): a level 1-4 after the last ':', if any."""
    name, separator, level = given.rpartition(LEVEL_SEPARATOR)
    if not separator:
        return given, None
    level = level.strip()
    if level not in ("1", "2", "3", "4"):
        raise ImportProblem(
            row.file,
            row.where,
            "competencies",
            f"{given!r}: a competency's level is a whole number 1-4 after ':' "
            "(e.g. ct-scanning:3); leave it off for the level the reference role needs",
        )
    return name.strip(), int(level)


def _je_levels(row: SourceRow, vocab: Vocabulary) -> tuple[Level, ...] | None:
    value = row.values.get("je_levels")
    if value is None or (isinstance(value, str | list) and not value):
        return None
    if isinstance(value, str):
        parts: list[Any] = value.split()
        if not parts:
            return None
    elif isinstance(value, list):
        parts = value
    else:
        raise ImportProblem(row.file, row.where, "je_levels", "must be 16 levels")
    scheme = vocab.scheme
    expected = len(scheme.points)
    if len(parts) != expected:
        raise ImportProblem(
            row.file,
            row.where,
            "je_levels",
            f"needs {expected} levels (factor 1 first), found {len(parts)}",
        )
    levels = []
    for number, (part, name) in enumerate(zip(parts, scheme.factor_names, strict=True), start=1):
        top = scheme.levels(number - 1)
        # One reader for levels everywhere (catalogue.je_levels): "4a" is kept as written and
        # scores as level 4. A JD's record holds one level per factor: a range is refused.
        level = read_level(part)
        problem = f"level {part!r} is outside 1-{top}" if level is None else check_level(level, top)
        if problem is None and level is not None and level.is_range:
            problem = (
                f"{level.written!r} is a range: a JD's record holds one level per factor "
                "(check a range with `workforce je`)"
            )
        if problem is not None or level is None:
            raise ImportProblem(
                row.file, row.where, "je_levels", f"factor {number} ({name}): {problem}"
            )
        levels.append(level)
    return tuple(levels)


def _pay(row: SourceRow) -> dict[str, Any]:
    """The pay fields of a row (catalogue.jd_pay), each refused naming its field."""
    parsers = {
        "rrp": parse_rrp,
        "rrp_until": parse_date,
        "appointment_point": parse_point,
        "supplement": parse_amount,
        "pay_note": parse_note,
    }
    read: dict[str, Any] = {}
    for name, parse in parsers.items():
        try:
            read[name] = parse(row.values.get(name))
        except ValueError as error:
            raise ImportProblem(row.file, row.where, name, str(error)) from error
    amount, percent = read.pop("rrp")
    if "rrp" in row.values and read["rrp_until"] and amount is None and percent is None:
        # Said with the row's other problems; a row leaving out rrp is checked against the
        # premium held, once it is known (`_review_date_problem`).
        raise ImportProblem(row.file, row.where, "rrp_until", _NO_PREMIUM.format(read["rrp_until"]))
    return {"rrp_amount": amount, "rrp_percent": percent, **read}


_NO_PREMIUM = (
    "{} is the review date of a premium, but the post has no rrp: give the rrp, or leave "
    "rrp_until empty"
)


def resolve_row(row: SourceRow, vocab: Vocabulary) -> JobDescription:
    """Turn one raw row into a checked JobDescription, or raise the first problem in it."""
    role = _role(row, vocab)
    try:
        return JobDescription(
            trust=_trust(row, vocab),
            jd_ref=_text(row, "jd_ref", required=True),
            title=_text(row, "title", required=True),
            role=role,
            band=_band(row, role, vocab),
            wte_funded=_wte(row, "wte_funded"),
            wte_in_post=_wte(row, "wte_in_post"),
            competencies=_competencies(row, vocab),
            je_levels=_je_levels(row, vocab),
            summary=_text(row, "summary"),
            **_pay(row),
        )
    except ValidationError as error:  # pragma: no cover - the checks above catch these first
        problem = error.errors()[0]
        where = ".".join(str(part) for part in problem["loc"])
        raise ImportProblem(row.file, row.where, where, problem["msg"]) from error


@dataclass
class FileCounts:
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0  # already in the catalogue exactly as given
    # Exact copies of an earlier row of the same import: skipped, and not "unchanged", which
    # would claim they were in the catalogue already. rows = added + updated + unchanged +
    # repeated (the import history stores rows, not this, so the difference is the repeats).
    repeated: int = 0


@dataclass
class ImportPlan:
    """What an import would do; nothing is written until `apply_plan`."""

    to_add: list[tuple[str, JobDescription]] = field(default_factory=list)  # (file, jd)
    to_update: list[tuple[str, int, JobDescription]] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # human lines for --dry-run
    per_file: dict[str, FileCounts] = field(default_factory=dict)
    scheme: JEScheme | None = None  # to store each JD's JE score beside its levels

    @property
    def added(self) -> int:
        return len(self.to_add)

    @property
    def updated(self) -> int:
        return len(self.to_update)

    @property
    def unchanged(self) -> int:
        return sum(counts.unchanged for counts in self.per_file.values())

    @property
    def repeated(self) -> int:
        return sum(counts.repeated for counts in self.per_file.values())

    def summary(self) -> dict[str, int]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "repeated": self.repeated,
        }


def describe_counts(counts: Mapping[str, int]) -> str:
    """An import's counts in words: "2 added, 0 updated, 1 unchanged", then any repeats."""
    text = f"{counts['added']:,} added, {counts['updated']:,} updated, "
    text += f"{counts['unchanged']:,} unchanged"
    repeated = counts.get("repeated", 0)
    if repeated:
        copies = (
            "an exact copy of an earlier row" if repeated == 1 else "exact copies of earlier rows"
        )
        text += f", {repeated:,} repeated ({copies}, skipped)"
    return text


# Every field but the key (trust, jd_ref): what a re-import can change, by its name in files.
_COMPARED_FIELDS = tuple(name for name in ALL_FIELDS if name not in ("trust", "jd_ref"))
# The JobDescription attributes a file's field holds, where they differ from its name: a
# premium is an amount or a percentage, one column in files.
_ATTRIBUTES = {"rrp": ("rrp_amount", "rrp_percent")}


def _field_value(jd: JobDescription, name: str) -> object:
    """A field of a JD as a file writes it (the premium as 1500 or "10%")."""
    if name == "rrp":
        return rrp_text(jd.rrp_amount, jd.rrp_percent)
    return getattr(jd, name)


def _existing(db: Database, trusts: set[str]) -> dict[tuple[str, str], tuple[int, JobDescription]]:
    """The catalogue's current JDs of these trusts, by (trust, jd_ref)."""
    if not trusts:
        return {}
    marks = ",".join("?" for _ in trusts)
    competencies: dict[int, list[str]] = {}
    for jd_id, competency, level in db.execute(
        "SELECT c.jd, c.competency, c.level FROM jd_competency c "
        f"JOIN job_description j ON j.id = c.jd WHERE j.trust IN ({marks}) ORDER BY c.competency",
        sorted(trusts),
    ):
        competencies.setdefault(jd_id, []).append(competency_item(competency, level))
    found = {}
    for row in db.execute(
        "SELECT id, trust, jd_ref, title, role, band, wte_funded, wte_in_post, je_levels, summary, "
        "rrp_amount, rrp_percent, rrp_until, appointment_point, supplement, pay_note "
        f"FROM job_description WHERE trust IN ({marks})",
        sorted(trusts),
    ):
        jd_id, trust, jd_ref, title, role, band, funded, in_post, je, summary = row[:10]
        rrp_amount, rrp_percent, rrp_until, point, supplement, pay_note = row[10:]
        found[(trust, jd_ref)] = (
            jd_id,
            JobDescription.model_construct(
                trust=trust,
                jd_ref=jd_ref,
                title=title,
                role=role,
                band=band,
                wte_funded=funded,
                wte_in_post=in_post,
                competencies=tuple(competencies.get(jd_id, [])),
                je_levels=read_levels(je),
                summary=summary,
                rrp_amount=rrp_amount,
                rrp_percent=rrp_percent,
                rrp_until=rrp_until,
                appointment_point=point,
                supplement=supplement,
                pay_note=pay_note,
            ),
        )
    return found


def _refuse_newly_retired(
    incoming: Mapping[tuple[str, str], tuple[SourceRow, JobDescription]],
    existing: Mapping[tuple[str, str], tuple[int, JobDescription]],
    vocab: Vocabulary,
) -> None:
    """A JD may keep a retired role it has (an export imports again), but none is newly
    mapped to one: it names the role it was merged into, where there is one."""
    problems = []
    for key, (row, jd) in incoming.items():
        if jd.role not in vocab.retired_roles:
            continue
        held = existing.get(key)
        if held is not None and held[1].role == jd.role:
            continue
        into = vocab.retired_roles[jd.role]
        hint = f": it was merged into {into!r}; map the JD to that" if into else ""
        problems.append(
            ImportProblem(row.file, row.where, "role", f"role {jd.role!r} is retired{hint}")
        )
    if problems:
        raise ImportRefused(problems)


def _changed_fields(old: JobDescription, new: JobDescription) -> list[str]:
    return [name for name in _COMPARED_FIELDS if _field_value(old, name) != _field_value(new, name)]


def _review_date_problem(row: SourceRow, jd: JobDescription) -> ImportProblem | None:
    """A review date belongs to a premium: one with no premium (given, or held) is refused."""
    if jd.rrp_until is None or jd.rrp_amount is not None or jd.rrp_percent is not None:
        return None
    return ImportProblem(row.file, row.where, "rrp_until", _NO_PREMIUM.format(jd.rrp_until))


def plan_import(db: Database, paths: Sequence[Path]) -> ImportPlan:
    """Read and check every file; return what importing them would change.

    Raises ImportRefused listing every problem found (file, line, field); writes nothing.
    """
    problems: list[ImportProblem] = []
    sources: list[tuple[str, list[SourceRow]]] = []
    for path in paths:
        try:
            rows = read_source(path)
        except ImportProblem as problem:
            problems.append(problem)
            rows = []
        except ImportRefused as refused:  # a header or tables with several problems
            problems.extend(refused.problems)
            rows = []
        sources.append((str(path), rows))
    return plan_jd_rows(db, sources, problems)


def plan_jd_rows(
    db: Database,
    sources: Sequence[tuple[str, list[SourceRow]]],
    problems: list[ImportProblem] | None = None,
) -> ImportPlan:
    """Check JD rows already read (file, rows) against the catalogue; see `plan_import`.

    `problems` found while reading are reported with those found here.
    """
    vocab = Vocabulary.from_db(db)
    problems = list(problems or [])
    incoming: dict[tuple[str, str], tuple[SourceRow, JobDescription]] = {}
    plan = ImportPlan(scheme=vocab.scheme)
    for file, rows in sources:
        counts = plan.per_file.setdefault(file, FileCounts())
        for row in rows:
            counts.rows += 1
            try:
                jd = resolve_row(row, vocab)
            except ImportProblem as problem:
                problems.append(problem)
                continue
            key = (jd.trust, jd.jd_ref)
            earlier = incoming.get(key)
            if earlier is None:
                incoming[key] = (row, jd)
            elif earlier[1] != jd:
                first = earlier[0]
                problems.append(
                    ImportProblem(
                        row.file,
                        row.where,
                        "jd_ref",
                        f"{jd.trust} {jd.jd_ref!r} appears again with different values "
                        f"(first at {first.file}: {first.where}); each (trust, jd_ref) is one post",
                    )
                )
            else:
                counts.repeated += 1  # an exact repeat within the import: nothing to do
    if problems:
        raise ImportRefused(problems)

    existing = _existing(db, {trust for trust, _ in incoming})
    _refuse_newly_retired(incoming, existing, vocab)
    for key, (row, jd) in incoming.items():
        counts = plan.per_file[row.file]
        current = existing.get(key)
        if current is None:
            no_premium = _review_date_problem(row, jd)
            if no_premium is not None:
                problems.append(no_premium)
                continue
            plan.to_add.append((row.file, jd))
            counts.added += 1
            continue
        jd_id, old = current
        if jd.role is None and old.role is not None:
            # An empty role means "not stated": keep a mapping made in the catalogue.
            jd = jd.model_copy(update={"role": old.role})
        # A field the file does not have (no such column, key or label) is kept as held:
        # only a field given empty clears. A file of trust, jd_ref, title and band must not
        # wipe the WTE, competencies and summary of every post it names.
        kept = {
            attribute: getattr(old, attribute)
            for name in _COMPARED_FIELDS
            if name not in row.values
            for attribute in _ATTRIBUTES.get(name, (name,))
        }
        if kept:
            jd = jd.model_copy(update=kept)
        no_premium = _review_date_problem(row, jd)
        if no_premium is not None:
            problems.append(no_premium)
            continue
        changed = _changed_fields(old, jd)
        if not changed:
            counts.unchanged += 1
            continue
        plan.to_update.append((row.file, jd_id, jd))
        counts.updated += 1
        plan.changes.append(
            f"{jd.trust} {jd.jd_ref}: "
            + ", ".join(
                f"{name} {_show(_field_value(old, name))} -> {_show(_field_value(jd, name))}"
                for name in changed
            )
        )
    if problems:
        raise ImportRefused(problems)
    return plan


def _show(value: object) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, tuple):
        return " ".join(str(item) for item in value) or "(none)"
    return repr(value) if isinstance(value, str) else str(value)


def _jd_params(jd: JobDescription, scheme: JEScheme) -> tuple[Any, ...]:
    je = write_levels(jd.je_levels) if jd.je_levels else None
    # The score is the levels' numbers' score: a sub-level letter scores as its level.
    score = je_score(scheme, [level.low for level in jd.je_levels]) if jd.je_levels else None
    return (
        jd.title,
        jd.role,
        jd.band,
        jd.wte_funded,
        jd.wte_in_post,
        je,
        score,
        jd.summary,
        jd.rrp_amount,
        jd.rrp_percent,
        jd.rrp_until,
        jd.appointment_point,
        jd.supplement,
        jd.pay_note,
    )


def apply_plan(
    db: Database,
    plan: ImportPlan,
    *,
    imported_at: str | None = None,
    illustrative: bool = False,
) -> dict[str, int]:
    """Write a checked plan in one transaction; return its counts (see `ImportPlan.summary`)."""
    when = imported_at or datetime.now(UTC).isoformat(timespec="seconds")
    scheme = plan.scheme or load_scheme(db)
    conn = db.conn
    with db.atomic():
        batch_ids = {}
        for source, counts in plan.per_file.items():
            cursor = conn.execute(
                "INSERT INTO import_batch (source, imported_at, rows, added, updated, unchanged, "
                "illustrative) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    source,
                    when,
                    counts.rows,
                    counts.added,
                    counts.updated,
                    counts.unchanged,
                    int(illustrative),
                ),
            )
            batch_ids[source] = cursor.lastrowid
        next_id = (conn.execute("SELECT MAX(id) FROM job_description").fetchone()[0] or 0) + 1
        new_rows = []
        links: list[tuple[int, str, int | None]] = []
        for offset, (source, jd) in enumerate(plan.to_add):
            jd_id = next_id + offset
            new_rows.append(
                (jd_id, jd.trust, jd.jd_ref, *_jd_params(jd, scheme), batch_ids[source])
            )
            links.extend((jd_id, *split_item(item)) for item in jd.competencies)
        conn.executemany(
            "INSERT INTO job_description (id, trust, jd_ref, title, role, band, wte_funded, "
            "wte_in_post, je_levels, je_score, summary, rrp_amount, rrp_percent, rrp_until, "
            "appointment_point, supplement, pay_note, import_batch) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            new_rows,
        )
        conn.executemany(
            "UPDATE job_description SET title = ?, role = ?, band = ?, wte_funded = ?, "
            "wte_in_post = ?, je_levels = ?, je_score = ?, summary = ?, rrp_amount = ?, "
            "rrp_percent = ?, rrp_until = ?, appointment_point = ?, supplement = ?, "
            "pay_note = ?, import_batch = ? WHERE id = ?",
            [
                (*_jd_params(jd, scheme), batch_ids[source], jd_id)
                for source, jd_id, jd in plan.to_update
            ],
        )
        conn.executemany(
            "DELETE FROM jd_competency WHERE jd = ?", [(jd_id,) for _, jd_id, _ in plan.to_update]
        )
        for _, jd_id, jd in plan.to_update:
            links.extend((jd_id, *split_item(item)) for item in jd.competencies)
        conn.executemany(
            "INSERT INTO jd_competency (jd, competency, level) VALUES (?, ?, ?)", links
        )
    return plan.summary()


def import_files(
    db: Database, paths: Sequence[Path], *, dry_run: bool = False
) -> tuple[ImportPlan, dict[str, int]]:
    """Plan and (unless a dry run) apply an import of these files, all or nothing."""
    plan = plan_import(db, paths)
    if dry_run:
        return plan, plan.summary()
    return plan, apply_plan(db, plan)
