"""The competencies a person holds, as a checklist: space ticks one (held at the level the role
needs it, else 3, proficient), `+` and `-` change the level held (1 aware .. 4 expert), `/`
finds one by name. Those held are listed first (in the order they were when the list was set),
so what the person holds is in view; the rest follow by pillar and name.

It posts HeldChanged with {competency id: level} whenever what is held changes by hand.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass

from rich.console import RenderableType
from rich.text import Text
from textual import events, on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, SelectionList, Static
from textual.widgets.option_list import OptionDoesNotExist
from textual.widgets.selection_list import Selection

from pathways.details import LEVEL_NAMES, PILLAR_ORDER

DEFAULT_LEVEL = 3  # pathways.paths.DEFAULT_HELD_LEVEL: proficient, the level most roles ask for


@dataclass(frozen=True, slots=True)
class CompetencyEntry:
    id: str
    name: str
    pillar: str


class HeldChanged(Message):
    """What the person holds was changed by hand: {competency id: level 1-4}."""

    def __init__(self, held: dict[str, int]) -> None:
        super().__init__()
        self.held = held


def _pillar_rank(pillar: str) -> int:
    return PILLAR_ORDER.index(pillar) if pillar in PILLAR_ORDER else len(PILLAR_ORDER)


class _Checklist(SelectionList[str]):
    """The checklist. Focused with nothing highlighted (its options were just set), it
    highlights the first: otherwise Space and + would act on nothing until Down was pressed."""

    def on_focus(self, event: events.Focus) -> None:
        if self.highlighted is None and self.option_count:
            self.highlighted = 0


class _HeldCount(Static):
    """'Competencies held: 14 of 86', said shorter where that does not fit (the left column
    is narrow in an 80-column terminal): the figures are never cut."""

    def __init__(self) -> None:
        super().__init__("", id="held-label", markup=False)
        self.held = 0
        self.total = 0

    def show(self, held: int, total: int) -> None:
        self.held, self.total = held, total
        self.refresh()

    def render(self) -> RenderableType:
        room = self.content_size.width
        for text in (
            f"Competencies held: {self.held} of {self.total}",
            f"Held: {self.held} of {self.total}",
        ):
            if not room or len(text) <= room:
                return text
        return f"{self.held}/{self.total}"


class HeldChecklist(Vertical):
    DEFAULT_CSS = """
    HeldChecklist {
        height: 1fr;
    }
    HeldChecklist #held-label {
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    HeldChecklist SelectionList {
        height: 1fr;
        border: none;
        padding: 0;
    }
    """
    BINDINGS = [
        Binding(
            "plus,equals_sign",
            "level(1)",
            "Level +",
            id="level-up",
            tooltip="Hold the highlighted competency one level higher",
        ),
        Binding(
            "minus",
            "level(-1)",
            "Level -",
            id="level-down",
            tooltip="Hold it one level lower (below 1: not held)",
        ),
        Binding("down", "into_list", "To the list", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="held")
        self.entries: dict[str, CompetencyEntry] = {}
        self.held: dict[str, int] = {}
        self.needs: Mapping[str, int] = {}  # the role's: the level a ticked competency gets
        self.order: list[str] = []  # held first, then by pillar and name

    def compose(self) -> ComposeResult:
        yield _HeldCount()
        yield Input(placeholder="/ to find a competency", classes="filter", id="held-filter")
        yield _Checklist(id="held-list")

    @property
    def checklist(self) -> SelectionList[str]:
        return self.query_one("#held-list", SelectionList)

    def set_catalogue(self, entries: Sequence[CompetencyEntry]) -> None:
        self.entries = {entry.id: entry for entry in entries}

    def set_held(self, held: Mapping[str, int], needs: Mapping[str, int]) -> None:
        """Show `held` ticked (listed first); `needs` gives the level a competency ticked later
        is held at."""
        self.held = {comp: level for comp, level in held.items() if comp in self.entries}
        self.needs = needs
        rest = sorted(
            (entry for entry in self.entries.values() if entry.id not in self.held),
            key=lambda e: (_pillar_rank(e.pillar), e.name.casefold()),
        )
        held_first = sorted(
            self.held, key=lambda c: (_pillar_rank(self.entries[c].pillar), self.entries[c].name)
        )
        self.order = held_first + [entry.id for entry in rest]
        self._redraw()

    def _prompt(self, comp: str) -> Text:
        entry = self.entries[comp]
        level = self.held.get(comp)
        if level is None:
            return Text.assemble(entry.name, (f"  {entry.pillar}", "dim"))
        return Text.assemble(
            entry.name, (f"  {level} {LEVEL_NAMES.get(level, '')}".rstrip(), "bold")
        )

    def _redraw(self) -> None:
        needle = self.query_one("#held-filter", Input).value.strip().casefold()
        checklist = self.checklist
        keep = checklist.highlighted
        checklist.clear_options()
        checklist.add_options(
            [
                Selection(self._prompt(comp), comp, comp in self.held, id=comp)
                for comp in self.order
                if not needle or needle in self.entries[comp].name.casefold()
            ]
        )
        if keep is not None and checklist.option_count:
            checklist.highlighted = min(keep, checklist.option_count - 1)
        self._update_label()

    def _update_label(self) -> None:
        self.query_one(_HeldCount).show(len(self.held), len(self.entries))

    def _changed(self, comp: str) -> None:
        with suppress(OptionDoesNotExist):  # filtered out of view: nothing to redraw
            self.checklist.replace_option_prompt(comp, self._prompt(comp))
        self._update_label()
        self.post_message(HeldChanged(dict(self.held)))

    @on(SelectionList.SelectionToggled, "#held-list")
    def _toggled(self, event: SelectionList.SelectionToggled[str]) -> None:
        event.stop()
        comp = event.selection.value
        if comp in self.held:
            del self.held[comp]
        else:
            self.held[comp] = self.needs.get(comp, DEFAULT_LEVEL)
        self._changed(comp)

    def action_level(self, step: int) -> None:
        checklist = self.checklist
        if checklist.highlighted is None:
            return
        comp = checklist.get_option_at_index(checklist.highlighted).value
        level = self.held.get(comp, 0) + step
        if level > 4:
            return
        if level < 1:
            self.held.pop(comp, None)
            checklist.deselect(comp)
        else:
            self.held[comp] = level
            checklist.select(comp)
        self._changed(comp)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # + and - are text while typing in the finder.
        inputs = self.query("#held-filter")
        return not (action == "level" and inputs and inputs.first().has_focus)

    def focus_filter(self) -> None:
        self.screen.set_focus(self.query_one("#held-filter", Input))

    @on(Input.Changed, "#held-filter")
    def _filter_changed(self) -> None:
        self._redraw()

    @on(Input.Submitted, "#held-filter")
    def _filter_done(self) -> None:
        self.checklist.focus()

    def action_into_list(self) -> None:
        """Down in the finder moves into the list it filters (onto the first match)."""
        if not self.query_one("#held-filter", Input).has_focus:
            raise SkipAction()
        self.checklist.focus()

    def clear_filter(self) -> bool:
        """Clear the finder; False if there was nothing to clear."""
        finder = self.query_one("#held-filter", Input)
        if not finder.value and not finder.has_focus:
            return False
        finder.value = ""
        self.checklist.focus()
        return True
