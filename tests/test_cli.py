"""The `workforce` command line: help on every command, exit codes, listings, export, import."""

from __future__ import annotations

import argparse
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from catalogue.jd_format import ALL_FIELDS, FIELDS
from workforce_cli.main import build_parser, main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_every_command_has_help(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([name, "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: workforce {name}")
    description = subcommands()[name].description
    assert description and description.split()[0] in out


def test_every_command_but_template_takes_db() -> None:
    for name, parser in subcommands().items():
        options = {o for a in parser._actions for o in a.option_strings}
        assert name == "template" or "--db" in options, name


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["export", "nonsense", "--format", "csv"])
    assert exited.value.code == 2


def test_template_is_the_interchange_header(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "template", "jds")
    assert code == 0
    assert out.strip().split(",") == list(ALL_FIELDS)


def test_listings_in_json(packaged_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "trusts", "--db", str(packaged_db), "--format", "json")
    trusts = json.loads(out)
    assert code == 0
    assert {t["code"] for t in trusts} >= {"RRK", "RJE", "RL1"}
    assert len(trusts) == 15
    assert all(t["jds"] > 0 for t in trusts)

    _, out, _ = run(
        capsys,
        "roles",
        "--db",
        str(packaged_db),
        "--format",
        "json",
        "--staff-group",
        "medical-physics",
    )
    roles = json.loads(out)
    assert {r["staff_group"] for r in roles} == {"medical-physics"}
    assert "clinical-scientist" in {r["id"] for r in roles}

    def bands(*pay_year: str) -> dict[str, dict[str, object]]:
        _, out, _ = run(capsys, "bands", "--db", str(packaged_db), "--format", "json", *pay_year)
        return {b["band"]: b for b in json.loads(out)}

    # By default the latest pay year: 2026/27, derived as 2025/26 x 1.033 (a 3.3% award).
    latest = bands()
    assert latest == bands("--pay-year", "2026/27")
    assert latest["6"]["entry"] == 39959 and latest["7"]["top"] == 56515
    assert latest["6"]["pay_year"] == "2026/27" and latest["6"]["pay_confidence"] == "derived"
    named = bands("--pay-year", "2025/26")
    assert named["5"]["entry"] == 31049 and named["5"]["top"] == 37796
    assert named["5"]["pay_year"] == "2025/26" and named["5"]["pay_confidence"] == "confirmed"
    older = bands("--pay-year", "2024/25")
    assert older["2"]["entry"] == 23615 and older["5"]["entry"] == 29970


def test_listings_as_csv_and_table(packaged_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "competencies", "--db", str(packaged_db), "--format", "csv")
    assert out.splitlines()[0] == "id,name,pillar,roles,description"
    _, out, _ = run(capsys, "routes", "--db", str(packaged_db))
    assert "ST0619" in out
    _, out, _ = run(capsys, "trusts", "--db", str(packaged_db))
    assert "ILLUSTRATIVE" in out


def test_history_lists_the_role_mappings_matching_made_and_filters_by_trust(
    catalogue_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(catalogue_copy)]
    code, out, _ = run(capsys, "history", *db, "--mappings", "--format", "json")
    assert code == 0 and json.loads(out) == []  # the packaged JDs' roles came with them
    code, out, _ = run(capsys, "history", *db, "--mappings", "--format", "csv")
    assert out.splitlines() == ["id,at,trust,jd_ref,how,role,previous_role,score"]

    code, out, _ = run(capsys, "match", *db, "--apply-above", "0.8", "--format", "json")
    applied = json.loads(out)["applied"]
    assert code == 0 and len({a["trust"] for a in applied}) >= 2, "needs two trusts to filter"

    code, out, _ = run(capsys, "history", *db, "--mappings", "--format", "json")
    listed = json.loads(out)
    assert code == 0
    assert {(m["trust"], m["jd_ref"], m["role"], m["score"]) for m in listed} == {
        (a["trust"], a["jd_ref"], a["role"], a["confidence"]) for a in applied
    }
    assert len(listed) == len(applied)
    assert {m["how"] for m in listed} == {"auto"} and {m["previous_role"] for m in listed} == {None}
    assert [m["id"] for m in listed] == sorted((m["id"] for m in listed), reverse=True)

    trust = applied[0]["trust"]
    code, out, _ = run(
        capsys, "history", *db, "--mappings", "--trust", trust.lower(), "--format", "json"
    )
    mine = json.loads(out)
    assert code == 0 and mine == [m for m in listed if m["trust"] == trust]
    code, out, _ = run(capsys, "history", *db, "--mappings", "--trust", trust)
    assert code == 0 and "auto" in out and f"Role mappings at {trust}" in out

    # Without --mappings, history is the imports, as before.
    code, out, _ = run(capsys, "history", *db, "--format", "json")
    assert code == 0 and {"source", "imported_at"} <= set(json.loads(out)[0])


def test_history_mappings_usage_errors_exit_2(
    packaged_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "history", "--db", str(packaged_db), "--trust", "RRK")
    assert code == 2 and "--mappings" in err
    code, _, err = run(capsys, "history", "--db", str(packaged_db), "--mappings", "--trust", "NOPE")
    assert code == 2 and "no trust with that code" in err


def test_db_from_environment(
    packaged_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKFORCE_DB", str(packaged_db))
    code, out, _ = run(capsys, "trusts", "--format", "json")
    assert code == 0 and len(json.loads(out)) == 15


@pytest.fixture
def default_path_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory with no catalogue named: ./workforce.db is the catalogue."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WORKFORCE_DB", raising=False)
    return tmp_path


def test_a_mistyped_db_is_refused_and_nothing_is_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WORKFORCE_DB", raising=False)
    for target in (tmp_path / "x" / "nett.db", tmp_path / "nett.db"):
        for command in (["trusts"], ["match", "--apply-above", "0.9"], ["export", "jds"]):
            fmt = ["--format", "json"] if command[0] == "export" else []
            code, out, err = run(capsys, *command, "--db", str(target), *fmt)
            assert code == 2 and out == "", command
            assert f"no catalogue at {target} (named by --db)" in err
            assert f"workforce init --db {target}" in err and "--reference-only" in err
    assert list(tmp_path.iterdir()) == []  # nothing built, not even a part-built file


def test_a_missing_catalogue_named_by_the_environment_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "nett.db"
    monkeypatch.setenv("WORKFORCE_DB", str(target))
    code, out, err = run(capsys, "roles", "--format", "json")
    assert code == 2 and out == ""
    assert f"no catalogue at {target} (named by $WORKFORCE_DB)" in err
    assert list(tmp_path.iterdir()) == []


def import_file(directory: Path) -> Path:
    source = directory / "ours.csv"
    source.write_text(",".join(FIELDS) + "\nRRK,OURS-1,Sonographer,sonographer,7,1,1,,,\n")
    return source


def test_import_never_builds_a_catalogue_named_or_default(
    tmp_path: Path, default_path_only: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = import_file(tmp_path)
    for where in (["--db", str(tmp_path / "nett.db")], []):
        code, out, err = run(capsys, "import", str(source), *where)
        assert code == 2 and out == ""
        assert "import loads JDs into an existing catalogue" in err
        assert "workforce init --reference-only --db" in err
    assert list(tmp_path.iterdir()) == [source]  # no workforce.db, no nett.db


def test_import_into_a_catalogue_built_on_purpose(
    tmp_path: Path, default_path_only: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = import_file(tmp_path)
    assert run(capsys, "init", "--reference-only")[0] == 0
    code, out, _ = run(capsys, "import", str(source), "--format", "json")
    assert code == 0 and json.loads(out)["added"] == 1


def test_the_default_catalogue_is_built_on_first_use_saying_so_before_any_output(
    default_path_only: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One stream for both, so the order they were written in shows.
    both = io.StringIO()
    monkeypatch.setattr(sys, "stdout", both)
    monkeypatch.setattr(sys, "stderr", both)
    assert main(["trusts", "--format", "json"]) == 0
    assert (default_path_only / "workforce.db").exists()
    text = both.getvalue()
    notice = text.index("no catalogue at workforce.db: building one from the packaged data")
    assert "ILLUSTRATIVE" in text[notice:] and notice < text.index("[")
    assert len(json.loads(text[text.index("[") :])) == 15


def test_init_and_the_app_say_when_the_folder_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "x" / "new.db"
    code, _, err = run(capsys, "init", "--db", str(target))
    assert code == 2 and f"no folder {target.parent}" in err
    code, _, err = run(capsys, "tui", "--db", str(target))  # fails before the app opens
    assert code == 2 and f"no folder {target.parent}" in err
    assert list(tmp_path.iterdir()) == []


def test_init_refuses_to_overwrite_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "w.db"
    assert run(capsys, "init", "--db", str(target), "--reference-only")[0] == 0
    before = target.read_bytes()
    code, _, err = run(capsys, "init", "--db", str(target))
    assert code == 2 and "--force" in err
    assert target.read_bytes() == before
    assert run(capsys, "init", "--db", str(target), "--force")[0] == 0
    assert target.read_bytes() != before


def test_export_import_round_trip_in_every_format(
    catalogue_copy: Path,
    empty_catalogue: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for fmt in ("csv", "toml", "json"):
        out_file = tmp_path / f"jds.{fmt}"
        code, _, _ = run(
            capsys,
            "export",
            "jds",
            "--db",
            str(catalogue_copy),
            "--format",
            fmt,
            "-o",
            str(out_file),
        )
        assert code == 0
        # Exported JDs re-imported into the catalogue they came from change nothing ...
        code, out, err = run(
            capsys, "import", str(out_file), "--db", str(catalogue_copy), "--format", "json"
        )
        assert code == 0, err
        counts = json.loads(out)
        assert code == 0 and counts["added"] == 0 and counts["updated"] == 0
        assert counts["unchanged"] > 300
    # ... and load whole into an empty one, the same JDs in the same form.
    code, out, _ = run(
        capsys,
        "import",
        str(tmp_path / "jds.csv"),
        "--db",
        str(empty_catalogue),
        "--format",
        "json",
    )
    assert json.loads(out)["added"] == counts["unchanged"]
    run(
        capsys,
        "export",
        "jds",
        "--db",
        str(empty_catalogue),
        "--format",
        "csv",
        "-o",
        str(tmp_path / "again.csv"),
    )
    assert (tmp_path / "again.csv").read_text() == (tmp_path / "jds.csv").read_text()


def test_export_never_overwrites_without_force(
    packaged_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "roles.toml"
    target.write_text("mine")
    code, _, err = run(
        capsys, "export", "roles", "--db", str(packaged_db), "--format", "toml", "-o", str(target)
    )
    assert code == 2 and "--force" in err and target.read_text() == "mine"
    code, _, _ = run(
        capsys,
        "export",
        "roles",
        "--db",
        str(packaged_db),
        "--format",
        "toml",
        "-o",
        str(target),
        "--force",
    )
    assert code == 0 and "[[role]]" in target.read_text()


@pytest.mark.parametrize("what", ["roles", "routes", "competencies", "trusts", "bands"])
def test_every_export_parses_back(
    what: str, packaged_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import tomllib

    for fmt in ("toml", "json", "csv"):
        code, out, _ = run(capsys, "export", what, "--db", str(packaged_db), "--format", fmt)
        assert code == 0
        if fmt == "toml":
            assert len(next(iter(tomllib.loads(out).values()))) > 5
        elif fmt == "json":
            assert len(json.loads(out)) > 5
        else:
            assert len(out.splitlines()) > 6


def test_bad_import_exits_2_and_names_file_line_field(
    empty_catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(",".join(FIELDS) + "\nRRK,1,Rad,,8e,1,1,,,\n")
    code, out, err = run(capsys, "import", str(bad), "--db", str(empty_catalogue))
    assert code == 2
    assert f"{bad}: line 2: field 'band'" in err


def test_dry_run_lists_changes(
    catalogue_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(
        capsys,
        "export",
        "jds",
        "--db",
        str(catalogue_copy),
        "--format",
        "csv",
        "-o",
        str(tmp_path / "all.csv"),
    )
    lines = (tmp_path / "all.csv").read_text().splitlines()
    header, first = lines[0], lines[1].split(",")
    band_at = header.split(",").index("band")
    first[band_at] = "9" if first[band_at] != "9" else "2"
    (tmp_path / "one.csv").write_text(header + "\n" + ",".join(first) + "\n")
    code, out, _ = run(
        capsys, "import", str(tmp_path / "one.csv"), "--db", str(catalogue_copy), "--dry-run"
    )
    assert code == 0
    assert "0 added, 1 updated, 0 unchanged (dry run" in out
    assert "band '" in out and f"-> '{first[band_at]}'" in out


def test_the_command_line_never_imports_textual(packaged_db: Path) -> None:
    script = (
        "import sys\n"
        "from workforce_cli.main import main\n"
        f"main(['trusts', '--db', {str(packaged_db)!r}])\n"
        f"main(['export', 'jds', '--db', {str(packaged_db)!r}, '--format', 'json'])\n"
        "assert 'textual' not in sys.modules, 'textual was imported'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)},
    )
    assert result.returncode == 0, result.stderr


# Libraries the command line must not load just to read its arguments: each costs start-up time.
HEAVY_LIBRARIES = ("pydantic", "sqlite_utils", "rich", "textual")


def heavy_libraries_loaded(*statements: str) -> list[str]:
    """Run `statements` in a fresh interpreter (stdout silenced, SystemExit from --help
    caught) and return which of HEAVY_LIBRARIES were imported by the end."""
    script = "\n".join(
        [
            "import contextlib, io, json, sys",
            *(
                f"with contextlib.redirect_stdout(io.StringIO()), "
                f"contextlib.suppress(SystemExit):\n    {statement}"
                for statement in statements
            ),
            f"print(json.dumps(sorted(m for m in {HEAVY_LIBRARIES!r} if m in sys.modules)))",
        ]
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)},
    )
    assert result.returncode == 0, result.stderr
    loaded: list[str] = json.loads(result.stdout.splitlines()[-1])
    return loaded


def test_building_the_parser_and_help_load_no_heavy_library() -> None:
    loaded = heavy_libraries_loaded(
        "from workforce_cli.main import build_parser, main",
        "build_parser()",
        "main(['--help'])",
        *(f"main([{name!r}, '--help'])" for name in sorted(subcommands())),
    )
    assert loaded == []


def test_a_listing_loads_only_what_it_reads_the_catalogue_with(packaged_db: Path) -> None:
    loaded = heavy_libraries_loaded(
        "from workforce_cli.main import main",
        f"main(['trusts', '--db', {str(packaged_db)!r}, '--format', 'json'])",
        f"main(['history', '--mappings', '--db', {str(packaged_db)!r}, '--format', 'json'])",
    )
    # A listing reads with sqlite3 alone: sqlite-utils was a third of its start-up.
    assert loaded == []


def test_scenarios_list_each_scenarios_own_assumptions(
    reference_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.factories import jd, make_catalogue

    path = make_catalogue(
        reference_db,
        tmp_path,
        [
            jd("RRK", "A", "sonographer", "6", wte_in_post=1),
            jd("RL4", "B", "sonographer", "7", wte_in_post=1),
            jd("RJE", "C", "sonographer", "7", wte_in_post=1),
        ],
    )
    db = ["--db", str(path)]
    plan = ["harmonise", *db, "--role", "sonographer", "--band", "7", "--save", "--scenario"]
    assert run(capsys, *plan, "at-top")[0] == 0
    assert run(capsys, *plan, "at-mid", "--pay-point", "mid", "--on-costs", "0.2938")[0] == 0
    assert run(capsys, *plan, "funded", "--basis", "funded", "--no-protection")[0] == 0

    code, out, _ = run(capsys, "scenarios", *db, "--format", "json")
    assert code == 0
    listed = {row["name"]: row for row in json.loads(out)}
    year = listed["at-top"]["pay_year"]
    assert year and all(row["pay_year"] == year for row in listed.values())
    assert {name: row["pay_point"] for name, row in listed.items()} == {
        "at-top": "top",
        "at-mid": "mid",
        "funded": "top",
    }
    assert listed["at-mid"]["on_costs"] == 0.2938 and listed["at-top"]["on_costs"] > 0.3
    assert [listed[n]["protection"] for n in ("at-top", "funded")] == [True, False]
    assert [listed[n]["basis"] for n in ("at-top", "funded")] == ["in_post", "funded"]

    code, out, _ = run(capsys, "scenarios", *db, "--format", "csv")
    header, *lines = out.splitlines()
    assert header.split(",")[3:8] == ["pay_year", "pay_point", "on_costs", "protection", "basis"]
    assert any(
        line.startswith("funded,sonographer -> 7,") and ",off,funded," in line for line in lines
    )

    code, out, _ = run(capsys, "scenarios", *db)
    default = f"{round(listed['at-top']['on_costs'] * 100, 6):.10g}%"  # e.g. 38.78%
    rows = {line.split("│")[1].strip(): line for line in out.splitlines() if "│" in line}
    assert f"{year} top; on-costs {default} (default); protection on; WTE in post" in rows["at-top"]
    assert f"{year} intermediate; on-costs 29.38%; protection on; WTE in post" in rows["at-mid"]
    assert "protection off; WTE funded" in rows["funded"]
    assert f"(default) on-costs: the catalogue's documented rate, {default}" in out

    # A saved plan the catalogue can no longer cost still shows the assumptions it was saved with.
    conn = sqlite3.connect(path)
    with conn:  # commits
        conn.execute(
            "UPDATE scenario SET assumptions = json_set(assumptions, '$.pay_year', '2099/00') "
            "WHERE name = 'funded'"
        )
    conn.close()
    code, out, _ = run(capsys, "scenarios", *db, "--format", "json")
    funded = {row["name"]: row for row in json.loads(out)}["funded"]
    assert code == 0 and "2099/00" in funded["problem"] and funded["annual_cost"] is None
    assert (funded["pay_year"], funded["basis"], funded["protection"]) == (
        "2099/00",
        "funded",
        False,
    )
