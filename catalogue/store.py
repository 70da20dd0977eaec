"""Opening the catalogue: one SQLite file, foreign keys on, schema brought up to date.

A connection belongs to the thread that opened it (SQLite's rule); the app opens its own in
each worker thread through `open_catalogue`.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlite_utils import Database

# Re-exported: defined in catalogue.errors, light to import.
from catalogue.errors import CatalogueError as CatalogueError
from catalogue.schema import SchemaError, migrate

DEFAULT_DB_NAME = "workforce.db"
DB_ENV_VAR = "WORKFORCE_DB"


def resolve_db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Where the catalogue is: `--db PATH`, else $WORKFORCE_DB, else ./workforce.db."""
    if explicit:
        return Path(explicit)
    from_env = os.environ.get(DB_ENV_VAR)
    if from_env:
        return Path(from_env)
    return Path(DEFAULT_DB_NAME)


def open_catalogue(path: str | os.PathLike[str], *, create: bool = False) -> Database:
    """Open the catalogue at `path` with foreign keys enforced and the schema current.

    Refuses a missing file unless `create` is set, so a mistyped `--db` never makes an
    empty catalogue behind the user's back.
    """
    path = Path(path)
    if not create and not path.exists():
        raise CatalogueError(f"{path}: no catalogue there (run `workforce init` to build one)")
    conn = sqlite3.connect(str(path))
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        db = Database(conn)
        migrate(db)
    except sqlite3.DatabaseError as error:
        conn.close()
        raise CatalogueError(f"{path}: not a catalogue this release can read ({error})") from error
    except SchemaError as error:
        conn.close()
        raise CatalogueError(f"{path}: {error}") from error
    return db


def meta(db: Database, key: str) -> str | None:
    """One value from the catalogue's key-value metadata (data digest, built from, ...)."""
    row = db.execute("SELECT value FROM catalogue_meta WHERE key = ?", [key]).fetchone()
    return None if row is None else str(row[0])
