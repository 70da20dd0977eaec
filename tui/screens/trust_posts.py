"""One trust's posts (its JDs), opened from the Network screen.

A trust may hold thousands of JDs in a national catalogue, so they are read and shown a page
at a time; the filter runs in the catalogue (over every page), not over the page in view.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Header, Input, Static

from tui.background import cancelled, catalogue_in_thread
from tui.messages import PostsLoaded
from tui.screens.base import WorkforceScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.tables import ListTable, cell

PAGE_SIZE = 200

HELP = """\
# A trust's posts

Every job description (JD) the catalogue holds for one trust: the trust's own reference, its
local title (shown exactly as imported), the reference role it is mapped to (*unmapped* until
it is matched), its band (*medical* for posts on medical and dental pay) and the whole-time
equivalents (WTE) funded (*Funded*) and filled (*In post*).

Posts are read a page at a time, so a trust with thousands of them opens at once: `n` and `p`
move between pages. `/` filters on reference, title or role over all the trust's posts.
`e` writes the posts shown on this page to a CSV or TOML file.
"""

# Band and WTE before the (long) role id, so a narrow terminal cuts the role, not the figures;
# short headers and titles cut at 36 so that the figures fit in 80 columns.
COLUMNS = ("Ref", "Title", "Band", "Funded", "In post", "Role")
NUMBERS = ("Funded", "In post")
TITLE_WIDTH = 36
EXPORT_FIELDS = ("trust", "jd_ref", "title", "role", "band", "wte_funded", "wte_in_post")


class TrustPostsScreen(WorkforceScreen):
    AUTO_FOCUS = "ListTable"  # the table, not the filter above it: keys work at once
    TITLE = "Posts"
    HELP_TEXT = HELP
    WIDGET_KEYS = (("up/down", "Move between posts"),)
    BINDINGS = [
        Binding("escape", "back", "Back", id="posts-back", tooltip="Back to the trusts"),
        Binding("slash", "focus_filter", "Filter", id="posts-filter", tooltip="Filter the posts"),
        Binding("n", "page(1)", "Next page", id="next-page", tooltip="The next page of posts"),
        Binding("p", "page(-1)", "Prev page", id="previous-page", tooltip="The previous page"),
        Binding("e", "export", "Export", id="posts-export", tooltip="Write this page to a file"),
    ]

    def __init__(self, db_path: Path, trust: str, trust_name: str) -> None:
        super().__init__(db_path)
        self.trust = trust
        self.trust_name = trust_name
        self.page_start = 0
        self.total: int | None = None  # posts matching the filter, once read
        self.posts: list[Any] = []  # the page shown (pathways.records.JD)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"{self.trust} {self.trust_name}", id="posts-label", markup=False)
        yield Input(placeholder="/ to filter by reference, title or role", id="posts-filter")
        yield Static("", id="posts-status", markup=False)
        # The loading indicator covers the table's container: the table keeps the keys.
        with Vertical(id="posts-body") as body:
            body.loading = True
            yield ListTable(id="posts")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one("#posts", ListTable)
        for label in COLUMNS:
            right = label in NUMBERS
            width = TITLE_WIDTH if label == "Title" else None
            table.add_column(
                Text(label, justify="right" if right else "left"), key=label, width=width
            )
        self.title = f"Posts at {self.trust}"
        table.focus()
        self.load_page("", 0)

    def _set_busy(self, busy: bool) -> None:
        self.query_one("#posts-body").loading = busy

    @property
    def filter_text(self) -> str:
        return self.query_one("#posts-filter", Input).value.strip()

    @work(thread=True, exclusive=True, group="posts", exit_on_error=False)
    def load_page(self, text: str, offset: int) -> None:
        from pathways.details import count_posts, trust_posts

        with catalogue_in_thread(self.db_path) as db:
            total = count_posts(db, self.trust, text)
            posts = trust_posts(db, self.trust, text=text, offset=offset, limit=PAGE_SIZE)
        if not cancelled():
            self.post_message(PostsLoaded(text, offset, total, posts))

    def on_posts_loaded(self, event: PostsLoaded) -> None:
        if event.text != self.filter_text:
            return  # typed on since: a newer page is coming
        self.page_start, self.total, self.posts = event.offset, event.total, event.posts
        table = self.query_one("#posts", ListTable)
        table.clear()
        for jd in event.posts:
            # Titles are data: Text shows "[bold]" as those characters, never as markup.
            table.add_row(
                cell(jd.jd_ref),
                cell(jd.title),
                cell(jd.band) if jd.band else Text("medical", style="dim"),
                cell(jd.wte_funded, right=True),
                cell(jd.wte_in_post, right=True),
                cell(jd.role) if jd.role else Text("unmapped", style="dim italic"),
                key=str(jd.id),
            )
        self._set_busy(False)
        self._update_status()
        self.refresh_bindings()

    def _update_status(self) -> None:
        total = self.total or 0
        found = f"{total} posts" if not self.filter_text else f"{total} posts match"
        if total == 0:
            status = "No posts" + (" match" if self.filter_text else " in the catalogue")
        elif total <= PAGE_SIZE:
            status = found
        else:
            first, last = self.page_start + 1, self.page_start + len(self.posts)
            page, pages = self.page_start // PAGE_SIZE + 1, -(-total // PAGE_SIZE)
            status = f"{found}: {first}–{last} shown (page {page} of {pages}; n next, p previous)"
        self.query_one("#posts-status", Static).update(status)

    def worker_failed(self) -> None:
        self._set_busy(False)

    @on(Input.Changed, "#posts-filter")
    def _filter_changed(self) -> None:
        self._set_busy(True)
        self.load_page(self.filter_text, 0)

    @on(Input.Submitted, "#posts-filter")
    def _filter_done(self) -> None:
        self.query_one("#posts", ListTable).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # The footer asks before the screen's widgets exist (and after they have gone).
        inputs = self.query("#posts-filter")
        if action in ("page", "export") and inputs and inputs.first().has_focus:
            return False
        if action == "page":
            total = self.total or 0
            if total <= PAGE_SIZE:
                return False  # one page: no paging keys to show
            step = int(str(parameters[0]))
            target = self.page_start + step * PAGE_SIZE
            return None if target < 0 or target >= total else True  # None: shown, disabled
        return True

    def action_page(self, step: int) -> None:
        self._set_busy(True)
        self.load_page(self.filter_text, self.page_start + step * PAGE_SIZE)

    def action_focus_filter(self) -> None:
        # At once, not later: the keys typed next (maybe already queued) are the filter's.
        self.set_focus(self.query_one("#posts-filter", Input))

    def action_back(self) -> None:
        filter_input = self.query_one("#posts-filter", Input)
        if filter_input.has_focus or self.filter_text:
            filter_input.value = ""
            self.query_one("#posts", ListTable).focus()
        else:
            self.dismiss()

    def action_export(self, fmt: str = "csv") -> None:
        rows = [{field: getattr(jd, field) for field in EXPORT_FIELDS} for jd in self.posts]
        self.start_export(
            rows, noun="posts", default_name=f"posts-{self.trust}.{fmt}", toml_table="job"
        )

    def palette_commands(self) -> Iterable[SystemCommand]:
        for fmt in ("csv", "toml"):
            yield SystemCommand(
                f"export: posts as {fmt.upper()}",
                f"Write this page of {self.trust}'s posts to a {fmt.upper()} file",
                partial(self.action_export, fmt),
            )
