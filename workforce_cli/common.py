"""What every subcommand shares: exit codes, the `--db` option, opening the catalogue."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

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


def open_db(args: argparse.Namespace) -> Database:
    """Open the chosen catalogue, building one from the packaged data if there is none yet."""
    from catalogue.store import open_catalogue  # deferred: sqlite_utils costs start-up time

    path = catalogue_path(args)
    if not path.exists():
        from catalogue.build import build_catalogue

        build_catalogue(path)
        print(
            f"workforce: no catalogue at {path}: built one from the packaged data "
            "(reference data and ILLUSTRATIVE job descriptions)",
            file=sys.stderr,
        )
    return open_catalogue(path)


def write_output(text: str, output: str | None, *, force: bool = False) -> None:
    """Print `text`, or write it to `output`, never replacing a file unless `force`."""
    if output is None or output == "-":
        sys.stdout.write(text)
        return
    path = Path(output)
    if path.exists() and not force:
        raise UsageError(f"{path} already exists: use --force to replace it")
    path.write_text(text, encoding="utf-8", newline="")
    print(f"wrote {path}", file=sys.stderr)
