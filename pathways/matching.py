"""Role matching: for a JD with no reference role, the likely roles, ranked, with a confidence.

Suggestions only. Nothing here writes unless `apply_matches` is called with the pairs a person
(or `workforce match --apply-above`) chose, and then all in one transaction; or `set_role` and
`clear_role`, one JD at a time (the app's Matching screen). Every mapping written, and every
undo, is recorded in the `role_mapping` table (who or what made it, when, with what score), so
machine-made mappings can be told from human ones.

The confidence that a JD is a given reference role is built from three scores, each 0 to 1,
and a weight that depends on how many competencies the JD lists:

    mean       = (0.50 * title + c * competencies + 0.15 * band) / (0.50 + c + 0.15)
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
  1 when the words are the same, less for each word either side lacks. When the title's words
  point to staff groups ("nurse" to radiology nursing, "secretary" to admin and clerical),
  title = 0.8 * name + 0.2 * group, where group is 1 if the role's staff group is among them
  and 0 if not; when they point to none, title = name, neither for nor against any role. A
  title whose words are exactly one of the role's names scores 1 either way, so no fuzzy name
  beats an exact one: "Imaging Support Worker" and "CSW Imaging" name imaging-support-worker
  as fully as "Senior Radiographer" names specialist-radiographer.
- **competencies**: the share of the JD's competencies that the role needs,
  w(JD ∩ role) / w(JD), each competency weighted by log(1 + roles / roles needing it):
  safeguarding, which nearly every role needs, says little; CT head reporting says much (a
  competency no role needs has the top weight, and tells against every role). What the JD
  lists and the role needs counts for the role; what it lists and the role does not need
  counts against. What it leaves out of the role's set counts for nothing: a JD names the
  competencies that are telling about the post, not all of them, so one naming 2 of the
  role's 14 and nothing else scores 1, as one naming all 14 does. Neighbouring rungs of a
  ladder share most of their competencies, so this mainly separates rungs by what the JD asks
  for beyond the lower one (a support worker who cannulates and leads a team is the senior
  one) and ladders (a "practitioner" who reports films is a reporting radiographer); a JD
  that lists only a lower rung's competencies fits the rung above too, and title and band
  decide.
- **c**, how much the competencies count: 0.08 for each competency of average weight the JD
  lists, up to 0.50 (reached at about six): as much as the title for a full list, a little
  for a short one, nothing for a JD that lists none, which is judged on title and band alone
  (0.77 and 0.23). Because c grows with exactly the weight listed, a competency the role needs
  adds as much to what counts for the role as to the whole: adding one never lowers the
  role's confidence, and listing some of its competencies never scores it below listing
  none. Listing another role's competencies lowers this role against that one.
- **band**: 1 if the JD's band lies in the role's range, 0.5 one band outside it, 0 two or more
  outside. A post on medical pay (no band) fits only medical roles, and the other way round.
  It is weak on purpose: trusts band the same role differently, which is what the rest of the
  product is there to show.

The second line keeps competencies and band from making a match on their own: a role whose
title score is under 0.5 has its confidence scaled down in proportion.

Calibration, measured on the bundled catalogue: a match where title, competencies and band all
agree scores about 0.9 or more ("Snr Radiographer - CT" -> specialist-radiographer, 1.0, with
or without its competencies); the right role with a title that only half names it, about
0.65-0.85 ("MR Safety Lead" -> mr-safety-expert, 0.67 on title and band, 0.81 with its
competencies); a title that names no reference role stays under 0.5 even when its
competencies are exactly an admin role's ("Radiology Secretary / Typist", 0.37). `confident`
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
BAND_WEIGHT = 0.15
COMPETENCY_WEIGHT = 0.50  # the most a JD's competency list counts: as much as its title
PER_COMPETENCY = 0.08  # what each competency of average weight adds to that, up to the most
TITLE_FLOOR = 0.5  # below this title score, the confidence is scaled down in proportion
NAME_SHARE = 0.8  # of the title score, when the title names a staff group; the rest is the group

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
    """How well a JD title names a role: best name overlap, nudged by the staff group.

    A title whose words are exactly one of the role's names scores 1. A title whose words name
    no staff group is scored on its name overlap alone: the group signal is then neither for
    nor against the role (a fixed middle value would mark an exact "Imaging Support Worker"
    down against an exact "Senior Radiographer", whose "radiographer" names its group).
    """
    name = max(name_similarity(title, other) for other in role_names(candidate))
    groups = staff_groups_named(list(weighted_words(title)))
    if name == 1.0 or not groups:
        return name
    group = 1.0 if candidate.staff_group in groups else 0.0
    return NAME_SHARE * name + (1 - NAME_SHARE) * group


def competency_weights(candidates: Sequence[Candidate]) -> dict[str, float]:
    """How much sharing each competency says: log(1 + roles / roles needing it).

    Safeguarding, which nearly every role needs, says little; CT head reporting says much.
    A competency no role needs is left out: `competency_fit` gives it the top weight.
    """
    needing: dict[str, int] = {}
    for candidate in candidates:
        for competency in candidate.competencies:
            needing[competency] = needing.get(competency, 0) + 1
    total = len(candidates)
    return {competency: math.log(1 + total / count) for competency, count in needing.items()}


@dataclass(frozen=True, slots=True)
class CompetencyFit:
    """What a JD's competency list says about one role."""

    share: float  # 0 to 1: how far the list agrees with the role's competencies
    weight: float  # how much that counts in the confidence, from 0 up to COMPETENCY_WEIGHT


@dataclass(frozen=True, slots=True)
class CompetencyScale:
    """Read once from the competency weights, for every role a JD is ranked against."""

    top: float  # the weight of a competency no role needs
    typical: float  # the average competency's weight: PER_COMPETENCY is for one of these

    @classmethod
    def of(cls, weights: Mapping[str, float] | None) -> CompetencyScale:
        if not weights:
            return cls(top=1.0, typical=1.0)
        return cls(top=max(weights.values()), typical=sum(weights.values()) / len(weights))


def competency_fit(
    jd_competencies: frozenset[str],
    role_competencies: frozenset[str],
    weights: Mapping[str, float] | None = None,
    scale: CompetencyScale | None = None,
) -> CompetencyFit | None:
    """How a JD's competencies bear on a role; None when the JD lists none.

    The share is the weighted share of the JD's competencies that the role needs,
    w(JD ∩ role) / w(JD), each competency counted by its weight (see `competency_weights`; 1
    each without weights). What the JD lists and the role needs counts for the role, what it
    lists and the role does not need counts against; what the JD leaves out of the role's set
    counts for nothing, so a list made only of the role's competencies scores 1 however short.
    The weight of the share in the confidence grows with the list: PER_COMPETENCY for each
    competency of average weight, up to COMPETENCY_WEIGHT.
    """
    if not jd_competencies:
        return None
    scale = scale or CompetencyScale.of(weights)

    def weigh(competencies: frozenset[str]) -> float:
        if weights is None:
            return float(len(competencies))
        return sum(weights.get(competency, scale.top) for competency in competencies)

    # Summed apart, so that a list the role needs all of shares exactly 1 (no rounding error).
    shared = weigh(jd_competencies & role_competencies)
    listed = shared + weigh(jd_competencies - role_competencies)
    if listed == 0:  # only competencies of weight 0: nothing to go on
        return CompetencyFit(share=0.0, weight=0.0)
    return CompetencyFit(
        share=shared / listed,
        weight=min(COMPETENCY_WEIGHT, PER_COMPETENCY * listed / scale.typical),
    )


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
    return _score(title, competencies, band, candidate, weights, CompetencyScale.of(weights))[1]


def _score(
    title: str,
    competencies: frozenset[str],
    band: str | None,
    candidate: Candidate,
    weights: Mapping[str, float] | None,
    scale: CompetencyScale,
) -> tuple[float, Scored]:
    """`score_candidate`, with its unrounded confidence (for ranking) and the scale given."""
    by_title = title_score(title, candidate)
    by_band = band_fit(band, candidate)
    fit = competency_fit(competencies, candidate.competencies, weights, scale)
    confidence = combine(by_title, fit, by_band)
    return confidence, Scored(
        role=candidate.id,
        confidence=round(confidence, 2),
        title=by_title,
        competencies=fit.share if fit else None,
        band=by_band,
    )


def combine(title: float, competencies: CompetencyFit | None, band: float) -> float:
    """The confidence from its parts (see the module docstring), unrounded, 0 to 1."""
    share, weight = (competencies.share, competencies.weight) if competencies else (0.0, 0.0)
    mean = (TITLE_WEIGHT * title + weight * share + BAND_WEIGHT * band) / (
        TITLE_WEIGHT + weight + BAND_WEIGHT
    )
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
    scale = CompetencyScale.of(weights)
    scored = [_score(title, held, band, c, weights, scale) for c in candidates]
    # Sort on the unrounded confidence too, so that two roles rounding to the same
    # confidence keep the order their full scores give.
    scored.sort(key=lambda pair: (-pair[1].confidence, -pair[0], pair[1].role))
    ranked = [s for _, s in scored]
    return ranked[:limit] if limit is not None else ranked


def confident(candidates: Sequence[Scored], threshold: float) -> Scored | None:
    """The best candidate if it reaches `threshold` and leads the second by MIN_LEAD, else None."""
    if not candidates or candidates[0].confidence < threshold:
        return None
    if len(candidates) > 1:
        # Confidences are rounded to hundredths, and so is the lead: 1.00 over 0.90 leads by
        # 0.10 as shown, though 1.0 - 0.9 is a hair under 0.1 in floating point.
        lead = round(candidates[0].confidence - candidates[1].confidence, 2)
        if lead < MIN_LEAD:
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
        if role.status != "retired"
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
