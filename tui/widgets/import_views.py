"""What the Import screen shows of an import: its counts in words, what was read from a trust's
document and from where, the rows it adds or changes, and every problem of a refused file.

Pure functions over `catalogue.catalogue_import.ImportResult` and `ImportProblem` (no widgets).
Everything from a file (a title, a reference, a problem quoting a value) is Text, never markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from catalogue.catalogue_import import ImportResult
    from catalogue.errors import ImportProblem

# JDs to add (and lines of changes) listed in the preview; the counts above them cover all.
PREVIEW_ROWS = 500

# The importer's words for the command line's flags, and the screen's for the keys that do the
# same here. Where the importer's wording changes, its own words show (a test keeps these in
# step).
SCREEN_WORDS = (
    ("name the trust with --trust CODE", "choose its trust with t"),
    ("give --trust CODE", "choose its trust with t"),
    ("choose one with --sheet NAME", "choose one with s"),
    ("(--trust)", "(chosen here with t)"),
    ("imported as --trust ", "imported as the trust chosen here, "),
)


def on_screen(text: str) -> str:
    """The importer's `text`, with the keys of this screen where it names a flag."""
    for flag, key in SCREEN_WORDS:
        text = text.replace(flag, key)
    return text


def asks_for(problems: Iterable[ImportProblem]) -> set[str]:
    """What a refusal asks the person to choose: "trust", "sheet" (or nothing)."""
    asked = set()
    for problem in problems:
        if "--trust" in problem.message:
            asked.add("trust")
        if "--sheet" in problem.message:
            asked.add("sheet")
    return asked


def counts_text(result: ImportResult) -> str:
    """The counts in words, as the command line says them: "2 added, 0 updated, 1 unchanged",
    or one kind after another: "routes: 1 added, ...; edges: 1 added, ..."."""
    return "; ".join(result.lines()) or "no rows"


def changes_made(result: ImportResult) -> int:
    """How many rows of every kind an import adds or updates."""
    reference = result.reference.totals()
    return reference.added + reference.updated + result.jds.added + result.jds.updated


def same_changes(one: ImportResult, other: ImportResult) -> bool:
    """Whether two imports write the same thing: the same counts, the same reference rows
    (each with the same values) and the same JDs to add and to update."""

    def reference(result: ImportResult) -> list[tuple[str, str, str, object]]:
        return [
            (change.kind.name, change.key, change.action, change.record)
            for change in result.reference.changes
        ]

    return (
        one.summary() == other.summary()
        and one.changes == other.changes
        and reference(one) == reference(other)
        and one.jds.to_add == other.jds.to_add
        and one.jds.to_update == other.jds.to_update
    )


def shown_path(path: Path) -> str:
    """A path as the user would type it: relative to the current directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def reads_preview(result: ImportResult) -> list[RenderableType]:
    """File by file, what was read into each field of a trust's document and from where (the
    column mapping of a workbook), and anything assumed on the way; a blank line after."""
    parts: list[RenderableType] = []
    for file, lines in result.reads.items():
        parts.append(Text(f"Read from {shown_path(Path(file))}", style="bold"))
        # Indented as a whole: a long line wraps under its own start.
        parts.extend(Padding(Text(on_screen(line)), (0, 0, 0, 2)) for line in lines)
        parts.append(Text(""))
    return parts


def plan_preview(result: ImportResult, *, written: bool = False) -> RenderableType:
    """What was read from a trust's documents, the reference rows an import adds or changes,
    the JDs it adds, and each change it makes to a JD the catalogue holds (the first
    PREVIEW_ROWS of each; the counts above them cover all). Every line of `result.changes`
    is among them."""
    parts = reads_preview(result)
    reference = result.reference.lines
    if reference:
        title = f"{'Reference rows written' if written else 'Reference rows to write'}"
        parts.append(Text(f"{title} ({len(reference):,})", style="bold"))
        parts.extend(Text(f"  {line}") for line in reference[:PREVIEW_ROWS])
        if len(reference) > PREVIEW_ROWS:
            more = len(reference) - PREVIEW_ROWS
            parts.append(Text(f"  … and {more:,} more (e writes them all to a file)", style="dim"))
        parts.append(Text(""))
    plan = result.jds
    if plan.to_add:
        title = f"{'Added' if written else 'To add'} ({plan.added:,})"
        added = Table(title=title, title_justify="left", title_style="bold", box=None, expand=True)
        # The title takes the room left (folded, never cut: it is what the user checks); a
        # narrow terminal cuts the role id before anything else.
        added.add_column("Trust", no_wrap=True)
        added.add_column("Ref", overflow="fold", min_width=8)
        added.add_column("Title", ratio=1, overflow="fold", min_width=12)
        added.add_column("Band", no_wrap=True)
        added.add_column("Role", no_wrap=True, overflow="ellipsis", max_width=26)
        for _, jd in plan.to_add[:PREVIEW_ROWS]:
            # Text, never str: a title or reference from the file is data, not markup.
            added.add_row(
                Text(jd.trust),
                Text(jd.jd_ref),
                Text(jd.title),
                Text(jd.band or "medical"),
                Text(jd.role) if jd.role else Text("to match", style="dim italic"),
            )
        parts.append(added)
        if plan.added > PREVIEW_ROWS:
            more = plan.added - PREVIEW_ROWS
            parts.append(Text(f"… and {more:,} more (e writes them all to a file)", style="dim"))
    if plan.changes:
        title = f"{'Updated' if written else 'To update'} ({plan.updated:,})"
        parts.append(Text(f"\n{title}", style="bold"))
        parts.extend(Text(f"  {line}") for line in plan.changes[:PREVIEW_ROWS])
        if len(plan.changes) > PREVIEW_ROWS:
            more = len(plan.changes) - PREVIEW_ROWS
            parts.append(Text(f"  … and {more:,} more (e writes them all to a file)", style="dim"))
    if not (reference or plan.to_add or plan.changes):
        parts.append(Text("Every row in the file is in the catalogue as given: nothing to do."))
    return Group(*parts)


def problem_lines(problems: Sequence[ImportProblem]) -> list[str]:
    """Every problem, one a line, under the file it is in: "line 3: field 'band': ..."."""
    lines: list[str] = []
    current: str | None = None
    for problem in problems:
        if problem.file != current:
            current = problem.file
            lines += ([""] if lines else []) + [shown_path(Path(problem.file))]
        field = f"field '{problem.field}'" if problem.field else ""
        where = ": ".join(part for part in (problem.where, field) if part)
        message = on_screen(problem.message)
        lines.append(f"  {where}: {message}" if where else f"  {message}")
    return lines
