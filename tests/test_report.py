"""`workforce report`: the board report, checked from real runs on real catalogue files.

Right answers come from the hand-made JDs below (worked out here) or from the analyses the
report is built on (`plan_scenario`, the pay table), never pasted from its output.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from catalogue.scenarios import (
    Scenario,
    ScenarioAssumptions,
    ScenarioTarget,
    load_scenario,
    save_scenario,
)
from catalogue.store import meta, open_catalogue
from pathways.figures import whole_pounds
from pathways.harmonise import plan_scenario
from pathways.records import load_pay, load_staff_groups, salary_at
from pathways.report import (
    ILLUSTRATIVE_WARNING,
    MOVED_POSTS_SHOWN,
    Headline,
    build_report,
    by_staff_group,
    gather_report,
    illustrative_notice,
    money,
    wte,
)
from pathways.report_html import render_html
from pathways.report_markdown import cell, one_line, render_markdown
from tests.factories import jd, make_catalogue
from workforce_cli.main import main

MARKUP_TITLE = "Reporting <script>alert(1)</script> | [bold]"

# Hand-made JDs. Reporting radiographer: 7 at three trusts, 6 at RBK (flagged, off the modal
# band and outside the reference band 7). Vacancies: radiography 23 WTE funded, 19 in post;
# admin-clerical 14 funded, 13 in post; sonography 2.5 funded (under 5 WTE: small).
HAND_JDS = [
    jd("RRK", "RR-1", "reporting-radiographer", "7", wte_funded=10, wte_in_post=8),
    jd("RL4", "RR-2", "reporting-radiographer", "7", wte_funded=6, wte_in_post=6),
    jd("RJE", "RR-3", "reporting-radiographer", "7", wte_funded=4, wte_in_post=3),
    jd(
        "RBK",
        "RR-4",
        "reporting-radiographer",
        "6",
        wte_funded=3,
        wte_in_post=2,
        title=MARKUP_TITLE,
    ),
    jd("RKB", "SO-1", "sonographer", "7", wte_funded=2.5, wte_in_post=2),
    jd("RRK", "RC-1", "imaging-receptionist", "2", wte_funded=8, wte_in_post=7),
    jd("RL4", "RC-2", "imaging-receptionist", "2", wte_funded=6, wte_in_post=6),
]


@pytest.fixture
def hand_db(reference_db: Path, tmp_path: Path) -> Path:
    return make_catalogue(reference_db, tmp_path, HAND_JDS)


def save(
    db_path: Path, name: str, targets: list[tuple[str, str]], *, protection: bool = True
) -> None:
    db = open_catalogue(db_path)
    try:
        save_scenario(
            db,
            Scenario(
                name=name,
                targets=[ScenarioTarget(role=role, band=band) for role, band in targets],
                assumptions=ScenarioAssumptions(protection=protection),
            ),
        )
    finally:
        db.close()


def report(
    capsys: pytest.CaptureFixture[str], db: Path, out: Path, *options: str
) -> tuple[int, str]:
    code = main(["report", str(out), "--db", str(db), *options])
    return code, capsys.readouterr().err


def all_rows(markdown: str) -> list[list[str]]:
    """The cells of every Markdown table row (bold taken off), header rows included and
    delimiter rows (| --- | ---: |) left out."""
    return [
        [unbold(c.strip()) for c in split_row(line)]
        for line in markdown.splitlines()
        if line.startswith("| ") and not re.fullmatch(r"[|\s:-]+", line)
    ]


def unbold(text: str) -> str:
    """A cell as it renders: bold taken off, backslash escapes and &amp; &lt; &gt; read."""
    bold = re.fullmatch(r"\*\*(.+)\*\*", text)
    text = bold.group(1) if bold else text
    text = re.sub(r"\\([\\`*_\[\]~!|#>+=.)-])", r"\1", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def table_rows(markdown: str, first_cell: str) -> list[list[str]]:
    """The cells of every Markdown table row whose first cell is `first_cell`."""
    return [cells for cells in all_rows(markdown) if cells[0] == first_cell]


def section(markdown: str, start: str, end: str | None = None) -> str:
    """The text from the heading `start` up to the heading `end` (or the end)."""
    text = markdown[markdown.index(start) :]
    return text[: text.index(end)] if end else text


FLAGS = "### Most significant flagged JDs"


def split_row(line: str) -> list[str]:
    """A GFM table row's cells, split on pipes not escaped with a backslash."""
    return re.split(r"(?<!\\)\|", line.strip())[1:-1]


# --- the report's content, on a hand-made catalogue ------------------------------------------


def test_flagged_jd_is_named_and_markup_is_literal_in_markdown(
    hand_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "board.md"
    code, _ = report(capsys, hand_db, out)
    text = out.read_text(encoding="utf-8")
    assert code == 0
    # Literal wherever the Markdown is rendered: HTML as entities (as in the HTML report), Markdown
    # punctuation escaped, the pipe escaped so it stays inside its cell.
    assert "Reporting &lt;script&gt;alert(1)&lt;/script&gt; \\| \\[bold\\]" in text
    assert "<script>" not in text
    (row,) = table_rows(section(text, FLAGS, "## Harmonisation"), "1")  # the one flag
    assert row[1:4] == ["warn", "RBK", "RR-4"]
    assert row[6] == "6"
    assert "modal band 7" in row[7]


def test_every_markdown_table_row_has_its_header_s_cells(
    hand_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "board.md"
    report(capsys, hand_db, out)
    widths: list[int] = []
    for line in out.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("| "):
            widths.append(len(split_row(line)))
        elif widths:
            assert len(set(widths)) == 1, widths  # a stray pipe would add a cell
            widths = []


def test_markup_is_escaped_in_html_and_nothing_is_loaded(
    hand_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "board.html"
    code, _ = report(capsys, hand_db, out)
    page = out.read_text(encoding="utf-8")
    assert code == 0
    assert "Reporting &lt;script&gt;alert(1)&lt;/script&gt; | [bold]" in page
    assert "<script" not in page.lower()
    # Self-contained: no outside resource, no link, no image, no script.
    for banned in ("http://", "https://", "<link", "<img", "src=", "@import", "url("):
        assert banned not in page.lower(), banned
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")


def test_no_illustrative_warning_for_a_hand_made_catalogue(
    hand_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("board.md", "board.html"):
        report(capsys, hand_db, tmp_path / name)
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert ILLUSTRATIVE_WARNING.lower() not in text.lower()
        assert "ILLUSTRATIVE" not in text


def test_scenario_cost_is_plan_scenario_s_and_worked_by_hand(
    hand_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    save(hand_db, "reporting to 7", [("reporting-radiographer", "7")])
    out = tmp_path / "board.md"
    code, _ = report(capsys, hand_db, out, "--scenario", "reporting to 7")
    text = out.read_text(encoding="utf-8")
    assert code == 0

    db = open_catalogue(hand_db)
    try:
        plan = plan_scenario(db, load_scenario(db, "reporting to 7"))
        _, pay = load_pay(db)
        rate = float(meta(db, "on_costs_rate") or "nan")
        label = meta(db, "on_costs_label") or ""
    finally:
        db.close()
    # One JD moves: RBK's 2 WTE in post from Band 6 to 7, at the top point, with on-costs.
    top_6, top_7 = salary_at(pay, "6", "top"), salary_at(pay, "7", "top")
    assert top_6 is not None and top_7 is not None
    by_hand = (top_7 - top_6) * 2 * (1 + rate)
    assert money(plan.total.annual_cost) == money(by_hand)

    assert "## Harmonisation scenario: reporting to 7" in text
    assert f"- **Annual cost:** {money(by_hand)}" in text
    by_trust = section(text, "*By trust*", "*Posts that change band")
    (rbk,) = table_rows(by_trust, "RBK")
    assert rbk[2:4] == ["1", "2"] and rbk[-1] == money(by_hand)  # 1 JD, 2 WTE up
    (rrk,) = table_rows(by_trust, "RRK")
    assert rrk[-1] == "£0"
    (total,) = [row for row in table_rows(by_trust, "All") if row[1] == "All trusts"]
    assert total[-1] == money(by_hand)
    # The one post that moves, named.
    (moved,) = all_rows(section(text, "*Posts that change band", "\n## "))[1:]
    assert moved[0] == "RBK" and moved[3:] == ["Band 6 → Band 7", "2", money(by_hand)]
    # The assumptions it was costed on.
    assert f"- **Pay year:** {plan.assumptions.pay_year}" in text
    assert f"{rate * 100:.2f}%: {label}" in text
    assert "- **Pay protection:** on" in text
    assert "- **Basis:** WTE in post" in text
    # One JD, so "moves" up; none moved down, so nothing said about protection's effect.
    assert "1 job description (2 WTE) moves up, 0 (0 WTE) move down." in text
    assert "without protection" not in text


def test_pay_protection_is_the_saving_given_up_not_part_of_the_cost(
    hand_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Reporting radiographers to Band 6: RRK, RL4 and RJE (8 + 6 + 3 = 17 WTE in post) move
    # down from 7; RBK is at 6 already. Saved twice: with pay protection and without.
    save(hand_db, "protected", [("reporting-radiographer", "6")])
    save(hand_db, "unprotected", [("reporting-radiographer", "6")], protection=False)
    db = open_catalogue(hand_db)
    try:
        protected = plan_scenario(db, load_scenario(db, "protected"))
        unprotected = plan_scenario(db, load_scenario(db, "unprotected"))
        _, pay = load_pay(db)
        rate = float(meta(db, "on_costs_rate") or "nan")
    finally:
        db.close()
    top_6, top_7 = salary_at(pay, "6", "top"), salary_at(pay, "7", "top")
    assert top_6 is not None and top_7 is not None
    # Each JD's saving in whole pounds, added up (a total is the sum of its parts).
    saving = sum(whole_pounds((top_7 - top_6) * wte * (1 + rate)) for wte in (8, 6, 3))
    # The figure is the saving given up: the cost without protection is that much lower,
    # and the cost with protection does not include it.
    assert money(protected.total.annual_cost) == "£0"
    assert money(protected.total.protection_cost) == money(saving)
    assert money(unprotected.total.annual_cost) == money(-saving)

    expected = (
        "staff in the 17 WTE moved down keep their pay, so the annual cost includes no saving "
        f"from them; without protection the plan would cost {money(saving)} a year less"
    )
    for suffix in ("md", "html"):
        out = tmp_path / f"protected.{suffix}"
        code, _ = report(capsys, hand_db, out, "--scenario", "protected")
        text = out.read_text(encoding="utf-8")
        assert code == 0
        if suffix == "md":
            assert f"- **Pay protection:** {expected}" in text
            assert "- **Annual cost:** £0" in text
            assert "0 job descriptions (0 WTE) move up, 3 (17 WTE) move down." in text
        else:
            assert f"<dt>Pay protection</dt><dd>{expected}</dd>" in text
        assert "more than no protection" not in text and "protected, costing" not in text

    out = tmp_path / "unprotected.md"
    code, _ = report(capsys, hand_db, out, "--scenario", "unprotected")
    text = out.read_text(encoding="utf-8")
    assert code == 0
    assert f"- **Annual cost:** {money(-saving)}" in text
    assert (
        f"- **Saving from moving down:** {money(saving)} a year, already taken off the annual "
        "cost (pay protection off)"
    ) in text


def test_one_illustrative_jd_is_said_in_the_singular() -> None:
    def notice(illustrative: int, jds: int) -> str:
        head = Headline(datetime(2025, 6, 3, tzinfo=UTC), "x.db", 1, 1, jds, illustrative)
        found = illustrative_notice(head)
        assert found is not None
        return found.text

    assert notice(1, 1).startswith("1 of the 1 job description in this catalogue is ILLUSTRATIVE")
    assert notice(2, 5).startswith("2 of the 5 job descriptions in this catalogue are ILLUST")


def test_without_a_scenario_nothing_is_costed_and_the_way_to_save_one_is_shown(
    hand_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    save(hand_db, "kept for later", [("sonographer", "7")])
    out = tmp_path / "board.md"
    report(capsys, hand_db, out)
    text = out.read_text(encoding="utf-8")
    assert "No harmonisation scenario was chosen" in text
    assert "Saved scenarios in this catalogue: kept for later." in text
    assert "workforce harmonise --role ROLE --band BAND" in text
    assert "--scenario NAME --save" in text
    assert "Annual cost" not in text and "£" not in text


def test_small_groups_are_suppressed_with_a_second_to_protect_them(
    hand_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_catalogue(hand_db)
    try:
        names = load_staff_groups(db)
    finally:
        db.close()
    out = tmp_path / "board.md"
    report(capsys, hand_db, out)
    text = out.read_text(encoding="utf-8")
    vacancies = text[text.index("## Vacancies") :]

    (sonography,) = table_rows(vacancies, names["sonography"])
    # 2.5 WTE funded is under 5: its figures are hidden; the JD count stays.
    assert sonography[1] == "1"
    assert sonography[2:6] == ["*"] * 4
    # One hidden group alone could be worked out from the total: the next smallest
    # (admin-clerical, 14 WTE funded, 13 in post) is hidden too.
    (admin,) = table_rows(vacancies, names["admin-clerical"])
    assert admin[2:6] == ["*"] * 4
    (radiography,) = table_rows(vacancies, names["radiography"])
    assert radiography[2:6] == ["23", "19", "4", f"{4 / 23 * 100:.1f}%"]
    (total,) = table_rows(vacancies, "All")
    funded = sum(float(row["wte_funded"]) for row in HAND_JDS)  # 39.5
    in_post = sum(float(row["wte_in_post"]) for row in HAND_JDS)  # 34
    assert total[2:5] == [wte(funded), wte(in_post), wte(funded - in_post)]
    assert f"Hidden here: {names['admin-clerical']}, {names['sonography']}." in vacancies


def test_headline_and_provenance(
    hand_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_catalogue(hand_db)
    try:
        inputs = gather_report(
            db, catalogue="hand.db", written=datetime(2025, 6, 3, 14, 5, tzinfo=UTC)
        )
        je_confidence = meta(db, "je_confidence")
        je_source = meta(db, "je_source")
    finally:
        db.close()
    text = render_markdown(build_report(inputs))
    assert "- **Written:** 3 June 2025, 14:05 UTC" in text
    assert "- **Catalogue:** hand.db" in text
    assert f"- **Job descriptions:** {len(HAND_JDS)}" in text
    provenance = text[text.index("## Where the figures come from") :]
    (batch,) = table_rows(provenance, "1")
    assert batch[1].endswith("hand.db.csv")
    assert batch[3:8] == [str(len(HAND_JDS)), str(len(HAND_JDS)), "0", "0", "no"]
    assert je_confidence and je_confidence in provenance
    # The JE scheme's source as the catalogue records it (catalogue/data/je_scheme.toml).
    assert je_source and je_source.startswith("NHS Job Evaluation Handbook, chapter 5")
    assert je_source in provenance
    assert "Default on-cost rate" in provenance and "National vacancy rate" in provenance
    assert "No JD has been mapped to a reference role by matching" in provenance


def test_provenance_counts_role_mappings_by_how(reference_db: Path, tmp_path: Path) -> None:
    from pathways.matching import Scored, apply_matches, clear_role, set_role, unmapped_jds

    path = make_catalogue(
        reference_db,
        tmp_path,
        [*HAND_JDS, jd("RRK", "U-1", None, "6"), jd("RL4", "U-2", None, "5")],
    )
    db = open_catalogue(path)
    try:
        first, second = sorted(unmapped_jds(db), key=lambda j: j.jd_ref)
        apply_matches(db, [(first, Scored("specialist-radiographer", 0.9, 1.0, None, 1.0))])
        assert set_role(db, second.id, "diagnostic-radiographer", score=0.8)
        assert clear_role(db, second.id, "diagnostic-radiographer")
        assert set_role(db, second.id, "diagnostic-radiographer")
        inputs = gather_report(db, catalogue="hand.db")
    finally:
        db.close()
    text = render_markdown(build_report(inputs))
    provenance = text[text.index("## Where the figures come from") :]
    assert (
        "JDs mapped to a reference role by matching: 1 automatically "
        "(workforce match --apply-above), 2 chosen by a person, 1 undone" in provenance
    )


def test_staff_group_narrows_variation_and_vacancies(
    hand_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "radiography.md"
    code, _ = report(capsys, hand_db, out, "--staff-group", "radiography")
    text = out.read_text(encoding="utf-8")
    assert code == 0
    variation = text[text.index("## Banding variation") : text.index("## Harmonisation")]
    assert "Sonograph" not in variation and "Receptionist" not in variation
    vacancies = section(text, "## Vacancies", "## Where the figures come from")
    # By trust within radiography: RRK 10 funded, 8 in post; RL4 6 and 6; RJE (4) and
    # RBK (3) are under 5 WTE and hidden (two hidden: no second needed to protect them).
    rows = {cells[0].split()[0]: cells for cells in all_rows(vacancies)[1:]}
    assert set(rows) == {"RBK", "RJE", "RL4", "RRK", "All"}
    assert rows["RBK"][2:6] == ["*"] * 4 and rows["RJE"][2:6] == ["*"] * 4
    assert rows["RRK"][2:6] == ["10", "8", "2", "20.0%"]
    assert rows["RL4"][2:6] == ["6", "6", "0", "0.0%"]
    assert rows["All"][2:5] == ["23", "19", "4"]


# --- the bundled (illustrative) catalogue ------------------------------------------------------


def test_bundled_report_warns_names_flags_and_costs_a_saved_scenario(
    catalogue_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "harmonise",
            "--db",
            str(catalogue_copy),
            "--role",
            "imaging-support-worker",
            "--band",
            "3",
            "--role",
            "reporting-radiographer",
            "--scenario",
            "board",
            "--save",
        ]
    )
    capsys.readouterr()
    assert code == 0
    out = tmp_path / "board.md"
    code, err = report(
        capsys, catalogue_copy, out, "--scenario", "board", "--staff-group", "radiography"
    )
    text = out.read_text(encoding="utf-8")
    assert code == 0
    assert "ILLUSTRATIVE" in err

    # The warning comes first, before any section.
    assert text.index(ILLUSTRATIVE_WARNING) < text.index("## Summary")

    db = open_catalogue(catalogue_copy)
    try:
        plan = plan_scenario(db, load_scenario(db, "board"))
        (rbk_ref,) = [
            str(row[0])
            for row in db.execute(
                "SELECT jd_ref FROM job_description WHERE trust = 'RBK' "
                "AND role = 'reporting-radiographer'"
            )
        ]
    finally:
        db.close()
    # The RBK reporting radiographer (Band 6 where most trusts give 7) is among the flags.
    flags = all_rows(section(text, FLAGS, "## Harmonisation"))
    flagged = [row for row in flags if row[2:4] == ["RBK", rbk_ref]]
    assert flagged and flagged[0][1] == "warn"
    assert f"- **Annual cost:** {money(plan.total.annual_cost)}" in text
    for trust in plan.by_trust:
        (row,) = table_rows(text[text.index("*By trust*") :], trust.trust)[:1]
        assert row[-1] == money(trust.summary.annual_cost)
        assert row[3] == wte(trust.summary.moved_up.wte)

    # The posts that change band, costliest first: each one's band and cost as the plan has it.
    moved = sorted(
        (m for m in plan.moves if m.direction != "unchanged"),
        key=lambda m: (-abs(m.cost), m.jd.trust, m.jd.jd_ref),
    )
    posts = all_rows(section(text, "*Posts that change band", "\n## "))[1:]  # past the header
    assert len(moved) > 0 and len(posts) == min(len(moved), MOVED_POSTS_SHOWN)
    for row, move in zip(posts, moved, strict=False):
        assert row[:2] == [move.jd.trust, move.jd.jd_ref]
        assert row[3] == f"Band {move.from_band} → Band {move.to_band}"
        assert row[-1] == money(move.cost)
    if len(moved) > MOVED_POSTS_SHOWN:
        assert f"costliest of {len(moved):,}" in text


def test_bundled_html_warns_at_the_top(
    packaged_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "board.html"
    code, _ = report(capsys, packaged_db, out, "--top", "3")
    page = out.read_text(encoding="utf-8")
    assert code == 0
    assert page.index('class="notice"') < page.index("<h2>")
    assert ILLUSTRATIVE_WARNING in page
    flag_table = page[page.index("Most significant flagged JDs") :]
    flag_table = flag_table[: flag_table.index("</table>")]
    assert flag_table.count("<tr>") == 1 + 3  # the header and the top 3


def test_top_limits_the_flag_list(
    packaged_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "board.md"
    report(capsys, packaged_db, out, "--top", "2")
    text = out.read_text(encoding="utf-8")
    flags = all_rows(section(text, FLAGS, "## Harmonisation"))
    assert [row[0] for row in flags] == ["#", "1", "2"]
    assert re.search(r"The first 2 of \d+ flags", text)


# --- refusing bad requests ---------------------------------------------------------------------


def test_refuses_to_overwrite_without_force(
    hand_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "board.md"
    out.write_text("keep me", encoding="utf-8")
    code, err = report(capsys, hand_db, out)
    assert code == 2
    assert "already exists" in err and "--force" in err
    assert out.read_text(encoding="utf-8") == "keep me"

    code, _ = report(capsys, hand_db, out, "--force")
    assert code == 0
    assert out.read_text(encoding="utf-8").startswith("# Imaging workforce")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize("name", ["board.txt", "board", "board.pdf"])
def test_bad_suffix_exits_2_naming_the_allowed(
    hand_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    code, err = report(capsys, hand_db, tmp_path / name)
    assert code == 2
    for suffix in (".md", ".markdown", ".html", ".htm"):
        assert suffix in err
    assert not (tmp_path / name).exists()


def test_suffix_is_read_case_blind(
    hand_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = report(capsys, hand_db, tmp_path / "BOARD.HTM")
    assert code == 0
    assert (tmp_path / "BOARD.HTM").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_unknown_scenario_exits_2_listing_the_saved(
    hand_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    save(hand_db, "alpha", [("sonographer", "7")])
    save(hand_db, "beta", [("reporting-radiographer", "7")])
    out = tmp_path / "board.md"
    code, err = report(capsys, hand_db, out, "--scenario", "gamma")
    assert code == 2
    assert "gamma" in err and "'alpha'" in err and "'beta'" in err
    assert not out.exists()


def test_unknown_staff_group_exits_2(
    hand_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "board.md"
    code, err = report(capsys, hand_db, out, "--staff-group", "radiograpy")
    assert code == 2
    assert "unknown staff group 'radiograpy'" in err and "radiography" in err
    assert not out.exists()


def test_missing_folder_exits_2(
    hand_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = report(capsys, hand_db, tmp_path / "no" / "board.md")
    assert code == 2
    assert "does not exist" in err


# --- the pure parts --------------------------------------------------------------------------


def test_markdown_cell_renders_as_the_text_itself() -> None:
    assert cell("a | b") == "a \\| b"
    assert cell("[bold] <b>x</b> A&E") == "\\[bold\\] &lt;b&gt;x&lt;/b&gt; A&amp;E"
    assert cell("[click](javascript:alert(1))") == "\\[click\\](javascript:alert(1))"
    assert cell("snake_case *x* `y`") == "snake\\_case \\*x\\* \\`y\\`"
    assert one_line("# heading") == "\\# heading" and one_line("1. item") == "1\\. item"
    assert cell("# 1") == "# 1"  # nothing starts a line inside a table cell
    assert cell("line one\nline two\r\n") == "line one line two"


def test_by_staff_group_sums_roles() -> None:
    def role(
        group: str, bands: dict[str, int], high: tuple[int, float], warn: tuple[int, float]
    ) -> dict[str, Any]:
        tally = {"flags": 0, "wte_in_post": 0.0}
        return {
            "role": f"{group}-{len(bands)}",
            "staff_group": group,
            "jds": sum(bands.values()),
            "bands": bands,
            "flag_counts": {
                **tally,
                "by_severity": {
                    "high": {"flags": high[0], "wte_in_post": high[1]},
                    "warn": {"flags": warn[0], "wte_in_post": warn[1]},
                },
            },
        }

    groups = by_staff_group(
        [
            role("b", {"5": 2, "6": 1}, (1, 2.5), (0, 0.0)),
            role("a", {"3": 4}, (0, 0.0), (2, 1.5)),
            role("b", {"7": 3}, (0, 0.0), (1, 4.0)),
        ]
    )
    assert [g["staff_group"] for g in groups] == ["a", "b"]
    b = groups[1]
    assert (b["roles"], b["varied"], b["jds"]) == (2, 1, 6)
    assert (b["high"], b["high_wte"], b["warn"], b["warn_wte"]) == (1, 2.5, 1, 4.0)


def test_html_escapes_every_text(hand_db: Path) -> None:
    db = open_catalogue(hand_db)
    try:
        inputs = gather_report(db, catalogue='<img src="x">')
    finally:
        db.close()
    page = render_html(build_report(inputs))
    assert "&lt;img src=&quot;x&quot;&gt;" in page
    assert "<img" not in page
