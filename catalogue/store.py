"""Opening the catalogue: one SQLite file, foreign keys on, schema brought up to date.

A connection belongs to the thread that opened it (SQLite's rule); the app opens its own in
each worker thread through `open_catalogue`, or `open_reader` where plain reading will do.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

# Re-exported: defined in catalogue.errors, light to import.
from catalogue.errors import CatalogueError as CatalogueError
from catalogue.schema import LATEST_VERSION, SchemaError, current_version, migrate

if TYPE_CHECKING:
    from sqlite_utils import Database

    # What the read-only queries take: either kind of open catalogue (both have `execute`).
    Reader: TypeAlias = Database | sqlite3.Connection

DEFAULT_DB_NAME = "workforce.db"
WRITE_WAIT_SECONDS = 30
DB_ENV_VAR = "WORKFORCE_DB"


def resolve_db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Where the catalogue is: `--db PATH`, else $WORKFORCE_DB, else ./workforce.db."""
    if explicit:
        return Path(explicit)
    from_env = os.environ.get(DB_ENV_VAR)
    if from_env:
        return Path(from_env)
    return Path(DEFAULT_DB_NAME)


def open_catalogue(
    path: str | os.PathLike[str], *, create: bool = False, read_only: bool = False
) -> Database:
    """Open the catalogue at `path` with foreign keys enforced and the schema current.

    Refuses a missing file unless `create` is set, so a mistyped `--db` never makes an
    empty catalogue behind the user's back. `read_only`: SQLite itself refuses every write
    (the app served to a browser opens it so; a catalogue needing a migration is refused).
    """
    from sqlite_utils import Database  # deferred: it and what it imports take ~50 ms

    path = Path(path)
    if not create or read_only:
        _require_file(path)
    # A writer waits this long for another to finish before saying the catalogue is busy.
    conn = _connect(path, read_only, timeout=WRITE_WAIT_SECONDS)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        db = Database(conn)
        migrate(db)
    except sqlite3.DatabaseError as error:
        conn.close()
        raise _unreadable(path, error) from error
    except SchemaError as error:
        conn.close()
        raise CatalogueError(f"{path}: {error}") from error
    return db


@contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """One transaction that holds the write lock from its start: what it read to plan its
    writes cannot change under it (two imports started together would otherwise both plan
    the same new rows, and one fail on a UNIQUE constraint). Another writer waits for it.
    Inside a transaction already, it is a savepoint of that one (whose caller holds the lock)."""
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        # A damaged file is not written into: that could spread the damage over good pages.
        broken = damage(db.conn, quick=True)
        if broken:
            raise CatalogueError(f"{broken[0]}: nothing was written (`workforce check` says more)")
        yield db
    except BaseException:
        db.conn.rollback()
        raise
    db.conn.commit()


def damage(conn: sqlite3.Connection, *, quick: bool = False) -> list[str]:
    from catalogue.check import damage as found  # deferred: rarely needed at start-up

    return found(conn, quick=quick)


def open_reader(path: str | os.PathLike[str], *, read_only: bool = False) -> sqlite3.Connection:
    """Open the catalogue at `path` for reading only, with sqlite3 alone.

    For the app's first screen: its worker would otherwise spend most of its time importing
    sqlite-utils before its first query. A catalogue an older release built is brought up
    to date (and a newer one refused) by `open_catalogue` first, as any opening would.
    `read_only`: the file is opened read-only too (no migration: one would be refused).
    """
    path = Path(path)
    _require_file(path)
    conn = _connect(path, read_only)
    try:
        version = current_version(conn)
    except sqlite3.DatabaseError as error:
        conn.close()
        raise _unreadable(path, error) from error
    if version != LATEST_VERSION:
        conn.close()
        open_catalogue(path, read_only=read_only).close()
        conn = _connect(path, read_only)
    conn.execute("PRAGMA query_only = ON")  # a reader never changes the catalogue
    return conn


def _connect(path: Path, read_only: bool, timeout: float = 5.0) -> sqlite3.Connection:
    if not read_only:
        return sqlite3.connect(str(path), timeout=timeout)
    # SQLite's own read-only mode, by URI (the path quoted as a file: URI, so no character
    # in it can add an option): a write fails in SQLite whatever the code above it does.
    return sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=timeout)


def _require_file(path: Path) -> None:
    # Never create an empty catalogue behind the user's back (a mistyped --db, say).
    if not path.exists():
        raise CatalogueError(f"{path}: no catalogue there (run `workforce init` to build one)")
    if not path.is_file():
        raise CatalogueError(f"{path}: not a catalogue (it is not a regular file)")
    # SQLite would take an empty file for a new database and make it one.
    if path.stat().st_size == 0:
        raise CatalogueError(
            f"{path}: an empty file, not a catalogue (`workforce init --force --db {path}` "
            "builds one there)"
        )


def _unreadable(path: Path, error: sqlite3.DatabaseError) -> CatalogueError:
    return CatalogueError(f"{path}: {database_trouble(error)}")


def database_trouble(error: sqlite3.Error) -> str:
    """What an SQLite error means for the person using the catalogue: busy is not damaged,
    and neither calls for `workforce init --force`."""
    text = str(error)
    if "locked" in text or "busy" in text:
        return (
            "the catalogue is busy: another program is writing to it; try again when it has "
            "finished (nothing was changed)"
        )
    if "readonly" in text or "read-only" in text:
        return "the catalogue is read-only here (the file or its folder): nothing was changed"
    if "disk is full" in text or "disk I/O" in text:
        return f"the catalogue could not be written ({text}): nothing was changed"
    if "not a database" in text or "file is encrypted" in text:
        return f"not a catalogue this release can read: the file is not an SQLite database ({text})"
    if "malformed" in text:
        return (
            f"the catalogue is damaged ({text}); `workforce check` says more, and a backup "
            "beside it (FILE.backup-TIME) may hold the last good copy"
        )
    return f"not a catalogue this release can read ({text})"


def meta(db: Reader, key: str) -> str | None:
    """One value from the catalogue's key-value metadata (data digest, built from, ...)."""
    row = db.execute("SELECT value FROM catalogue_meta WHERE key = ?", [key]).fetchone()
    return None if row is None else str(row[0])
