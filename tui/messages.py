"""Messages the app's thread workers post when their work is done, named as past events.

Only `post_message` is safe to call from a worker thread; each worker posts one of these to the
widget or screen that started it, which draws the result on the UI thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.message import Message

Row = dict[str, Any]


class CatalogueSummarised(Message):
    """The app read how many of the open catalogue's JDs are illustrative, and whether the
    installed packaged data is newer than the catalogue's (`newer_data`: what to say, or None)."""

    def __init__(self, illustrative: int, newer_data: str | None = None) -> None:
        super().__init__()
        self.illustrative = illustrative
        self.newer_data = newer_data


class TrustsLoaded(Message):
    """The Network screen's trusts (with their JD counts) were read."""

    def __init__(self, trusts: list[Row]) -> None:
        super().__init__()
        self.trusts = trusts


class PostsLoaded(Message):
    """One page of a trust's posts was read (`total`: how many match the filter)."""

    def __init__(self, text: str, offset: int, total: int, posts: list[Any]) -> None:
        super().__init__()
        self.text = text
        self.offset = offset
        self.total = total
        self.posts = posts


class RowsLoaded(Message):
    """A catalogue table's rows were read."""

    def __init__(self, rows: list[Row]) -> None:
        super().__init__()
        self.rows = rows


class DetailLoaded(Message):
    """The detail of one catalogue row was read (`detail` None: the row has gone)."""

    def __init__(self, key: str, detail: object | None) -> None:
        super().__init__()
        self.key = key
        self.detail = detail


class ExportFailed(Message):
    """Rows could not be written to the file chosen (`reason` says why, with the path)."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class ExportWritten(Message):
    """Rows were written to a file (`noun`: what a row is, plural)."""

    def __init__(self, path: Path, rows: int, noun: str) -> None:
        super().__init__()
        self.path = path
        self.rows = rows
        self.noun = noun


class CatalogueChanged(Message):
    """JDs were imported, or mapped to a role (or unmapped), in the app: posted to the app, which
    has the other screens read the catalogue afresh when next shown."""

    def __init__(self, *, elsewhere: bool = False) -> None:
        super().__init__()
        self.elsewhere = elsewhere  # by another program: the screen in view reads again too
