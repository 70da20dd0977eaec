"""What every subcommand shares: exit codes, the `--db` option, opening the catalogue."""

from __future__ import annotations

import argparse
import os
import shlex
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from workforce_cli.output import OUTPUT_FORMATS

if TYPE_CHECKING:  # types only: every command loads this module to build the parser
    from sqlite_utils import Database

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2


class UsageError(ValueError):
    """A command used wrongly in a way argparse cannot see (e.g. an output file that exists)."""


def positive_int(text: str) -> int:
    """An argparse type: a whole number of 1 or more (a count, a limit, a top N)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of 1 or more")
    return value


def non_negative_int(text: str) -> int:
    """An argparse type: a whole number of 0 or more (a margin in points)."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of 0 or more")
    return value


def db_option() -> argparse.ArgumentParser:
    """A parent parser giving a subcommand `--db PATH`."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,  # keep a --db given before the subcommand
        help="catalogue file (default: $WORKFORCE_DB, else ./workforce.db)",
    )
    return parent


def format_option(choices: tuple[str, ...] = OUTPUT_FORMATS) -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--format",
        choices=choices,
        default=choices[0],
        help=f"output format (default {choices[0]})",
    )
    return parent


def catalogue_path(args: argparse.Namespace) -> Path:
    from catalogue.store import resolve_db_path  # deferred: it loads sqlite_utils (start-up time)

    return resolve_db_path(getattr(args, "db", None))


def named_by(args: argparse.Namespace) -> str | None:
    """How the catalogue was named: "--db", "$WORKFORCE_DB", or None for the ./workforce.db
    default. Decided as `resolve_db_path` decides (an empty value counts as not given)."""
    if getattr(args, "db", None):
        return "--db"
    from catalogue.store import DB_ENV_VAR  # deferred, as in catalogue_path

    return f"${DB_ENV_VAR}" if os.environ.get(DB_ENV_VAR) else None


# When `open_db` may build a missing catalogue from the packaged data:
# "default": only at the ./workforce.db default (a named path that is missing is a typo more
#   often than a wish for a new catalogue full of illustrative JDs);
# "any": wherever it is (the app: it opens on a catalogue whatever the path, and says so);
# "never": not at all (import: real JDs must not land among illustrative ones unasked).
BuildPolicy = Literal["default", "any", "never"]


def open_db(args: argparse.Namespace, *, build: BuildPolicy = "default") -> Database:
    """Open the chosen catalogue. A missing one is built from the packaged data as `build`
    allows, with a notice on stderr before anything else is printed; else refused (exit 2)."""
    from catalogue.store import open_catalogue  # deferred: sqlite_utils costs start-up time

    path = catalogue_path(args)
    if not path.exists():
        named = named_by(args)
        if build == "never" or (build == "default" and named is not None):
            raise UsageError(_missing_catalogue(path, named, importing=build == "never"))
        if not path.parent.is_dir():  # else SQLite's bare "unable to open database file"
            raise UsageError(f"no catalogue at {path}, and no folder {path.parent} to build it in")
        from catalogue.build import build_catalogue

        # Said first, so the notice comes before the command's output, not after it.
        print(
            f"workforce: no catalogue at {path}: building one from the packaged data "
            "(reference data and ILLUSTRATIVE job descriptions); "
            f"`workforce init --reference-only --db {_quoted(path)}` builds one without them",
            file=sys.stderr,
        )
        build_catalogue(path)
    db = open_catalogue(path)
    _say_if_newer_data(db)
    return db


def open_for_reading(args: argparse.Namespace) -> sqlite3.Connection:
    """The chosen catalogue for a command that only reads it, opened with sqlite3 alone.

    Listings start faster this way: sqlite-utils (about a third of a listing's start-up)
    is never loaded. A missing catalogue is built or refused exactly as `open_db` does,
    and an older one is brought up to date first, as any opening would.
    """
    from catalogue.store import open_reader

    path = catalogue_path(args)
    if not path.exists():
        open_db(args).close()  # builds it, or refuses, with open_db's words
    conn = open_reader(path)
    _say_if_newer_data(conn)
    return conn


_said_newer = False


def _say_if_newer_data(db: Database | sqlite3.Connection) -> None:
    """Once a run: the installed packaged data is newer than the catalogue's."""
    global _said_newer
    from catalogue.release import newer_data_notice

    notice = None if _said_newer else newer_data_notice(db)
    if notice:
        _said_newer = True
        print(f"workforce: {notice}", file=sys.stderr)


def _missing_catalogue(path: Path, named: str | None, *, importing: bool) -> str:
    """Why a missing catalogue was refused, and how to build one there."""
    where = f"no catalogue at {path}" + (f" (named by {named})" if named else "")
    if not path.parent.is_dir():
        where += f", and no folder {path.parent}"
    why = (
        ": import loads JDs into an existing catalogue and never builds one"
        if importing
        else ": check the path"
    )
    return (
        f"{where}{why}. To build one there: `workforce init --reference-only --db "
        f"{_quoted(path)}` for a network's own JDs (no illustrative ones), or `workforce init "
        f"--db {_quoted(path)}` with the ILLUSTRATIVE JDs"
    )


def _quoted(path: Path) -> str:
    """The path as a shell would need it typed (a path with spaces, say)."""
    return shlex.quote(str(path))


def illustrative_caption(db: Database | sqlite3.Connection) -> str | None:
    """What a listing says under its table when the catalogue holds the packaged JDs."""
    from catalogue import queries  # deferred: start-up time
    from pathways.figures import illustrative_note

    count = queries.illustrative_jds(db)
    return illustrative_note(count) if count else None


def write_output(text: str, output: str | None, *, force: bool = False) -> None:
    """Print `text`, or write it to `output`, never replacing a file unless `force`."""
    if output is None or output == "-":
        sys.stdout.write(text)
        return
    from catalogue.files import write_file  # deferred: start-up time

    path = Path(output)
    write_file(path, text, replace=force)
    print(f"wrote {path}", file=sys.stderr)
