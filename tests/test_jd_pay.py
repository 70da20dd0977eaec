"""Pay beyond the band on JDs: premia, review dates, appointment points and supplements read
from CSV, TOML, JSON, Word and Excel, refused when wrong, and exported to import again."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook

from catalogue.jd_format import ALL_FIELDS, FIELDS, PAY_FIELDS
from catalogue.jd_pay import (
    amount_in_text,
    date_in_text,
    parse_amount,
    parse_date,
    parse_point,
    parse_rrp,
    point_in_text,
    rrp_text,
)
from tests.support import digest, query, run

PAY_SQL = (
    "SELECT jd_ref, rrp_amount, rrp_percent, rrp_until, appointment_point, supplement, pay_note "
    "FROM job_description ORDER BY jd_ref"
)
HEADER = ",".join(ALL_FIELDS)


def _csv(tmp_path: Path, name: str, lines: list[str], header: str = HEADER) -> Path:
    path = tmp_path / name
    path.write_text(header + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def _row(ref: str, band: str, pay: str) -> str:
    """A CSV row of a sonographer at RRK: the core fields, then the five pay fields."""
    return f"RRK,{ref},Sonographer,sonographer,{band},2,2,,,,{pay}"


# ---- the parsers, one rule each ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("1500", (1500, None)),
        ("£1,500", (1500, None)),
        ("1500.00", (1500, None)),
        (2400, (2400, None)),
        (2400.0, (2400, None)),
        ("10%", (None, 10.0)),
        ("12.5 %", (None, 12.5)),
        ("", (None, None)),
        (None, (None, None)),
        ("0", (None, None)),  # zero: no premium
    ],
)
def test_a_premium_is_an_amount_or_a_percentage(written: object, read: tuple[object, ...]) -> None:
    assert parse_rrp(written) == read


@pytest.mark.parametrize(
    ("written", "says"),
    [
        ("ten per cent", "not an amount of pounds"),
        ("0.1", "written with its sign, such as 10%"),
        ("1500.50", "not whole pounds"),
        ("-200", "not an amount"),
        (-200, "zero or more"),
        ("150%", "more than basic pay"),
        ("x%", "not a percentage"),
        ("9" * 4000, "more than any premium"),
        (10**4000, "more than any premium"),
        (True, "amount of pounds"),
        (float("nan"), "not an amount"),
    ],
)
def test_a_bad_premium_is_refused_saying_why(written: object, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_rrp(written)


def test_a_supplement_is_pounds_never_a_percentage() -> None:
    assert parse_amount("£2,000") == 2000
    with pytest.raises(ValueError, match="pounds a year"):
        parse_amount("5%")


def test_review_dates_are_iso_and_real() -> None:
    assert parse_date("2027-03-31") == "2027-03-31"
    assert parse_date(date(2027, 3, 31)) == "2027-03-31"  # a TOML date
    assert parse_date("") is None
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_date("31/03/2027")
    with pytest.raises(ValueError, match="not a date in the calendar"):
        parse_date("2027-02-30")
    with pytest.raises(ValueError, match="date alone"):
        parse_date(datetime(2027, 3, 31, 9, 0))


def test_appointment_points_default_to_entry() -> None:
    assert parse_point("") == "entry"
    assert parse_point("Top") == "top"
    assert parse_point("mid") == "intermediate"
    with pytest.raises(ValueError, match="use entry, intermediate"):
        parse_point("step 3")


def test_a_premium_is_written_as_it_is_read() -> None:
    assert rrp_text(1500, None) == 1500
    assert rrp_text(None, 12.5) == "12.5%" and rrp_text(None, 10.0) == "10%"
    assert rrp_text(None, None) is None
    for written in ("1500", "10%", "12.5%"):
        amount, percent = parse_rrp(written)
        assert str(rrp_text(amount, percent)) == written


def test_documents_word_pay_their_own_way() -> None:
    assert amount_in_text("£1,500 per annum, pro rata") == "1500"
    assert amount_in_text("10% of basic salary") == "10%"
    assert amount_in_text("£1,000 - £2,000") is None  # a range is not one payment
    assert date_in_text("to be reviewed on 31/03/2027") == "2027-03-31"
    assert date_in_text("31st March 2027") == "2027-03-31"
    assert date_in_text("31/02/2027") is None
    assert point_in_text("Top of the band") == "top"
    assert point_in_text("Entry point") == "entry"
    assert point_in_text("entry or top, by experience") is None


# ---- importing and exporting ------------------------------------------------------------------


def test_pay_columns_import_and_an_export_imports_again_exactly(
    empty_catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _csv(
        tmp_path,
        "pay.csv",
        [
            _row("S1", "7", '"£2,000",2027-03-31,top,1200,"on-call, weekends"'),
            _row("S2", "7", "10%,2026-09-30,mid,,"),
            _row("S3", "7", ",,,,"),
        ],
    )
    code, _, err = run(capsys, "import", str(source), "--db", str(empty_catalogue))
    assert code == 0, err
    assert query(empty_catalogue, PAY_SQL) == [
        ("S1", 2000, None, "2027-03-31", "top", 1200, "on-call, weekends"),
        ("S2", None, 10.0, "2026-09-30", "intermediate", None, ""),
        ("S3", None, None, None, "entry", None, ""),
    ]
    for fmt in ("csv", "toml", "json"):
        out = tmp_path / f"jds.{fmt}"
        code, _, err = run(
            capsys, "export", "jds", "--db", str(empty_catalogue), "--format", fmt, "-o", str(out)
        )
        assert code == 0, err
        code, text, err = run(
            capsys, "import", str(out), "--db", str(empty_catalogue), "--format", "json"
        )
        assert code == 0, err
        counts = json.loads(text)
        assert (counts["added"], counts["updated"], counts["unchanged"]) == (0, 0, 3), fmt
    exported = (tmp_path / "jds.csv").read_text(encoding="utf-8").splitlines()
    assert exported[0] == HEADER
    assert exported[1].endswith(',2000,2027-03-31,top,1200,"on-call, weekends"')
    assert exported[2].endswith(",10%,2026-09-30,intermediate,,")
    records = json.loads((tmp_path / "jds.json").read_text(encoding="utf-8"))
    assert records[0]["rrp"] == 2000 and records[1]["rrp"] == "10%"


def test_an_absent_pay_column_keeps_what_is_held_and_an_empty_cell_clears(
    empty_catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _csv(tmp_path, "first.csv", [_row("S1", "7", "10%,2027-03-31,top,900,weekend lists")])
    assert run(capsys, "import", str(first), "--db", str(empty_catalogue))[0] == 0
    core_only = _csv(
        tmp_path, "core.csv", ["RRK,S1,Sonographer,sonographer,7,3,2,,,"], ",".join(FIELDS)
    )
    code, _, err = run(capsys, "import", str(core_only), "--db", str(empty_catalogue))
    assert code == 0, err
    assert query(empty_catalogue, PAY_SQL) == [
        ("S1", None, 10.0, "2027-03-31", "top", 900, "weekend lists")
    ]
    # Only the premium's two columns given, empty: the premium and its date go, the rest stay.
    cleared = _csv(
        tmp_path,
        "cleared.csv",
        ["RRK,S1,Sonographer,sonographer,7,3,2,,"],
        "trust,jd_ref,title,role,band,wte_funded,wte_in_post,rrp,rrp_until",
    )
    code, out, err = run(capsys, "import", str(cleared), "--db", str(empty_catalogue), "--dry-run")
    assert code == 0, err
    assert "rrp '10%' -> (none)" in out and "rrp_until '2027-03-31' -> (none)" in out
    assert run(capsys, "import", str(cleared), "--db", str(empty_catalogue))[0] == 0
    held = query(empty_catalogue, PAY_SQL)
    assert held == [("S1", None, None, None, "top", 900, "weekend lists")]


def test_bad_pay_values_are_refused_naming_file_line_and_field(
    empty_catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _csv(
        tmp_path,
        "bad.csv",
        [
            _row("B1", "7", "ten pounds,,,,"),
            _row("B2", "7", "10%,31/03/2027,,,"),
            _row("B3", "7", ",,step 4,,"),
            _row("B4", "7", ",,,5%,"),
            _row("B5", "7", ",2027-03-31,,,"),
            _row("B6", "7", ",,,," + "x" * 300),
        ],
    )
    before = digest(empty_catalogue)
    code, _, err = run(capsys, "import", str(source), "--db", str(empty_catalogue))
    assert code == 2
    assert f"{source}: line 2: field 'rrp': 'ten pounds' is not an amount of pounds" in err
    assert f"{source}: line 3: field 'rrp_until': '31/03/2027' is not a date written" in err
    assert f"{source}: line 4: field 'appointment_point': 'step 4' is not a pay point" in err
    assert f"{source}: line 5: field 'supplement': '5%'" in err
    assert f"{source}: line 6: field 'rrp_until': 2027-03-31 is the review date of a premium" in err
    assert f"{source}: line 7: field 'pay_note': is 300 characters" in err
    assert digest(empty_catalogue) == before


def test_a_review_date_left_without_its_premium_is_refused_on_reimport(
    empty_catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The date is checked against the premium held when the file leaves the rrp out."""
    first = _csv(tmp_path, "first.csv", [_row("S1", "7", "1500,2027-03-31,,,")])
    assert run(capsys, "import", str(first), "--db", str(empty_catalogue))[0] == 0
    no_premium = _csv(
        tmp_path,
        "no-premium.csv",
        ["RRK,S1,Sonographer,sonographer,7,,"],
        "trust,jd_ref,title,role,band,rrp,rrp_until",
    )
    code, _, err = run(capsys, "import", str(no_premium), "--db", str(empty_catalogue))
    assert code == 0, err  # both cleared together: fine
    date_only = _csv(
        tmp_path,
        "date-only.csv",
        ["RRK,S1,Sonographer,sonographer,7,2028-03-31"],
        "trust,jd_ref,title,role,band,rrp_until",
    )
    code, _, err = run(capsys, "import", str(date_only), "--db", str(empty_catalogue))
    assert code == 2
    assert "line 2: field 'rrp_until': 2028-03-31 is the review date of a premium" in err


def test_toml_and_json_take_numbers_and_dates_as_they_write_them(
    empty_catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    toml = tmp_path / "pay.toml"
    toml.write_text(
        '[[job]]\ntrust = "RRK"\njd_ref = "T1"\ntitle = "Sonographer"\nband = "7"\n'
        'rrp = 1800\nrrp_until = 2027-03-31\nappointment_point = "intermediate"\n',
        encoding="utf-8",
    )
    data = tmp_path / "pay.json"
    data.write_text(
        json.dumps(
            [
                {
                    "trust": "RRK",
                    "jd_ref": "J1",
                    "title": "Sonographer",
                    "band": "7",
                    "rrp": "5%",
                    "supplement": 750,
                    "pay_note": "weekend ultrasound lists",
                }
            ]
        ),
        encoding="utf-8",
    )
    code, _, err = run(capsys, "import", str(toml), str(data), "--db", str(empty_catalogue))
    assert code == 0, err
    assert query(empty_catalogue, PAY_SQL) == [
        ("J1", None, 5.0, None, "entry", 750, "weekend ultrasound lists"),
        ("T1", 1800, None, "2027-03-31", "intermediate", None, ""),
    ]


def test_a_word_jd_and_a_workbook_state_pay_their_own_way(
    empty_catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = Document()
    document.sections[0].header.paragraphs[
        0
    ].text = "University Hospitals Birmingham NHS Foundation Trust"
    table = document.add_table(rows=6, cols=2)
    for row, (label, value) in zip(
        table.rows,
        [
            ("Job Title:", "Sonographer"),
            ("Band:", "Band 7"),
            ("Job Reference:", "UHB-US-7"),
            ("Recruitment and Retention Premium:", "£2,500 per annum"),
            ("RRP review date:", "31/03/2027"),
            ("Appointment point:", "Top of band"),
        ],
        strict=True,
    ):
        row.cells[0].text, row.cells[1].text = label, value
    word = tmp_path / "sonographer.docx"
    document.save(str(word))

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Position No", "Job Title", "Band", "RRP", "RRP review date", "Supplement"])
    sheet.append(["P1", "Sonographer", "7", 0.1, datetime(2027, 3, 31), "£600"])
    sheet.append(["P2", "Sonographer", "7", 1500, None, None])
    workbook = tmp_path / "establishment.xlsx"
    book.save(str(workbook))

    code, out, err = run(
        capsys,
        "import",
        str(word),
        str(workbook),
        "--trust",
        "RRK",
        "--db",
        str(empty_catalogue),
        "--dry-run",
    )
    assert code == 0, err
    assert "premium (RRP): '2500' (table 1, row 4)" in out
    assert "rrp read as 2500 from '£2,500 per annum'" in out
    assert "rrp 0.1 read as a percentage, 10%" in out
    code, _, err = run(
        capsys, "import", str(word), str(workbook), "--trust", "RRK", "--db", str(empty_catalogue)
    )
    assert code == 0, err
    assert query(empty_catalogue, PAY_SQL) == [
        ("P1", None, 10.0, "2027-03-31", "entry", 600, ""),
        ("P2", 1500, None, None, "entry", None, ""),
        ("UHB-US-7", 2500, None, "2027-03-31", "top", None, ""),
    ]


def test_the_template_offers_the_pay_columns_last() -> None:
    assert ALL_FIELDS[-len(PAY_FIELDS) :] == PAY_FIELDS
