"""Control characters in text that came from a file: refused on the way in, shown visibly on
the way out. An escape sequence hidden in a title or a file name would otherwise drive the
terminal of whoever lists it (clear the screen, set the window title, hide a link)."""

from __future__ import annotations

import re

# Control characters but tab, line feed and carriage return: C0, DEL and C1.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """Text made safe to show: control characters (an escape, a bell, a carriage return)
    written as \\x1b and the like, never sent to the terminal to act on. Line breaks stay."""
    if text.isprintable():  # nearly all text, checked in C: every table cell passes here
        return text
    return "".join(ch if ch.isprintable() or ch == "\n" else _shown(ch) for ch in text)


def _shown(ch: str) -> str:
    return ch.encode("unicode_escape").decode("ascii")
