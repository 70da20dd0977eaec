"""The Network screen and a trust's posts: opened with Enter, read a page at a time, titles
shown exactly as imported."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from tests.factories import jd, make_catalogue
from tests.test_tui import settle, shown_keys, static_text, type_text
from tui.app import make_app
from tui.screens.compare import CompareScreen
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
    """' high  9 JDs  35.4 WTE' (or '1 JD') lines -> {severity: (JDs, WTE)}."""
    found: dict[str, tuple[int, float]] = {}
    for line in text.splitlines():
        words = line.split()
        if len(words) == 5 and words[2] in ("JD", "JDs") and words[4] == "WTE":
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
        # Under 5 WTE funded, Administrative and clerical (2) and Sonography (4) are small
        # numbers: their rates are marked †, with a note under the chart (as `workforce gap`
        # footnotes them); Radiography (20) is not.
        assert "50.0%† no national figure" in bars["Administrative and"]
        assert f"12.5%  ┃ national {radiography:.1f}%" in bars["Radiography"]
        assert f"0.0%† ┃ national {sonography:.1f}%" in bars["Sonography"]
        lengths = {label: line.count("█") for label, line in bars.items()}
        assert lengths["Administrative and"] > lengths["Radiography"] > lengths["Sonography"] == 0
        assert sum(1 for line in chart if "%" in line and "national" in line) == 3
        assert "† under 5 WTE funded: small numbers, read with care" in chart
        assert "warn 1 JD 4.5 WTE" in " ".join(flags.split())  # one JD, not "1 JDs"


async def test_no_small_number_mark_when_every_group_is_large_enough(
    reference_db: Path, tmp_path: Path
) -> None:
    path = make_catalogue(
        reference_db,
        tmp_path,
        [jd("RRK", "R-1", "diagnostic-radiographer", "5", wte_funded=10, wte_in_post=8)],
    )
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        chart = _summary_text(app, "#vacancy-chart")
        assert "20.0% ┃ national" in chart
        assert "†" not in chart and "small numbers" not in chart


# -- a post's detail: Enter on a post ---------------------------------------------------------

LEVELS = [4, 6, 5, 2, 2, 5, 2, 2, 3, 2, 3, 4, 3, 4, 3, 3]


def _posts_catalogue(reference_db: Path, tmp_path: Path) -> Path:
    return make_catalogue(
        reference_db,
        tmp_path,
        [
            jd(
                "RRK",
                "US-1",
                "sonographer",
                "7",
                title=MARKUP_TITLE,
                summary="Scans [red]obstetric[/red] patients; runs the [b]list[/b].",
                competencies=["mammography", "plain-film-imaging"],
                je_levels=LEVELS,
                wte_funded=2,
                wte_in_post=1.5,
            ),
            jd("RRK", "XR-1", None, "5", title="Radiographer (rotational)", summary="Plain film."),
        ],
    )


def _detail_text(screen: TrustPostsScreen, width: int = 100) -> str:
    return static_text(screen.query_one("#post-detail-body", Static), width=width)


async def test_enter_on_a_post_shows_its_detail_taken_literally(
    reference_db: Path, tmp_path: Path
) -> None:
    app = make_app(_posts_catalogue(reference_db, tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        posts = await _open_trust(pilot, "RRK")
        screen = app.screen
        assert isinstance(screen, TrustPostsScreen)
        assert not screen.query_one("#post-detail").display  # closed until a post is opened
        await pilot.press("enter")
        await settle(pilot)
        detail = screen.query_one("#post-detail")
        assert detail.display and not posts.display  # 100 columns: it covers the posts
        assert detail.has_focus  # so up and down scroll it
        text = _detail_text(screen)
        assert text.startswith(MARKUP_TITLE + "\nRRK:US-1")
        assert "Scans [red]obstetric[/red] patients; runs the [b]list[/b]." in text
        for shown in ("Mammography", "Plain-film imaging", "Sonographer (sonographer)", "Band 7"):
            assert shown in text
        assert "WTE funded  2.0" in text and "WTE in post 1.5" in text
        assert "Communication and relationship skills" in text
        assert "hand.db.csv" in text  # the file it was imported from
        # Drawn on screen, the brackets are there: no markup was read into the title.
        screen_text = app.export_screenshot().replace("&#160;", " ")
        assert "[bold]Sonographer[/bold] [red]" in screen_text
        # Escape closes the detail and gives the posts back; again, back to the trusts.
        await pilot.press("escape")
        await settle(pilot)
        assert not detail.display and posts.display and posts.has_focus
        await pilot.press("escape")
        assert isinstance(app.screen, NetworkScreen)


async def test_a_wide_terminal_shows_the_detail_beside_the_posts_following_the_cursor(
    reference_db: Path, tmp_path: Path
) -> None:
    app = make_app(_posts_catalogue(reference_db, tmp_path))
    async with app.run_test(size=(170, 40)) as pilot:
        posts = await _open_trust(pilot, "RRK")
        screen = app.screen
        assert isinstance(screen, TrustPostsScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert posts.display and posts.has_focus and screen.query_one("#post-detail").display
        assert MARKUP_TITLE in _detail_text(screen)
        await pilot.press("down")
        await settle(pilot)
        text = _detail_text(screen)
        assert text.startswith("Radiographer (rotational)")
        assert "unmapped: no reference role yet" in text
        assert "Plain film." in text and "none recorded" in text  # no competencies


async def test_c_compares_the_posts_role_with_the_cursor_on_the_post(
    reference_db: Path, tmp_path: Path
) -> None:
    app = make_app(_posts_catalogue(reference_db, tmp_path))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await _open_trust(pilot, "RRK")
        await pilot.press("down", "c")  # the unmapped post: nothing to compare
        await settle(pilot)
        assert isinstance(app.screen, TrustPostsScreen)
        messages = [str(toast.render()) for toast in app.screen.query("Toast")]
        assert any("XR-1 is not mapped to a reference role" in m for m in messages), messages
        await pilot.press("up", "enter")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        compare = app.screen
        assert isinstance(compare, CompareScreen)
        assert compare.role == "sonographer"
        jds = compare.query_one("#compare-jds", RowTable)
        assert jds.highlighted_key() == "RRK:US-1"
        await pilot.press("escape")
        assert isinstance(app.screen, TrustPostsScreen)


async def test_a_trust_with_no_posts_says_so_by_name(reference_db: Path, tmp_path: Path) -> None:
    path = make_catalogue(reference_db, tmp_path, [jd("RRK", "US-1", "sonographer", "7")])
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await _open_trust(pilot, "RL4")
        status = static_text(app.screen.query_one("#posts-status", Static))
        assert status == "The Royal Wolverhampton NHS Trust has no posts in the catalogue"
        await pilot.press("escape")
        posts = await _open_trust(pilot, "RRK")
        assert posts.row_count == 1
        assert static_text(app.screen.query_one("#posts-status", Static)) == "1 post"
        await pilot.press("slash")
        await type_text(pilot, "US")
        await settle(pilot)
        assert static_text(app.screen.query_one("#posts-status", Static)) == "1 post matches"
        await type_text(pilot, "zz")
        await settle(pilot)
        assert static_text(app.screen.query_one("#posts-status", Static)) == "No posts match “USzz”"


async def test_filtering_out_the_open_post_closes_its_detail_and_typing_goes_on(
    reference_db: Path, tmp_path: Path
) -> None:
    app = make_app(_posts_catalogue(reference_db, tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        posts = await _open_trust(pilot, "RRK")
        screen = app.screen
        await pilot.press("enter")
        await settle(pilot)
        assert screen.query_one("#post-detail").display
        await pilot.press("slash")
        await type_text(pilot, "xr")  # the open post (US-1) is filtered out
        await settle(pilot)
        assert not screen.query_one("#post-detail").display and posts.display
        await type_text(pilot, "-1")
        await settle(pilot)
        assert screen.query_one("#posts-filter").value == "xr-1"
        assert _titles(posts) == {"XR-1": "Radiographer (rotational)"}
