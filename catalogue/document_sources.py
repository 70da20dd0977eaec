"""A trust's own documents as import rows: a Word JD (.docx) is one post, an Excel workbook
(.xlsx) a sheet of them. What was read from where goes with the rows, for a person to check."""

from __future__ import annotations

from pathlib import Path

from catalogue.document_context import DocumentContext
from catalogue.docx_jd import REPORTED_FIELDS, REPORTED_PAY_FIELDS, read_docx
from catalogue.errors import ImportProblem
from catalogue.jd_sources import SourceRow
from catalogue.table_sources import FileRows
from catalogue.xlsx_sources import read_xlsx


def read_document(path: Path, context: DocumentContext, *, sheet: str | None = None) -> FileRows:
    name = str(path)
    if not path.is_file():
        raise ImportProblem(name, "", None, "file not found" if not path.exists() else "not a file")
    found = FileRows(name)
    if path.suffix.lower() == ".xlsx":
        read = read_xlsx(path, trust=context.trust, sheet=sheet, trust_names=context.trust_names)
        found.jds = read.rows
        found.notes = read.report()
        if not read.rows:
            raise ImportProblem(
                name, f"sheet {read.sheet!r}", None, "holds no posts below its header"
            )
        return found
    if sheet is not None:
        raise ImportProblem(name, "", None, "--sheet is for Excel workbooks, not Word documents")
    document = read_docx(path, context)
    found.jds = [SourceRow(name, "document", dict(document.values))]
    found.notes = document.report(REPORTED_FIELDS, REPORTED_PAY_FIELDS)
    return found


def check_word_jd(found: FileRows, *, needs_trust: bool = True) -> None:
    """Refuse a Word document that is not a JD, or whose trust is unknown, once any
    corrections a person made are in: a JD names its title and band."""
    values = found.jds[0].values if found.jds else {}
    missing = [
        label for key, label in (("title", "job title"), ("band", "band")) if not values.get(key)
    ]
    if missing:
        raise ImportProblem(
            found.file,
            "",
            None,
            f"not a job description that can be read: no {' and no '.join(missing)} found "
            "(a JD names its title and Agenda for Change band, in a table, a 'Label: value' "
            "line or a heading)",
        )
    if needs_trust and not values.get("trust"):
        raise ImportProblem(
            found.file, "", "trust", "no trust named in the document: give --trust CODE"
        )
