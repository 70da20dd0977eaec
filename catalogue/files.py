"""Writing a file a person named: whole or not at all, never over a file or through a link
they did not agree to replace. Every file the command line and the app write goes through
`write_file`: a temporary file beside the target, renamed over it, so a reader never opens
half a file and a failure (a full disk, a size limit) leaves the old one as it was.
"""

from __future__ import annotations

import os
from pathlib import Path

# Re-exported: defined in catalogue.errors, light to import.
from catalogue.errors import OutputRefused as OutputRefused

REPLACE_HINT = "use --force to replace it"


def check_output(path: Path, *, replace: bool, hint: str = REPLACE_HINT) -> None:
    """Refuse, before any work, what `write_file` would refuse. A symbolic link (even one
    to nowhere) is replaced only when asked, and then the link itself, never its target: an
    output must not write through a link into another file."""
    if path.is_symlink():
        if not replace:
            raise OutputRefused(f"{path} is a symbolic link: {hint} (the link, not its target)")
    elif path.is_dir():
        raise OutputRefused(f"{path} is a folder: name a file")
    elif path.exists() and not path.is_file():
        raise OutputRefused(f"{path} is not a regular file: name a file")
    elif path.exists() and not replace:
        raise OutputRefused(f"{path} already exists: {hint}")
    if not path.parent.is_dir():
        raise OutputRefused(f"{path}: the folder {path.parent} does not exist")


def write_file(path: Path, text: str, *, replace: bool, hint: str = REPLACE_HINT) -> None:
    """Write `text` to `path` whole, after `check_output`; OutputRefused if the system will not
    (a read-only folder, a full disk), with the old file, if any, left as it was."""
    check_output(path, replace=replace, hint=hint)
    try:
        write_text_atomically(path, text)
    except OSError as error:
        raise OutputRefused(f"{path}: cannot write it ({error.strerror or error})") from error


def write_text_atomically(path: Path, text: str) -> None:
    """Write `text` to a temporary file beside `path`, then rename it over `path`.

    The rename is atomic on one file system. The new file gets the mode a plainly created file
    would (or the replaced file's). Callers decide beforehand whether replacing is allowed.
    """
    import tempfile  # deferred: it loads shutil and random (command-line start-up time)

    if path.exists() and not path.is_symlink():
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
