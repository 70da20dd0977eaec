"""The Network screen and a trust's posts: opened with Enter, read a page at a time, titles
shown exactly as imported."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from tests.factories import jd, make_catalogue
from tests.test_tui import settle, shown_keys, static_text, type_text
from tui.app import make_app
from tui.screens.network import NetworkScreen
from tui.screens.trust_posts import PAGE_SIZE, TrustPostsScreen
from tui.widgets.tables import RowTable

MARKUP_TITLE = "Lead [bold]Sonographer[/bold] [red]"


async def _open_trust(pilot, code: str) -> RowTable:  # type: ignore[no-untyped-def]
    """From the Network screen, Enter on trust `code`; the posts table once shown."""
    await settle(pilot)
    trusts = pilot.app.screen.query_one("#trusts", RowTable)
    assert trusts.move_to_key(code)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, TrustPostsScreen)
    return pilot.app.screen.query_one("#posts", RowTable)


def _titles(posts: RowTable) -> dict[str, str]:
    return {
        str(row[0].plain): row[1].plain for row in map(posts.get_row_at, range(posts.row_count))
    }


async def test_enter_on_a_trust_shows_its_posts_with_titles_taken_literally(
    reference_db: Path, tmp_path: Path
) -> None:
    path = make_catalogue(
        reference_db,
        tmp_path,
        [
            jd("RRK", "US-1", "sonographer", "7", title=MARKUP_TITLE, wte_funded=2, wte_in_post=1),
            jd("RRK", "XR-1", None, "5", title="Radiographer [Band 5] - A&E"),
            jd("RL4", "XR-9", "diagnostic-radiographer", "5"),
        ],
    )
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        posts = await _open_trust(pilot, "RRK")
        assert _titles(posts) == {"US-1": MARKUP_TITLE, "XR-1": "Radiographer [Band 5] - A&E"}
        first = posts.get_row_at(0)
        assert first[1].spans == []  # no markup was read into the title
        assert [cell.plain for cell in first] == [
            "US-1",
            MARKUP_TITLE,
            "7",
            "2.0",
            "1.0",
            "sonographer",
        ]
        second = posts.get_row_at(1)
        assert second[-1].plain == "unmapped"
        status = static_text(app.screen.query_one("#posts-status", Static))
        assert status.startswith("2 posts")
        # And what is drawn on screen holds the brackets.
        screen_text = app.export_screenshot()
        assert "[bold]Sonographer[/bold]" in screen_text.replace("&#160;", " ")
        await pilot.press("escape")
        assert isinstance(app.screen, NetworkScreen)


async def test_the_bundled_title_with_brackets_is_shown_as_written(packaged_db: Path) -> None:
    from catalogue.store import open_catalogue

    db = open_catalogue(packaged_db)
    try:
        trust, ref = db.execute(
            "SELECT trust, jd_ref FROM job_description WHERE title = ?",
            ["Radiographer [Band 5] - A&E"],
        ).fetchone()
    finally:
        db.close()
    app = make_app(packaged_db)
    async with app.run_test(size=(100, 30)) as pilot:
        posts = await _open_trust(pilot, trust)
        assert _titles(posts)[ref] == "Radiographer [Band 5] - A&E"


async def test_a_trust_with_many_posts_is_shown_a_page_at_a_time(
    reference_db: Path, tmp_path: Path
) -> None:
    count = PAGE_SIZE * 2 + 17
    path = make_catalogue(
        reference_db,
        tmp_path,
        [jd("RKB", f"P{n:04d}", "diagnostic-radiographer", "5") for n in range(count)],
    )
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        posts = await _open_trust(pilot, "RKB")
        screen = app.screen
        assert posts.row_count == PAGE_SIZE
        status = static_text(screen.query_one("#posts-status", Static))
        assert f"{count} posts" in status and f"1–{PAGE_SIZE} shown" in status
        assert "page 1 of 3" in status
        await pilot.press("n")
        await settle(pilot)
        assert posts.get_row_at(0)[0].plain == f"P{PAGE_SIZE:04d}"
        await pilot.press("n")
        await settle(pilot)
        assert posts.row_count == 17
        assert "page 3 of 3" in static_text(screen.query_one("#posts-status", Static))
        await pilot.press("n")  # no page 4: nothing happens
        await settle(pilot)
        assert posts.row_count == 17
        await pilot.press("p")
        await settle(pilot)
        assert posts.get_row_at(0)[0].plain == f"P{PAGE_SIZE:04d}"


async def test_the_posts_filter_searches_every_page(reference_db: Path, tmp_path: Path) -> None:
    count = PAGE_SIZE + 50
    path = make_catalogue(
        reference_db,
        tmp_path,
        [jd("RKB", f"P{n:04d}", "diagnostic-radiographer", "5") for n in range(count)]
        + [jd("RKB", "Z-LAST", "sonographer", "6", title="Obstetric Sonographer")],
    )
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        posts = await _open_trust(pilot, "RKB")
        await pilot.press("slash")
        await type_text(pilot, "obstetric")
        await settle(pilot)
        assert _titles(posts) == {"Z-LAST": "Obstetric Sonographer"}
        # Escape clears the filter first; a second Escape goes back to the trusts.
        await pilot.press("escape")
        await settle(pilot)
        assert posts.row_count == PAGE_SIZE
        await pilot.press("escape")
        assert isinstance(app.screen, NetworkScreen)


async def test_the_trusts_filter_as_you_type(packaged_db: Path) -> None:
    app = make_app(packaged_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "coventry")
        trusts = app.screen.query_one("#trusts", RowTable)
        assert shown_keys(trusts) == ["RKB"]


# -- the summary under the trusts: banding flags and vacancy rates --------------------------


def _summary_text(app, selector: str) -> str:  # type: ignore[no-untyped-def]
    from tui.widgets.network_summary import NetworkSummary

    summary = app.screen.query_one(NetworkSummary)
    assert summary.loaded
    return static_text(summary.query_one(selector, Static), width=90)


def _severity_lines(text: str) -> dict[str, tuple[int, float]]:
    """' high  9 JDs  35.4 WTE' lines -> {severity: (JDs, WTE)}."""
    found: dict[str, tuple[int, float]] = {}
    for line in text.splitlines():
        words = line.split()
        if len(words) == 5 and words[2] == "JDs" and words[4] == "WTE":
            found[words[0]] = (int(words[1].replace(",", "")), float(words[3].replace(",", "")))
    return found


async def test_the_flag_counts_are_those_of_the_variation_summary(packaged_db: Path) -> None:
    from catalogue.store import open_catalogue
    from pathways.variation import variation_summary

    db = open_catalogue(packaged_db)
    try:
        counts = variation_summary(db).flags
    finally:
        db.close()
    app = make_app(packaged_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        text = _summary_text(app, "#flags-summary")
        shown = _severity_lines(text)
        assert shown == {
            name: (tally.flags, round(tally.wte_in_post, 1))
            for name, tally in counts.by_severity.items()
        }
        assert f"Banding flags {counts.total.flags:,} JDs" in text
        assert "Biggest disagreements" in text


async def test_flags_and_vacancy_bars_on_a_hand_made_catalogue(
    reference_db: Path, tmp_path: Path
) -> None:
    path = make_catalogue(
        reference_db,
        tmp_path,
        [
            # Radiography: 20 funded, 17.5 in post (12.5%); RJE's band 6 is one band off the
            # mode (5) and the reference band (5): one flag, warn, 4.5 WTE in post.
            jd("RRK", "R-1", "diagnostic-radiographer", "5", wte_funded=10, wte_in_post=8),
            jd("RL4", "R-2", "diagnostic-radiographer", "5", wte_funded=5, wte_in_post=5),
            jd(
                "RJE",
                "R-3",
                "diagnostic-radiographer",
                "6",
                wte_funded=5,
                wte_in_post=4.5,
                title="Radiographer [Band 6]",
            ),
            # Sonography: none vacant. Admin and clerical: half vacant, no national figure.
            jd("RRK", "S-1", "sonographer", "7", wte_funded=4, wte_in_post=4),
            jd("RKB", "A-1", "imaging-receptionist", "2", wte_funded=2, wte_in_post=1),
        ],
    )
    from catalogue.store import open_catalogue
    from pathways.gap import role_rates
    from pathways.records import load_national_rates

    db = open_catalogue(path)
    try:
        by_role = role_rates(load_national_rates(db))
    finally:
        db.close()
    # One role per group here: each group's national rate is its role's.
    radiography = by_role["diagnostic-radiographer"].rate * 100
    sonography = by_role["sonographer"].rate * 100
    assert "imaging-receptionist" not in by_role
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        flags = _summary_text(app, "#flags-summary")
        assert _severity_lines(flags) == {"high": (0, 0.0), "warn": (1, 4.5)}
        assert "RJE Radiographer [Band 6]" in flags  # the title as imported, not markup
        assert "6 vs mode 5, ref 5" in flags
        chart = _summary_text(app, "#vacancy-chart").splitlines()
        bars = {
            label: next(line for line in chart if line.startswith(label))
            for label in ("Administrative and", "Radiography", "Sonography")
        }
        assert "50.0% no national figure" in bars["Administrative and"]
        assert f"12.5% ┃ national {radiography:.1f}%" in bars["Radiography"]
        assert f"0.0% ┃ national {sonography:.1f}%" in bars["Sonography"]
        lengths = {label: line.count("█") for label, line in bars.items()}
        assert lengths["Administrative and"] > lengths["Radiography"] > lengths["Sonography"] == 0
        assert sum(1 for line in chart if "%" in line and "national" in line) == 3
