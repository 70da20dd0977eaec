"""Role matching: messy titles to reference roles, confidence calibration, and `workforce match`.

The title list is scored against the real reference catalogue (its roles, titles, competencies
and bands). The bundled catalogue's unmapped JDs are checked against the roles the generator
meant them to be (`tools.illustrative_jds.intended_matches()`).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from catalogue.store import open_catalogue
from pathways.matching import (
    MIN_LEAD,
    Candidate,
    Scored,
    apply_matches,
    band_fit,
    build_candidates,
    combine,
    competency_fit,
    competency_weights,
    confident,
    name_similarity,
    rank_roles,
    role_names,
    score_candidate,
    suggest_matches,
    title_score,
    unmapped_jds,
)
from pathways.records import load_role_competencies, load_roles
from pathways.title_words import title_words
from tests.factories import jd, make_catalogue
from tools.illustrative_jds import intended_matches
from workforce_cli.main import main

# A best candidate under this is "no good match" (the Radiology Secretary case).
WEAK = 0.5


@pytest.fixture(scope="module")
def reference_roles(reference_db: Path) -> list[Candidate]:
    db = open_catalogue(reference_db)
    try:
        return build_candidates(load_roles(db), load_role_competencies(db))
    finally:
        db.close()


def role_needs(reference_db: Path, role: str) -> frozenset[str]:
    db = open_catalogue(reference_db)
    try:
        return frozenset(load_role_competencies(db)[role])
    finally:
        db.close()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


MappingRow = tuple[str, str, str | None, str | None, str, float | None]


def mappings_of(path: Path) -> list[MappingRow]:
    """The role_mapping audit trail, oldest first: (trust, jd_ref, role, previous, how, score).

    Also checks every row's time is ISO 8601 UTC to the second, within the last minute.
    """
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT trust, jd_ref, role, previous_role, how, score, at FROM role_mapping "
            "ORDER BY id"
        ).fetchall()
    finally:
        conn.close()
    now = datetime.now(UTC)
    for *_, at in rows:
        when = datetime.fromisoformat(at)
        assert when.utcoffset() == timedelta(0) and when.microsecond == 0, at
        assert timedelta(0) <= now - when < timedelta(minutes=1), at
    return [tuple(row[:6]) for row in rows]


def roles_of(path: Path) -> dict[tuple[str, str], str | None]:
    conn = sqlite3.connect(path)
    try:
        return {
            (t, r): role
            for t, r, role in conn.execute("SELECT trust, jd_ref, role FROM job_description")
        }
    finally:
        conn.close()


# ---- The vocabulary -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "words"),
    [
        ("Snr Rad - CT (Band 6)", ["senior", "radiographer", "ct"]),
        ("Sr Radiog", ["senior", "radiographer"]),
        ("Rad Dept Asst", ["radiology", "department", "assistant"]),
        ("Radiographer [Band 5] - A&E", ["radiographer", "ae"]),
        ("Band 7 Advanced Practitioner", ["advanced", "practitioner"]),
        ("AP Radiography", ["assistant", "practitioner", "radiographer"]),
        ("HCA - IR", ["support-worker", "interventional", "radiology"]),
        ("CSW Imaging", ["support-worker", "imaging"]),
        ("Sister/Charge Nurse", ["senior", "nurse", "senior", "nurse"]),
        ("US Clinic Asst", ["ultrasound", "clinic", "assistant"]),
        ("PACS Admin", ["pacs", "administrator"]),
        ("Radiology Admin Manager", ["radiology", "admin", "manager"]),
        ("Lead Sonographer (Obs & Gynae)", ["lead", "sonographer", "obstetrics", "gynaecology"]),
    ],
)
def test_title_words_expand_abbreviations_and_drop_band_hints(title: str, words: list[str]) -> None:
    assert title_words(title) == words


def test_band_hint_is_not_a_word_to_match() -> None:
    assert name_similarity("Band 6 Radiographer (MRI)", "Radiographer MRI") == 1.0
    assert name_similarity("Radiographer", "Porter") == 0.0


# ---- The parts of the score, on hand-made roles ------------------------------------------------

SUPPORT = Candidate("support", "Support Worker", "radiography", "2", "3", frozenset({"a", "b"}))
DOCTOR = Candidate("doctor", "Radiologist", "radiology-medical", None, None, frozenset({"x"}))


def test_band_fit_falls_with_distance_from_the_range() -> None:
    assert band_fit("2", SUPPORT) == 1.0
    assert band_fit("3", SUPPORT) == 1.0
    assert band_fit("4", SUPPORT) == 0.5  # one band above the range
    assert band_fit("7", SUPPORT) == 0.0  # a Band 7 post is no support worker
    assert band_fit(None, SUPPORT) == 0.0  # medical pay is not AfC
    assert band_fit(None, DOCTOR) == 1.0
    assert band_fit("8a", DOCTOR) == 0.0


def test_competency_share_is_the_share_of_the_jds_list_the_role_needs() -> None:
    def share(jd_competencies: set[str]) -> float | None:
        fit = competency_fit(frozenset(jd_competencies), SUPPORT.competencies)
        return fit.share if fit else None

    assert share({"a", "b", "c"}) == pytest.approx(2 / 3)  # 2 of the JD's 3 are needed
    # A short list, all of it needed, is full agreement: what the JD leaves out is no evidence.
    assert share({"a"}) == 1.0
    assert share({"z"}) == 0.0
    assert share(set()) is None  # no list: judged on title and band


def test_competencies_separate_rungs_the_title_cannot(
    reference_db: Path, reference_roles: list[Candidate]
) -> None:
    # "CSW Imaging" names an imaging support worker; a JD that also asks for cannulation and
    # leading a team, as the senior rung does, is the senior one.
    title_only = rank_roles("CSW Imaging", (), "3", reference_roles)
    assert title_only[0].role == "imaging-support-worker"
    senior_needs = role_needs(reference_db, "senior-imaging-support-worker")
    with_competencies = rank_roles("CSW Imaging", senior_needs, "3", reference_roles)
    assert with_competencies[0].role == "senior-imaging-support-worker"


def test_confident_needs_threshold_and_a_clear_lead() -> None:
    def scored(role: str, confidence: float) -> Scored:
        return Scored(role, confidence, 1.0, None, 1.0)

    assert confident([scored("a", 0.95), scored("b", 0.70)], 0.9) == scored("a", 0.95)
    assert confident([scored("a", 0.85), scored("b", 0.70)], 0.9) is None  # under threshold
    close = 0.95 - MIN_LEAD / 2
    assert confident([scored("a", 0.95), scored("b", close)], 0.9) is None  # not clearly ahead
    assert confident([scored("a", 0.95)], 0.9) == scored("a", 0.95)
    assert confident([], 0.9) is None


# ---- Messy titles against the reference catalogue ----------------------------------------------

# (local title, band, the reference role a person would map it to). Scored on title and band
# alone (no competencies): the title vocabulary has to carry them.
TITLE_CASES: list[tuple[str, str | None, str]] = [
    # named in the brief
    ("Rad Dept Asst", "2", "imaging-support-worker"),
    ("Radiog - General", "5", "diagnostic-radiographer"),
    ("Snr Radiographer - CT", "6", "specialist-radiographer"),
    ("Sr Radiographer (MRI)", "6", "specialist-radiographer"),
    ("AP Radiography", "4", "assistant-practitioner-radiography"),
    ("HCA - IR", "3", "radiology-healthcare-assistant"),
    ("CSW - Interventional Radiology", "3", "radiology-healthcare-assistant"),
    ("CSW Imaging", "2", "imaging-support-worker"),
    ("Dept Asst", "2", "imaging-support-worker"),
    ("Imaging Assistant", "3", "imaging-support-worker"),
    ("Radiology Department Assistant", "2", "imaging-support-worker"),
    ("US Clinic Asst", "2", "ultrasound-support-worker"),
    ("Ultrasound Practitioner - General", "6", "sonographer"),
    ("Sonographer - Obstetrics", "7", "sonographer"),
    ("Sister - Interventional Radiology", "6", "senior-radiology-nurse"),
    ("Charge Nurse - IR", "6", "senior-radiology-nurse"),
    ("Interventional Radiology Sister", "6", "senior-radiology-nurse"),
    ("Band 6 Radiographer (MRI)", "6", "specialist-radiographer"),
    ("Clinical Scientist - Diagnostic Radiology", "7", "clinical-scientist"),
    ("Reporting Rad (MSK)", "7", "reporting-radiographer"),
    ("PACS Admin", "6", "pacs-administrator"),
    # more of what trusts write
    ("Snr Rad - CT", "6", "specialist-radiographer"),
    ("Snr Radiog - Fluoro", "6", "specialist-radiographer"),
    ("Sr. Rad (CT/MRI)", "6", "specialist-radiographer"),
    ("Interventional Radiographer", "6", "specialist-radiographer"),
    ("Specialist Radiographer - MRI (Band 7)", "7", "specialist-radiographer"),
    ("Radiographer [Band 5] - A&E", "5", "diagnostic-radiographer"),
    ("Theatre Radiographer", "5", "diagnostic-radiographer"),
    ("Newly Qualified Radiographer", "5", "diagnostic-radiographer"),
    ("Dept Assistant (X-ray)", "2", "imaging-support-worker"),
    ("Imaging Support Wkr", "2", "imaging-support-worker"),
    ("HCA (X-Ray)", "2", "imaging-support-worker"),
    ("Radiology HCA", "2", "radiology-healthcare-assistant"),
    ("Senior HCSW - Radiology", "3", "senior-imaging-support-worker"),
    ("Healthcare Assistant - Ultrasound", "2", "ultrasound-support-worker"),
    ("US Practitioner - Vascular", "7", "sonographer"),
    ("Snr Sonographer (Obs)", "7", "specialist-sonographer"),
    ("Sonographer in Training", "5", "trainee-sonographer"),
    ("IR Staff Nurse", "5", "radiology-nurse"),
    ("RN Imaging", "5", "radiology-nurse"),
    ("Deputy Sister - IR", "6", "senior-radiology-nurse"),
    ("Lead Nurse - Imaging", "7", "radiology-nurse-manager"),
    ("Nursing Associate - IR", "4", "nursing-associate"),
    ("Medical Physicist", "7", "clinical-scientist"),
    ("Healthcare Scientist - Medical Physics", "7", "clinical-scientist"),
    ("STP Trainee - Medical Physics", "6", "trainee-clinical-scientist"),
    ("Principal Clinical Scientist - MRI", "8b", "principal-clinical-scientist"),
    ("MR Safety Lead", "8a", "mr-safety-expert"),
    ("Reporting Radiog - Chest", "7", "reporting-radiographer"),
    ("Superintendent Radiographer II", "7", "principal-radiographer"),
    ("Student Radiographer (Apprenticeship)", "3", "apprentice-radiographer"),
    ("Nuc Med Radiographer", "6", "nuclear-medicine-practitioner"),
    ("PET CT Radiographer", "6", "nuclear-medicine-practitioner"),
    ("Mammography Assoc", "4", "mammography-associate"),
    ("Imaging Dept Porter/Helper", "2", "imaging-porter"),
    ("Booking Clerk - CT", "3", "imaging-booking-coordinator"),
    ("Cancer Tracker - Radiology", "4", "patient-pathway-tracker"),
    ("RIS/PACS Support", "4", "pacs-support-officer"),
    ("PACS Mgr", "7", "pacs-manager"),
    ("Imaging Services Mgr", "8b", "imaging-services-manager"),
    ("Cons Radiologist", None, "consultant-radiologist"),
    ("SpR Radiology", None, "radiology-registrar"),
]


@pytest.mark.parametrize(("title", "band", "expected"), TITLE_CASES)
def test_messy_title_ranks_the_intended_role_first(
    title: str, band: str | None, expected: str, reference_roles: list[Candidate]
) -> None:
    ranked = rank_roles(title, (), band, reference_roles)
    assert ranked[0].role == expected, [(s.role, s.confidence) for s in ranked]


def test_title_list_is_long_and_messy() -> None:
    assert len(TITLE_CASES) >= 25
    assert len({expected for _, _, expected in TITLE_CASES}) >= 20


# ---- Calibration --------------------------------------------------------------------------------


def test_a_clear_match_scores_high(reference_db: Path, reference_roles: list[Candidate]) -> None:
    needs = role_needs(reference_db, "specialist-radiographer") | {"ct-scanning"}
    ranked = rank_roles("Snr Radiographer - CT", needs, "6", reference_roles)
    assert ranked[0].role == "specialist-radiographer"
    assert ranked[0].confidence >= 0.8
    assert ranked[0].confidence - ranked[1].confidence >= MIN_LEAD
    # On the title and band alone it is still a clear match.
    assert rank_roles("Snr Radiographer - CT", (), "6", reference_roles)[0].confidence >= 0.8


def test_no_good_match_stays_low(reference_db: Path, reference_roles: list[Candidate]) -> None:
    # A secretary whose competencies are exactly a booking coordinator's: the competencies
    # agree, but no reference role is a secretary, so the confidence stays low.
    needs = role_needs(reference_db, "imaging-booking-coordinator")
    assert (
        rank_roles("Radiology Secretary / Typist", needs, "3", reference_roles)[0].confidence < WEAK
    )
    assert rank_roles("Radiology Secretary / Typist", (), "3", reference_roles)[0].confidence < WEAK
    assert rank_roles("Band 5 Post", (), "5", reference_roles)[0].confidence < WEAK


def test_confidences_are_between_0_and_1_rounded(reference_roles: list[Candidate]) -> None:
    ranked = rank_roles("Snr Rad - CT", (), "6", reference_roles, limit=None)
    assert len(ranked) == len(reference_roles)
    confidences = [s.confidence for s in ranked]
    assert confidences == sorted(confidences, reverse=True)
    assert all(0.0 <= c <= 1.0 and round(c, 2) == c for c in confidences)


# ---- Competencies and exact titles only ever count the right way -------------------------------

# (title, band, role): the cases a user reported, where listing the role's own competencies
# scored a JD lower than listing none, and an exact title scored under a fuzzy one.
REPORTED = [
    ("Senior Radiographer", "6", "specialist-radiographer"),
    ("Imaging Assistant", "3", "imaging-support-worker"),
    ("Imaging Support Worker", "2", "imaging-support-worker"),
]


def scored_as(ranked: list[Scored], role: str) -> Scored:
    return next(s for s in ranked if s.role == role)


@pytest.mark.parametrize(("title", "band", "role"), REPORTED)
def test_listing_some_of_the_roles_competencies_never_scores_below_listing_none(
    title: str, band: str, role: str, reference_roles: list[Candidate]
) -> None:
    weights = competency_weights(reference_roles)
    needs = sorted(
        next(c for c in reference_roles if c.id == role).competencies, key=lambda c: weights[c]
    )
    without = rank_roles(title, (), band, reference_roles, limit=None)
    # The two blandest of the role's competencies, the two most telling, and all of them.
    for listed in (needs[:2], needs[-2:], needs):
        with_them = rank_roles(title, listed, band, reference_roles, limit=None)
        assert with_them[0].role == role
        assert scored_as(with_them, role).competencies == 1.0
        assert scored_as(with_them, role).confidence >= scored_as(without, role).confidence
        # And it is still applied at 0.9, as the same JD with no list is.
        assert confident(with_them, 0.9) == with_them[0], (listed, with_them)


def test_adding_a_competency_the_role_needs_never_lowers_it(
    reference_roles: list[Candidate],
) -> None:
    weights = competency_weights(reference_roles)

    def unrounded(title: str, listed: set[str], band: str | None, role: Candidate) -> float:
        fit = competency_fit(frozenset(listed), role.competencies, weights)
        return combine(title_score(title, role), fit, band_fit(band, role))

    for index, role in enumerate(reference_roles):
        # From no list, and from a short list of a neighbour's competencies the role does not
        # need (the hard case: the role starts out behind), add the role's own one at a time,
        # the blandest first: none of them may lower the role's confidence.
        neighbour = reference_roles[(index + 1) % len(reference_roles)]
        foreign = sorted(neighbour.competencies - role.competencies)[:2]
        needs = sorted(role.competencies, key=lambda c: (weights[c], c))
        for title, start in [(role.title, []), (role.title, foreign), ("Band 5 Post", foreign)]:
            listed = set(start)
            before = unrounded(title, listed, role.band_min, role)
            rounded = score_candidate(title, frozenset(listed), role.band_min, role, weights)
            for competency in needs:
                listed.add(competency)
                after = unrounded(title, listed, role.band_min, role)
                assert after >= before - 1e-12, (role.id, title, start, competency)
                now = score_candidate(title, frozenset(listed), role.band_min, role, weights)
                assert now.confidence >= rounded.confidence
                assert (now.competencies or 0.0) >= (rounded.competencies or 0.0)
                before, rounded = after, now


def test_another_roles_competencies_lower_this_role_against_that_one(
    reference_roles: list[Candidate],
) -> None:
    roles = {c.id: c for c in reference_roles}
    for title, band, role, other in [
        ("Senior Radiographer", "6", "specialist-radiographer", "mammographer"),
        ("Imaging Assistant", "3", "imaging-support-worker", "ultrasound-support-worker"),
        ("Radiographer", "5", "diagnostic-radiographer", "specialist-radiographer"),
    ]:
        theirs = roles[other].competencies - roles[role].competencies
        without = rank_roles(title, (), band, reference_roles, limit=None)
        with_theirs = rank_roles(title, theirs, band, reference_roles, limit=None)
        lead_without = scored_as(without, role).confidence - scored_as(without, other).confidence
        lead_with = (
            scored_as(with_theirs, role).confidence - scored_as(with_theirs, other).confidence
        )
        assert lead_with < lead_without, (title, lead_without, lead_with)
        assert scored_as(with_theirs, role).confidence < scored_as(without, role).confidence


def test_an_exact_title_scores_as_high_as_any_fuzzy_one(
    reference_roles: list[Candidate],
) -> None:
    for role in reference_roles:
        for name in role_names(role):
            # 1 is the most any title scores, so no other role's fuzzier name can beat it.
            assert title_score(name, role) == 1.0, (name, role.id)
    # Whether or not the title's words name a staff group: both exact, both 1.00.
    for title, band, role in [
        ("Imaging Support Worker", "2", "imaging-support-worker"),
        ("Senior Radiographer", "6", "specialist-radiographer"),
        ("Snr Radiographer", "6", "specialist-radiographer"),  # exact after the vocabulary
    ]:
        ranked = rank_roles(title, (), band, reference_roles)
        assert (ranked[0].role, ranked[0].title, ranked[0].confidence) == (role, 1.0, 1.0)
        assert confident(ranked, 0.9) == ranked[0], ranked  # clearly ahead of the next
    # A fuzzy title scores under the exact one, for the same role.
    isw = next(c for c in reference_roles if c.id == "imaging-support-worker")
    assert title_score("Imaging Support Worker - MSK", isw) < title_score("CSW Imaging", isw)


def test_a_lead_of_a_tenth_as_shown_is_clear() -> None:
    # 1.00 over 0.90 is 0.10 ahead as shown, though 1.0 - 0.9 < 0.1 in floating point.
    best = Scored("a", 1.0, 1.0, None, 1.0)
    assert confident([best, Scored("b", 0.9, 1.0, None, 1.0)], 0.9) == best
    assert confident([best, Scored("b", 0.91, 1.0, None, 1.0)], 0.9) is None


# ---- The bundled catalogue ----------------------------------------------------------------------

# Share of the bundled unmapped JDs whose top candidate must be the intended role (or, for the
# JDs no reference role fits, whose top candidate must be weak). Measured: 17 of 17.
REQUIRED_TOP1 = 0.8


def test_bundled_unmapped_jds_match_their_intended_roles(packaged_db: Path) -> None:
    db = open_catalogue(packaged_db)
    try:
        suggestions = suggest_matches(db)
    finally:
        db.close()
    intended = intended_matches()
    assert {(s.jd.trust, s.jd.title) for s in suggestions} == set(intended)
    wrong: list[str] = []
    for suggestion in suggestions:
        want = intended[(suggestion.jd.trust, suggestion.jd.title)]
        best = suggestion.candidates[0]
        right = best.role == want if want else best.confidence < WEAK
        if not right:
            wrong.append(f"{suggestion.jd.title!r}: {best.role} {best.confidence} (want {want!r})")
    accuracy = 1 - len(wrong) / len(suggestions)
    assert accuracy >= REQUIRED_TOP1, f"top-1 {accuracy:.0%}; wrong: {wrong}"


def test_bundled_no_match_jd_is_weak(packaged_db: Path) -> None:
    db = open_catalogue(packaged_db)
    try:
        suggestions = suggest_matches(db)
    finally:
        db.close()
    intended = intended_matches()
    unmatched = [s for s in suggestions if not intended[(s.jd.trust, s.jd.title)]]
    assert unmatched, "the bundled data should include a JD no reference role fits"
    assert all(s.candidates[0].confidence < WEAK for s in unmatched)


# ---- Applying -----------------------------------------------------------------------------------


def test_apply_above_maps_only_confident_jds_in_one_go(
    catalogue_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = roles_of(catalogue_copy)
    code, out, _ = run(
        capsys,
        "match",
        "--db",
        str(catalogue_copy),
        "--format",
        "json",
        "--limit",
        "2",
        "--apply-above",
        "0.9",
    )
    assert code == 0
    report = json.loads(out)
    # What should qualify, worked out from the suggestions shown: best >= 0.9, clear lead.
    expected = {}
    for s in report["suggestions"]:
        first, second = s["candidates"][0], s["candidates"][1]
        lead = round(first["confidence"] - second["confidence"], 2)  # as shown: hundredths
        if first["confidence"] >= 0.9 and lead >= MIN_LEAD:
            expected[(s["trust"], s["jd_ref"])] = first["role"]
    applied = {(a["trust"], a["jd_ref"]): a["role"] for a in report["applied"]}
    assert applied == expected
    assert applied, "some bundled unmapped JDs are clear matches"
    assert len(applied) < len(report["suggestions"]), "and some are not"
    assert all(a["confidence"] >= 0.9 for a in report["applied"])

    after = roles_of(catalogue_copy)
    for key, role in after.items():
        assert role == applied.get(key, before[key])

    _, out, _ = run(capsys, "match", "--db", str(catalogue_copy), "--format", "json")
    again = json.loads(out)
    assert len(again["suggestions"]) == len(report["suggestions"]) - len(applied)
    assert not {(s["trust"], s["jd_ref"]) for s in again["suggestions"]} & set(applied)


def test_apply_is_one_transaction(catalogue_copy: Path) -> None:
    db = open_catalogue(catalogue_copy)
    try:
        first, second = unmapped_jds(db)[:2]
        good = Scored("diagnostic-radiographer", 0.95, 1.0, None, 1.0)
        bad = Scored("no-such-role", 0.95, 1.0, None, 1.0)  # refused by the role foreign key
        with pytest.raises(sqlite3.IntegrityError):
            apply_matches(db, [(first, good), (second, bad)])
        still = {j.id for j in unmapped_jds(db)}
        assert first.id in still and second.id in still  # the good one was rolled back too
    finally:
        db.close()
    assert mappings_of(catalogue_copy) == []  # and so was its record


def test_apply_leaves_catalogue_unchanged_when_none_qualify(
    reference_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_catalogue(
        reference_db,
        tmp_path,
        [
            jd("RRK", "A1", None, "3", title="Radiology Secretary / Typist"),
            jd("RKB", "B1", None, "5", title="Band 5 Post"),
            jd("RJE", "C1", "diagnostic-radiographer", "5", title="Radiographer"),
        ],
    )
    before = digest(path)
    code, out, _ = run(capsys, "match", "--db", str(path), "--apply-above", "0.6")
    assert code == 0
    assert "Applied nothing" in out
    assert digest(path) == before


def test_hand_made_catalogue_applies_the_clear_match_only(
    reference_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    specialist = sorted(role_needs(reference_db, "specialist-radiographer"))
    path = make_catalogue(
        reference_db,
        tmp_path,
        [
            jd("RRK", "A1", None, "6", title="Snr Radiographer - CT", competencies=specialist),
            jd("RKB", "B1", None, "3", title="Radiology Secretary / Typist"),
        ],
    )
    code, out, _ = run(
        capsys, "match", "--db", str(path), "--format", "json", "--apply-above", "0.8"
    )
    assert code == 0
    report = json.loads(out)
    shown = {s["jd_ref"]: s["candidates"][0] for s in report["suggestions"]}
    assert shown["A1"]["role"] == "specialist-radiographer"
    assert report["applied"] == [
        {
            "trust": "RRK",
            "jd_ref": "A1",
            "title": "Snr Radiographer - CT",
            "role": "specialist-radiographer",
            "confidence": shown["A1"]["confidence"],
        }
    ]
    assert roles_of(path) == {("RRK", "A1"): "specialist-radiographer", ("RKB", "B1"): None}


def test_apply_matches_records_each_mapping_it_writes_as_auto(
    reference_db: Path, tmp_path: Path
) -> None:
    path = make_catalogue(
        reference_db,
        tmp_path,
        [
            jd("RRK", "A1", None, "6", title="Snr Radiographer - CT"),
            jd("RKB", "B1", None, "5", title="Radiographer"),
        ],
    )
    db = open_catalogue(path)
    try:
        a1, b1 = sorted(unmapped_jds(db), key=lambda j: j.jd_ref)
        # B1 is mapped elsewhere after it was read: apply_matches leaves it, and records nothing.
        db.execute(
            "UPDATE job_description SET role = 'diagnostic-radiographer' WHERE id = ?", [b1.id]
        )
        db.conn.commit()
        specialist = Scored("specialist-radiographer", 0.93, 1.0, None, 1.0)
        diagnostic = Scored("diagnostic-radiographer", 0.88, 1.0, None, 1.0)
        written = apply_matches(db, [(a1, specialist), (b1, diagnostic)])
        assert written == [(a1, specialist)]
        assert mappings_of(path) == [
            ("RRK", "A1", "specialist-radiographer", None, "auto", 0.93),
        ]
        before = digest(path)
        assert apply_matches(db, [(a1, specialist)]) == []  # mapped now: nothing written
    finally:
        db.close()
    assert digest(path) == before


def test_set_role_and_clear_role_record_chosen_and_undone_only_when_they_write(
    reference_db: Path, tmp_path: Path
) -> None:
    from pathways.matching import clear_role, set_role

    path = make_catalogue(
        reference_db,
        tmp_path,
        [
            jd("RRK", "A1", None, "6", title="Snr Radiographer - CT"),
            jd("RKB", "B1", None, "3", title="CSW Imaging"),
        ],
    )
    db = open_catalogue(path)
    try:
        a1, b1 = sorted(unmapped_jds(db), key=lambda j: j.jd_ref)
        assert set_role(db, a1.id, "specialist-radiographer", score=0.87) is True
        assert mappings_of(path) == [
            ("RRK", "A1", "specialist-radiographer", None, "chosen", 0.87),
        ]
        # Written nothing, recorded nothing: a JD mapped already, a JD that is gone, an undo
        # of a role the JD does not hold.
        before = digest(path)
        assert set_role(db, a1.id, "diagnostic-radiographer", score=0.5) is False
        assert set_role(db, 10_000_000, "specialist-radiographer") is False
        assert clear_role(db, a1.id, "diagnostic-radiographer") is False
        assert clear_role(db, b1.id, "imaging-support-worker") is False
        assert digest(path) == before

        assert clear_role(db, a1.id, "specialist-radiographer") is True
        # A role the person picked that was not among the suggestions: no score.
        assert set_role(db, b1.id, "imaging-support-worker") is True
    finally:
        db.close()
    assert mappings_of(path) == [
        ("RRK", "A1", "specialist-radiographer", None, "chosen", 0.87),
        ("RRK", "A1", None, "specialist-radiographer", "undone", None),
        ("RKB", "B1", "imaging-support-worker", None, "chosen", None),
    ]


def test_a_refused_set_role_records_nothing(catalogue_copy: Path) -> None:
    from pathways.matching import set_role

    db = open_catalogue(catalogue_copy)
    try:
        first = unmapped_jds(db)[0]
        with pytest.raises(sqlite3.IntegrityError):
            set_role(db, first.id, "no-such-role", score=0.9)
    finally:
        db.close()
    assert mappings_of(catalogue_copy) == []


def test_match_apply_above_records_what_it_applied(
    reference_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    specialist = sorted(role_needs(reference_db, "specialist-radiographer"))
    path = make_catalogue(
        reference_db,
        tmp_path,
        [
            jd("RRK", "A1", None, "6", title="Snr Radiographer - CT", competencies=specialist),
            jd("RKB", "B1", None, "3", title="Radiology Secretary / Typist"),
        ],
    )
    code, out, _ = run(capsys, "match", "--db", str(path), "--apply-above", "0.8")
    assert code == 0 and "workforce history --mappings" in out
    code, out, _ = run(
        capsys, "match", "--db", str(path), "--format", "json", "--apply-above", "0.8"
    )
    assert json.loads(out)["applied"] == []  # already mapped: nothing more recorded
    ((trust, ref, role, previous, how, score),) = mappings_of(path)
    assert (trust, ref, role, previous, how) == (
        "RRK",
        "A1",
        "specialist-radiographer",
        None,
        "auto",
    )
    assert score is not None and score >= 0.8


# ---- The command's output -----------------------------------------------------------------------


def test_json_shape(packaged_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "match", "--db", str(packaged_db), "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert set(report) == {"suggestions"}  # no "applied" without --apply-above
    assert report["suggestions"]
    for suggestion in report["suggestions"]:
        assert set(suggestion) == {"trust", "jd_ref", "title", "candidates"}
        assert len(suggestion["candidates"]) == 3
        confidences = [c["confidence"] for c in suggestion["candidates"]]
        assert confidences == sorted(confidences, reverse=True)
        for candidate in suggestion["candidates"]:
            assert set(candidate) == {"role", "confidence"}
            assert 0 <= candidate["confidence"] <= 1
            assert round(candidate["confidence"], 2) == candidate["confidence"]


def test_limit_and_trust(packaged_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "match",
        "--db",
        str(packaged_db),
        "--format",
        "json",
        "--limit",
        "1",
        "--trust",
        "rkb",
    )
    assert code == 0
    suggestions = json.loads(out)["suggestions"]
    assert suggestions and {s["trust"] for s in suggestions} == {"RKB"}
    assert all(len(s["candidates"]) == 1 for s in suggestions)


def test_csv_has_one_row_per_candidate(
    packaged_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys,
        "match",
        "--db",
        str(packaged_db),
        "--format",
        "csv",
        "--limit",
        "2",
        "--trust",
        "RLQ",
    )
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0] == "trust,jd_ref,title,band,rank,role,confidence"
    assert [line.split(",")[4] for line in lines[1:]] == ["1", "2"]  # RLQ has one unmapped JD


def test_table_shows_titles_literally(
    reference_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_catalogue(
        reference_db, tmp_path, [jd("RRK", "A1", None, "5", title="Radiographer [bold]x[/bold]")]
    )
    code, out, _ = run(capsys, "match", "--db", str(path))
    assert code == 0
    assert "[bold]x[/bold]" in out
    assert "diagnostic-radiographer" in out


def test_empty_when_every_jd_is_mapped(
    reference_db: Path, tmp_path: Path, empty_catalogue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_catalogue(reference_db, tmp_path, [jd("RRK", "A1", "diagnostic-radiographer", "5")])
    for catalogue in (path, empty_catalogue):
        code, out, _ = run(capsys, "match", "--db", str(catalogue), "--format", "json")
        assert code == 0
        assert json.loads(out) == {"suggestions": []}
        code, out, _ = run(capsys, "match", "--db", str(catalogue))
        assert code == 0
        assert "No unmapped JDs" in out
    code, out, _ = run(
        capsys, "match", "--db", str(path), "--format", "json", "--apply-above", "0.5"
    )
    assert json.loads(out) == {"suggestions": [], "applied": []}


@pytest.mark.parametrize(
    "argv",
    [
        ["--apply-above", "1.5"],
        ["--apply-above", "high"],
        ["--apply-above", "0"],
        ["--limit", "0"],
        ["--limit", "two"],
    ],
)
def test_bad_options_exit_2(
    argv: list[str], catalogue_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = digest(catalogue_copy)
    with pytest.raises(SystemExit) as exited:
        main(["match", "--db", str(catalogue_copy), *argv])
    assert exited.value.code == 2
    assert argv[0] in capsys.readouterr().err
    assert digest(catalogue_copy) == before


def test_unknown_trust_exits_2(catalogue_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = digest(catalogue_copy)
    code, _, err = run(capsys, "match", "--db", str(catalogue_copy), "--trust", "XYZ")
    assert code == 2
    assert "XYZ" in err
    assert digest(catalogue_copy) == before


def test_table_says_what_was_applied_and_what_was_too_close(
    reference_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    specialist = sorted(role_needs(reference_db, "specialist-radiographer"))
    senior_support = sorted(role_needs(reference_db, "senior-imaging-support-worker"))
    path = make_catalogue(
        reference_db,
        tmp_path,
        [
            jd("RRK", "A1", None, "6", title="Snr Radiographer - CT", competencies=specialist),
            # Its title says support worker, its competencies the senior rung: pulled two ways.
            jd("RBK", "B1", None, "3", title="CSW Imaging", competencies=senior_support),
        ],
    )
    code, out, _ = run(capsys, "match", "--db", str(path), "--apply-above", "0.8")
    assert code == 0
    assert "RRK A1 'Snr Radiographer - CT' -> specialist-radiographer" in out
    assert "not applied: RBK B1 'CSW Imaging'" in out
    assert roles_of(path) == {("RRK", "A1"): "specialist-radiographer", ("RBK", "B1"): None}


def test_csv_keeps_the_apply_report_off_stdout(
    reference_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_catalogue(
        reference_db, tmp_path, [jd("RRK", "A1", None, "6", title="Snr Radiographer - CT")]
    )
    code, out, err = run(
        capsys, "match", "--db", str(path), "--format", "csv", "--apply-above", "0.8"
    )
    assert code == 0
    assert out.splitlines()[0] == "trust,jd_ref,title,band,rank,role,confidence"
    assert "-> specialist-radiographer" in err and "->" not in out


# ---- One JD at a time: mapping and undoing it (the app's matching screen) ----------------------


def test_set_role_maps_one_unmapped_jd_and_clear_role_undoes_it(
    reference_db: Path, tmp_path: Path
) -> None:
    from pathways.matching import clear_role, set_role

    path = make_catalogue(
        reference_db,
        tmp_path,
        [
            jd("RRK", "A1", None, "6", title="Snr Radiographer - CT"),
            jd("RKB", "B1", None, "3", title="CSW Imaging"),
        ],
    )
    db = open_catalogue(path)
    try:
        a1 = next(j for j in unmapped_jds(db) if j.jd_ref == "A1")
        assert set_role(db, a1.id, "specialist-radiographer") is True
    finally:
        db.close()
    # Written (and committed: seen from another connection), and only that JD.
    assert roles_of(path) == {("RRK", "A1"): "specialist-radiographer", ("RKB", "B1"): None}
    db = open_catalogue(path)
    try:
        assert clear_role(db, a1.id, "specialist-radiographer") is True
    finally:
        db.close()
    assert roles_of(path) == {("RRK", "A1"): None, ("RKB", "B1"): None}


def test_set_role_leaves_a_jd_mapped_since_as_it_is(reference_db: Path, tmp_path: Path) -> None:
    from pathways.matching import set_role

    path = make_catalogue(reference_db, tmp_path, [jd("RRK", "A1", None, "6", title="Snr Rad")])
    db = open_catalogue(path)
    try:
        a1 = unmapped_jds(db)[0]
        assert set_role(db, a1.id, "diagnostic-radiographer") is True
        before = digest(path)
        # Someone chose first: a second choice does not overwrite it.
        assert set_role(db, a1.id, "specialist-radiographer") is False
        assert set_role(db, 10_000_000, "specialist-radiographer") is False  # no such JD
    finally:
        db.close()
    assert digest(path) == before
    assert roles_of(path) == {("RRK", "A1"): "diagnostic-radiographer"}


def test_clear_role_undoes_only_the_role_we_set(reference_db: Path, tmp_path: Path) -> None:
    from pathways.matching import clear_role

    path = make_catalogue(
        reference_db, tmp_path, [jd("RRK", "A1", "diagnostic-radiographer", "5", title="Rad")]
    )
    db = open_catalogue(path)
    try:
        (a1_id,) = db.execute("SELECT id FROM job_description").fetchone()
        # We set specialist-radiographer; it holds diagnostic-radiographer now: not ours.
        assert clear_role(db, a1_id, "specialist-radiographer") is False
    finally:
        db.close()
    assert roles_of(path) == {("RRK", "A1"): "diagnostic-radiographer"}


def test_set_role_refuses_a_role_the_catalogue_does_not_hold(catalogue_copy: Path) -> None:
    from pathways.matching import set_role

    db = open_catalogue(catalogue_copy)
    try:
        first = unmapped_jds(db)[0]
        with pytest.raises(sqlite3.IntegrityError):
            set_role(db, first.id, "no-such-role")
        assert first.id in {j.id for j in unmapped_jds(db)}
    finally:
        db.close()


def test_suggest_for_ranks_the_jds_given_in_their_order(catalogue_copy: Path) -> None:
    from pathways.matching import suggest_for

    db = open_catalogue(catalogue_copy)
    try:
        every = suggest_matches(db, limit=2)
        some = list(reversed(unmapped_jds(db)[:3]))
        page = suggest_for(db, some, limit=2)
    finally:
        db.close()
    assert [s.jd for s in page] == some
    by_id = {s.jd.id: s.candidates for s in every}
    assert all(s.candidates == by_id[s.jd.id] for s in page)


# ---- workforce match: why JDs were held back; workforce map: one JD's role by hand -------------


def held_back(out: str, threshold: float) -> tuple[int, int, int]:
    """From `match --format json` output: how many JDs `--apply-above threshold` would apply,
    hold back as reaching it but not clearly ahead, and hold back as below it."""
    applied = unclear = below = 0
    for s in json.loads(out)["suggestions"]:
        first, second = s["candidates"][0]["confidence"], s["candidates"][1]["confidence"]
        if first < threshold:
            below += 1
        elif first - second < MIN_LEAD:
            unclear += 1
        else:
            applied += 1
    return applied, unclear, below


def jds(count: int) -> str:
    return f"{count} JD" if count == 1 else f"{count} JDs"


def test_apply_above_says_which_condition_held_each_jd_back(
    catalogue_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(catalogue_copy)]
    _, out, _ = run(capsys, "match", *db, "--format", "json")
    # Thresholds that a JD whose two best roles are neck and neck reaches: its best score.
    close = sorted(
        (s["candidates"][0]["confidence"], s["trust"])
        for s in json.loads(out)["suggestions"]
        if s["candidates"][0]["confidence"] - s["candidates"][1]["confidence"] < MIN_LEAD
        and s["candidates"][0]["confidence"] >= WEAK
    )
    assert close, "the bundled unmapped JDs include some whose two best roles are close"

    # Across the network: some applied, the rest counted by what held each back.
    threshold = close[0][0]
    applied, unclear, below = held_back(out, threshold)
    assert applied and unclear and below
    code, report, _ = run(capsys, "match", *db, "--apply-above", str(threshold))
    shown = f"{threshold:.2f}"
    assert code == 0 and f"Applied {applied} mapping(s)" in report
    assert (
        f"Not applied: {jds(unclear)} whose best role reached {shown} but was less than "
        f"{MIN_LEAD:.2f} ahead of the next (listed below); {jds(below)} whose best role was "
        f"below {shown}."
    ) in report
    assert report.count("  not applied: ") == unclear

    # The user's case: nothing applied though a JD reached the threshold. Said as such.
    for threshold, trust in close:
        _, out, _ = run(capsys, "match", *db, "--trust", trust, "--format", "json")
        applied, unclear, below = held_back(out, threshold)
        if applied == 0:
            break
    assert applied == 0 and unclear, "a trust whose only close JD is held back, none applied"
    code, report, _ = run(capsys, "match", *db, "--trust", trust, "--apply-above", str(threshold))
    assert code == 0
    assert f"Applied nothing: {jds(unclear)} whose best role reached {threshold:.2f}" in report
    assert "no JD's best role reached" not in report
    assert (f"{jds(below)} whose best role was below" in report) == bool(below)


def test_map_sets_corrects_and_clears_one_jds_role_and_records_each(
    reference_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_catalogue(
        reference_db,
        tmp_path,
        [
            jd("RRK", "A1", None, "6", title="Snr Radiographer - CT"),
            jd("RKB", "B1", "imaging-support-worker", "3", title="CSW Imaging"),
        ],
    )
    db = ["--db", str(path)]
    code, out, _ = run(capsys, "map", "rrk:A1", "diagnostic-radiographer", *db)
    assert code == 0 and "Mapped RRK:A1 'Snr Radiographer - CT' to diagnostic-radiographer" in out
    # Correcting it: the wrong role is undone and the right one chosen, both recorded.
    code, out, _ = run(capsys, "map", "RRK:A1", "specialist-radiographer", *db)
    assert code == 0 and "replacing diagnostic-radiographer" in out
    # A role that came with the import can be taken away too.
    code, out, _ = run(capsys, "map", "RKB:B1", "--clear", *db)
    assert code == 0 and "Cleared RKB:B1 'CSW Imaging'" in out
    assert roles_of(path) == {("RRK", "A1"): "specialist-radiographer", ("RKB", "B1"): None}

    trail = mappings_of(path)
    assert [(t, r, role, prev, how) for t, r, role, prev, how, _ in trail] == [
        ("RRK", "A1", "diagnostic-radiographer", None, "chosen"),
        ("RRK", "A1", None, "diagnostic-radiographer", "undone"),
        ("RRK", "A1", "specialist-radiographer", None, "chosen"),
        ("RKB", "B1", None, "imaging-support-worker", "undone"),
    ]
    assert trail[0][5] is not None and 0 <= trail[0][5] <= 1  # the matcher's confidence

    # Asking for what already holds changes nothing and records nothing.
    before = digest(path)
    code, out, _ = run(capsys, "map", "RRK:A1", "specialist-radiographer", *db)
    assert code == 0 and "already mapped to specialist-radiographer: nothing changed" in out
    code, out, _ = run(capsys, "map", "RKB:B1", "--clear", *db)
    assert code == 0 and "has no reference role: nothing changed" in out
    assert digest(path) == before


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["RKR:A1", "sonographer"], "unknown trust 'RKR': did you mean "),  # RXK, RRK, ...
        (["RRK:A2", "sonographer"], "unknown JD 'RRK:A2': did you mean RRK:A1"),
        (["RRK:A1", "sonograher"], "unknown role 'sonograher': did you mean sonographer"),
        (["RRK-A1", "sonographer"], "is not TRUST:REF"),
        (["RRK:A1"], "give the ROLE to map RRK:A1 to, or --clear"),
        (["RRK:A1", "sonographer", "--clear"], "not both"),
    ],
)
def test_map_refuses_what_it_cannot_find_naming_the_nearest(
    reference_db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    says: str,
) -> None:
    path = make_catalogue(reference_db, tmp_path, [jd("RRK", "A1", None, "6", title="Snr Rad")])
    before = digest(path)
    code, out, err = run(capsys, "map", *argv, "--db", str(path))
    assert code == 2 and out == "" and says in err
    if "trust" in says:
        assert "RRK" in err.partition(says)[2]
    assert digest(path) == before


def test_map_replacing_a_role_is_one_transaction(
    reference_db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import pathways.matching

    path = make_catalogue(
        reference_db, tmp_path, [jd("RRK", "A1", "diagnostic-radiographer", "6", title="Rad")]
    )
    before = digest(path)
    # The new role cannot be written (as if the JD changed meanwhile): the undo of the old
    # one, done first, is rolled back with it.
    monkeypatch.setattr(pathways.matching, "set_role", lambda *args, **kwargs: False)
    code, _, err = run(capsys, "map", "RRK:A1", "specialist-radiographer", "--db", str(path))
    assert code == 2 and "nothing written" in err
    assert roles_of(path) == {("RRK", "A1"): "diagnostic-radiographer"}
    assert mappings_of(path) == [] and digest(path) == before
