"""A form's list to choose any of many from (roles, competencies, routes), narrowed by typing."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, SelectionList, Static
from textual.widgets.selection_list import Selection


class ChoiceList(Vertical):
    """Choose any of many (roles, competencies, routes): a filter box over a list, space (or
    Enter, or a click) to choose or unchoose. What is chosen stays chosen while the filter hides
    it, and is listed under the list."""

    DEFAULT_CSS = """
    ChoiceList {
        height: auto;
    }
    ChoiceList > Input {
        border: none;
        height: 1;
        padding: 0 1;
        background: $boost;
    }
    ChoiceList > Input:focus {
        background: $surface-lighten-1;
    }
    ChoiceList > SelectionList {
        height: 8;
        border: none;
        padding: 0;
    }
    ChoiceList > .choice-summary {
        height: auto;
        color: $text-muted;
        padding: 0 1;
    }
    """

    class Changed(Message):
        """The user chose or unchose one."""

        def __init__(self, choice_list: ChoiceList) -> None:
            super().__init__()
            self.choice_list = choice_list

        @property
        def control(self) -> ChoiceList:
            return self.choice_list

    def __init__(
        self,
        choices: Sequence[tuple[str, str]],
        chosen: Iterable[str] = (),
        *,
        noun: str,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.choices = list(choices)  # (value, label), in the order listed
        self.labels = dict(self.choices)
        self.noun = noun  # plural: "roles"
        self._chosen = set(chosen)

    def compose(self) -> ComposeResult:
        yield Input(placeholder=f"type to narrow the {self.noun}", classes="choice-filter")
        yield SelectionList[str](classes="choice-list")
        yield Static("", classes="choice-summary", markup=False)

    def on_mount(self) -> None:
        self._fill("")
        self._summarise()

    @property
    def chosen(self) -> list[str]:
        """The values chosen, sorted (the catalogue holds them as a set)."""
        return sorted(self._chosen)

    def set_choices(self, choices: Sequence[tuple[str, str]], chosen: Iterable[str] = ()) -> None:
        """Offer `choices`, `chosen` chosen (for a form that reads what it offers once open)."""
        self.choices = list(choices)
        self.labels = dict(self.choices)
        self._chosen = set(chosen)
        if self.is_mounted:
            self._fill(self.filter_input.value)
            self._summarise()

    @property
    def filter_input(self) -> Input:
        return self.query_one(".choice-filter", Input)

    @property
    def selection_list(self) -> SelectionList[str]:
        return self.query_one(".choice-list", SelectionList)

    def _fill(self, text: str) -> None:
        needle = text.strip().casefold()
        listed = self.selection_list
        listed.clear_options()
        listed.add_options(
            [
                Selection(Text(label), value, value in self._chosen)
                for value, label in self.choices
                if needle in f"{value}\n{label}".casefold()
            ]
        )
        if listed.option_count:
            listed.highlighted = 0

    def _summarise(self) -> None:
        chosen = self.chosen
        if not chosen:
            text = f"No {self.noun} chosen."
        else:
            text = f"{len(chosen)} chosen: " + ", ".join(self.labels.get(v, v) for v in chosen)
        self.query_one(".choice-summary", Static).update(text)

    @on(Input.Changed, ".choice-filter")
    def _narrow(self, event: Input.Changed) -> None:
        event.stop()  # the filter's text is not a field of the form
        self._fill(event.value)

    @on(Input.Submitted, ".choice-filter")
    def _to_list(self, event: Input.Submitted) -> None:
        event.stop()
        self.selection_list.focus()

    @on(SelectionList.SelectedChanged)
    def _ignored(self, event: SelectionList.SelectedChanged[str]) -> None:
        event.stop()  # posted by refilling too: only a toggle by the user counts

    @on(SelectionList.SelectionToggled)
    def _toggled(self, event: SelectionList.SelectionToggled[str]) -> None:
        event.stop()
        value = event.selection.value
        if value in event.selection_list.selected:
            self._chosen.add(value)
        else:
            self._chosen.discard(value)
        self._summarise()
        self.post_message(self.Changed(self))

    def on_key(self, event: events.Key) -> None:
        # Down from the filter moves into the list (typing stays in the filter).
        if event.key == "down" and self.filter_input.has_focus:
            event.stop()
            self.selection_list.focus()
