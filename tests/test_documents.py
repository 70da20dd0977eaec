"""Trusts' own documents: Word JDs in several layouts, Excel establishment lists, Excel's CSV.

Every file here is a real .docx or .xlsx that python-docx or openpyxl writes in the test.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from catalogue.document_context import DocumentContext
from catalogue.document_read import find_band, title_without_band, wte_from
from catalogue.docx_jd import read_docx
from catalogue.store import open_catalogue
from pathways.matching import suggest_for, unmapped_jds
from tests.support import digest, query, run

FACTORS = [
    "Communication and relationship skills",
    "Knowledge, training and experience",
    "Analytical and judgemental skills",
    "Planning and organisational skills",
    "Physical skills",
    "Responsibility for patient/client care",
    "Responsibility for policy/service development",
    "Responsibility for financial and physical resources",
    "Responsibility for human resources",
    "Responsibility for information resources",
    "Responsibility for research and development",
    "Freedom to act",
    "Physical effort",
    "Mental effort",
    "Emotional effort",
    "Working conditions",
]
UHB = "University Hospitals Birmingham NHS Foundation Trust"


def table_jd(
    path: Path,
    rows: list[tuple[str, str]],
    *,
    header: str = UHB,
    je: list[str] | None = None,
    purpose: str = "",
) -> Path:
    """The commonest layout: the trust in the page header, a two-column table of details."""
    document = Document()
    document.sections[0].header.paragraphs[0].text = header
    document.add_heading("Job Description", 0)
    table = document.add_table(rows=len(rows), cols=2)
    for row, (label, value) in zip(table.rows, rows, strict=True):
        row.cells[0].text = label
        row.cells[1].text = value
    if purpose:
        document.add_heading("Job Purpose", 1)
        document.add_paragraph(purpose)
        document.add_heading("Key Duties", 1)
        document.add_paragraph("Work as part of the imaging team.")
    if je is not None:
        document.add_heading("Job Evaluation Profile", 1)
        profile = document.add_table(rows=17, cols=3)
        for cell, text in zip(profile.rows[0].cells, ("Factor", "Level", "Points"), strict=True):
            cell.text = text
        for number, (name, level) in enumerate(zip(FACTORS, je, strict=True), start=1):
            cells = profile.rows[number].cells
            cells[0].text, cells[1].text, cells[2].text = f"{number}. {name}", level, "12"
    document.save(str(path))
    return path


def context_of(db_path: Path, trust: str | None = None) -> DocumentContext:
    return DocumentContext.from_db(open_catalogue(db_path), trust)


def test_a_table_laid_jd_is_read_with_where_each_field_came_from(
    packaged_db: Path, tmp_path: Path
) -> None:
    path = table_jd(
        tmp_path / "ct.docx",
        [
            ("Job Title:", "CT Radiographer (Band 6)"),
            ("Band:", "Agenda for Change Band 6"),
            ("Hours:", "30 hours per week"),
            ("Job Reference:", "UHB-IMG-0042"),
            ("Department:", "Imaging"),
        ],
        je=["4a", "6", "3", "3", "3b", "2", "3", "2", "1", "2", "2", "2", "2", "2", "2", "2"],
        purpose="Performs CT scanning, including cannulation and the administration of contrast "
        "media, under IR(ME)R.",
    )
    read = read_docx(path, context_of(packaged_db))
    assert read.values["title"] == "CT Radiographer"  # the band beside it is not the title
    assert read.values["band"] == "6"
    assert read.values["jd_ref"] == "UHB-IMG-0042"
    assert read.values["trust"] == "RRK"
    assert read.values["wte_funded"] == 0.8  # 30 of a 37.5-hour week
    # Sub-levels are kept as written (the JE check shows them; the import scores "4a" as 4).
    assert read.values["je_levels"] == ["4a", 6, 3, 3, "3b", 2, 3, 2, 1, 2, 2, 2, 2, 2, 2, 2]
    assert {"ct-scanning", "cannulation", "contrast-administration"} <= set(
        read.values["competencies"]  # type: ignore[arg-type]
    )
    assert str(read.values["summary"]).startswith("Performs CT scanning")
    assert read.where["title"] == "table 1, row 1" and read.where["band"] == "table 1, row 2"
    assert read.where["trust"].startswith("page header")
    assert read.where["je_levels"].startswith("table 2")


def test_a_jd_of_label_paragraphs_and_a_given_trust(packaged_db: Path, tmp_path: Path) -> None:
    document = Document()
    document.add_paragraph("JOB DESCRIPTION")
    document.add_paragraph("Post Title: Senior Sonographer")
    document.add_paragraph("Grade: B7")
    document.add_paragraph("JD Ref: RKB/US/117")
    document.add_paragraph("WTE: 0.6")
    document.add_heading("Job Summary", 2)
    document.add_paragraph("Performs obstetric and gynaecological ultrasound examinations.")
    document.add_paragraph("Reports its findings.")
    document.add_heading("Person Specification", 2)
    document.add_paragraph("HCPC registration is desirable.")
    path = tmp_path / "sonographer.docx"
    document.save(str(path))
    read = read_docx(path, context_of(packaged_db, "RKB"))
    assert (read.values["title"], read.values["band"], read.values["jd_ref"]) == (
        "Senior Sonographer",
        "7",
        "RKB/US/117",
    )
    assert read.values["wte_funded"] == 0.6 and read.values["trust"] == "RKB"
    assert read.values["summary"] == (
        "Performs obstetric and gynaecological ultrasound examinations. Reports its findings."
    )
    assert read.where["summary"] == "paragraph 7, under 'Job Summary'"


def test_a_row_of_labels_over_values_and_a_title_in_a_heading(
    packaged_db: Path, tmp_path: Path
) -> None:
    document = Document()
    document.add_heading("Job Description: Imaging Services Manager (Band 8a)", 1)
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ("Directorate", "Hours", "Base"), strict=True):
        cell.text = text
    for cell, text in zip(
        table.rows[1].cells, ("Clinical Support", "37.5", "Walsall"), strict=True
    ):
        cell.text = text
    path = tmp_path / "ISM 2026 (final).docx"
    document.save(str(path))
    read = read_docx(path, context_of(packaged_db, "RBK"))
    assert read.values["title"] == "Imaging Services Manager"
    assert read.values["band"] == "8a"
    assert read.where["band"].endswith("in the title")
    assert read.values["wte_funded"] == 1.0 and read.where["wte_funded"].startswith(
        "table 1, row 2"
    )
    # No reference in the document: a stable one from the file name, and said so.
    assert read.values["jd_ref"] == "DOCX-ISM-2026-FINAL"
    assert "file name" in read.where["jd_ref"]


def test_a_folder_of_word_jds_and_a_workbook_import_in_one_go_and_match(
    empty_catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = [
        table_jd(
            tmp_path / "ct.docx",
            [("Job Title", "CT Radiographer"), ("Band", "6"), ("Job Ref", "UHB-1")],
            purpose="Performs CT scanning and contrast administration; cannulation.",
        ),
        table_jd(
            tmp_path / "sono.docx",
            [("Job Title", "Sonographer"), ("Pay Band", "Band 7"), ("Job Ref", "UHB-2")],
            purpose="Performs obstetric ultrasound and abdominal ultrasound examinations and "
            "reports them.",
        ),
        establishment(tmp_path / "est.xlsx"),
    ]
    code, out, err = run(
        capsys, "import", *map(str, files), "--dry-run", "--db", str(empty_catalogue)
    )
    assert code == 0, err
    assert "title: 'CT Radiographer' (table 1, row 1)" in out
    assert "skipped: row 8 (a total row)" in out
    assert "5 added" in out
    code, out, err = run(capsys, "import", *map(str, files), "--db", str(empty_catalogue))
    assert code == 0, err
    db = open_catalogue(empty_catalogue)
    best = {
        suggestion.jd.jd_ref: suggestion.candidates[0].role
        for suggestion in suggest_for(db, unmapped_jds(db))
    }
    assert best["UHB-1"] == "specialist-radiographer"
    assert best["UHB-2"] == "sonographer"
    assert best["P001"] == "diagnostic-radiographer"
    # Importing the same files again changes nothing.
    code, out, _ = run(
        capsys, "import", *map(str, files), "--format", "json", "--db", str(empty_catalogue)
    )
    counts = json.loads(out)
    assert (counts["added"], counts["updated"], counts["unchanged"]) == (0, 0, 5)


def test_a_word_file_that_is_not_a_jd_is_refused_and_nothing_is_written(
    empty_catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    minutes = Document()
    minutes.add_heading("Imaging network board: minutes", 1)
    minutes.add_paragraph("Present: the network lead, two radiology managers.")
    minutes.add_paragraph("Item 1: the CT capacity plan was agreed.")
    path = tmp_path / "minutes.docx"
    minutes.save(str(path))
    good = table_jd(tmp_path / "good.docx", [("Job Title", "Radiographer"), ("Band", "5")])
    broken = tmp_path / "renamed.docx"
    broken.write_text("this was a .doc once", encoding="utf-8")
    before = digest(empty_catalogue)
    code, _, err = run(
        capsys, "import", str(good), str(path), str(broken), "--db", str(empty_catalogue)
    )
    assert code == 2
    assert f"{path}: not a job description that can be read: no band found" in err
    assert f"{broken}: not a Word document (.docx) that can be read" in err
    assert "Traceback" not in err
    assert digest(empty_catalogue) == before


def establishment(path: Path, *, extra_sheet: bool = False) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Establishment"
    sheet.append([f"{UHB}: imaging establishment 2026/27"])
    sheet.append([])
    sheet.append(
        [
            "Position No",
            "Post Title",
            "AfC Band",
            "Budgeted WTE",
            "Staff in Post WTE",
            "Cost Centre",
        ]
    )
    sheet.append(["P001", "Diagnostic Radiographer", "Band 5", 12.0, 10.4, "IMG01"])
    sheet.append(["P002", "Sonographer (Band 7)", None, 4, 3.2, "IMG02"])
    sheet.append(["P003", "Imaging Assistant", "B3", 3.5, 3.5, "IMG01"])
    sheet.append([None, None, None, None, None, None])
    sheet.append(["Total", None, None, 19.5, 17.1, None])
    if extra_sheet:
        other = book.create_sheet("Last year")
        other.append(["Job Title", "Band", "Funded WTE"])
        other.append(["Radiographer", "5", 11])
    book.save(str(path))
    return path


def test_a_workbook_is_read_under_its_title_rows_with_totals_skipped(
    empty_catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = establishment(tmp_path / "est.xlsx")
    code, out, err = run(capsys, "import", str(path), "--db", str(empty_catalogue))
    assert code == 0, err
    assert query(
        empty_catalogue,
        "SELECT trust, jd_ref, title, band, wte_funded, wte_in_post FROM job_description "
        "ORDER BY jd_ref",
    ) == [
        ("RRK", "P001", "Diagnostic Radiographer", "5", 12.0, 10.4),
        ("RRK", "P002", "Sonographer", "7", 4.0, 3.2),
        ("RRK", "P003", "Imaging Assistant", "3", 3.5, 3.5),
    ]


def test_a_workbook_of_several_sheets_asks_which(
    empty_catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = establishment(tmp_path / "two.xlsx", extra_sheet=True)
    code, _, err = run(capsys, "import", str(path), "--db", str(empty_catalogue))
    assert code == 2
    assert (
        "several sheets hold posts ('Establishment', 'Last year'): choose one with --sheet" in err
    )
    code, _, err = run(capsys, "import", str(path), "--sheet", "Nope", "--db", str(empty_catalogue))
    assert code == 2 and "no sheet 'Nope'" in err
    code, out, err = run(
        capsys,
        "import",
        str(path),
        "--sheet",
        "Last year",
        "--trust",
        "RBK",
        "--dry-run",
        "--db",
        str(empty_catalogue),
    )
    assert code == 0, err
    assert "made from its title and band" in out and "1 added" in out


def test_excels_plain_csv_in_windows_1252_is_read_and_said_so(
    empty_catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(
        "trust,jd_ref,title,band\r\nRRK,X1,Radiographer – Résumé,5\r\n".encode("cp1252")
    )
    code, out, err = run(capsys, "import", str(path), "--db", str(empty_catalogue))
    assert code == 0, err
    assert "read as Windows-1252" in out
    assert query(empty_catalogue, "SELECT title FROM job_description") == [
        ("Radiographer – Résumé",)
    ]


@pytest.mark.parametrize(
    ("text", "band"),
    [
        ("Band 6", "6"),
        ("B6", "6"),
        ("Agenda for Change Band 7", "7"),
        ("AfC band 8A", "8a"),
        ("(Band 8b)", "8b"),
        ("Band: 8 c", "8c"),
        ("Vitamin B12", None),
        ("Band 10", None),
    ],
)
def test_bands_as_people_write_them(text: str, band: str | None) -> None:
    assert find_band(text) == band


def test_titles_hours_and_wte() -> None:
    assert title_without_band("Sonographer (Band 7)") == "Sonographer"
    assert title_without_band("Band 6 - CT Radiographer") == "CT Radiographer"
    assert title_without_band("Radiographer, Band 5") == "Radiographer"
    assert title_without_band("Band 6") == "Band 6"  # nothing else: kept as written
    assert wte_from("22.5 hours per week", hours=True) == 0.6
    assert wte_from("1.0 WTE", hours=False) == 1.0
    assert wte_from("Full time", hours=True) == 1.0
    assert wte_from("to be agreed", hours=True) is None


_words = st.text(alphabet="ABCDEFGHIJKLMNOPRSTUVWYabcdefghijklmnoprstuvwy", min_size=3, max_size=10)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    title=st.lists(_words, min_size=1, max_size=4).map(" ".join),
    band=st.sampled_from(["2", "3", "4", "5", "6", "7", "8a", "8b", "8c", "8d", "9"]),
    written=st.sampled_from(["Band {}", "B{}", "{}", "Agenda for Change Band {}"]),
    ref=st.from_regex(r"[A-Z]{2,4}-[0-9]{1,5}", fullmatch=True),
    hours=st.sampled_from([7.5, 15, 18.75, 22.5, 30, 37.5]),
    levels=st.lists(st.integers(min_value=1, max_value=5), min_size=16, max_size=16),
    letters=st.lists(st.sampled_from(["", "a", "b"]), min_size=16, max_size=16),
)
def test_what_is_put_in_a_jd_is_what_is_read(
    packaged_db: Path,
    tmp_path: Path,
    title: str,
    band: str,
    written: str,
    ref: str,
    hours: float,
    levels: list[int],
    letters: list[str],
) -> None:
    path = table_jd(
        tmp_path / "generated.docx",
        [
            ("Job Title:", title),
            ("Band:", written.format(band.upper() if written == "{}" else band)),
            ("Hours:", f"{hours:g}"),
            ("Job Reference:", ref),
        ],
        je=[f"{level}{letter}" for level, letter in zip(levels, letters, strict=True)],
    )
    read = read_docx(path, context_of(packaged_db))
    assert read.values["title"] == title
    assert read.values["band"] == band
    assert read.values["jd_ref"] == ref
    assert read.values["wte_funded"] == round(hours / 37.5, 2)
    assert read.values["je_levels"] == [
        f"{level}{letter}" if letter else level
        for level, letter in zip(levels, letters, strict=True)
    ]


def test_a_je_profile_with_the_trusts_own_factor_wording(packaged_db: Path, tmp_path: Path) -> None:
    wording = [
        "Communication",
        "Knowledge",
        "Analytical skills",
        "Planning skills",
        "Physical skills",
        "Patient care",
        "Responsibility for policy and service development",
        "Financial and physical resources",
        "Human resources",
        "Information resources",
        "Research and development",
        "Freedom to act",
        "Physical effort",
        "Mental effort",
        "Emotional effort",
        "Working conditions",
    ]
    document = Document()
    document.add_paragraph("Job Title: Radiographer")
    document.add_paragraph("Band: 5")
    profile = document.add_table(rows=16, cols=2)
    levels = [3, 5, 3, 2, 3, 4, 1, 2, 1, 1, 1, 3, 3, 3, 2, 3]
    for row, name, level in zip(profile.rows, wording, levels, strict=True):
        row.cells[0].text, row.cells[1].text = name, str(level)
    path = tmp_path / "profile.docx"
    document.save(str(path))
    read = read_docx(path, context_of(packaged_db, "RRK"))
    assert read.values["je_levels"] == levels
    # A row the reader cannot place is named, not silently lost.
    profile.rows[6].cells[0].text = "Strategic stuff"
    document.save(str(path))
    read = read_docx(path, context_of(packaged_db, "RRK"))
    assert "je_levels" not in read.values
    assert any("factor 7 (Responsibility for policy/service development)" in n for n in read.notes)


def test_a_workbook_without_references_keeps_its_posts_when_rows_move(
    empty_catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def workbook(rows: list[list[object]]) -> Path:
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(["Job Title", "Band", "Funded WTE", "In post"])
        for row in rows:
            sheet.append(row)
        path = tmp_path / "census.xlsx"
        book.save(str(path))
        return path

    first = [["Diagnostic Radiographer", "5", 30, 28], ["Diagnostic Radiographer", "5", 8, 6]]
    code, out, err = run(
        capsys, "import", str(workbook(first)), "--trust", "RRK", "--db", str(empty_catalogue)
    )
    assert code == 0, err
    assert "the same title and band as row 2" in out
    held = query(empty_catalogue, "SELECT jd_ref, wte_funded, wte_in_post FROM job_description")
    assert held == [("DIAGNOSTIC-RADIOGRAPHER-B5", 38.0, 34.0)]
    code, out, _ = run(
        capsys,
        "import",
        str(workbook(list(reversed(first)))),
        "--trust",
        "RRK",
        "--format",
        "json",
        "--db",
        str(empty_catalogue),
    )
    assert json.loads(out)["unchanged"] == 1


def test_a_read_word_jd_can_be_put_right_field_by_field_before_it_is_imported(
    empty_catalogue: Path, tmp_path: Path
) -> None:
    from catalogue.catalogue_import import import_catalogue
    from catalogue.errors import ImportRefused

    # No band anywhere: refused as read, imported once a person gives the band.
    path = table_jd(
        tmp_path / "no-band.docx", [("Job Title", "Imaging Assistant"), ("Job Ref", "A-1")]
    )
    db = open_catalogue(empty_catalogue)
    before = digest(empty_catalogue)
    with pytest.raises(ImportRefused, match="no band found"):
        import_catalogue(db, [path], dry_run=True)
    result = import_catalogue(db, [path], dry_run=True, corrections={str(path): {"band": "3"}})
    assert result.documents[str(path)]["band"] == "3"
    assert any("band: corrected by hand to '3'" in note for note in result.reads[str(path)])
    assert digest(empty_catalogue) == before
    import_catalogue(
        db, [path], corrections={str(path): {"band": "3", "title": "Imaging Support Worker"}}
    )
    assert query(empty_catalogue, "SELECT jd_ref, title, band FROM job_description") == [
        ("A-1", "Imaging Support Worker", "3")
    ]
