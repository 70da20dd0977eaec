"""The key bar at the foot of every screen: what fits in the width, and clicks press keys."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from tests.test_tui import settle
from tui.app import WorkforceApp, make_app
from tui.screens.registry import SCREENS
from tui.widgets.key_bar import BREAK, KeyBar, KeyItem, fit, layout, line_width

LOCAL = [KeyItem("question_mark", "?", "Help"), KeyItem("slash", "/", "Filter")]
NAV = [
    KeyItem(str(number), str(number), f"Screen {number}", current=number == 2)
    for number in range(1, 10)
]


def _text(items: list[KeyItem]) -> str:
    line = ""
    for x, item in layout(items):
        line += " " * (x - len(line)) + item.display
        line += f" {item.description}" if item.description else ""
    return line


# -- fitting the keys to the width (pure) ------------------------------------------------------


def test_everything_in_full_when_it_fits() -> None:
    items = fit(LOCAL, NAV, 200)
    assert items == [*LOCAL, BREAK, *NAV]
    assert _text(items).startswith("? Help  / Filter  │  1 Screen 1  2 Screen 2")
    assert line_width(items) == len(_text(items))


def test_the_screens_keys_are_shortened_before_the_screens_own_keys_are_dropped() -> None:
    full = line_width([*LOCAL, BREAK, *NAV])
    keys_alone = fit(LOCAL, NAV, full - 1)
    assert _text(keys_alone) == "? Help  / Filter  │  Screens: 1 2 3 4 5 6 7 8 9"
    assert [item.current for item in keys_alone if item.key == "2"] == [True]

    one_item = fit(LOCAL, NAV, line_width(keys_alone) - 1)
    assert _text(one_item) == "? Help  / Filter  │  1-9 Screens"


def test_the_screens_own_keys_go_from_the_end_and_help_stays() -> None:
    narrow = fit(LOCAL, NAV, len("? Help  │  1-9 Screens"))
    assert _text(narrow) == "? Help  │  1-9 Screens"
    # Less room than that: the screens' item alone (it cannot be cut further).
    assert fit(LOCAL, NAV, 5) == [KeyItem("", "1-9", "Screens")]


def test_a_screen_with_no_keys_of_its_own_shows_the_screens_alone() -> None:
    assert fit([], NAV, 200) == NAV


# -- the bar in the app --------------------------------------------------------------------


def _bar_text(app: WorkforceApp) -> str:
    return str(app.screen.query_one(KeyBar).render())


async def test_the_bar_fits_80_columns_with_help_first(packaged_db: Path) -> None:
    app = make_app(packaged_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = _bar_text(app)
        assert text.startswith("? Help")
        assert "/ Filter" in text and "1-9 Screens" in text
        assert len(text) <= 80 - 2  # its padding


async def test_a_wide_terminal_names_every_screen(packaged_db: Path) -> None:
    app = make_app(packaged_db)
    async with app.run_test(size=(200, 30)) as pilot:
        await settle(pilot)
        text = _bar_text(app)
        for entry in SCREENS:
            assert f"{entry.key} {entry.title}" in text
        _local, screens = app.screen.query_one(KeyBar).items()
        assert [item.key for item in screens if item.current] == ["1"]  # Network, shown
        await pilot.press("3")
        await settle(pilot)
        _local, screens = app.screen.query_one(KeyBar).items()
        assert [item.key for item in screens if item.current] == ["3"]


async def test_the_bar_follows_the_focus(packaged_db: Path) -> None:
    app = make_app(packaged_db, screen="catalogue")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert "s Sort" in _bar_text(app)  # the table's keys, while it has the focus
        await pilot.press("slash")  # the filter box takes the focus
        await pilot.pause()
        assert "s Sort" not in _bar_text(app)


async def _click_key(pilot: Pilot[None], key: str) -> None:
    bar = pilot.app.screen.query_one(KeyBar)
    (start,) = [start for start, _end, item in bar._spans if item.key == key]
    await pilot.click(KeyBar, offset=(start + bar.styles.padding.left, 0))
    await settle(pilot)


async def test_clicking_a_key_presses_it(packaged_db: Path) -> None:
    app = make_app(packaged_db)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await _click_key(pilot, "6")
        assert app.current_mode == "harmonise"
        await _click_key(pilot, "question_mark")
        assert type(app.screen).__name__ == "HelpScreen"
