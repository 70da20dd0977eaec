"""What every thread worker in the app shares: its own catalogue connection, and one way of
telling the user that a worker failed.

SQLite connections belong to the thread that opened them, so each worker opens its own
(cheap: one file open and a schema version check) and closes it before it ends.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from textual.worker import NoActiveWorker, Worker, WorkerState, get_current_worker

# Light (sqlite3 alone), and imported here rather than in a worker: a worker importing while
# the UI thread draws waits for the GIL at every file it reads.
from catalogue.store import open_reader

if TYPE_CHECKING:
    from sqlite_utils import Database
    from textual.dom import DOMNode


class OwnWrites:
    """Whether the app's own connections are open, or have written since last asked.

    The app watches its catalogue file for changes made by another program (an import in
    another terminal); a change it made itself is not one of those, and its screens show it
    already. Every connection that may write is opened by `catalogue_in_thread`, which
    reports here.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open = 0
        self._written = False

    def opened(self) -> None:
        with self._lock:
            self._open += 1

    def closed(self, wrote: bool) -> None:
        with self._lock:
            self._open -= 1
            self._written = self._written or wrote

    def busy(self) -> bool:
        """A connection of the app's is open: the file may be changing under our hands."""
        with self._lock:
            return self._open > 0

    def take_written(self) -> bool:
        """Whether the app wrote since last asked (and forget it)."""
        with self._lock:
            written, self._written = self._written, False
            return written


OWN_WRITES = OwnWrites()


def read_only_here() -> bool:
    """Whether the app running the calling worker opened its catalogue read-only (served
    to a browser): its connections are then opened read-only by SQLite too, a second line
    of defence behind the screens refusing their editing keys."""
    try:
        node = get_current_worker().node
    except NoActiveWorker:
        return False  # not a worker of the app's (a test calling directly)
    return bool(getattr(node.app, "read_only", False))


@contextmanager
def catalogue_in_thread(db_path: Path) -> Iterator[Database]:
    """The catalogue opened in (and for) the calling worker thread."""
    # Deferred: the catalogue package (and sqlite-utils) load in the first worker, off the
    # UI thread, rather than before the first frame.
    from catalogue.store import open_catalogue

    read_only = read_only_here()
    OWN_WRITES.opened()
    wrote = True  # unless known otherwise: a migration on opening writes too
    try:
        db = open_catalogue(db_path, read_only=read_only)
        try:
            yield db
        finally:
            wrote = db.conn.total_changes > 0
            db.close()
    finally:
        OWN_WRITES.closed(wrote)


@contextmanager
def reader_in_thread(db_path: Path) -> Iterator[sqlite3.Connection]:
    """The catalogue opened for reading with sqlite3 alone, in (and for) the calling worker.

    For the first screen's workers: they read before sqlite-utils is loaded, which takes
    longer than their queries (benchmarks/app_start.py measures the start)."""
    conn = open_reader(db_path, read_only=read_only_here())
    try:
        yield conn
    finally:
        conn.close()


def cancelled() -> bool:
    """True when the calling worker has been superseded (its result is no longer wanted)."""
    return get_current_worker().is_cancelled


def report_failure(node: DOMNode, event: Worker.StateChanged) -> bool:
    """Show a worker's error as a notification; True if `event` was a failure."""
    if event.state is not WorkerState.ERROR:
        return False
    error = event.worker.error
    node.app.notify(
        f"{type(error).__name__}: {error}",
        title="Could not read the catalogue",
        severity="error",
        timeout=10,
        markup=False,  # an error may quote data (a title, a file name): never markup
    )
    return True
