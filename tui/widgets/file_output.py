"""Writing a file the user named in a dialog: whole or not at all, never over a file the
user did not agree to replace.

The same rule as `workforce report`: both write through catalogue.files, a temporary file
beside the target renamed over it, so a reader never opens half a file and a failure leaves
none; this module adds the checks the app's dialogs report.
"""

from __future__ import annotations

from pathlib import Path

from catalogue.files import OutputRefused
from catalogue.files import write_file as write_output_file

# What the dialogs catch: one kind of refusal for every file the program writes.
FileRefused = OutputRefused


def write_file(path: Path, text: str, *, replace: bool) -> None:
    """Write `text` to `path` whole; FileRefused if it exists and `replace` is False."""
    write_output_file(path, text, replace=replace, hint="not replaced")
