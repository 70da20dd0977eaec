"""Text made to fit a width without cutting what a person reads by: a path shortened from the
left (its file name kept whole), a cell's text cut after a whole word.

Pure functions of strings, so the header and the tables share one rule and tests can state it.
"""

from __future__ import annotations

import re

ELLIPSIS = "…"

# Where a cut may fall: after a space, or after a hyphen or slash inside a word
# ("assistant-…", "PACS/…"), so what is shown ends with whole words.
_BREAK = re.compile(r"(?<=[ \-/])")
# Left dangling before the ellipsis by a cut after a whole word, and dropped: "degree,…" and
# "(…" read as a cut in the middle of something.
_DANGLING = " ,;:([{–—-/·"


def cut_at_word(text: str, width: int) -> str:
    """`text` in `width` cells: whole if it fits, else its longest start that ends with a
    whole word, then "…" ("Healthcare Science Assistant…", not "…Assistant (Medic…").

    Unless ending on a word would waste more than a quarter of the room (at least 4 cells):
    then the cut is inside the word, since "Imaging Servic…" and "Imaging Operat…" tell two
    roles apart where "Imaging…" and "Imaging…" would not."""
    if len(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:width]
    room = width - 1  # the ellipsis takes one cell
    best = ""
    for found in _BREAK.finditer(text):
        start = text[: found.start()].rstrip(_DANGLING)
        if len(start) > room:
            break
        best = start or best
    if room - len(best) > max(4, room // 4):
        best = text[:room].rstrip()
    return best + ELLIPSIS


def shortened_path(path: str, room: int, separator: str = "/") -> str:
    """`path` in `room` cells, shortened from the left by whole folders: "…/network/workforce.db".
    The file name is always kept whole, even when it alone is wider than `room` (it is what
    tells one catalogue from another; whatever shows it may cut past it)."""
    if len(path) <= room:
        return path
    parts = path.split(separator)
    name = parts[-1]
    shown = f"{ELLIPSIS}{separator}{name}"
    for start in range(1, len(parts) - 1):
        candidate = ELLIPSIS + separator + separator.join(parts[start:])
        if len(candidate) <= room:
            return candidate
    return shown if len(parts) > 1 else name
