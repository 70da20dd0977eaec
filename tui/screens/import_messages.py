"""What the Import screen's thread workers post when their work is done, named as past events."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.message import Message

if TYPE_CHECKING:
    from catalogue.catalogue_import import ImportResult
    from catalogue.errors import ImportProblem


class FileChecked(Message):
    """A file was read and checked against the catalogue, nothing written: `plan` is what
    importing it would change (a dry run's result), or `problems` why it is refused (`again`:
    it was checked again on confirming, and no longer made the changes shown). `check`
    numbers the request."""

    def __init__(
        self,
        check: int,
        path: Path,
        plan: ImportResult | None,
        problems: Sequence[ImportProblem] = (),
        *,
        again: bool = False,
    ) -> None:
        super().__init__()
        self.check = check
        self.path = path
        self.plan = plan
        self.problems = list(problems)
        self.again = again


class FileImported(Message):
    """A checked file was written to the catalogue, in one transaction."""

    def __init__(self, path: Path, plan: ImportResult) -> None:
        super().__init__()
        self.path = path
        self.plan = plan


class ChoicesRead(Message):
    """What may be chosen for the file `path` was read: its trust (`what` "trust": the
    catalogue's trusts) or its sheet ("sheet": the workbook's sheets), as (value, label)."""

    def __init__(self, what: str, path: Path, choices: list[tuple[str, Text]]) -> None:
        super().__init__()
        self.what = what
        self.path = path
        self.choices = choices
