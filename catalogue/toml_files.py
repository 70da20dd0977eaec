"""A TOML file a person hands us whole (a passport, a saved scenario), read with the guards
every import has: a regular file within the size limit, text in UTF-8, nesting and numbers
TOML's reader survives, and no field too long or holding a control character."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from catalogue.errors import ImportProblem
from catalogue.jd_sources import (
    MAX_FILE_BYTES,
    check_text,
    decode_text,
    parse_toml,
    regular_file,
)


def read_toml_file(path: Path) -> tuple[str, dict[str, Any]]:
    """The file's text and its parsed tables; ImportProblem naming the file and cause."""
    name = str(path)
    regular_file(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ImportProblem(
            name, "", None, f"cannot be read ({error.strerror or error})"
        ) from error
    return toml_text(name, raw)


def toml_text(name: str, raw: bytes) -> tuple[str, dict[str, Any]]:
    """The same guards for TOML that arrives other than as a file (a passport pasted into
    the app in a browser), `name` saying where it came from in any problem."""
    if len(raw) > MAX_FILE_BYTES:
        raise ImportProblem(
            name, "", None, f"is {len(raw):,} bytes: more than {MAX_FILE_BYTES:,}, the most read"
        )
    text, _ = decode_text(name, raw)
    if not text.strip():
        raise ImportProblem(name, "", None, "the file is empty")
    data = parse_toml(name, text)
    for where, value in _strings(data, ()):
        check_text(name, "", where, value)
    return text, data


def _strings(value: Any, at: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    """Every key and string value in parsed TOML, with the dotted place it is at.

    A loop, not recursion, so a document TOML's reader accepted cannot overflow the stack here.
    """
    stack: list[tuple[Any, tuple[str, ...]]] = [(value, at)]
    while stack:
        item, place = stack.pop()
        if isinstance(item, str):
            yield ".".join(place) or "file", item
        elif isinstance(item, dict):
            for key, inner in item.items():
                yield ".".join((*place, key)), key
                stack.append((inner, (*place, key)))
        elif isinstance(item, list):
            for index, inner in enumerate(item, start=1):
                stack.append((inner, (*place, f"#{index}")))
