"""One trust's posts (its JDs), opened from the Network screen.

A trust may hold thousands of JDs in a national catalogue, so they are read and shown a page
at a time; the filter runs in the catalogue (over every page), not over the page in view.
Enter on a post opens its detail (pathways.details.jd_detail, read in a worker): beside the
table in a wide terminal, over it otherwise.
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
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Header, Input, Static

from tui.background import cancelled, catalogue_in_thread
from tui.messages import DetailLoaded, PostsLoaded
from tui.screens.base import WorkforceScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.tables import RowTable, cell

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

Enter on a post opens it: its summary, the competencies it asks for, its role and band, WTE
funded and in post, and the file it was imported from (all shown exactly as imported).

**JE view.** A post with JE factor levels shows each factor's level (as written) and its
points, the total and the band it falls in (Band 1 is named as closed to new entrants), and
whether the total lies near a band boundary (within the catalogue's near-boundary margin).
Below it, the match against a **JE profile**: the profile the post's reference role follows
(its national profile, when the catalogue holds a profile of that title), or the one chosen
with `j`. Factors where the post falls outside the profile's range are marked with how many
levels below or above; then whether the profile's band holds, and whether the generic-profile
rule decided it (a generic profile's minimum score may fall below its band's boundary).
Profiles are imported (`workforce import`, `[[je_profile]]` tables); `workforce profiles`
lists them. In a wide terminal the detail sits beside the posts and follows
the cursor; otherwise it covers them. Escape closes it. `c` opens the Compare screen on the
post's reference role, with the cursor on this post.
"""

# Band and WTE before the (long) role id, so a narrow terminal cuts the role, not the figures;
# short headers and titles cut at 36 so that the figures fit in 80 columns.
COLUMNS = ("Ref", "Title", "Band", "Funded", "In post", "Role")
NUMBERS = ("Funded", "In post")
TITLE_WIDTH = 36
EXPORT_FIELDS = ("trust", "jd_ref", "title", "role", "band", "wte_funded", "wte_in_post")
# The terminal width from which a post's detail sits beside the posts rather than over them:
# the table needs about 90 columns for its figures and the detail about 60.
DETAIL_BESIDE = 160


def _count(number: int, noun: str) -> str:
    """'1 post', '2 posts': a count with its noun in the right number."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


class TrustPostsScreen(WorkforceScreen):
    DEFAULT_CSS = """
    TrustPostsScreen #posts-body {
        height: 1fr;
    }
    TrustPostsScreen #posts {
        width: 1fr;
    }
    TrustPostsScreen #post-detail {
        display: none;
        width: 42%;
        height: 1fr;
        border-left: tall $accent;
        padding: 0 1;
    }
    TrustPostsScreen.-detail-open #post-detail {
        display: block;
    }
    /* Not wide enough for both: the detail, once open, covers the posts. */
    TrustPostsScreen.-narrow.-detail-open #posts {
        display: none;
    }
    TrustPostsScreen.-narrow.-detail-open #post-detail {
        width: 1fr;
        border-left: none;
    }
    """
    # The app's breakpoint (100 columns) suits the catalogue's short tables, not these posts.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (DETAIL_BESIDE, "-wide")]
    AUTO_FOCUS = "RowTable"  # the table, not the filter above it: keys work at once
    TITLE = "Posts"
    HELP_TEXT = HELP
    WIDGET_KEYS = (
        ("up/down", "Move between posts (or scroll a post's detail)"),
        ("enter", "Open the post's detail"),
    )
    BINDINGS = [
        Binding(
            "escape",
            "back",
            "Back",
            id="posts-back",
            tooltip="Close the post's detail, clear the filter, or back to the trusts",
        ),
        Binding("slash", "focus_filter", "Filter", id="posts-filter", tooltip="Filter the posts"),
        Binding("n", "page(1)", "Next page", id="next-page", tooltip="The next page of posts"),
        Binding("p", "page(-1)", "Prev page", id="previous-page", tooltip="The previous page"),
        Binding("e", "export", "Export", id="posts-export", tooltip="Write this page to a file"),
        Binding(
            "j",
            "choose_profile",
            "JE profile",
            id="posts-je-profile",
            tooltip="Match the open post's JE levels against a JE profile",
        ),
        Binding(
            "c",
            "compare",
            "Compare",
            id="posts-compare",
            tooltip="Compare the post's role across the network",
        ),
    ]

    def __init__(self, db_path: Path, trust: str, trust_name: str) -> None:
        super().__init__(db_path)
        self.trust = trust
        self.trust_name = trust_name
        self.page_start = 0
        self.total: int | None = None  # posts matching the filter, once read
        self.posts: list[Any] = []  # the page shown (pathways.records.JD)
        self.detail_key: str | None = None  # the post whose detail is open (its id)
        self.profile: str | None = None  # the JE profile chosen with `j` (None: the role's)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"{self.trust} {self.trust_name}", id="posts-label", markup=False)
        yield Input(placeholder="/ to filter by reference, title or role", id="posts-filter")
        yield Static("", id="posts-status", markup=False)
        # The loading indicator covers the table's container: the table keeps the keys.
        with Horizontal(id="posts-body") as body:
            body.loading = True
            yield RowTable(id="posts")
            with VerticalScroll(id="post-detail"):
                yield Static("", id="post-detail-body")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one("#posts", RowTable)
        for label in COLUMNS:
            right = label in NUMBERS
            width = TITLE_WIDTH if label == "Title" else None
            table.add_column(
                Text(label, justify="right" if right else "left"), key=label, width=width
            )
        self.title = f"Posts at {self.trust}"
        table.focus()
        self.load_page("", 0)

    def show_catalogue_afresh(self) -> None:
        self.load_page(self.filter_text, self.page_start)
        if self.detail_key is not None:
            self.load_detail(self.detail_key)

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
        table = self.query_one("#posts", RowTable)
        keep = table.highlighted_key()  # the same page read again keeps its cursor
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
        if keep is not None and self.detail_key is None:
            table.move_to_key(keep)
        if self.detail_key is not None and not table.move_to_key(self.detail_key):
            # The open post is not on this page (another page, or filtered out).
            key = table.highlighted_key()
            if key is None or self.has_class("-narrow"):
                self.close_detail()
            else:
                self.open_detail(key)  # beside the table: it follows the cursor
        self.refresh_bindings()

    def _update_status(self) -> None:
        total = self.total or 0
        if self.filter_text:
            found = f"{_count(total, 'post')} {'matches' if total == 1 else 'match'}"
        else:
            found = _count(total, "post")
        if total == 0 and self.filter_text:
            status = f"No posts match “{self.filter_text}”"
        elif total == 0:
            status = f"{self.trust_name or self.trust} has no posts in the catalogue"
        elif total <= PAGE_SIZE:
            status = found
        else:
            first, last = self.page_start + 1, self.page_start + len(self.posts)
            page, pages = self.page_start // PAGE_SIZE + 1, -(-total // PAGE_SIZE)
            status = f"{found}: {first}–{last} shown (page {page} of {pages}; n next, p previous)"
        self.query_one("#posts-status", Static).update(status)

    def worker_failed(self) -> None:
        self._set_busy(False)
        self.query_one("#post-detail").loading = False

    # -- a post's detail ------------------------------------------------------------------------

    @on(RowTable.RowSelected, "#posts")
    def _post_opened(self, event: RowTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.open_detail(event.row_key.value)

    @on(RowTable.RowHighlighted, "#posts")
    def _post_highlighted(self) -> None:
        # Beside the table, the detail follows the cursor: the row under it now, not the
        # event's (a redrawn page sends highlights that are already stale).
        key = self.query_one("#posts", RowTable).highlighted_key()
        if self.detail_key is not None and key is not None and key != self.detail_key:
            self.open_detail(key)

    def open_detail(self, key: str) -> None:
        self.detail_key = key
        self.add_class("-detail-open")
        self.query_one("#post-detail").loading = True
        self.load_detail(key)
        self.refresh_bindings()

    def close_detail(self) -> None:
        self.detail_key = None
        self.remove_class("-detail-open")
        if not self.query_one("#posts-filter", Input).has_focus:  # typing a filter goes on
            self.call_after_refresh(self.query_one("#posts", RowTable).focus)
        self.refresh_bindings()

    @work(thread=True, exclusive=True, group="post-detail", exit_on_error=False)
    def load_detail(self, key: str) -> None:
        from pathways.details import jd_detail

        with catalogue_in_thread(self.db_path) as db:
            detail = jd_detail(db, key, self.profile)
        if not cancelled():
            self.post_message(DetailLoaded(key, detail))

    def on_detail_loaded(self, event: DetailLoaded) -> None:
        if event.key != self.detail_key:
            return  # the cursor has moved on
        from tui.widgets.detail_views import render_detail

        panel = self.query_one("#post-detail", VerticalScroll)
        panel.loading = False
        body = self.query_one("#post-detail-body", Static)
        if event.detail is None:
            body.update(Text("This post is no longer in the catalogue"))
        else:
            body.update(render_detail(event.detail))
        panel.scroll_home(animate=False)
        if self.has_class("-narrow"):
            # The detail covers the table: it takes the keys, so it scrolls (now, not while it
            # was loading: a widget covered by its loading indicator cannot take focus).
            panel.focus()

    def action_choose_profile(self) -> None:
        if self.detail_key is None:
            self.notify("Open a post (Enter) to match its JE levels against a profile.")
            return
        self.load_profiles()

    @work(thread=True, exclusive=True, group="je-profiles", exit_on_error=False)
    def load_profiles(self) -> None:
        from catalogue.je_profiles import load_profiles

        with catalogue_in_thread(self.db_path) as db:
            profiles = [(p.id, p.title, p.band, p.generic) for p in load_profiles(db)]
        if not cancelled():
            self.app.call_from_thread(self._offer_profiles, profiles)

    def _offer_profiles(self, profiles: list[tuple[str, str, str, bool]]) -> None:
        from tui.widgets.dialogs import ChoiceDialog

        if not profiles:
            self.notify(
                "The catalogue holds no JE profiles: import them (`workforce import`, "
                "[[je_profile]] tables), then match.",
                markup=False,
            )
            return
        choices = [
            (
                profile_id,
                Text.assemble(
                    title, (f"  Band {band}{', generic' if generic else ''}  {profile_id}", "dim")
                ),
            )
            for profile_id, title, band, generic in profiles
        ]

        def chosen(profile_id: str | None) -> None:
            if profile_id is not None and self.detail_key is not None:
                self.profile = profile_id
                self.open_detail(self.detail_key)

        self.app.push_screen(
            ChoiceDialog(
                "Match against a JE profile",
                choices,
                hint="The post's JE levels, factor by factor, against the profile's ranges.",
                selected=self.profile,
                searchable=len(choices) > 8,
            ),
            chosen,
        )

    def _post(self) -> Any | None:
        """The post `c` compares: the one open, else the one under the cursor."""
        key = self.detail_key or self.query_one("#posts", RowTable).highlighted_key()
        return next((jd for jd in self.posts if str(jd.id) == key), None)

    def action_compare(self) -> None:
        post = self._post()
        if post is None:
            return
        if post.role is None:
            self.notify(
                f"{post.jd_ref} is not mapped to a reference role yet: nothing to compare.",
                markup=False,
            )
            return
        from pathways.compare import jd_key
        from tui.screens.compare import CompareScreen

        self.app.push_screen(CompareScreen(self.db_path, role=post.role, jd=jd_key(post)))

    @on(Input.Changed, "#posts-filter")
    def _filter_changed(self) -> None:
        self._set_busy(True)
        self.load_page(self.filter_text, 0)

    @on(Input.Submitted, "#posts-filter")
    def _filter_done(self) -> None:
        self.query_one("#posts", RowTable).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # The footer asks before the screen's widgets exist (and after they have gone).
        inputs = self.query("#posts-filter")
        if (
            action in ("page", "export", "compare", "choose_profile")
            and inputs
            and inputs.first().has_focus
        ):
            return False
        if action == "choose_profile":
            return self.detail_key is not None
        if action == "compare":
            # Shown for an unmapped post too: pressed, it says why there is nothing to compare.
            return bool(self.query("#posts")) and self._post() is not None
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
        if filter_input.has_focus:
            filter_input.value = ""
            self.query_one("#posts", RowTable).focus()
        elif self.detail_key is not None:
            self.close_detail()
        elif self.filter_text:
            filter_input.value = ""
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
