"""Reading one job description from a trust's Word document (.docx), however the trust laid it out.

Trusts put the same facts in different places: a two-column table ("Job Title:" | value), a
row of labels over a row of values, "Label: value" paragraphs, a heading, the page header. The
reader gathers every labelled value with where it stands (labels are data, in
`catalogue/data/document_labels.toml`), then takes for each field the first it found: the page
header, then the body in order. Competencies are the catalogue's whose names or synonyms the
text mentions; a job evaluation table gives the 16 factor levels. The role is left for matching.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from catalogue.document_context import DocumentContext
from catalogue.document_labels import Labels, label_key, load_labels
from catalogue.document_read import (
    DocumentRead,
    band_note,
    find_band,
    plain_text,
    title_without_band,
    wte_from,
)
from catalogue.errors import ImportProblem
from catalogue.jd_format import PAY_FIELDS
from catalogue.jd_pay import read_pay_text
from catalogue.je_levels import is_level_text, level_value, read_level

# What the import shows of a read JD, in this order.
REPORTED_FIELDS = {
    "trust": "trust",
    "jd_ref": "reference",
    "title": "title",
    "band": "band",
    "wte_funded": "WTE",
    "je_levels": "JE levels",
    "competencies": "competencies",
    "summary": "summary",
}
# Pay beyond the band: shown only when the document states it (most JDs do not).
REPORTED_PAY_FIELDS = {
    "rrp": "premium (RRP)",
    "rrp_until": "premium review date",
    "appointment_point": "appointment point",
    "supplement": "supplement",
    "pay_note": "pay note",
}
_FACTOR_NUMBER = re.compile(r"^\s*(?:factor\s*)?(\d{1,2})\s*[.):\-]?\s*", re.IGNORECASE)
_SUMMARY_LIMIT = 1500  # characters: a summary, not the whole list of duties


@dataclass
class _Block:
    """A piece of the document in reading order: a paragraph or one table."""

    where: str
    text: str = ""
    heading: bool = False
    rows: list[list[str]] | None = None  # a table's rows of distinct cells' text


def _cells(row: Any) -> list[str]:
    """A row's cells, each once (python-docx repeats a merged cell for every grid column)."""
    seen: list[Any] = []
    texts: list[str] = []
    for cell in row.cells:
        if any(cell._tc is other for other in seen):
            continue
        seen.append(cell._tc)
        texts.append(plain_text(cell.text))
    return texts


def _blocks(document: Any) -> Iterator[_Block]:
    from docx.table import Table  # deferred: python-docx loads lxml (start-up time)

    for section_number, section in enumerate(document.sections, start=1):
        where = "page header" if section_number == 1 else f"page header {section_number}"
        for paragraph in section.header.paragraphs:
            if paragraph.text.strip():
                yield _Block(where, plain_text(paragraph.text))
        for table in section.header.tables:
            yield _Block(where, rows=[_cells(row) for row in table.rows])
    paragraphs = tables = 0
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            tables += 1
            yield _Block(f"table {tables}", rows=[_cells(row) for row in item.rows])
            continue
        paragraphs += 1
        text = plain_text(item.text)
        if not text:
            continue
        style = (item.style.name if item.style is not None else "") or ""
        heading = style.lower().startswith(("heading", "title"))
        yield _Block(f"paragraph {paragraphs}", text, heading=heading)


def _label_value(text: str, labels: Labels) -> tuple[str, str] | None:
    """("title", "Radiographer") from "Job Title: Radiographer" (or a tab between)."""
    for separator in (":", "\t"):
        if separator in text:
            label, value = text.split(separator, 1)
            name = labels.jd.get(label_key(label))
            if name and len(label) <= 60:
                return name, value.strip()
    return None


def _label_only(text: str, labels: Labels) -> str | None:
    """The field a paragraph or cell that is only a label names ("Job Purpose", "Band:")."""
    return labels.jd.get(label_key(text))


def read_docx(path: Path, context: DocumentContext) -> DocumentRead:
    """Read the one JD a Word document holds; ImportProblem if it is not a Word file."""
    from docx import Document  # deferred: start-up time
    from docx.opc.exceptions import PackageNotFoundError

    name = str(path)
    try:
        document = Document(str(path))
    except PackageNotFoundError as error:
        raise ImportProblem(
            name, "", None, "not a Word document (.docx) that can be read"
        ) from error
    except (BadZipFile, KeyError, ValueError, OSError) as error:  # a damaged or disguised file
        raise ImportProblem(
            name, "", None, f"not a Word document that can be read ({error})"
        ) from error
    labels = load_labels()
    found = DocumentRead(name)
    blocks = list(_blocks(document))
    _read_labelled(blocks, labels, found)
    _read_title_from_headings(blocks, labels, found)
    _settle_title_and_band(found)
    _read_trust(blocks, context, found)
    _read_je_levels(blocks, context, found)
    _read_competencies(blocks, context, found)
    if "jd_ref" not in found.values:
        ref = "DOCX-" + (re.sub(r"[^0-9A-Za-z]+", "-", path.stem).strip("-").upper() or "JD")
        found.put("jd_ref", ref, "made from the file name: the document states no reference")
    return found


def _read_labelled(blocks: Sequence[_Block], labels: Labels, found: DocumentRead) -> None:
    pending: tuple[str, str] | None = None  # a label on its own, waiting for its text
    summary: list[str] = []
    summary_where = ""
    for block in blocks:
        if block.rows is not None:
            pending = None
            _read_table(block, labels, found)
            continue
        pair = _label_value(block.text, labels)
        if pair and pair[1]:
            pending = None
            _put_field(found, pair[0], pair[1], block.where)
            continue
        alone = _label_only(block.text, labels)
        if alone or block.heading:  # a new section: a summary being read ends here
            if summary:
                _put_field(found, "summary", " ".join(summary), summary_where)
                summary = []
            pending = (alone, block.where) if alone else None
            continue
        if pending is not None:
            field_name, where = pending
            if field_name == "summary":
                if not summary:
                    summary_where = f"{block.where}, under '{_label_text(blocks, where)}'"
                if sum(len(part) for part in summary) < _SUMMARY_LIMIT:
                    summary.append(block.text)
                continue
            _put_field(found, field_name, block.text, f"{block.where}, under {where}")
            pending = None
    if summary:
        _put_field(found, "summary", " ".join(summary), summary_where)


def _label_text(blocks: Sequence[_Block], where: str) -> str:
    return next((block.text for block in blocks if block.where == where), where)


def _read_table(block: _Block, labels: Labels, found: DocumentRead) -> None:
    rows = block.rows or []
    for number, cells in enumerate(rows, start=1):
        where = f"{block.where}, row {number}"
        names = [_label_only(cell, labels) for cell in cells]
        # A row of labels over a row of values: "Job Title | Band" / "Radiographer | 6" (or a
        # two-row table of three or more columns, where only some headings are labels).
        labelled = sum(1 for name in names if name)
        header_like = labelled >= 2 or (labelled and len(rows) == 2 and len(cells) >= 3)
        if header_like and number < len(rows):
            below = rows[number]
            if len(below) == len(cells) and not any(_label_only(c, labels) for c in below):
                for name, value in zip(names, below, strict=True):
                    if name:
                        _put_field(found, name, value, f"{block.where}, row {number + 1}")
                continue
        for index, cell in enumerate(cells):
            name = names[index]
            if name and index + 1 < len(cells) and not names[index + 1]:
                _put_field(found, name, cells[index + 1], where)
            elif name is None:
                pair = _label_value(cell, labels)
                if pair and pair[1]:
                    _put_field(found, pair[0], pair[1], where)


def _put_field(found: DocumentRead, name: str, value: str, where: str) -> None:
    value = " ".join(value.split())
    if not value:
        return
    if name == "band":
        band = find_band(value, bare=True)
        if "band" not in found.values:
            note = band_note(value, band)
            if note:
                found.notes.append(f"{where}: {note}")
        # Unreadable as one band, the text goes on as written, for the import to refuse.
        found.put("band", band or value, where)
    elif name == "wte":
        found.put("wte_funded", wte_from(value, hours=False), where)
    elif name == "hours":
        wte = wte_from(value, hours=True)
        if wte is not None and "wte_funded" not in found.values:
            found.put("wte_funded", wte, f"{where}: {value}, as WTE of a 37.5-hour week")
    elif name == "summary":
        found.put("summary", value[:_SUMMARY_LIMIT], where)
    elif name in PAY_FIELDS:
        read, note = read_pay_text(name, value)
        if note and name not in found.values:
            found.notes.append(f"{where}: {note}")
        found.put(name, read, where)
    else:
        found.put(name, value, where)


def _read_title_from_headings(
    blocks: Sequence[_Block], labels: Labels, found: DocumentRead
) -> None:
    """With no labelled title, the first heading that is not the document's own name."""
    if "title" in found.values:
        return
    for block in blocks:
        if not block.heading or block.rows is not None:
            continue
        text = block.text
        key = label_key(text)
        for prefix in labels.not_titles:  # "Job Description: Sonographer"
            if key.startswith(prefix + " ") and ":" in text:
                text = text.split(":", 1)[1].strip()
                key = label_key(text)
        if key and key not in labels.not_titles and key not in labels.jd:
            found.put("title", text, f"{block.where} (a heading)")
            return


def _settle_title_and_band(found: DocumentRead) -> None:
    """A band written in the title is the band if none is labelled, and never the title."""
    title = found.values.get("title")
    if not isinstance(title, str):
        return
    band = find_band(title)
    if band and "band" not in found.values:
        found.put("band", band, f"{found.where['title']}, in the title")
    cleaned = title_without_band(title)
    if cleaned != title:
        found.values["title"] = cleaned


def _read_trust(blocks: Sequence[_Block], context: DocumentContext, found: DocumentRead) -> None:
    named = found.values.get("trust")
    if context.trust:
        if isinstance(named, str) and _trust_code(named, context) not in (None, context.trust):
            found.notes.append(f"the document names {named!r}; imported as --trust {context.trust}")
        found.values["trust"] = context.trust
        found.where["trust"] = "--trust"
        return
    if isinstance(named, str):
        code = _trust_code(named, context)
        if code:
            found.values["trust"] = code
        return
    # The trust's name in the page header or the text, as trusts brand their documents.
    for block in blocks:
        texts = [block.text] if block.rows is None else [c for row in block.rows for c in row]
        for text in texts:
            lowered = text.lower()
            for trust_name, code in context.trust_names.items():
                if trust_name in lowered:
                    found.put("trust", code, f"{block.where} names {trust_name!r}")
                    return


def _trust_code(text: str, context: DocumentContext) -> str | None:
    if text.strip().upper() in context.trust_codes:
        return text.strip().upper()
    lowered = text.lower()
    return next((code for name, code in context.trust_names.items() if name in lowered), None)


def _read_je_levels(
    blocks: Sequence[_Block], context: DocumentContext, found: DocumentRead
) -> None:
    """The 16 factor levels of a job evaluation table, as written ("4a" is level 4)."""
    count = len(context.factor_names)
    if not count:
        return
    # Each factor by the scheme's name and the phrases profile tables use for it (data).
    phrases = {
        number: (label_key(name), *load_labels().je_factors.get(number, ()))
        for number, name in enumerate(context.factor_names, start=1)
    }
    for block in blocks:
        if block.rows is None or len(block.rows) < count:
            continue
        levels: dict[int, int | str] = {}
        level_column = _level_column(block.rows)
        for cells in block.rows:
            factor = _factor_of(cells, phrases)
            if factor is None:
                continue
            level = _level_in(cells, level_column)
            if level is not None:
                levels.setdefault(factor, level)
        if len(levels) == count:
            found.put(
                "je_levels",
                [levels[number] for number in range(1, count + 1)],
                f"{block.where} (a job evaluation profile)",
            )
            return
        if len(levels) >= count // 2:
            unread = ", ".join(
                f"{number} ({context.factor_names[number - 1]})"
                for number in range(1, count + 1)
                if number not in levels
            )
            found.notes.append(
                f"{block.where} looks like a job evaluation profile, but no level was read for "
                f"factor {unread}: JE levels left out"
            )


def _level_column(rows: Sequence[Sequence[str]]) -> int | None:
    for cells in rows[:3]:
        for index, cell in enumerate(cells):
            if label_key(cell) in ("level", "factor level", "level awarded", "je level"):
                return index
    return None


def _factor_of(cells: Sequence[str], phrases: Mapping[int, Sequence[str]]) -> int | None:
    """The factor a row is about: by its number ("3.", "Factor 3"), else by the longest
    phrase its label contains."""
    for cell in cells[:2]:
        match = _FACTOR_NUMBER.match(cell)
        if match and not is_level_text(cell) and 1 <= int(match.group(1)) <= len(phrases):
            return int(match.group(1))
        key = label_key(cell)
        best = max(
            (
                (len(phrase), number)
                for number, texts in phrases.items()
                for phrase in texts
                if phrase and re.search(rf"\b{re.escape(phrase)}\b", key)
            ),
            default=None,
        )
        if best is not None:
            return best[1]
    return None


def _level_in(cells: Sequence[str], column: int | None) -> int | str | None:
    """The level a row awards: a whole number, or the text as written when it carries a
    sub-level letter or is a range ("4a", "2-3"), for the JE check to show and the importer
    to keep (a sub-level) or refuse (a range)."""
    candidates = [cells[column]] if column is not None and column < len(cells) else cells[1:]
    for cell in candidates:
        level = read_level(cell)
        if level is not None:
            return level_value(level)
    return None


def _read_competencies(
    blocks: Sequence[_Block], context: DocumentContext, found: DocumentRead
) -> None:
    """The competencies whose names or synonyms the text mentions. Longest phrases first, and
    the text a phrase matched is not matched again, so "radiation protection adviser" does not
    also count as "radiation protection"; a hyphen or slash joins words ("PET-CT scanning" is
    not "CT scanning")."""
    texts = []
    for block in blocks:
        texts.append(block.text)
        for row in block.rows or []:
            texts.extend(row)
    text = "\n".join(texts)
    terms = sorted(
        (
            (term, competency)
            for competency, names in context.competency_terms.items()
            for term in names
        ),
        key=lambda pair: (-len(pair[0]), pair[0]),
    )
    held: dict[str, str] = {}
    for term, competency in terms:
        pattern = r"(?<![\w/-])" + re.escape(term) + r"(?![\w/-])"
        match = re.search(pattern, text, re.IGNORECASE)
        if match is None:
            continue
        held.setdefault(competency, term)
        # Blank every use of the phrase, so a shorter phrase inside it cannot match there.
        text = re.sub(pattern, lambda m: " " * len(m.group()), text, flags=re.IGNORECASE)
    if held:
        found.put(
            "competencies",
            sorted(held),
            "the text mentions " + ", ".join(sorted(f"'{term}'" for term in held.values())),
        )
