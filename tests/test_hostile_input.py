"""Hostile and broken input: each refused with exit 2, a message naming the file and cause, no
traceback, the catalogue byte-identical, in bounded time. The files are made here, small."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from catalogue import store
from tests.support import digest, run

CORPUS = Path(__file__).parent / "data" / "hostile"
HEADER = b"trust,jd_ref,title,band,wte_funded\r\n"

# What each file in tests/data/hostile/ is refused for (a part of the message).
CORPUS_CAUSES = {
    "utf16-no-bom.csv": "UTF-16 text without a byte-order mark",
    "utf16-no-bom.toml": "UTF-16 text without a byte-order mark",
    "nuls.csv": "NUL bytes",
    "nuls.toml": "NUL bytes",
    "escape-in-title.csv": "control character (U+001B)",
    "escape-in-title.json": "control character (U+001B)",
    "escape-in-title.toml": "control character (U+001B)",
    "big-integer.json": "thousands of digits",
    "big-integer.toml": "thousands of digits",
    "wte-1e308.json": "more than any post holds",
    "wte-underscores.csv": "not a number of WTE",
    "wte-other-digits.csv": "not a number of WTE",
    "wte-5000-digits.csv": "more than any post holds",
    "empty-zip.docx": "Word",
    "text-as.xlsx": "Excel",
    "not-utf8.toml": "not UTF-8",
    "empty.toml": "empty",
}

# Made as the tests run: big, or not files that git can hold. Each made with the suffix asked.
Maker = Callable[[Path, str], Path]


def _write(stem: str, data: bytes) -> Maker:
    def make(folder: Path, suffix: str) -> Path:
        path = folder / (stem + suffix)
        path.write_bytes(data)
        return path

    return make


def _fifo(folder: Path, suffix: str) -> Path:
    path = folder / ("pipe" + suffix)
    os.mkfifo(path)
    return path


def _loop(folder: Path, suffix: str) -> Path:
    (folder / ("a" + suffix)).symlink_to(folder / ("b" + suffix))
    (folder / ("b" + suffix)).symlink_to(folder / ("a" + suffix))
    return folder / ("a" + suffix)


def _device(folder: Path, suffix: str) -> Path:
    path = folder / ("zero" + suffix)
    path.symlink_to("/dev/zero")
    return path


def _long_field(folder: Path, suffix: str) -> Path:
    long = "x" * 100_001
    path = folder / ("long" + suffix)
    if suffix == ".json":
        row = {"trust": "RRK", "jd_ref": "X1", "title": "Rad", "band": "5", "summary": long}
        path.write_text(json.dumps([row]))
    elif suffix == ".csv":
        path.write_bytes(HEADER + f'RRK,X1,"{long}",5,1\r\n'.encode())
    else:
        path.write_text(f'[[job]]\ntrust = "RRK"\njd_ref = "X1"\nband = "5"\ntitle = "{long}"\n')
    return path


MADE: dict[str, tuple[Maker, tuple[str, ...], str]] = {
    # name: (maker, the suffixes it is made with, cause)
    "deeply nested": (
        _write("deep", b"a = " + b"[" * 50_000 + b"]" * 50_000),
        (".toml",),
        "nested too deeply",
    ),
    "deeply nested JSON": (
        _write("deep", b"[" * 100_000 + b"]" * 100_000),
        (".json",),
        "nested too deeply",
    ),
    "a symbolic link loop": (_loop, (".csv", ".toml"), "cannot be read"),
    "a named pipe": (_fifo, (".csv", ".toml"), "not a regular file"),
    "an endless device": (_device, (".csv", ".toml"), "not a regular file"),
    "a field over the limit": (_long_field, (".csv", ".json", ".toml"), "more than 100,000"),
}

# Every reader of a file a person hands us, as the command line runs it; passports and
# scenarios are TOML, so they are given the TOML files.
READERS: dict[str, tuple[str, ...]] = {
    "import": ("import", "{path}"),
    "passport check": ("passport", "check", "{path}"),
    "scenario import": ("scenarios", "--import", "{path}"),
}


def _cases() -> list[tuple[str, str]]:
    cases = []
    for name in sorted(CORPUS_CAUSES):
        readers = READERS if name.endswith(".toml") else ("import",)
        cases += [(reader, name) for reader in readers]
    for name, (_, suffixes, _) in sorted(MADE.items()):
        for suffix in suffixes:
            readers = READERS if suffix == ".toml" else ("import",)
            cases += [(reader, f"{name} ({suffix})") for reader in readers]
    return cases


def _hostile(case: str, folder: Path) -> tuple[Path, str]:
    if case in CORPUS_CAUSES:
        return Path(shutil.copy(CORPUS / case, folder / case)), CORPUS_CAUSES[case]
    name, suffix = case.rsplit(" (", 1)
    make, _, cause = MADE[name]
    return make(folder, suffix.rstrip(")")), cause


def test_the_corpus_is_what_the_test_names() -> None:
    """A file added to tests/data/hostile/ without a cause would never be tried."""
    assert {p.name for p in CORPUS.iterdir()} - {"README.md"} == set(CORPUS_CAUSES)


@pytest.mark.parametrize(("reader", "case"), _cases())
def test_hostile_files_are_refused_cleanly_and_change_nothing(
    reader: str,
    case: str,
    empty_catalogue: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path, cause = _hostile(case, tmp_path)
    argv = [part.format(path=path) for part in READERS[reader]]
    before = digest(empty_catalogue)
    started = time.monotonic()
    code, _, err = run(capsys, *argv, "--db", str(empty_catalogue))
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


def test_a_passport_of_thousands_of_problems_names_fifty_and_counts_the_rest(
    empty_catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "many.toml"
    path.write_text(
        "".join(f'[[competencies]]\nid = "no-such-{n}"\nlevel = 2\n' for n in range(2000))
    )
    code, _, err = run(capsys, "passport", "check", str(path), "--db", str(empty_catalogue))
    assert code == 2
    assert err.count("unknown competency") == 50, err[:2000]
    assert "and 1950 more problems" in err


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
