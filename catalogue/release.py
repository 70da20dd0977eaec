"""Which release of the packaged reference data a catalogue holds, and whether a newer one is
installed. Light (no pydantic, no sqlite-utils): every command checks it when it opens a
catalogue, to say once that `workforce update` has something to bring in.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parent / "data"

RELEASE_META = "data_release"


def packaged_release(data_dir: Path = DATA_DIR) -> str:
    """The release of the installed packaged data ('' if the file says none)."""
    with (data_dir / "release.toml").open("rb") as handle:
        return str(tomllib.load(handle).get("release", ""))


def release_order(release: str) -> tuple[int, ...]:
    """'2026.12' -> (2026, 12): releases compare as numbers; a catalogue with none is oldest."""
    parts = []
    for part in release.split("."):
        if not part.isdigit():
            return ()
        parts.append(int(part))
    return tuple(parts)


def catalogue_release(db: Any) -> str:
    row = db.execute("SELECT value FROM catalogue_meta WHERE key = ?", [RELEASE_META]).fetchone()
    return str(row[0]) if row else ""


def newer_data_notice(db: Any, data_dir: Path = DATA_DIR) -> str | None:
    """A line to show when the installed packaged data is newer than the catalogue's."""
    installed = packaged_release(data_dir)
    held = catalogue_release(db)
    if release_order(installed) <= release_order(held):
        return None
    since = f"release {held}" if held else "an earlier release"
    return (
        f"the installed reference data (release {installed}) is newer than this catalogue's "
        f"({since}): `workforce update --dry-run` shows what it would bring in"
    )
