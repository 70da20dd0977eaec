"""Small helpers the command-line tests share: run `workforce`, read a catalogue, hash a file."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from workforce_cli.main import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """`workforce ARGV...` in this process: (exit code, stdout, stderr)."""
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def query(db: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    """Rows from a catalogue file, read with sqlite3 alone (not through the code under test)."""
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def digest(path: Path) -> str:
    """The file's SHA-256: equal before and after means not a byte changed."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
