"""The files of one folder that a command can read (by their ending), to choose one from.

A table rather than Textual's DirectoryTree: the tree keeps a worker running for as long as it
is shown (waiting for folders to open), which the app's tests, and any code waiting for the
app's work to finish, would wait on for ever. Here the folder is listed in a thread worker that
ends, again each time `list_files` is called.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.message import Message

from tui.background import cancelled
from tui.widgets.tables import RowTable, cell


@dataclass(frozen=True)
class FoundFile:
    name: str
    size: int  # bytes


class FilesListed(Message):
    """The folder was listed: its files with a wanted ending, by name."""

    def __init__(self, files: list[FoundFile]) -> None:
        super().__init__()
        self.files = files


def readable_size(size: int) -> str:
    """1 234 567 bytes as '1.2 MB' (decimal units, as file managers show them)."""
    value = float(size)
    for unit in ("bytes", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{size} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1000
    raise AssertionError("unreachable")


def list_folder(folder: Path, suffixes: frozenset[str]) -> list[FoundFile]:
    """The files in `folder` ending in one of `suffixes` (any case), hidden ones left out, and
    the owner files Word and Excel keep beside a document while it is open ("~$name.docx")."""
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith((".", "~$")):
                continue
            if Path(entry.name).suffix.lower() not in suffixes:
                continue
            try:
                if entry.is_file():
                    found.append(FoundFile(entry.name, entry.stat().st_size))
            except OSError:  # unreadable (a broken link, no permission): not offered
                continue
    return sorted(found, key=lambda file: file.name.casefold())


class FilePicker(RowTable):
    """The files of `folder` ending in one of `suffixes`; Enter chooses the highlighted one
    (a RowSelected message whose row key is the file's name)."""

    BINDINGS = [
        Binding(
            "enter", "select_cursor", "Check", id="pick-file", tooltip="Check the highlighted file"
        ),
    ]

    def __init__(self, folder: Path, *, suffixes: Iterable[str], **kwargs: Any) -> None:
        kwargs.setdefault("zebra_stripes", False)
        super().__init__(**kwargs)
        self.folder = folder
        self.suffixes = frozenset(suffix.lower() for suffix in suffixes)
        self.listed = False

    def on_mount(self) -> None:
        self.add_column("File")
        self.add_column(Text("Size", justify="right"))
        self.list_files()

    @work(thread=True, exclusive=True, group="file-picker", exit_on_error=False)
    def list_files(self) -> None:
        """List the folder again (files may have been saved there since)."""
        files = list_folder(self.folder, self.suffixes)
        if not cancelled():
            self.post_message(FilesListed(files))

    def on_files_listed(self, event: FilesListed) -> None:
        event.stop()
        keep = self.highlighted_key()
        self.clear()
        for found in event.files:
            # A file's name is data: shown literally, never as markup.
            self.add_row(
                cell(found.name), cell(readable_size(found.size), right=True), key=found.name
            )
        if keep is not None:
            self.move_to_key(keep)
        self.listed = True
        self.border_subtitle = "" if event.files else "none here"

    def path_of(self, name: str) -> Path:
        return self.folder / name
