"""Role matching: for a JD with no reference role, the likely roles, ranked, with a confidence.

Suggestions only. Nothing here writes unless `apply_matches` is called with the pairs a person
(or `workforce match --apply-above`) chose, and then all in one transaction; or `set_role` and
`clear_role`, one JD at a time (the app's Matching screen). Every mapping written, and every
undo, is recorded in the `role_mapping` table (who or what made it, when, with what score), so
machine-made mappings can be told from human ones.

The confidence that a JD is a given reference role is built from three scores, each 0 to 1:

    mean       = 0.50 * title + 0.35 * competencies + 0.15 * band
    confidence = mean * min(1, title / 0.5)

- **title**: how well the JD's title names the role. The JD's title and each of the role's
  names (its catalogue title, that title without its bracketed part, its id read as words, and
  the aliases in pathways/title_words.py) go through one vocabulary: abbreviations expanded
  ("Snr" -> senior, "Rad"/"Radiog" -> radiographer, "AP" -> assistant practitioner,
  "HCA"/"CSW" -> support worker, "IR" -> interventional radiology, "US" -> ultrasound),
  synonyms merged ("Sister"/"Charge Nurse" -> senior nurse, "Breast" -> mammography), band
  hints ("Band 6", "[Band 5]") cut out. Each word has a weight: 3 for the occupation
  ("radiographer", "porter", "support worker"), 2 for level or function ("senior",
  "reporting", "assistant", "PACS"), 0.5 for the department or clinical area ("imaging",
  "radiology", "MSK", "A&E", "obstetrics"), 1 for anything else (modalities such as CT and MRI,
  "lead"). The name score is the weighted Dice overlap of the two word sets,
  2 * w(shared words) / (w(JD's words) + w(role's words)), for the role's best-matching name:
  1 when the words are the same, less for each word either side lacks. Then
  title = 0.8 * name + 0.2 * group, where group is 1 if the title's words point to the role's
  staff group ("nurse" to radiology nursing, "secretary" to admin and clerical), 0 if they
  point only to other groups, 0.5 if they point nowhere.
- **competencies**: the weighted Jaccard overlap of the JD's competencies and the role's
  role_competency set, w(JD ∩ role) / w(JD ∪ role), each competency weighted by
  log(1 + roles / roles needing it): sharing safeguarding, which nearly every role needs, says
  little; sharing CT head reporting says much. Neighbouring rungs of a ladder share most of
  their competencies, so this mainly separates rungs (a support worker who cannulates and leads
  a team is the senior one) and ladders (a "practitioner" who reports films is a reporting
  radiographer).
- **band**: 1 if the JD's band lies in the role's range, 0.5 one band outside it, 0 two or more
  outside. A post on medical pay (no band) fits only medical roles, and the other way round.
  It is weak on purpose: trusts band the same role differently, which is what the rest of the
  product is there to show.

The second line keeps competencies and band from making a match on their own: a role whose
title score is under 0.5 has its confidence scaled down in proportion. A JD with no competencies
recorded is judged on what it has: title and band, their weights scaled to sum to one (0.77 and
0.23).

Calibration, measured on the bundled catalogue: a match where title, competencies and band all
agree scores about 0.9 or more ("Snr Radiographer - CT" -> specialist-radiographer, 0.9-1.0);
the right role with a title that only half names it, about 0.75-0.85 ("MR Safety Lead" ->
mr-safety-expert, 0.78); a title that names no reference role stays under 0.5 even when its
competencies are exactly an admin role's ("Radiology Secretary / Typist", 0.36). `confident`
adds a second test before anything is applied: the best candidate must also lead the second by
MIN_LEAD, so a JD the title and the competencies pull two ways is left to a person.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from types import MappingProxyType
from typing import Literal

from sqlite_utils import Database

from catalogue.bands import BAND_ORDER

# MIN_LEAD (how far the best candidate must lead the second for it to be applied) and
# DEFAULT_LIMIT are defined apart so the command line can read them without importing this
# module; re-exported from here.
from pathways.options import DEFAULT_LIMIT as DEFAULT_LIMIT
from pathways.options import MIN_LEAD as MIN_LEAD
from pathways.records import (
    JD,
    RoleInfo,
    load_jd_competencies,
    load_jds,
    load_role_competencies,
    load_roles,
)
from pathways.title_words import ROLE_ALIASES, staff_groups_named, title_words, word_weight

TITLE_WEIGHT = 0.50
COMPETENCY_WEIGHT = 0.35
BAND_WEIGHT = 0.15
TITLE_FLOOR = 0.5  # below this title score, the confidence is scaled down in proportion
NAME_SHARE = 0.8  # of the title score; the rest is the staff-group signal
GROUP_UNKNOWN = 0.5  # the title names no staff group: neither for nor against any role

# How a role_mapping row came about: `apply_matches` (the machine), `set_role` (a person's
# choice), `clear_role` (an undo). The table's CHECK holds the same three.
How = Literal["auto", "chosen", "undone"]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A reference role as the matcher sees it."""

    id: str
    title: str
    staff_group: str
    band_min: str | None  # None: medical and dental pay
    band_max: str | None
    competencies: frozenset[str]
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Scored:
    """One candidate role for one JD, with the parts of its confidence."""

    role: str
    confidence: float
    title: float
    competencies: float | None  # None: the JD lists no competencies
    band: float


@dataclass(frozen=True, slots=True)
class Suggestion:
    """The ranked candidates for one unmapped JD, best first."""

    jd: JD
    candidates: tuple[Scored, ...]


# ---- Pure scoring -------------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def weighted_words(title: str) -> Mapping[str, float]:
    """The canonical words of a title with their weights (each word once).

    Cached: every JD is compared with the same few hundred role names. Read-only, so the
    cached value cannot be changed by a caller.
    """
    return MappingProxyType({word: word_weight(word) for word in title_words(title)})


def name_similarity(title: str, name: str) -> float:
    """Weighted Dice overlap of two titles' canonical words, from 0 to 1."""
    ours, theirs = weighted_words(title), weighted_words(name)
    total = sum(ours.values()) + sum(theirs.values())
    if total == 0:
        return 0.0
    shared = sum(weight for word, weight in ours.items() if word in theirs)
    return 2 * shared / total


def role_names(candidate: Candidate) -> list[str]:
    """Every name a role goes by: its title, its title without brackets, its id, its aliases."""
    unbracketed = candidate.title.split("(")[0].strip()
    names = [candidate.title, unbracketed, candidate.id.replace("-", " "), *candidate.aliases]
    return [name for name in dict.fromkeys(names) if name]


def title_score(title: str, candidate: Candidate) -> float:
    """How well a JD title names a role: best name overlap, nudged by the staff group."""
    name = max(name_similarity(title, other) for other in role_names(candidate))
    groups = staff_groups_named(list(weighted_words(title)))
    group = GROUP_UNKNOWN
    if groups:
        group = 1.0 if candidate.staff_group in groups else 0.0
    return NAME_SHARE * name + (1 - NAME_SHARE) * group


def competency_weights(candidates: Sequence[Candidate]) -> dict[str, float]:
    """How much sharing each competency says: log(1 + roles / roles needing it).

    Safeguarding, which nearly every role needs, says little; CT head reporting says much.
    A competency no role needs is left out: `competency_overlap` gives it the top weight.
    """
    needing: dict[str, int] = {}
    for candidate in candidates:
        for competency in candidate.competencies:
            needing[competency] = needing.get(competency, 0) + 1
    total = len(candidates)
    return {competency: math.log(1 + total / count) for competency, count in needing.items()}


def competency_overlap(
    jd_competencies: frozenset[str],
    role_competencies: frozenset[str],
    weights: Mapping[str, float] | None = None,
) -> float:
    """Weighted Jaccard overlap of two competency sets, from 0 to 1.

    Each competency counts by its weight (see `competency_weights`); without weights, each
    counts 1 and this is the plain Jaccard index |JD ∩ role| / |JD ∪ role|.
    """
    union = jd_competencies | role_competencies
    if not union:
        return 0.0
    if weights is None:
        return len(jd_competencies & role_competencies) / len(union)
    top = max(weights.values(), default=1.0)
    shared = sum(weights.get(c, top) for c in jd_competencies & role_competencies)
    return shared / sum(weights.get(c, top) for c in union)


def band_fit(band: str | None, candidate: Candidate) -> float:
    """1 inside the role's band range, 0.5 one band outside, 0 further or on another pay system."""
    if band is None or candidate.band_min is None:
        return 1.0 if band is None and candidate.band_min is None else 0.0
    low = BAND_ORDER[candidate.band_min]
    high = BAND_ORDER[candidate.band_max or candidate.band_min]
    here = BAND_ORDER[band]
    outside = max(low - here, here - high, 0)
    return max(0.0, 1.0 - 0.5 * outside)


def score_candidate(
    title: str,
    competencies: frozenset[str],
    band: str | None,
    candidate: Candidate,
    weights: Mapping[str, float] | None = None,
) -> Scored:
    """The confidence that a JD (title, competencies, band) is this reference role."""
    by_title = title_score(title, candidate)
    by_band = band_fit(band, candidate)
    by_competency = (
        competency_overlap(competencies, candidate.competencies, weights) if competencies else None
    )
    return Scored(
        role=candidate.id,
        confidence=round(combine(by_title, by_competency, by_band), 2),
        title=by_title,
        competencies=by_competency,
        band=by_band,
    )


def combine(title: float, competencies: float | None, band: float) -> float:
    """The confidence from its three parts (see the module docstring), unrounded."""
    if competencies is None:
        # No competency list: judge on title and band alone, their weights scaled to sum to 1.
        mean = (TITLE_WEIGHT * title + BAND_WEIGHT * band) / (TITLE_WEIGHT + BAND_WEIGHT)
    else:
        mean = TITLE_WEIGHT * title + COMPETENCY_WEIGHT * competencies + BAND_WEIGHT * band
    # Competencies and band alone must not make a match: a title that names the role less
    # than TITLE_FLOOR scales the confidence down in proportion.
    return mean * min(1.0, title / TITLE_FLOOR)


def rank_roles(
    title: str,
    competencies: Iterable[str],
    band: str | None,
    candidates: Sequence[Candidate],
    limit: int | None = DEFAULT_LIMIT,
    weights: Mapping[str, float] | None = None,
) -> list[Scored]:
    """Candidate roles for one JD, best first (ties by role id), at most `limit` of them.

    `weights` are the candidates' `competency_weights`, worked out here unless given (pass
    them when ranking many JDs against the same candidates).
    """
    held = frozenset(competencies)
    if weights is None:
        weights = competency_weights(candidates)
    scored = [score_candidate(title, held, band, c, weights) for c in candidates]
    # Sort on the unrounded parts too, so that two roles rounding to the same confidence
    # keep the order their full scores give.
    scored.sort(key=lambda s: (-s.confidence, -combine(s.title, s.competencies, s.band), s.role))
    return scored[:limit] if limit is not None else scored


def confident(candidates: Sequence[Scored], threshold: float) -> Scored | None:
    """The best candidate if it reaches `threshold` and leads the second by MIN_LEAD, else None."""
    if not candidates or candidates[0].confidence < threshold:
        return None
    if len(candidates) > 1 and candidates[0].confidence - candidates[1].confidence < MIN_LEAD:
        return None
    return candidates[0]


def build_candidates(
    roles: Mapping[str, RoleInfo], needs: Mapping[str, Mapping[str, int]]
) -> list[Candidate]:
    """The catalogue's reference roles as candidates, with their competencies and aliases."""
    return [
        Candidate(
            id=role.id,
            title=role.title,
            staff_group=role.staff_group,
            band_min=role.band_min,
            band_max=role.band_max,
            competencies=frozenset(needs.get(role.id, {})),
            aliases=ROLE_ALIASES.get(role.id, ()),
        )
        for role in roles.values()
    ]


# ---- Reading and writing the catalogue ----------------------------------------------------------


def unmapped_jds(db: Database, trust: str | None = None) -> list[JD]:
    """JDs with no reference role yet, optionally only one trust's."""
    return [jd for jd in load_jds(db, trust=trust) if jd.role is None]


def suggest_matches(
    db: Database, *, trust: str | None = None, limit: int | None = DEFAULT_LIMIT
) -> list[Suggestion]:
    """Ranked candidate roles for every unmapped JD (of one trust, if given)."""
    return suggest_for(db, unmapped_jds(db, trust), limit=limit)


def suggest_for(
    db: Database, jds: Sequence[JD], *, limit: int | None = DEFAULT_LIMIT
) -> list[Suggestion]:
    """Ranked candidate roles for these JDs, in the order given.

    For a caller that ranks a page of the unmapped JDs at a time (the app), rather than all.
    """
    if not jds:
        return []
    candidates = build_candidates(load_roles(db), load_role_competencies(db))
    weights = competency_weights(candidates)
    held = load_jd_competencies(db, [jd.id for jd in jds])
    return [
        Suggestion(
            jd=jd,
            candidates=tuple(
                rank_roles(
                    jd.title, held.get(jd.id, frozenset()), jd.band, candidates, limit, weights
                )
            ),
        )
        for jd in jds
    ]


def apply_matches(db: Database, choices: Sequence[tuple[JD, Scored]]) -> list[tuple[JD, Scored]]:
    """Map each JD to its chosen role, all in one transaction; returns the ones written.

    A JD mapped by someone else since it was read is left as it is (and not returned). Each
    mapping written is recorded in `role_mapping` as how='auto', with the candidate's
    confidence, in the same transaction.
    """
    written: list[tuple[JD, Scored]] = []
    at = _now()
    with db.atomic():
        for jd, choice in choices:
            cursor = db.execute(
                "UPDATE job_description SET role = ? WHERE id = ? AND role IS NULL",
                [choice.role, jd.id],
            )
            if cursor.rowcount == 1:
                _record(
                    db,
                    jd.id,
                    role=choice.role,
                    previous=None,
                    how="auto",
                    score=choice.confidence,
                    at=at,
                )
                written.append((jd, choice))
    return written


def set_role(db: Database, jd_id: int, role: str, *, score: float | None = None) -> bool:
    """Map one JD to `role` in a transaction of its own, if it is still unmapped.

    False (and nothing written) when the JD has a role already, or is gone: someone mapped or
    re-imported it since it was read. A role the catalogue does not hold is refused by the
    foreign key (sqlite3.IntegrityError). A mapping written is recorded in `role_mapping` as
    how='chosen' (a person picked it), with `score`, the matcher's confidence in that role
    if it suggested it.
    """
    with db.atomic():
        cursor = db.execute(
            "UPDATE job_description SET role = ? WHERE id = ? AND role IS NULL", [role, jd_id]
        )
        written = cursor.rowcount == 1
        if written:
            _record(db, jd_id, role=role, previous=None, how="chosen", score=score, at=_now())
    return written


def clear_role(db: Database, jd_id: int, role: str) -> bool:
    """Undo `set_role`: unmap one JD in a transaction of its own, only if it still holds `role`.

    False (and nothing written) when its role has changed since (mapped again elsewhere, or
    re-imported): that later choice is not ours to undo. An undo is recorded in `role_mapping`
    as how='undone', with the role it took away as previous_role.
    """
    with db.atomic():
        cursor = db.execute(
            "UPDATE job_description SET role = NULL WHERE id = ? AND role = ?", [jd_id, role]
        )
        undone = cursor.rowcount == 1
        if undone:
            _record(db, jd_id, role=None, previous=role, how="undone", score=None, at=_now())
    return undone


def _now() -> str:
    """The time a mapping is recorded: ISO 8601, UTC, to the second (as imports are stamped)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _record(
    db: Database,
    jd_id: int,
    *,
    role: str | None,
    previous: str | None,
    how: How,
    score: float | None,
    at: str,
) -> None:
    """Add one row to the audit trail for a JD just written, inside the caller's transaction.

    The row names the JD by (trust, jd_ref), read from the JD itself, not by its id: it reads
    on its own, and still names the right JD if the JD is deleted and imported again.
    """
    db.execute(
        "INSERT INTO role_mapping (trust, jd_ref, role, previous_role, how, score, at) "
        "SELECT trust, jd_ref, ?, ?, ?, ?, ? FROM job_description WHERE id = ?",
        [role, previous, how, score, at, jd_id],
    )
