"""The JE view of a post in the app: each factor's level and points, and a JE profile match,
the role's own profile by default, another chosen with `j`."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList, Static

from catalogue.catalogue_import import import_catalogue
from catalogue.store import open_catalogue
from tests.factories import jd, make_catalogue
from tests.test_tui import settle, static_text
from tests.test_tui_network import _open_trust
from tui.app import make_app
from tui.screens.trust_posts import TrustPostsScreen
from tui.widgets.dialogs import ChoiceDialog

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "je-profiles-example.toml"
# The illustrative Band 5 radiographer profile of docs/, at its lowest levels (386), but with
# Analytical skills 4a (one above the profile's 3): 386 - 27 + 42 = 401, Band 6.
LEVELS = "4 6 4a 2 3 5 1 2 1 1 1 3 3 3 2 3"
# ILLUSTRATIVE: a profile titled as the diagnostic radiographer role's national profile, so the
# post's detail matches it without being asked (its levels are the example's, not national).
ROLE_PROFILE = (
    EXAMPLE.read_text(encoding="utf-8")
    .split("\n[[je_profile]]\n")[1]
    .replace('id = "example-radiographer-band-5"', 'id = "role-profile"')
    .replace(
        'title = "Radiographer (Diagnostic), harmonised (ILLUSTRATIVE)"',
        'title = "Radiographer (Diagnostic)"',
    )
)


def _catalogue(reference_db: Path, tmp_path: Path) -> Path:
    path = make_catalogue(
        reference_db,
        tmp_path,
        [
            jd(
                "RRK",
                "XR-5",
                "diagnostic-radiographer",
                "5",
                title="Radiographer",
                je_levels=LEVELS.split(),
            )
        ],
    )
    role_profile = tmp_path / "role-profile.toml"
    role_profile.write_text("[[je_profile]]\n" + ROLE_PROFILE, encoding="utf-8")
    db = open_catalogue(path)
    try:
        import_catalogue(db, [EXAMPLE, role_profile])
    finally:
        db.close()
    return path


def _detail(screen: TrustPostsScreen) -> str:
    return static_text(screen.query_one("#post-detail-body", Static), width=100)


async def test_a_posts_je_view_shows_points_and_matches_a_profile(
    reference_db: Path, tmp_path: Path
) -> None:
    app = make_app(_catalogue(reference_db, tmp_path))
    async with app.run_test(size=(100, 40)) as pilot:
        await _open_trust(pilot, "RRK")
        screen = app.screen
        assert isinstance(screen, TrustPostsScreen)
        await pilot.press("enter")
        await settle(pilot)
        text = _detail(screen)
        # Each factor's level with its points: Analytical skills 4a, kept as the import read
        # it, scores as level 4 (42), one level above the profile's 3.
        assert "JE factor levels and points" in text
        line = next(row for row in text.splitlines() if "Analytical and judgemental" in row)
        assert line.split()[-5:] == ["skills", "4a", "42", "1", "above"]
        assert "Total 401: Band 6, differs from its band" in text
        # The role's national profile, held under that title, is matched at once.
        assert "Radiographer (Diagnostic) (role-profile, Band 5)" in text
        assert "1 factor outside the profile" in text
        assert "Band 5 does not hold" in text
        # j offers every profile; choosing the generic support worker one matches that.
        await pilot.press("j")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        options = dialog.query_one("#choice-list", OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert ids == [
            "example-imaging-support-worker-band-3",
            "example-radiographer-band-5",
            "role-profile",
        ]
        options.highlighted = 0
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        text = _detail(screen)
        assert "Imaging support worker, generic (ILLUSTRATIVE)" in text
        assert "Band 3 does not hold" in text and "above" in text
