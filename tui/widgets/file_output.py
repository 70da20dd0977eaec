"""Writing a file the user named in a dialog: whole or not at all, never over a file the
user did not agree to replace.

The same rule as `workforce report` (workforce_cli/report_commands.py): write a temporary
file beside the target, then rename it over the target, so a reader never opens half a file
and a failure leaves none. Kept here rather than imported from the command line so the app
does not depend on workforce_cli (which depends on the app).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


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
    if path.exists():
        mode = path.stat().st_mode & 0o777
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
