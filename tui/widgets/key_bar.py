"""The key bar at the foot of every screen: the keys that work here, in one line that fits.

In place of Textual's Footer, for two reasons measured and seen:
- the Footer builds a widget per key and rebuilds them all whenever the keys change (three
  times while the app starts: ~60 ms of the first screen's ~250 ms with our dozen keys);
  this is one widget that redraws one line;
- in 80 or 100 columns the Footer cut off the keys at its end. Here the screen's own keys come
  first and the keys that move between screens follow; when they do not all fit, those are
  shortened to their keys alone ("Screens: 1 2 ... 9"), then to one item ("1-9 Screens"),
  and only then are the screen's own keys dropped from the end. `?` lists every key in full.

Keys are clicked as in the Footer: a click presses the key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from textual import events
from textual.app import RenderResult
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget

GAP = "  "  # between items
NAV_PREFIX = "go("  # the app's actions that open a screen (tui/app.py)
HELP_KEY = "question_mark"


@dataclass(frozen=True)
class KeyItem:
    """One key as shown: what to press, its label, and whether it does anything here."""

    key: str  # the key pressed on a click ("" for an item that only describes)
    display: str
    description: str = ""
    enabled: bool = True
    current: bool = False  # the screen being shown (its key, among the screens')


BREAK = KeyItem("", "│")  # between the screen's keys and the screens'


def fit(local: Sequence[KeyItem], nav: Sequence[KeyItem], width: int) -> list[KeyItem]:
    """The items to show in `width` cells. The screens' keys are shortened first (to their
    keys alone, then to one "1-9 Screens" item), then the screen's own keys are dropped from
    the end (the help lists them all)."""
    shown = list(local)
    for screens in _screens_shortened(nav):
        if line_width(_joined(shown, screens)) <= width:
            return _joined(shown, screens)
    while shown and line_width(_joined(shown, screens)) > width:
        shown.pop()
    return _joined(shown, screens)


def _joined(local: list[KeyItem], nav: list[KeyItem]) -> list[KeyItem]:
    return [*local, BREAK, *nav] if local and nav else [*local, *nav]


def _screens_shortened(nav: Sequence[KeyItem]) -> list[list[KeyItem]]:
    """The screens' keys in full, as keys alone, as one item; the longest first."""
    if len(nav) < 3:
        return [list(nav)]
    keys_alone = [KeyItem(item.key, item.display, "", item.enabled, item.current) for item in nav]
    label = KeyItem("", "Screens:")
    return [
        list(nav),
        [label, *keys_alone],
        [KeyItem("", f"{nav[0].display}-{nav[-1].display}", "Screens")],
    ]


def _item_width(item: KeyItem) -> int:
    return cell_len(item.display) + (1 + cell_len(item.description) if item.description else 0)


def _gap(before: KeyItem, after: KeyItem) -> int:
    # Keys alone (the screens' keys when short of room) sit one apart; described ones two.
    keys_alone = after.key and not after.description and not before.description
    return 1 if keys_alone else len(GAP)


def layout(items: Sequence[KeyItem]) -> list[tuple[int, KeyItem]]:
    """Where each item starts on the line."""
    placed: list[tuple[int, KeyItem]] = []
    x = 0
    for index, item in enumerate(items):
        if index:
            x += _gap(items[index - 1], item)
        placed.append((x, item))
        x += _item_width(item)
    return placed


def line_width(items: Sequence[KeyItem]) -> int:
    placed = layout(items)
    return placed[-1][0] + _item_width(placed[-1][1]) if placed else 0


class KeyBar(Widget):
    """The keys of the current screen and focused widget, then the keys to other screens."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        padding: 0 1;
        background: $footer-background;
        color: $footer-description-foreground;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._spans: list[tuple[int, int, KeyItem]] = []  # (start, end, item) as last drawn

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        self.refresh()

    def items(self) -> tuple[list[KeyItem], list[KeyItem]]:
        """The keys shown: (the screen's and the focused widget's, the screens')."""
        local: list[KeyItem] = []
        nav: list[KeyItem] = []
        seen: set[str] = set()
        current = f"{NAV_PREFIX}'{self.app.current_mode}')"
        for node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue  # one item per action (a binding of several keys is shown once)
            seen.add(binding.action)
            item = KeyItem(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                enabled,
                current=binding.action == current,
            )
            is_nav = node is self.app and binding.action.startswith(NAV_PREFIX)
            (nav if is_nav else local).append(item)
        local.sort(key=_help_first)
        palette = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if palette is not None and self.app.ENABLE_COMMAND_PALETTE:
            # Last of the screen's keys, so the first to go when the bar is short of room.
            local.append(
                KeyItem(palette.binding.key, self.app.get_key_display(palette.binding), "Commands")
            )
        return local, nav

    def render(self) -> RenderResult:
        local, nav = self.items()
        placed = layout(fit(local, nav, max(self.content_size.width, 1)))
        parts: list[Content | tuple[str, str] | str] = []
        end = 0
        for x, item in placed:
            parts.append(" " * (x - end))
            parts += _styled(item)
            end = x + _item_width(item)
        self._spans = [(x, x + _item_width(item), item) for x, item in placed]
        return Content.assemble(*parts)

    def on_click(self, event: events.Click) -> None:
        x = event.x - self.styles.padding.left
        for start, end, item in self._spans:
            if start <= x < end and item.key:
                if item.enabled:
                    self.app.simulate_key(item.key)
                else:
                    self.app.bell()
                return


def _styled(item: KeyItem) -> list[tuple[str, str]]:
    if not item.key:  # not a key to press: the break, a label, or "1-9 Screens"
        style = "bold $footer-key-foreground" if item.description else "dim"
    elif item.current:
        style = "bold reverse $footer-key-foreground"
    else:
        style = "bold $footer-key-foreground" if item.enabled else "dim"
    described = (
        [(f" {item.description}", "" if item.enabled else "dim")] if item.description else []
    )
    return [(item.display, style), *described]


def _help_first(item: KeyItem) -> int:
    # "?" first: wherever the bar is cut, the way to every key stays on it.
    return 0 if item.key == HELP_KEY else 1
