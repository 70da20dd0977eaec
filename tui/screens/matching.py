"""The Matching screen: JDs with no reference role, each with its likely roles, mapped by a
person one at a time.

Nothing is mapped unless someone accepts a suggestion. Each acceptance is written in its own
transaction (only where the JD is still unmapped) and can be undone until the screen is left;
undoing unmaps the JD only if it still holds the role set here. A JD rejected is set aside for
this visit only: it is shown again next time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Header, Input, Static

from tui.background import cancelled, catalogue_in_thread
from tui.messages import CatalogueChanged
from tui.screens.base import WorkforceScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.tables import RowTable, cell

if TYPE_CHECKING:
    from pathways.matching import Scored, Suggestion

Row = dict[str, Any]

PAGE_SIZE = 200  # unmapped JDs ranked at a time; the next are ranked once these are done
CANDIDATES = 5  # suggested roles listed per JD

HELP = """\
# Matching

Job descriptions (JDs) with no reference role yet, each with the reference roles it most
likely is, best first. Titles are shown exactly as the trust wrote them.

**Conf.** is the confidence, from 0 to 1, that the JD is that role; the three columns after it
are its parts, each 0 to 1: **Title**, how well the JD's title names the role (abbreviations
such as *Snr*, *Rad*, *HCA* understood); **Comp.**, the share of the competencies the JD
lists that the role needs (counting more the more it lists; *none*: the JD lists none, and is
judged on title and band); **Band**, 1 when the JD's
band is in the role's range, 0.5 one band outside, 0 further. Where all three agree the
confidence is about 0.9 or more; a title that names no role well keeps it under 0.5.

Nothing is mapped unless you accept a suggestion. `a` maps the JD to the role marked in the
list of suggestions (the best, unless you move to another: Enter or Tab takes you there, Enter
on a role maps to it). Each mapping is written at once, in its own transaction, and only if no
one has mapped the JD since. `u` undoes the last mapping (then the one before), until you
leave this screen. `x` rejects the JD's suggestions: it is set aside for this visit and shown
again next time.

`/` filters the JDs by trust, reference, title or band; `e` writes the suggestions shown to a
CSV or TOML file (one row per JD and role, as `workforce match --format csv`).
"""


@dataclass(frozen=True)
class Acceptance:
    """A mapping made on this visit, which `u` can undo."""

    suggestion: Suggestion
    role: str


class SuggestionsLoaded(Message):
    """A page of the unmapped JDs was read and ranked (`total`: unmapped JDs not set aside)."""

    def __init__(self, suggestions: list[Suggestion], total: int, titles: dict[str, str]) -> None:
        super().__init__()
        self.suggestions = suggestions
        self.total = total
        self.titles = titles


class RoleWritten(Message):
    """A JD's role was set (`written` False: someone had mapped it since it was read)."""

    def __init__(self, suggestion: Suggestion, role: str, written: bool) -> None:
        super().__init__()
        self.suggestion = suggestion
        self.role = role
        self.written = written


class RoleUndone(Message):
    """A mapping was undone (`undone` False: the JD's role had changed since; left as it is)."""

    def __init__(self, mapping: Acceptance, undone: bool) -> None:
        super().__init__()
        self.mapping = mapping
        self.undone = undone


class JDList(RowTable):
    """The unmapped JDs; Enter moves to the JD's suggestions."""

    BINDINGS = [
        Binding(
            "enter",
            "select_cursor",
            "Suggestions",
            id="match-choose",
            tooltip="Move to this JD's suggested roles, to pick one",
            show=False,
        ),
    ]


class CandidateList(RowTable):
    """One JD's suggested roles; Enter maps the JD to the highlighted one."""

    WRITE_ACTIONS = frozenset({"select_cursor"})  # mapping a JD writes its role

    BINDINGS = [
        Binding(
            "enter",
            "select_cursor",
            "Map",
            id="match-pick",
            tooltip="Map the JD to this role",
        ),
    ]


def _confidence(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


class MatchingScreen(WorkforceScreen):
    DEFAULT_CSS = """
    MatchingScreen #match-body {
        height: 1fr;
    }
    MatchingScreen #match-jds {
        height: 1fr;
    }
    MatchingScreen #match-for {
        height: auto;
        padding: 0 1;
        color: $text-muted;
    }
    MatchingScreen #match-candidates {
        height: auto;
        max-height: 7;
    }
    """
    AUTO_FOCUS = "#match-jds"  # the JDs, not the filter above them: keys work at once
    TITLE = "Matching"
    HELP_TEXT = HELP
    WRITE_ACTIONS = frozenset({"accept", "undo"})
    WIDGET_KEYS = (
        ("up/down", "Move between JDs (or between roles in the suggestions)"),
        ("enter", "On a JD: move to its suggestions; on a role: map the JD to it"),
        ("tab", "Move between the JDs and the suggestions"),
    )
    BINDINGS = [
        Binding(
            "a", "accept", "Accept", id="match-accept", tooltip="Map the JD to the marked role"
        ),
        Binding("x", "reject", "Reject", id="match-reject", tooltip="Set the JD aside this visit"),
        Binding("u", "undo", "Undo", id="match-undo", tooltip="Undo the last mapping"),
        Binding("slash", "focus_filter", "Filter", id="match-filter", tooltip="Filter the JDs"),
        Binding("e", "export", "Export", id="match-export", tooltip="Write the suggestions shown"),
        Binding(
            "escape",
            "back",
            "Back",
            id="match-back",
            tooltip="Clear the filter, or go from the suggestions back to the JDs",
            show=False,
        ),
    ]

    def __init__(self, db_path: Path) -> None:
        super().__init__(db_path)
        self.pending: list[Suggestion] = []  # the page's JDs not yet decided, in their order
        self.place: dict[int, int] = {}  # JD id -> its place in the page (for undo)
        self.beyond_page = 0  # unmapped JDs after this page, not yet ranked
        self.titles: dict[str, str] = {}  # role id -> title
        self.mapped: list[Acceptance] = []  # this visit's mappings, newest last: `u` undoes them
        self.set_aside: dict[int, Suggestion] = {}  # JD id -> rejected this visit
        self.loaded = False
        self.writing = False  # a mapping (or its undo) is being written: one at a time
        self._stale = True  # read the JDs when next shown
        self._visit_over = False  # left for another screen: a new visit when shown again
        self._candidates_for: int | None = None  # the JD whose suggestions are listed

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="match-status", classes="table-status", markup=False)
        yield Input(placeholder="/ to filter by trust, reference, title or band", classes="filter")
        # The loading indicator covers the tables' container: the tables keep the keys.
        with Vertical(id="match-body") as body:
            body.loading = True
            yield JDList(id="match-jds")
            yield Static("", id="match-for", markup=False)
            yield CandidateList(id="match-candidates", zebra_stripes=False)
        yield KeyBar()

    def on_mount(self) -> None:
        jds = self.query_one("#match-jds", JDList)
        for label, right in (
            ("Trust", False),
            ("Ref", False),
            ("Title", False),
            ("Band", False),
            ("Conf.", True),
            ("Best match", False),
        ):
            jds.add_column(_header(label, right), key=label)
        # The JD's title and its best match share the width the other columns leave (each
        # is shown whole in the suggestions below): the figures and the reference are whole.
        jds.shrink_to_fit({"Title": 12, "Best match": 12})
        candidates = self.query_one("#match-candidates", CandidateList)
        # Short headers: the help says what each part is. The role id is last and gives up
        # width to fit (cut, it ends in "…"), so a narrow terminal keeps the figures.
        for label, width, right in (
            ("Suggested role", 32, False),
            ("Conf.", None, True),
            ("Title", None, True),
            ("Comp.", None, True),
            ("Band", None, True),
            ("Role id", None, False),
        ):
            candidates.add_column(_header(label, right), key=label, width=width)
        candidates.shrink_to_fit({"Role id": 8})
        self._update_status()

    # -- visits: rejections and undo last until the screen is left -------------------------

    def on_screen_resume(self) -> None:
        if self._visit_over:
            # A new visit: what was set aside shows again; mappings stay mapped, and are no
            # longer undone here (cleared now, not on leaving: a write still under way then
            # reports back after).
            self._visit_over = False
            self.mapped.clear()
            self.set_aside.clear()
            self._stale = True
        if self._stale:
            self._stale = False
            self.reload()

    def on_screen_suspend(self) -> None:
        if self in self.app.screen_stack:
            return  # a dialog (help, export) over this screen: still the same visit
        self._visit_over = True  # left for another screen

    def catalogue_changed(self) -> None:
        """The catalogue was changed on another screen (an import): read it again when shown."""
        self._stale = True

    def show_catalogue_afresh(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.loaded = False
        self.query_one("#match-body").loading = True
        self._update_status()
        self.load_suggestions(frozenset(self.set_aside))

    @work(thread=True, exclusive=True, group="match-load", exit_on_error=False)
    def load_suggestions(self, hidden: frozenset[int]) -> None:
        from pathways.matching import suggest_for, unmapped_jds
        from pathways.records import load_roles

        with catalogue_in_thread(self.db_path) as db:
            jds = [jd for jd in unmapped_jds(db) if jd.id not in hidden]
            page = suggest_for(db, jds[:PAGE_SIZE], limit=CANDIDATES)
            titles = {role.id: role.title for role in load_roles(db).values()}
        if not cancelled():
            self.post_message(SuggestionsLoaded(page, len(jds), titles))

    def on_suggestions_loaded(self, event: SuggestionsLoaded) -> None:
        self.pending = list(event.suggestions)
        self.place = {s.jd.id: index for index, s in enumerate(event.suggestions)}
        self.beyond_page = event.total - len(event.suggestions)
        self.titles = event.titles
        self.loaded = True
        self.query_one("#match-body").loading = False
        self.refill()

    def worker_failed(self) -> None:
        self.writing = False
        self.query_one("#match-body").loading = False
        self.refresh_bindings()

    # -- what is shown ----------------------------------------------------------------------

    @property
    def filter_text(self) -> str:
        return self.query_one("Input.filter", Input).value.strip()

    def shown(self) -> list[Suggestion]:
        """The JDs in the table: the undecided ones containing the filter's text."""
        needle = self.filter_text.casefold()
        if not needle:
            return list(self.pending)
        return [s for s in self.pending if needle in _haystack(s)]

    def highlighted(self) -> Suggestion | None:
        key = self.query_one("#match-jds", JDList).highlighted_key()
        return next((s for s in self.pending if str(s.jd.id) == key), None)

    def refill(self, focus_key: str | None = None) -> None:
        """Redraw the JDs (keeping the cursor's place, or moving it to `focus_key`)."""
        table = self.query_one("#match-jds", JDList)
        row = table.cursor_row
        table.clear()
        for suggestion in self.shown():
            jd, best = suggestion.jd, suggestion.candidates[:1]
            table.add_row(
                cell(jd.trust),
                cell(jd.jd_ref),
                cell(jd.title),  # as the trust wrote it: Text, never markup
                cell(jd.band) if jd.band else Text("medical", style="dim"),
                cell(_confidence(best[0].confidence), right=True) if best else cell(""),
                cell(self.titles.get(best[0].role, best[0].role)) if best else cell(""),
                key=str(jd.id),
            )
        if focus_key is None or not table.move_to_key(focus_key):
            table.move_cursor(row=min(row, max(table.row_count - 1, 0)))
        self.show_candidates()
        self._update_status()
        self.refresh_bindings()
        if self.loaded and not self.pending and self.beyond_page:
            self.reload()  # this page is done: rank the next

    @on(JDList.RowHighlighted, "#match-jds")
    def _jd_highlighted(self) -> None:
        self.show_candidates()

    def show_candidates(self) -> None:
        suggestion = self.highlighted()
        label = self.query_one("#match-for", Static)
        table = self.query_one("#match-candidates", CandidateList)
        jd_id = suggestion.jd.id if suggestion else None
        if jd_id == self._candidates_for and table.row_count:
            return  # the same JD: keep the role picked
        self._candidates_for = jd_id
        table.clear()
        if suggestion is None:
            label.update("")
            return
        jd = suggestion.jd
        band = f"band {jd.band}" if jd.band else "medical pay"
        label.update(
            Text.assemble(
                "Suggested roles for ",
                (jd.title, "bold"),  # a Text part: "[bold]" in a title stays as typed
                f" ({jd.trust} {jd.jd_ref}, {band}), best first",
            )
        )
        for rank, candidate in enumerate(suggestion.candidates):
            table.add_row(
                cell(self.titles.get(candidate.role, candidate.role)),
                cell(_confidence(candidate.confidence), right=True),
                cell(_confidence(candidate.title), right=True),
                cell(_confidence(candidate.competencies), right=True)
                if candidate.competencies is not None
                else Text("none", style="dim", justify="right"),
                cell(_confidence(candidate.band), right=True),
                cell(candidate.role),
                key=str(rank),
            )
        table.move_cursor(row=0)

    def chosen_role(self, suggestion: Suggestion) -> Scored | None:
        """The role marked in the suggestions (the best unless another was picked)."""
        table = self.query_one("#match-candidates", CandidateList)
        key = table.highlighted_key()
        if key is None or not suggestion.candidates:
            return None
        return suggestion.candidates[min(int(key), len(suggestion.candidates) - 1)]

    def _update_status(self) -> None:
        status = self.query_one("#match-status", Static)
        if not self.loaded:
            status.update("Reading the JDs with no reference role and ranking their roles…")
            return
        left = len(self.pending) + self.beyond_page
        if left == 0 and not self.mapped and not self.set_aside:
            status.update("Every JD has a reference role: nothing to match.")
            return
        parts = [f"{left:,} JD{'s' if left != 1 else ''} left to match"]
        done = [
            f"{count} {what}"
            for count, what in ((len(self.mapped), "mapped"), (len(self.set_aside), "rejected"))
            if count
        ]
        if done:
            parts.append(f"{' and '.join(done)} this visit")
        if self.beyond_page:
            parts.append(f"the first {len(self.pending)} shown, the rest once these are done")
        if self.filter_text:
            parts.append(f"{len(self.shown())} contain “{self.filter_text}”")
        status.update(" · ".join(parts))

    # -- accepting, rejecting, undoing ------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        inputs = self.query("Input.filter")  # none yet (or any more) while (un)mounting
        if action in ("accept", "reject", "undo", "export") and inputs and inputs[0].has_focus:
            return False  # letters typed in the filter are text
        if action in ("accept", "reject"):
            return None if self.writing or not self.loaded or not self.shown() else True
        if action == "undo":
            return None if self.writing or not self.mapped else True
        return True

    def action_accept(self) -> None:
        suggestion = self.highlighted()
        if suggestion is None or self.writing:
            return
        choice = self.chosen_role(suggestion)
        if choice is None:
            self.notify("No role to suggest for this JD.", severity="warning")
            return
        self.writing = True
        self.refresh_bindings()
        self.write_role(suggestion, choice.role)

    @on(CandidateList.RowSelected, "#match-candidates")
    def _candidate_picked(self, event: CandidateList.RowSelected) -> None:
        event.stop()
        if not self.refuse_writing():  # a click on a role maps the JD too
            self.action_accept()

    @on(JDList.RowSelected, "#match-jds")
    def _jd_picked(self, event: JDList.RowSelected) -> None:
        event.stop()
        self.query_one("#match-candidates", CandidateList).focus()

    @work(thread=True, exclusive=False, group="match-write", exit_on_error=False)
    def write_role(self, suggestion: Suggestion, role: str) -> None:
        from pathways.matching import set_role

        # The matcher's confidence in the role picked, for the audit trail (None if the role
        # was not among the JD's suggestions).
        score = next((c.confidence for c in suggestion.candidates if c.role == role), None)
        with catalogue_in_thread(self.db_path) as db:
            written = set_role(db, suggestion.jd.id, role, score=score)
        self.post_message(RoleWritten(suggestion, role, written))

    def on_role_written(self, event: RoleWritten) -> None:
        self.writing = False
        jd = event.suggestion.jd
        self._drop(jd.id)
        if event.written:
            self.mapped.append(Acceptance(event.suggestion, event.role))
            self.notify(
                f"{jd.trust} {jd.jd_ref} {jd.title} → {self.titles.get(event.role, event.role)}"
                " (u undoes it)",
                title="Mapped",
                markup=False,
            )
            self.app.post_message(CatalogueChanged())
        else:
            self.notify(
                f"{jd.trust} {jd.jd_ref} {jd.title} was mapped elsewhere since it was read: "
                "left as it is.",
                severity="warning",
                markup=False,
            )
        self.refill()

    def action_reject(self) -> None:
        suggestion = self.highlighted()
        if suggestion is None:
            return
        self.set_aside[suggestion.jd.id] = suggestion
        self._drop(suggestion.jd.id)
        self.refill()

    def _drop(self, jd_id: int) -> None:
        self.pending = [s for s in self.pending if s.jd.id != jd_id]

    def action_undo(self) -> None:
        if not self.mapped or self.writing:
            return
        self.writing = True
        self.refresh_bindings()
        self.undo_role(self.mapped.pop())

    @work(thread=True, exclusive=False, group="match-write", exit_on_error=False)
    def undo_role(self, mapping: Acceptance) -> None:
        from pathways.matching import clear_role

        with catalogue_in_thread(self.db_path) as db:
            undone = clear_role(db, mapping.suggestion.jd.id, mapping.role)
        self.post_message(RoleUndone(mapping, undone))

    def on_role_undone(self, event: RoleUndone) -> None:
        self.writing = False
        jd = event.mapping.suggestion.jd
        if not event.undone:
            self.notify(
                f"{jd.trust} {jd.jd_ref} {jd.title}: its role has changed since it was mapped "
                "here; left as it is.",
                severity="warning",
                markup=False,
            )
            self.refresh_bindings()
            return
        # Back in its place in the list, under the cursor, with the suggestions as they were.
        self.set_aside.pop(jd.id, None)
        self._drop(jd.id)
        place = self.place.get(jd.id, len(self.place))
        at = sum(1 for s in self.pending if self.place.get(s.jd.id, len(self.place)) < place)
        self.pending.insert(at, event.mapping.suggestion)
        self.notify(f"{jd.trust} {jd.jd_ref} {jd.title} is unmapped again.", markup=False)
        self.app.post_message(CatalogueChanged())
        self.refill(focus_key=str(jd.id))

    # -- the filter, back, export -------------------------------------------------------------

    def action_focus_filter(self) -> None:
        # At once, not later: the keys typed next (maybe already queued) are the filter's.
        self.set_focus(self.query_one("Input.filter", Input))

    @on(Input.Changed, "Input.filter")
    def _filter_changed(self) -> None:
        if self.loaded:
            self.refill()

    @on(Input.Submitted, "Input.filter")
    def _filter_done(self) -> None:
        self.query_one("#match-jds", JDList).focus()

    def action_back(self) -> None:
        filter_input = self.query_one("Input.filter", Input)
        if filter_input.has_focus or (self.filter_text and not self._in_candidates()):
            filter_input.value = ""
            self.query_one("#match-jds", JDList).focus()
        elif self._in_candidates():
            self.query_one("#match-jds", JDList).focus()

    def _in_candidates(self) -> bool:
        return self.query_one("#match-candidates", CandidateList).has_focus

    def export_rows(self) -> list[Row]:
        """The suggestions shown: one row per JD and role, as `workforce match --format csv`."""
        return [
            {
                "trust": s.jd.trust,
                "jd_ref": s.jd.jd_ref,
                "title": s.jd.title,
                "band": s.jd.band,
                "rank": rank,
                "role": candidate.role,
                "role_title": self.titles.get(candidate.role, candidate.role),
                "confidence": candidate.confidence,
            }
            for s in self.shown()
            for rank, candidate in enumerate(s.candidates, start=1)
        ]

    def action_export(self, fmt: str = "csv") -> None:
        self.start_export(
            self.export_rows(),
            noun="suggestions",
            default_name=f"suggestions.{fmt}",
            toml_table="suggestion",
        )

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "match: accept", "Map the highlighted JD to the marked role", self.action_accept
        )
        yield SystemCommand("match: reject", "Set the highlighted JD aside", self.action_reject)
        yield SystemCommand("match: undo", "Undo the last mapping", self.action_undo)
        for fmt in ("csv", "toml"):
            yield SystemCommand(
                f"export: suggestions as {fmt.upper()}",
                f"Write the suggestions shown to a {fmt.upper()} file",
                partial(self.action_export, fmt),
            )


def _header(label: str, right: bool) -> Text:
    # A header narrowed with its column ends in "…" as its cells do.
    return Text(label, justify="right" if right else "left", no_wrap=True, overflow="ellipsis")


def _haystack(suggestion: Suggestion) -> str:
    jd = suggestion.jd
    return "\n".join((jd.trust, jd.jd_ref, jd.title, jd.band or "medical")).casefold()
