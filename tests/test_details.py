"""Details of one catalogue entry, and a trust's posts a page at a time (pathways/details.py).

Right answers come from the reference data files themselves (catalogue/data/*.toml, read here
with tomllib) or from the hand-made JDs each test imports, never from the functions' output.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from catalogue.store import open_catalogue
from pathways import details
from pathways.records import load_routes
from tests.factories import jd, make_catalogue

DATA = Path(__file__).resolve().parent.parent / "catalogue" / "data"


def _data(name: str) -> dict[str, Any]:
    return tomllib.loads((DATA / name).read_text(encoding="utf-8"))


@pytest.fixture
def reference(reference_db: Path) -> Iterator[Database]:
    db = open_catalogue(reference_db)
    yield db
    db.close()


def _open(path: Path) -> Database:
    return open_catalogue(path)


def test_role_detail_holds_the_roles_competencies_routes_and_moves(reference: Database) -> None:
    detail = details.role_detail(reference, "sonographer")
    assert detail is not None
    needs = _data("role_competencies.toml")["sonographer"]
    assert {c.id: c.level for c in detail.competencies} == needs
    pillars = {c["id"]: c["pillar"] for c in _data("competencies.toml")["competency"]}
    assert all(c.pillar == pillars[c.id] for c in detail.competencies)
    # Grouped by pillar, the four pillars of advanced practice before the skills.
    order = [details.PILLAR_ORDER.index(c.pillar) for c in detail.competencies]
    assert order == sorted(order)

    routes_in = {r["id"] for r in _data("routes.toml")["route"] if "sonographer" in r["leads_to"]}
    assert {r.id for r in detail.routes_in} == routes_in

    edges = _data("progression.toml")["edge"]
    assert {m.role for m in detail.moves_in} == {
        e["from_role"] for e in edges if e["to_role"] == "sonographer"
    }
    assert {m.role for m in detail.moves_out} == {
        e["to_role"] for e in edges if e["from_role"] == "sonographer"
    }
    for move in detail.moves_in:
        edge = next(
            e for e in edges if e["from_role"] == move.role and e["to_role"] == "sonographer"
        )
        assert set(move.routes) == set(edge.get("routes", []))
    assert detail.posts == 0  # a reference-only catalogue holds no JDs


def test_role_pay_runs_from_the_entry_of_its_lowest_band_to_the_top_of_its_highest(
    reference: Database,
) -> None:
    role = next(r for r in _data("roles.toml")["role"] if r["id"] == "sonographer")
    points = _data("bands.toml")["pay_point"]
    year = max(p["pay_year"] for p in points)

    def salary(band: str, point: str) -> int:
        return next(
            p["salary"]
            for p in points
            if p["band"] == band and p["point"] == point and p["pay_year"] == year
        )

    detail = details.role_detail(reference, "sonographer")
    assert detail is not None
    assert detail.pay_year == year
    assert detail.pay_low == salary(role["band_min"], "entry")
    assert detail.pay_high == salary(role["band_max"], "top")


def test_a_role_on_medical_pay_has_no_afc_pay(reference: Database) -> None:
    medical = next(r for r in _data("roles.toml")["role"] if r.get("pay_system") == "medical")
    detail = details.role_detail(reference, medical["id"])
    assert detail is not None
    assert detail.band_min is None and detail.pay_low is None and detail.pay_high is None


def test_role_detail_counts_the_posts_and_trusts_mapped_to_it(
    reference_db: Path, tmp_path: Path
) -> None:
    path = make_catalogue(
        reference_db,
        tmp_path,
        [
            jd("RRK", "A", "sonographer", "6"),
            jd("RRK", "B", "sonographer", "7"),
            jd("RL4", "C", "sonographer", "6"),
            jd("RL4", "D", "diagnostic-radiographer", "5"),
        ],
    )
    db = _open(path)
    try:
        detail = details.role_detail(db, "sonographer")
    finally:
        db.close()
    assert detail is not None
    assert (detail.posts, detail.post_trusts) == (3, 2)


def test_route_detail_marks_what_no_source_settled(reference: Database) -> None:
    route = next(
        r for r in _data("routes.toml")["route"] if r["id"] == "sonographer-degree-apprenticeship"
    )
    detail = details.route_detail(reference, route["id"])
    assert detail is not None
    assert set(detail.route.unconfirmed) == set(route["unconfirmed"])
    assert detail.route.status_note == route["status_note"]
    assert {n.id for n in detail.leads_to} == set(route["leads_to"])
    assert {n.id for n in detail.gives} == set(route["gives"])
    assert detail.route.funding_cap is None  # unconfirmed: left empty, never guessed


def test_route_detail_lists_the_progressions_it_is_a_route_for(reference: Database) -> None:
    edges = _data("progression.toml")["edge"]
    route_id = "sonographer-degree-apprenticeship"
    detail = details.route_detail(reference, route_id)
    assert detail is not None
    assert {(a.id, b.id) for a, b in detail.makes} == {
        (e["from_role"], e["to_role"]) for e in edges if route_id in e.get("routes", [])
    }


def test_route_detail_reads_the_route_as_the_route_list_does(reference: Database) -> None:
    route_id = "sonographer-degree-apprenticeship"
    detail = details.route_detail(reference, route_id)
    assert detail is not None
    assert detail.route == load_routes(reference)[route_id]
    assert load_routes(reference, "no-such-route") == {}


def test_band_detail_lists_pay_points_newest_year_first(reference: Database) -> None:
    points = [p for p in _data("bands.toml")["pay_point"] if p["band"] == "5"]
    detail = details.band_detail(reference, "5")
    assert detail is not None
    assert {(p.pay_year, p.point, p.salary, p.confidence) for p in detail.pay} == {
        (p["pay_year"], p["point"], p["salary"], p["confidence"]) for p in points
    }
    years = [p.pay_year for p in detail.pay]
    assert years == sorted(years, reverse=True)
    newest = [p.point for p in detail.pay if p.pay_year == years[0]]
    assert newest == [p for p in ("entry", "intermediate", "top") if p in newest]
    band = next(b for b in _data("bands.toml")["band"] if b["code"] == "5")
    assert (detail.je_min, detail.je_max) == (band["je_min"], band["je_max"])


def test_band_detail_names_the_roles_whose_range_includes_it(reference: Database) -> None:
    detail = details.band_detail(reference, "8a")
    assert detail is not None
    ids = {n.id for n in detail.roles}
    assert "consultant-sonographer" in ids  # 8a-8b: its lowest band
    assert "principal-radiographer" in ids  # 7-8a: its highest band
    assert "diagnostic-radiographer" not in ids  # 5 only
    assert "consultant-radiologist" not in ids  # medical pay: no band


def test_competency_detail_lists_roles_with_levels_and_routes(reference: Database) -> None:
    needs = _data("role_competencies.toml")
    detail = details.competency_detail(reference, "fluoroscopy")
    assert detail is not None
    assert {(role.id, level) for role, level in detail.roles} == {
        (role, wants["fluoroscopy"]) for role, wants in needs.items() if "fluoroscopy" in wants
    }
    assert {n.id for n in detail.routes} == {
        r["id"] for r in _data("routes.toml")["route"] if "fluoroscopy" in r.get("gives", [])
    }


def test_trust_detail_sums_its_posts(reference_db: Path, tmp_path: Path) -> None:
    path = make_catalogue(
        reference_db,
        tmp_path,
        [
            jd("RRK", "A", "sonographer", "6", wte_funded=2, wte_in_post=1.5),
            jd("RRK", "B", None, "5", wte_funded=1, wte_in_post=1),
            jd("RL4", "C", "sonographer", "6", wte_funded=9, wte_in_post=9),
        ],
    )
    db = _open(path)
    try:
        detail = details.trust_detail(db, "RRK")
    finally:
        db.close()
    assert detail is not None
    assert (detail.posts, detail.unmapped) == (2, 1)
    assert (detail.wte_funded, detail.wte_in_post) == (3.0, 2.5)


def test_unknown_ids_have_no_detail(reference: Database) -> None:
    assert details.role_detail(reference, "no-such-role") is None
    assert details.route_detail(reference, "no-such-route") is None
    assert details.band_detail(reference, "10") is None
    assert details.competency_detail(reference, "no-such-competency") is None
    assert details.trust_detail(reference, "XXX") is None


def test_trust_posts_come_a_page_at_a_time_in_reference_order(
    reference_db: Path, tmp_path: Path
) -> None:
    refs = ["E", "A", "D", "B", "C"]
    path = make_catalogue(
        reference_db,
        tmp_path,
        [jd("RRK", ref, "sonographer", "6") for ref in refs] + [jd("RL4", "Z", None, "5")],
    )
    db = _open(path)
    try:
        assert details.count_posts(db, "RRK") == 5
        pages = [
            [post.jd_ref for post in details.trust_posts(db, "RRK", offset=start, limit=2)]
            for start in (0, 2, 4)
        ]
    finally:
        db.close()
    assert pages == [["A", "B"], ["C", "D"], ["E"]]


def test_trust_posts_filter_on_reference_title_or_role_ignoring_case(
    reference_db: Path, tmp_path: Path
) -> None:
    path = make_catalogue(
        reference_db,
        tmp_path,
        [
            jd("RRK", "US-1", "sonographer", "6", title="Obstetric Sonographer"),
            jd("RRK", "XR-1", "diagnostic-radiographer", "5", title="Radiographer [Band 5]"),
            jd("RRK", "XR-2", None, "5", title="100% Rotational"),
        ],
    )
    db = _open(path)
    try:
        by_title = details.trust_posts(db, "RRK", text="OBSTETRIC")
        by_role = details.trust_posts(db, "RRK", text="diagnostic-radio")
        by_ref = details.trust_posts(db, "RRK", text="xr-")
        # Characters that mean something to SQL LIKE or to markup are just text.
        literal = details.trust_posts(db, "RRK", text="[band 5]")
        percent = details.count_posts(db, "RRK", "100%")
        nothing = details.count_posts(db, "RRK", "%")
        underscore = details.count_posts(db, "RRK", "xr_")  # not "any one character"
        backslash = details.count_posts(db, "RRK", "\\")
    finally:
        db.close()
    assert [p.jd_ref for p in by_title] == ["US-1"]
    assert [p.jd_ref for p in by_role] == ["XR-1"]
    assert [p.jd_ref for p in by_ref] == ["XR-1", "XR-2"]
    assert [p.jd_ref for p in literal] == ["XR-1"]
    assert (percent, nothing) == (1, 1)
    assert (underscore, backslash) == (0, 0)


def test_jd_detail_holds_the_post_as_imported(reference_db: Path, tmp_path: Path) -> None:
    # Sub-level letters as a panel writes them: kept, and shown, as written.
    levels = ["4a", 6, 5, 2, "2b", 5, 2, 2, 3, 2, "3ab", 4, 3, 4, 3, 3]
    path = make_catalogue(
        reference_db,
        tmp_path,
        [
            jd(
                "RRK",
                "US-1",
                "sonographer",
                "7",
                title="[bold]Lead[/bold] Sonographer",
                summary="Scans [red]babies[/red] & adults.",
                competencies=["mammography", "plain-film-imaging"],
                je_levels=levels,
                wte_funded=2,
                wte_in_post=1.5,
            ),
            jd("RRK", "XR-1", None, "5", title="Radiographer"),
        ],
    )
    db = _open(path)
    try:
        ids = dict(db.execute("SELECT jd_ref, id FROM job_description").fetchall())
        detail = details.jd_detail(db, str(ids["US-1"]))
        unmapped = details.jd_detail(db, ids["XR-1"])
        missing = (details.jd_detail(db, "999999"), details.jd_detail(db, "not-an-id"))
    finally:
        db.close()
    assert detail is not None and unmapped is not None
    post = detail.jd
    assert (post.trust, post.jd_ref, post.role, post.band) == ("RRK", "US-1", "sonographer", "7")
    assert post.title == "[bold]Lead[/bold] Sonographer"  # exactly as imported
    assert post.summary == "Scans [red]babies[/red] & adults."
    assert (post.wte_funded, post.wte_in_post) == (2.0, 1.5)
    assert [level.written for level in post.je_levels or ()] == [str(x) for x in levels]
    factors = sorted(_data("je_scheme.toml")["factor"], key=lambda f: f["number"])
    assert detail.je_factors == tuple(
        (factor["name"], str(level)) for factor, level in zip(factors, levels, strict=True)
    )
    names = {c["id"]: c["name"] for c in _data("competencies.toml")["competency"]}
    assert [(c.id, c.name) for c in detail.competencies] == [
        ("mammography", names["mammography"]),
        ("plain-film-imaging", names["plain-film-imaging"]),
    ]
    role = next(r for r in _data("roles.toml")["role"] if r["id"] == "sonographer")
    assert detail.role_title == role["title"]
    assert (detail.role_band_min, detail.role_band_max) == (role["band_min"], role["band_max"])
    assert detail.trust_name == next(
        t["name"] for t in _data("organisations.toml")["trust"] if t["code"] == "RRK"
    )
    assert detail.source.endswith("hand.db.csv") and not detail.illustrative
    # Unmapped, without JE levels or competencies.
    assert (unmapped.role_title, unmapped.role_band_min, unmapped.je_factors) == (None, None, ())
    assert unmapped.competencies == ()
    assert missing == (None, None)
