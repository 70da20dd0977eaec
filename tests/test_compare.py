"""JD comparison: a role across trusts (modal band, competency matrix) and two JDs side by side."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

from catalogue.je_levels import read_levels
from pathways.compare import (
    compare_pair,
    compare_role,
    competency_group,
    modal_band,
    nearest,
    pair_comparison_as_dict,
    parse_jd_key,
    summary_diff,
)
from pathways.records import JD, RoleInfo
from tests.factories import jd, make_catalogue
from workforce_cli.main import main

ROLE = "reporting-radiographer"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def record(
    jd_id: int,
    trust: str,
    band: str | None,
    *,
    levels: tuple[int | str, ...] | None = None,
    summary: str = "",
    wte_funded: float | None = 1.0,
) -> JD:
    """A JD record made by hand (not through a catalogue), for the pure functions."""
    return JD(
        id=jd_id,
        trust=trust,
        jd_ref=f"J{jd_id}",
        title=f"Post {jd_id}",
        role="r",
        band=band,
        wte_funded=wte_funded,
        wte_in_post=1.0,
        je_levels=read_levels(" ".join(str(level) for level in levels or ())),
        je_score=None,
        summary=summary,
    )


A_ROLE = RoleInfo("r", "A role", "radiography", "6", "7", "practitioner", "HCPC", "afc")


# --- pure functions on hand-made records -----------------------------------------------------


def test_modal_band_is_the_unique_most_common_band() -> None:
    assert modal_band(["6", "7", "7"]) == "7"
    assert modal_band(["7", None, None]) == "7"  # medical pay (no band) casts no vote
    assert modal_band(["6", "7"]) is None  # a tie: no mode
    assert modal_band(["6", "6", "7", "7", "5"]) is None
    assert modal_band([]) is None and modal_band([None]) is None


def test_role_comparison_marks_off_mode_bands_and_partial_competencies() -> None:
    # Three trusts; RJE has two JDs. Bands 7, 7, 6, 8b: mode 7 (two votes of four).
    jds = [
        record(1, "RRK", "7"),
        record(2, "RL4", "7"),
        record(3, "RJE", "6"),
        record(4, "RJE", "8b"),
    ]
    asked = {
        1: frozenset({"x", "y", "only-rrk"}),
        2: frozenset({"x", "y"}),
        3: frozenset({"x"}),
        4: frozenset({"x", "y"}),
    }
    reference = {"x": 3, "y": 2, "z": 1}
    result = compare_role(A_ROLE, jds, asked, reference, {"x": "Ex"})

    assert result.modal_band == "7"
    by_id = {item.jd.id: item for item in result.jds}
    assert [by_id[i].off_mode for i in (1, 2, 3, 4)] == [False, False, True, True]
    assert by_id[3].bands_from_mode == -1 and by_id[4].bands_from_mode == 2  # 7, 8a, 8b
    assert by_id[1].extra == ("only-rrk",) and by_id[1].missing == ("z",)
    assert by_id[3].missing == ("y", "z")

    rows = {row.id: row for row in result.competencies}
    assert rows["x"].common and rows["x"].asked_by == ("RRK:J1", "RL4:J2", "RJE:J3", "RJE:J4")
    assert rows["x"].name == "Ex" and rows["y"].name == "y"  # unnamed ids show as themselves
    assert not rows["y"].common and len(rows["y"].asked_by) == 3
    assert rows["only-rrk"].asked_by == ("RRK:J1",) and rows["only-rrk"].reference_level is None
    assert rows["z"].asked_by == () and not rows["z"].common and rows["z"].reference_level == 1
    assert result.trusts == ("RRK", "RL4", "RJE")
    # Only some (at least one, not all), every, then the reference role's that no JD asks
    # for: z is asked by none, so never "some". Within a group the reference's first.
    assert {row.id: row.group for row in result.competencies} == {
        "y": "some",
        "only-rrk": "some",
        "x": "every",
        "z": "none",
    }
    assert [row.id for row in result.competencies] == ["y", "only-rrk", "x", "z"]


def test_competency_groups_some_means_at_least_one_and_not_all() -> None:
    assert competency_group(0, 5, reference=True) == "none"  # never "some": 0/5
    assert competency_group(0, 5, reference=False) is None  # only JDs left out ask
    assert competency_group(1, 5, reference=False) == "some"
    assert competency_group(4, 5, reference=True) == "some"
    assert competency_group(5, 5, reference=True) == "every"
    assert competency_group(1, 1, reference=False) == "every"
    assert competency_group(0, 0, reference=True) == "none"  # a role with no JDs


def test_reference_competencies_no_jd_asks_for_are_their_own_group() -> None:
    # Five JDs; the reference role requires r1 and r2, which none of them asks for.
    jds = [record(n, f"T{n}", "7") for n in range(1, 6)]
    asked = {n: frozenset({"a"} | ({"b"} if n < 3 else set())) for n in range(1, 6)}
    reference = {"a": 3, "r1": 2, "r2": 1}
    result = compare_role(A_ROLE, jds, asked, reference, {})
    some = [row.id for row in result.competencies if row.group == "some"]
    assert some == ["b"]  # 2/5; not r1 or r2 (0/5)
    assert [(row.id, row.group) for row in result.competencies] == [
        ("b", "some"),
        ("a", "every"),
        ("r1", "none"),
        ("r2", "none"),
    ]


def test_a_tie_marks_nothing() -> None:
    jds = [record(1, "RRK", "7"), record(2, "RL4", "6"), record(3, "RJE", "5")]
    result = compare_role(A_ROLE, jds, {}, {}, {})
    assert result.modal_band is None
    assert not any(item.off_mode for item in result.jds)
    assert all(item.bands_from_mode is None for item in result.jds)


def test_network_bands_set_the_mode_when_some_trusts_are_shown() -> None:
    shown = [record(3, "RJE", "6")]
    result = compare_role(A_ROLE, shown, {}, {}, {}, network_bands=["7", "7", "6"])
    assert result.modal_band == "7" and result.jds[0].off_mode


def test_summary_diff_is_word_by_word() -> None:
    chunks = summary_diff(
        "Reports plain films at the main site", "Reports  plain films and CT at both sites"
    )
    assert [(c.op, c.text) for c in chunks] == [
        ("same", "Reports plain films"),
        ("only_b", "and CT"),
        ("same", "at"),
        ("only_a", "the main site"),
        ("only_b", "both sites"),
    ]
    assert summary_diff("", "") == ()
    assert [(c.op, c.text) for c in summary_diff("", "New post")] == [("only_b", "New post")]


def test_pair_comparison_fields_levels_and_competencies() -> None:
    names = tuple(f"factor name {n}" for n in range(1, 17))
    a = record(1, "RRK", "7", levels=(2,) * 16, wte_funded=2.0, summary="Same words")
    b = record(2, "RL4", "6", levels=(2,) * 15 + (3,), wte_funded=1.5, summary="Same words")
    pair = compare_pair(a, b, frozenset({"x", "y"}), frozenset({"y", "z"}), names)

    differing = {item.field: item for item in pair.differences}
    assert set(differing) == {"title", "band", "wte_funded"}
    assert differing["band"].note == "B is 1 band lower"
    assert differing["wte_funded"].note == "B - A = -0.5"
    assert (pair.only_a, pair.only_b, pair.both) == (("x",), ("z",), ("y",))
    assert len(pair.je_levels) == 16 and pair.je_levels_missing == ()
    assert [level.factor for level in pair.je_levels if level.differs] == [16]
    assert pair.je_levels[15].name == "factor name 16"
    assert (pair.je_levels[15].a.low, pair.je_levels[15].b.low) == (2, 3)
    assert [c.op for c in pair.summary_diff] == ["same"]


def test_pair_comparison_shows_sub_levels_as_written() -> None:
    # "4a" and "4b" score alike, but the panels placed the jobs differently: shown, and marked.
    a = record(1, "RRK", "6", levels=("4a",) + (2,) * 15)
    b = record(2, "RL4", "6", levels=("4b",) + (2,) * 14 + ("2",))
    pair = compare_pair(a, b, frozenset(), frozenset(), ())
    first = pair.je_levels[0]
    assert (first.a.written, first.b.written, first.differs) == ("4a", "4b", True)
    assert [level.factor for level in pair.je_levels if level.differs] == [1]
    data = pair_comparison_as_dict(pair)
    assert (data["je_levels"][0]["a"], data["je_levels"][1]["a"]) == ("4a", 2)
    assert data["a"]["je_levels"][:2] == ["4a", 2]


def test_pair_comparison_without_levels_on_one_side() -> None:
    a = record(1, "RRK", "7", levels=(2,) * 16)
    b = record(2, "RL4", "7")
    pair = compare_pair(a, b, frozenset(), frozenset(), ())
    assert pair.je_levels == () and pair.je_levels_missing == ("b",)
    both_missing = compare_pair(b, b, frozenset(), frozenset(), ())
    assert both_missing.je_levels_missing == ("a", "b") and both_missing.differences == ()


def test_jd_keys_and_suggestions() -> None:
    assert parse_jd_key("RXK:SWB/IMG/2019:095") == ("RXK", "SWB/IMG/2019:095")
    with pytest.raises(ValueError, match="TRUST:REF"):
        parse_jd_key("RXK")
    assert nearest("rbk", ["RBK", "RRK", "RXW"])[0] == "RBK"


# --- the command on hand-made catalogues ---------------------------------------------------


@pytest.fixture
def three_trusts(reference_db: Path, tmp_path: Path) -> Path:
    return make_catalogue(
        reference_db,
        tmp_path,
        [
            jd(
                "RRK",
                "A-1",
                ROLE,
                "7",
                wte_funded=3,
                wte_in_post=2.5,
                competencies=["plain-film-imaging", "plain-film-reporting", "cannulation"],
                je_levels=[2] * 16,
                summary="Reports plain films at the main site",
            ),
            jd(
                "RL4",
                "B-1",
                ROLE,
                "6",
                title="Radiographer [Band 5] - A&E [bold]",
                wte_funded=1,
                wte_in_post=1,
                competencies=["plain-film-imaging", "plain-film-reporting"],
                je_levels=[2] * 15 + [3],
                summary="Reports plain films and CT at both sites [bold]",
            ),
            jd(
                "RJE",
                "C-1",
                ROLE,
                "7",
                wte_funded=2,
                wte_in_post=2,
                competencies=["plain-film-imaging"],
            ),
        ],
    )


def test_compare_json_across_three_trusts(
    three_trusts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "compare", ROLE, "--db", str(three_trusts), "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["role"] == ROLE and data["modal_band"] == "7"
    jds = {j["trust"]: j for j in data["jds"]}
    assert set(jds) == {"RRK", "RL4", "RJE"}
    assert jds["RL4"]["off_mode"] and jds["RL4"]["bands_from_mode"] == -1
    assert not jds["RRK"]["off_mode"] and not jds["RJE"]["off_mode"]
    assert jds["RRK"]["extra"] == ["cannulation"]
    assert jds["RRK"]["je_score"] is not None and jds["RJE"]["je_score"] is None

    competencies = {c["id"]: c for c in data["competencies"]}
    assert competencies["plain-film-imaging"]["common"]
    assert competencies["cannulation"]["asked_by"] == ["RRK:A-1"]
    assert not competencies["cannulation"]["common"]
    assert competencies["cannulation"]["reference_level"] is None
    assert competencies["plain-film-reporting"]["asked_by"] == ["RL4:B-1", "RRK:A-1"]
    assert competencies["plain-film-reporting"]["group"] == "some"
    assert competencies["plain-film-imaging"]["group"] == "every"
    for item in data["competencies"]:  # "some" is at least one JD and not all three
        assert item["group"] == {0: "none", 3: "every"}.get(len(item["asked_by"]), "some")
        assert item["group"] != "none" or item["reference_level"] is not None
    groups = [item["group"] for item in data["competencies"]]
    assert groups == sorted(groups, key=["some", "every", "none"].index)
    # The reference role's own set sits beside the JDs': every role competency is listed.
    with sqlite3.connect(three_trusts) as conn:
        reference = dict(
            conn.execute(
                "SELECT competency, level FROM role_competency WHERE role = ?", [ROLE]
            ).fetchall()
        )
    assert reference  # the packaged data gives the role competencies
    for competency, level in reference.items():
        assert competencies[competency]["reference_level"] == level
    assert jds["RJE"]["missing"] == sorted(set(reference) - {"plain-film-imaging"})


def test_compare_with_trusts_keeps_the_network_mode(
    three_trusts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "compare", ROLE, "--trusts", "rl4", "--db", str(three_trusts), "--format", "json"
    )
    data = json.loads(out)
    assert code == 0 and data["trusts"] == ["RL4"]
    assert data["modal_band"] == "7" and data["jds"][0]["off_mode"]
    # Within the one JD shown, what it asks for is common to all shown.
    assert {c["id"] for c in data["competencies"] if c["common"]} == {
        "plain-film-imaging",
        "plain-film-reporting",
    }
    # With one JD nothing is asked by "only some": each is asked by it, or by none.
    assert {c["group"] for c in data["competencies"]} <= {"every", "none"}


def test_compare_table_fits_100_columns_and_prints_text_literally(
    three_trusts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "compare", ROLE, "--db", str(three_trusts))
    assert code == 0
    assert "Radiographer [Band 5] - A&E [bold]" in " ".join(out.split())
    assert "6 (-1)" in out  # RL4 is one band below the mode
    assert "1/3 *" in out  # cannulation: one JD of three
    assert "3 JDs at 3 trusts" in out
    assert max(len(line) for line in out.splitlines()) <= 100
    lines = out.splitlines()
    some = next(i for i, line in enumerate(lines) if "Asked by only some JDs" in line)
    every = next(i for i, line in enumerate(lines) if "Asked by every JD" in line)
    none = next(i for i, line in enumerate(lines) if "Required by the reference" in line)
    assert some < every < none
    # A reference competency no JD asks for is 0/3, under its own heading, never starred.
    zero = [i for i, line in enumerate(lines) if "0/3" in line]
    assert zero and all(i > none and "*" not in lines[i] for i in zero)
    starred = [i for i, line in enumerate(lines) if line.rstrip().endswith("*")]
    assert starred and all(some < i < every for i in starred)


def test_compare_table_pluralises_one_jd_at_one_trust(
    three_trusts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "compare", ROLE, "--trusts", "RL4", "--db", str(three_trusts))
    text = " ".join(out.split())
    assert code == 0 and "1 JD at 1 trust;" in text
    assert "1 JDs" not in text and "1 trusts" not in text


def test_compare_csv_has_one_row_per_jd(
    three_trusts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(capsys, "compare", ROLE, "--db", str(three_trusts), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert sorted(row["trust"] for row in rows) == ["RJE", "RL4", "RRK"]
    rrk = next(row for row in rows if row["trust"] == "RRK")
    assert rrk["competencies"] == "cannulation;plain-film-imaging;plain-film-reporting"
    assert rrk["extra"] == "cannulation" and rrk["modal_band"] == "7"
    assert rrk["off_mode"] == "false"
    assert next(row for row in rows if row["trust"] == "RL4")["off_mode"] == "true"


def test_two_jds_side_by_side_json(three_trusts: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "compare",
        "--jd",
        "RRK:A-1",
        "--jd",
        "rl4:b-1",  # trust and reference in any case
        "--db",
        str(three_trusts),
        "--format",
        "json",
    )
    data = json.loads(out)
    assert code == 0
    assert (data["a"]["jd_ref"], data["b"]["jd_ref"]) == ("A-1", "B-1")
    fields = {d["field"]: d for d in data["differences"]}
    assert set(fields) == {"title", "band", "wte_funded", "wte_in_post", "je_score"}
    assert (fields["band"]["a"], fields["band"]["b"]) == ("7", "6")
    assert fields["band"]["note"] == "B is 1 band lower"
    assert data["competencies"] == {
        "only_a": ["cannulation"],
        "only_b": [],
        "both": ["plain-film-imaging", "plain-film-reporting"],
    }
    differing = [level for level in data["je_levels"] if level["differs"]]
    with sqlite3.connect(three_trusts) as conn:
        factor_16 = conn.execute("SELECT name FROM je_factor WHERE number = 16").fetchone()[0]
    assert differing == [{"factor": 16, "name": factor_16, "a": 2, "b": 3, "differs": True}]
    assert data["je_levels_missing"] == []
    assert data["summary_diff"] == [
        {"op": "same", "text": "Reports plain films"},
        {"op": "only_b", "text": "and CT"},
        {"op": "same", "text": "at"},
        {"op": "only_a", "text": "the main site"},
        {"op": "only_b", "text": "both sites [bold]"},
    ]


def test_two_jds_when_one_has_no_je_levels(
    three_trusts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys,
        "compare",
        "--jd",
        "RRK:A-1",
        "--jd",
        "RJE:C-1",
        "--db",
        str(three_trusts),
        "--format",
        "json",
    )
    data = json.loads(out)
    assert code == 0 and data["je_levels"] == [] and data["je_levels_missing"] == ["b"]
    code, out, _ = run(
        capsys, "compare", "--jd", "RRK:A-1", "--jd", "RJE:C-1", "--db", str(three_trusts)
    )
    assert code == 0 and "B has none" in out
    code, out, _ = run(
        capsys, "compare", "--jd", "RJE:C-1", "--jd", "RJE:C-1", "--db", str(three_trusts)
    )
    assert code == 0 and "A and B have none" in out


def test_two_jds_table_marks_summary_words_literally(
    three_trusts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "compare", "--jd", "RRK:A-1", "--jd", "RL4:B-1", "--db", str(three_trusts)
    )
    text = " ".join(out.split())
    assert code == 0
    assert "[-the main site-]" in text and "{+both sites [bold]+}" in text
    assert "B is 1 band lower" in text
    assert max(len(line) for line in out.splitlines()) <= 100
    _, out, _ = run(
        capsys,
        "compare",
        "--jd",
        "RRK:A-1",
        "--jd",
        "RL4:B-1",
        "--db",
        str(three_trusts),
        "--format",
        "csv",
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    band = next(row for row in rows if row["section"] == "field" and row["item"] == "band")
    assert (band["a"], band["b"], band["differs"]) == ("7", "6", "yes")
    assert any(row["section"] == "je_factor" and row["differs"] == "yes" for row in rows)


@pytest.mark.parametrize(
    ("argv", "named", "suggested"),
    [
        (["compare", "reporting-radiographr"], "reporting-radiographr", "reporting-radiographer"),
        (["compare", ROLE, "--trusts", "RRK,RXX"], "RXX", "RXK"),
        (["compare", "--jd", "RRK:A-2", "--jd", "RL4:B-1"], "RRK:A-2", "RRK:A-1"),
        (["compare", "--jd", "RRK:A-1", "--jd", "RZZ:B-1"], "RZZ", None),
    ],
)
def test_unknown_names_exit_2_with_the_nearest(
    three_trusts: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    named: str,
    suggested: str | None,
) -> None:
    before = three_trusts.read_bytes()
    code, out, err = run(capsys, *argv, "--db", str(three_trusts))
    assert code == 2 and out == ""
    assert named in err
    if suggested:
        assert "did you mean" in err and suggested in err
    assert three_trusts.read_bytes() == before


@pytest.mark.parametrize(
    "argv",
    [
        ["compare"],
        ["compare", "--jd", "RRK:A-1"],
        ["compare", ROLE, "--jd", "RRK:A-1", "--jd", "RL4:B-1"],
        ["compare", "--jd", "RRK", "--jd", "RL4:B-1"],
        ["compare", ROLE, "--trusts", ","],
    ],
)
def test_misused_compare_exits_2(
    three_trusts: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code, _, err = run(capsys, *argv, "--db", str(three_trusts))
    assert code == 2 and "workforce: error:" in err


def test_a_role_with_no_jds_compares_nothing(
    empty_catalogue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "compare", ROLE, "--db", str(empty_catalogue), "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["jds"] == [] and data["modal_band"] is None
    assert all(not c["common"] and c["asked_by"] == [] for c in data["competencies"])
    code, out, _ = run(capsys, "compare", ROLE, "--db", str(empty_catalogue))
    assert code == 0 and "no JDs to compare" in out


# --- the bundled catalogue --------------------------------------------------------------------


def test_bundled_reporting_radiographer(
    packaged_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "compare", ROLE, "--db", str(packaged_db), "--format", "json")
    data = json.loads(out)
    assert code == 0
    bands = [j["band"] for j in data["jds"]]
    # Worked out from the JDs themselves: the most common band, and nothing tied with it.
    counts = {band: bands.count(band) for band in set(bands)}
    top = max(counts.values())
    assert [band for band, n in counts.items() if n == top] == [data["modal_band"]]
    assert data["modal_band"] == "7"
    rbk = [j for j in data["jds"] if j["trust"] == "RBK"]
    assert rbk and all(j["band"] == "6" and j["off_mode"] for j in rbk)
    assert all(j["off_mode"] == (j["band"] != "7") for j in data["jds"])
    with sqlite3.connect(packaged_db) as conn:
        count = conn.execute(
            "SELECT COUNT(*) FROM job_description WHERE role = ?", [ROLE]
        ).fetchone()[0]
    assert len(data["jds"]) == count

    code, out, _ = run(capsys, "compare", ROLE, "--db", str(packaged_db))
    assert code == 0 and max(len(line) for line in out.splitlines()) <= 100


def test_bundled_apprentice_radiographer_ties(
    packaged_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(
        capsys, "compare", "apprentice-radiographer", "--db", str(packaged_db), "--format", "json"
    )
    data = json.loads(out)
    assert data["modal_band"] is None
    assert not any(j["off_mode"] for j in data["jds"])


def test_bundled_two_jds(packaged_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "compare", ROLE, "--db", str(packaged_db), "--format", "json")
    jds = json.loads(out)["jds"]
    rbk = next(j for j in jds if j["trust"] == "RBK")
    other = next(j for j in jds if j["band"] == "7")
    code, out, _ = run(
        capsys,
        "compare",
        "--jd",
        f"RBK:{rbk['jd_ref']}",
        "--jd",
        f"{other['trust']}:{other['jd_ref']}",
        "--db",
        str(packaged_db),
        "--format",
        "json",
    )
    data = json.loads(out)
    assert code == 0
    band = next(d for d in data["differences"] if d["field"] == "band")
    assert (band["a"], band["b"], band["note"]) == ("6", "7", "B is 1 band higher")
    assert set(data["competencies"]["both"]) <= set(data["a"]["competencies"])
