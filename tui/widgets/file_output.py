"""Writing a file the user named in a dialog: whole or not at all, never over a file the
user did not agree to replace.

The same rule as `workforce report`: both write through catalogue.files, a temporary file
beside the target renamed over it, so a reader never opens half a file and a failure leaves
none; this module adds the checks the app's dialogs report.
"""

from __future__ import annotations

from pathlib import Path

from catalogue.files import write_text_atomically


class FileRefused(ValueError):
    """The file cannot be written as asked (it exists and was not to be replaced, ...)."""


def write_file(path: Path, text: str, *, replace: bool) -> None:
    """Write `text` to `path` atomically; FileRefused if it exists and `replace` is False."""
    if path.is_dir():
        raise FileRefused(f"{path} is a directory: give a file name")
    if path.exists() and not replace:
        raise FileRefused(f"{path} already exists: not replaced")
    if not path.parent.is_dir():
        raise FileRefused(f"{path}: the folder {path.parent} does not exist")
    write_text_atomically(path, text)
