"""Writing a file the user named in a dialog: whole or not at all, never over a file the
user did not agree to replace.

The same rule as `workforce report`: both write through catalogue.files, a temporary file
beside the target renamed over it, so a reader never opens half a file and a failure leaves
none; this module adds the checks the app's dialogs report.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from textual.app import App

from catalogue.files import OutputRefused
from catalogue.files import write_file as write_output_file

# What the dialogs catch: one kind of refusal for every file the program writes.
FileRefused = OutputRefused


def write_file(path: Path, text: str, *, replace: bool) -> None:
    """Write `text` to `path` whole; FileRefused if it exists and `replace` is False."""
    write_output_file(path, text, replace=replace, hint="not replaced")


def write_or_deliver(app: App[Any], path: Path, text: str, *, replace: bool) -> None:
    """From a worker thread: write `text` to `path` whole, or, in a web browser (`workforce
    serve`), send it to the browser as a download named `path.name`. A browser user never
    writes on the server's disk."""
    if app.is_web:
        # Textual's delivery: textual-serve hands the browser a one-time download link.
        app.call_from_thread(app.deliver_text, io.StringIO(text), save_filename=path.name)
        return
    write_file(path, text, replace=replace)


def where_written(app: App[Any], path: Path) -> str:
    """ "to PATH", or "as the download NAME" in a browser: for the message saying so."""
    return f"as the download {path.name}" if app.is_web else f"to {path}"


def download_hint(endings: str) -> str:
    """What a file-name dialog asks in a browser: a name for the download, never a path."""
    return f"File name for the download (ends in {endings}):"
