"""`workforce import`: any mix of reference rows and JDs from any number of files, all or nothing.

Every file is read and every reference row checked first. Then, in one transaction, reference
rows are written in dependency order (an ICB before its trusts, a route before the moves it
serves) and the JDs are checked against the catalogue as it now stands, so one file can bring
a new network's trusts and their JDs together. Any problem, or a dry run, rolls the whole
transaction back: the catalogue file is left byte for byte as it was.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from catalogue.document_context import DocumentContext
from catalogue.document_sources import check_word_jd
from catalogue.errors import ImportProblem, ImportRefused, Problems
from catalogue.importer import ImportPlan, apply_plan, describe_counts, plan_jd_rows
from catalogue.jd_format import ALL_FIELDS
from catalogue.reference_import import ReferencePlan, apply_reference, plan_reference
from catalogue.reference_kinds import BY_NAME, Kind
from catalogue.store import write_transaction
from catalogue.table_sources import DOCUMENT_SUFFIXES, JDS, FileRows, read_file


@dataclass
class ImportResult:
    reference: ReferencePlan
    jds: ImportPlan
    # File by file, what was read from where and anything assumed (a document's fields).
    reads: dict[str, list[str]] = field(default_factory=dict)
    # Each Word JD's fields as read (and corrected): what a person may put right.
    documents: dict[str, dict[str, object]] = field(default_factory=dict)

    def summary(self) -> dict[str, object]:
        """Totals over every kind, then each kind's own counts (as --format json gives them)."""
        by_kind: dict[str, dict[str, int]] = {}
        if self.jds.per_file:
            by_kind[JDS] = self.jds.summary()
        for name, counts in self.reference.by_kind.items():
            by_kind[BY_NAME[name].plural] = counts.as_dict()
        totals = {
            measure: sum(counts[measure] for counts in by_kind.values())
            for measure in ("added", "updated", "unchanged", "repeated")
        }
        return {**totals, "by_kind": by_kind}

    @property
    def changes(self) -> list[str]:
        return [*self.reference.lines, *self.jds.changes]

    def lines(self) -> list[str]:
        """The counts in words, one line per kind when there is more than one."""
        summary = self.summary()
        by_kind = summary["by_kind"]
        assert isinstance(by_kind, dict)
        if len(by_kind) == 1:
            return [describe_counts(next(iter(by_kind.values())))]
        return [f"{name}: {describe_counts(counts)}" for name, counts in by_kind.items()]


def _is_word(found: FileRows) -> bool:
    return found.file.lower().endswith(".docx") and len(found.jds) == 1


def _correct(found: FileRows, fields: Mapping[str, str]) -> None:
    """Put a person's corrections into a Word JD's one row, and say so beside what was read."""
    if not fields:
        return
    if not _is_word(found):
        raise ImportRefused(
            [ImportProblem(found.file, "", None, "only a Word JD's fields can be corrected")]
        )
    values = found.jds[0].values
    for name, value in fields.items():
        if name not in ALL_FIELDS or name in ("trust", "jd_ref") and not value.strip():
            raise ImportRefused(
                [ImportProblem(found.file, "", name, "cannot be corrected to that")]
            )
        was = values.get(name)
        values[name] = value
        found.notes.append(f"{name}: corrected by hand to {value!r} (read as {was!r})")


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def read_files(
    paths: Sequence[Path],
    kind: Kind | str | None = None,
    *,
    documents: DocumentContext | None = None,
    sheet: str | None = None,
    corrections: Mapping[str, Mapping[str, str]] | None = None,
) -> list[FileRows]:
    """Read every file, reporting every file's problems at once; a Word JD is checked once
    a person's corrections to it (file -> field -> value) are in."""
    problems = Problems()
    found: list[FileRows] = []
    for path in paths:
        with problems.gathered():
            rows = read_file(path, kind, documents=documents, sheet=sheet)
            _correct(rows, (corrections or {}).get(rows.file, {}))
            if _is_word(rows):
                check_word_jd(rows)
            found.append(rows)
    problems.raise_any()
    return found


def import_catalogue(
    db: Database,
    paths: Sequence[Path],
    *,
    kind: Kind | str | None = None,
    dry_run: bool = False,
    imported_at: str | None = None,
    trust: str | None = None,
    sheet: str | None = None,
    corrections: Mapping[str, Mapping[str, str]] | None = None,
) -> ImportResult:
    """Import these files, all or nothing; with `dry_run`, say what would change and keep
    nothing. Raises ImportRefused naming every problem.

    A trust's own Word JDs and Excel workbooks are read too: `trust` (an ODS code or exact
    name) is the trust they belong to where they do not say, `sheet` the workbook sheet.
    `corrections` (file -> field -> value) puts right what was read from a Word JD before
    it is checked, as a person does on the app's Import screen."""
    documents = None
    if trust is not None or any(p.suffix.lower() in DOCUMENT_SUFFIXES for p in paths):
        documents = DocumentContext.from_db(db, trust)
    files = read_files(paths, kind, documents=documents, sheet=sheet, corrections=corrections)

    when = imported_at or datetime.now(UTC).isoformat(timespec="seconds")
    result: ImportResult | None = None
    try:
        # Planned and written under one write lock, so nothing changes in between.
        with write_transaction(db):
            reference = plan_reference(db, files)
            apply_reference(db.conn, reference, when=when)
            jd_plan = plan_jd_rows(db, [(f.file, f.jds) for f in files if f.jds])
            apply_plan(db, jd_plan, imported_at=when)
            result = ImportResult(
                reference,
                jd_plan,
                {f.file: f.notes for f in files if f.notes},
                {f.file: dict(f.jds[0].values) for f in files if _is_word(f)},
            )
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    assert result is not None
    return result
