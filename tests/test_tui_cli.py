"""`workforce` / `workforce tui`: which screen opens with what selected, and deep links that are
wrong refused (exit 2, naming what is wrong) before the app opens.

The app's own `run` is replaced by one that records how it was built: these tests are about
the command line; the app itself is driven in the other tests/test_tui*.py modules.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tui.app import WorkforceApp
from tui.screens.registry import screen_names
from workforce_cli.main import main


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """How each app the command line ran was built (it is not run)."""
    runs: list[dict[str, Any]] = []

    def record(app: WorkforceApp, *args: Any, **kwargs: Any) -> None:
        runs.append(
            {"db": app.db_path, "screen": app.initial_screen, "selection": dict(app._selection)}
        )

    monkeypatch.setattr(WorkforceApp, "run", record)
    return runs


def test_workforce_alone_opens_the_network(
    packaged_db: Path, opened: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKFORCE_DB", str(packaged_db))
    assert main([]) == 0
    assert opened == [
        {"db": packaged_db, "screen": "network", "selection": {"role": None, "trust": None}}
    ]


def test_a_deep_link_opens_its_screen_with_the_selection(
    packaged_db: Path, opened: list[dict[str, Any]]
) -> None:
    db = str(packaged_db)
    assert main(["tui", "--db", db, "--screen", "catalogue", "--role", "sonographer"]) == 0
    assert main(["tui", "--db", db, "--trust", "rrk"]) == 0  # ODS codes in any case
    assert main(["tui", "--db", db, "--role", "sonographer"]) == 0  # the screen that takes it
    assert [(run["screen"], run["selection"]) for run in opened] == [
        ("catalogue", {"role": "sonographer", "trust": None}),
        ("network", {"role": None, "trust": "RRK"}),
        ("catalogue", {"role": "sonographer", "trust": None}),
    ]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--role", "sonographr"], "unknown role 'sonographr'"),
        (["--screen", "catalogue", "--trust", "XYZ"], "unknown trust 'XYZ'"),
        (["--screen", "network", "--role", "sonographer"], "the network screen takes no --role"),
    ],
)
def test_a_wrong_deep_link_exits_2_naming_it_before_the_app_opens(
    packaged_db: Path,
    opened: list[dict[str, Any]],
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    says: str,
) -> None:
    assert main(["tui", "--db", str(packaged_db), *args]) == 2
    assert says in capsys.readouterr().err
    assert opened == []


def test_an_unknown_screen_name_is_a_usage_error(
    packaged_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["tui", "--db", str(packaged_db), "--screen", "nowhere"])
    assert exit_.value.code == 2
    assert "nowhere" in capsys.readouterr().err


def test_help_lists_the_screens(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["tui", "--help"])
    out = capsys.readouterr().out
    for name in screen_names():
        assert name in out


def test_a_missing_catalogue_is_built_and_said_before_the_app_opens(
    tmp_path: Path, opened: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "new.db"
    assert main(["tui", "--db", str(target)]) == 0
    assert target.exists()
    assert "building one from the packaged data" in capsys.readouterr().err
    assert opened[0]["db"] == target


def test_the_app_builds_a_missing_catalogue_named_by_the_environment_or_the_default(
    tmp_path: Path,
    opened: list[dict[str, Any]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Unlike the other commands, which refuse a named catalogue that is missing.
    named = tmp_path / "named.db"
    monkeypatch.setenv("WORKFORCE_DB", str(named))
    assert main([]) == 0
    assert named.exists() and opened[-1]["db"] == named
    assert f"no catalogue at {named}: building one" in capsys.readouterr().err

    monkeypatch.delenv("WORKFORCE_DB")
    monkeypatch.chdir(tmp_path)
    assert main(["tui"]) == 0
    assert (tmp_path / "workforce.db").exists() and opened[-1]["db"] == Path("workforce.db")
    assert "building one from the packaged data" in capsys.readouterr().err
