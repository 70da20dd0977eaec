"""Hostile and broken input: each refused with exit 2, a message naming the file and cause, no
traceback, the catalogue byte-identical, in bounded time. The files are made here, small."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from catalogue import store
from tests.support import digest, run

Maker = Callable[[Path], Path]


def _write(name: str, data: bytes) -> Maker:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return make


def _fifo(folder: Path) -> Path:
    path = folder / "pipe.csv"
    os.mkfifo(path)
    return path


def _loop(folder: Path) -> Path:
    (folder / "a.csv").symlink_to(folder / "b.csv")
    (folder / "b.csv").symlink_to(folder / "a.csv")
    return folder / "a.csv"


def _device(folder: Path) -> Path:
    path = folder / "zero.csv"
    path.symlink_to("/dev/zero")
    return path


def _jd_json(**fields: object) -> bytes:
    row = {"trust": "RRK", "jd_ref": "X1", "title": "Radiographer", "band": "5", **fields}
    return json.dumps([row]).encode()


HEADER = b"trust,jd_ref,title,band,wte_funded\r\n"
HOSTILE: dict[str, tuple[Maker, str]] = {
    "deeply nested JSON": (
        _write("deep.json", b"[" * 100_000 + b"]" * 100_000),
        "nested too deeply",
    ),
    "deeply nested TOML": (_write("deep.toml", b"a = " + b"[" * 50_000 + b"]" * 50_000), "TOML"),
    "a 5,000-digit integer": (_write("big.json", b'[{"jd_ref": ' + b"9" * 5000 + b"}]"), "JSON"),
    "a symbolic link loop": (_loop, "cannot be read"),
    "a named pipe": (_fifo, "not a regular file"),
    "an endless device": (_device, "not a regular file"),
    "UTF-16 without a byte-order mark": (
        _write("utf16.csv", HEADER.decode().encode("utf-16-le")),
        "UTF-16 text without a byte-order mark",
    ),
    "a file of NULs": (_write("nul.csv", b"\x00" * 4096), "NUL bytes"),
    "WTE of 1e308": (_write("huge.json", _jd_json(wte_funded=1e308)), "more than any post holds"),
    "WTE 1_000": (_write("under.csv", HEADER + b"RRK,X1,Rad,5,1_000\r\n"), "not a number of WTE"),
    "WTE in other digits": (
        _write("arabic.csv", HEADER + "RRK,X1,Rad,5,\u0661\u0662\r\n".encode()),
        "not a number of WTE",
    ),
    "WTE of 5,000 digits": (
        _write("digits.csv", HEADER + b"RRK,X1,Rad,5," + b"9" * 5000 + b"\r\n"),
        "more than any post holds",
    ),
    "a field over the limit (JSON)": (
        _write("long.json", _jd_json(summary="x" * 100_001)),
        "more than 100,000, the most a field may hold",
    ),
    "a field over the limit (CSV)": (
        _write("long.csv", HEADER + b'RRK,X1,"' + b"x" * 100_001 + b'",5,1\r\n'),
        "more than 100,000",
    ),
    "a Word file that is a zip of nothing": (
        _write("empty.docx", b"PK\x05\x06" + b"\x00" * 18),
        "Word",
    ),
    "an Excel file that is text": (_write("text.xlsx", b"trust,jd_ref\r\n"), "Excel"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_files_are_refused_cleanly_and_change_nothing(
    case: str, empty_catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make, cause = HOSTILE[case]
    path = make(tmp_path)
    before = digest(empty_catalogue)
    started = time.monotonic()
    code, _, err = run(capsys, "import", str(path), "--db", str(empty_catalogue))
    assert time.monotonic() - started < 30
    assert code == 2, err
    assert str(path) in err and cause in err, err
    assert "Traceback" not in err
    assert digest(empty_catalogue) == before


def test_every_bad_item_of_a_json_file_is_named(
    empty_catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [{"trust": "RRK", "jd_ref": f"X{n}", "title": "Rad", "band": "12"} for n in range(11)]
    path = tmp_path / "eleven.json"
    path.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    code, _, err = run(capsys, "import", str(path), "--db", str(empty_catalogue))
    assert code == 2
    assert err.count("field 'band'") == 11


def test_an_empty_file_is_not_taken_for_a_catalogue(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    code, _, err = run(capsys, "trusts", "--db", str(empty))
    assert code == 2 and "an empty file, not a catalogue" in err
    assert empty.stat().st_size == 0  # not made into a database


def test_a_busy_catalogue_is_said_to_be_busy_not_unreadable(
    empty_catalogue: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(store, "WRITE_WAIT_SECONDS", 0.2)
    source = tmp_path / "one.csv"
    source.write_bytes(HEADER + b"RRK,X1,Radiographer,5,1\r\n")
    other = sqlite3.connect(empty_catalogue)
    other.execute("BEGIN IMMEDIATE")  # another program is writing
    try:
        before = digest(empty_catalogue)
        code, _, err = run(capsys, "import", str(source), "--db", str(empty_catalogue))
    finally:
        other.rollback()
        other.close()
    assert code == 2 and "busy" in err and "not a catalogue" not in err
    assert "Traceback" not in err
    assert digest(empty_catalogue) == before


def test_check_says_a_whole_catalogue_is_clean(
    packaged_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "check", "--db", str(packaged_db))
    assert code == 0 and "no problems found" in out


def test_check_lists_what_is_wrong_and_a_damaged_file_is_not_written_into(
    catalogue_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite3.connect(catalogue_copy) as conn:
        # A row naming nothing (written past the foreign keys, as another tool might).
        conn.execute("INSERT INTO route_role (route, role) VALUES ('pgcert-ct', 'no-such-role')")
        conn.execute("DELETE FROM pay_point WHERE pay_year = '2026/27' AND band = '9'")
    code, out, _ = run(capsys, "check", "--db", str(catalogue_copy))
    assert code == 1
    assert "route_role row" in out and "names a missing role row" in out
    assert "pay year 2026/27 has 27 of the 30 pay points" in out
    # Damage a page in the middle of the file: check says so, and an import refuses to write.
    data = bytearray(catalogue_copy.read_bytes())
    middle = len(data) // 2 // 4096 * 4096
    data[middle : middle + 4096] = os.urandom(4096)
    catalogue_copy.write_bytes(bytes(data))
    code, out, err = run(capsys, "check", "--db", str(catalogue_copy))
    assert code in (1, 2) and "damaged" in out + err and "Traceback" not in err
    source = tmp_path / "one.csv"
    source.write_bytes(HEADER + b"RRK,X1,Radiographer,5,1\r\n")
    before = digest(catalogue_copy)
    code, _, err = run(capsys, "import", str(source), "--db", str(catalogue_copy))
    assert code == 2 and "damaged" in err and "Traceback" not in err
    assert digest(catalogue_copy) == before
