"""The catalogue's exceptions, kept apart from the code that raises them.

Plain classes with no imports, so the command line can name the errors it turns into exit 2
without loading pydantic or sqlite_utils at start-up. Each is re-exported from the module that
raises it (`catalogue.bands.BandError`, ...), where existing code imports it from.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

MAX_PROBLEMS_SHOWN = 50  # an import refused for many rows lists this many, then a count


class BandError(ValueError):
    """A band that is not an Agenda for Change band."""


class CatalogueError(RuntimeError):
    """A catalogue that cannot be opened or used (missing, not SQLite, too new)."""


class SchemaError(RuntimeError):
    """The file is not a catalogue this release can read."""


class ReferenceDataError(ValueError):
    """A reference data file that is malformed or inconsistent."""


class OutputRefused(ValueError):
    """A file cannot be written as asked: it exists and was not to be replaced, it is a
    link, a folder, in a folder that is not there, or the system would not write it."""


class JELevelError(ValueError):
    """Levels that are not one valid level per factor."""


class ImportProblem(ValueError):
    """Bad input, with the file, the place in it and the field: a message people can act on."""

    def __init__(self, file: str, where: str, field: str | None, message: str) -> None:
        self.file = file
        self.where = where
        self.field = field
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        parts = [self.file]
        if self.where:
            parts.append(self.where)
        if self.field:
            parts.append(f"field '{self.field}'")
        return ": ".join(parts) + f": {self.message}"


class ImportRefused(ValueError):
    """One or more rows were bad; nothing was written."""

    def __init__(self, problems: Sequence[ImportProblem]) -> None:
        self.problems = list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(first_problems([str(problem) for problem in self.problems]))


def first_problems(lines: Sequence[str]) -> list[str]:
    """The first MAX_PROBLEMS_SHOWN problems, then how many more: what every reader of a
    file says when it is refused for many things, rather than megabytes of them."""
    shown = list(lines[:MAX_PROBLEMS_SHOWN])
    hidden = len(lines) - MAX_PROBLEMS_SHOWN
    if hidden > 0:
        shown.append(f"... and {hidden} more problems")
    return shown


class Problems(list[ImportProblem]):
    """The problems of a whole import, gathered so every one is reported at once."""

    @contextmanager
    def gathered(self) -> Iterator[None]:
        """Run a block, keeping the problems it raises rather than stopping at the first."""
        try:
            yield
        except ImportProblem as problem:
            self.append(problem)
        except ImportRefused as refused:
            self.extend(refused.problems)

    def raise_any(self) -> None:
        if self:
            raise ImportRefused(self)
