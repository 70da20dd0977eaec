"""JD comparison: one reference role across trusts, or two JDs side by side.

The analyses are pure functions over records (`compare_role`, `compare_pair`); the two
`load_*` functions gather those records from a catalogue through the loaders, and `*_as_dict`
give the JSON shape the command line prints and documents.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlite_utils import Database

from catalogue.bands import band_order
from catalogue.je_levels import Level, level_value
from catalogue.je_scheme import load_scheme
from catalogue.queries import list_competencies
from pathways.records import (
    JD,
    RoleInfo,
    load_jd_competencies,
    load_jds,
    load_role_competencies,
    load_roles,
    load_trusts,
)


class UnknownName(LookupError):
    """A role, trust or JD the catalogue does not hold; the message names the nearest ones."""

    def __init__(self, kind: str, name: str, suggestions: Sequence[str] = ()) -> None:
        hint = f": did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown {kind} {name!r}{hint}")
        self.kind = kind
        self.name = name
        self.suggestions = tuple(suggestions)


def nearest(name: str, candidates: Iterable[str], count: int = 3) -> list[str]:
    """The candidates closest to `name` (case ignored), best first, for 'did you mean'."""
    by_folded: dict[str, str] = {}
    for candidate in candidates:
        by_folded.setdefault(candidate.casefold(), candidate)
    found = difflib.get_close_matches(name.casefold(), list(by_folded), n=count, cutoff=0.5)
    return [by_folded[match] for match in found]


def jd_key(jd: JD) -> str:
    """How a JD is named on the command line and in outputs: TRUST:REF."""
    return f"{jd.trust}:{jd.jd_ref}"


# --- one role across trusts ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ComparedJD:
    jd: JD
    off_mode: bool  # its band differs from the role's modal band (never when there is no mode)
    bands_from_mode: int | None  # signed: -1 is one band below the mode
    extra: tuple[str, ...]  # competencies it asks for beyond the reference role's
    missing: tuple[str, ...]  # the reference role's competencies it does not ask for


# How many of the JDs compared ask for a competency: every one, only some (at least one, not
# all), or none (listed only when the reference role requires it). The matrix lists the
# groups in this order: the differences first, since they are what a comparison is for.
CompetencyGroup = Literal["some", "every", "none"]
GROUP_ORDER: tuple[CompetencyGroup, ...] = ("some", "every", "none")
GROUP_HEADINGS: dict[CompetencyGroup, str] = {
    "some": "asked by only some JDs",
    "every": "asked by every JD",
    "none": "required by the reference role, asked by no JD",
}


def competency_group(asked: int, jds: int, reference: bool) -> CompetencyGroup | None:
    """The group of a competency `asked` for by that many of `jds` JDs.

    "some" is at least one and not all: a competency no JD asks for is never "some". One the
    reference role requires but no JD asks for is "none"; any other that no JD asks for (in
    a view narrowed to some JDs, one only JDs left out ask for) is not listed: None.
    """
    if asked == 0:
        return "none" if reference else None
    return "every" if asked >= jds else "some"


@dataclass(frozen=True, slots=True)
class CompetencyRow:
    id: str
    name: str
    reference_level: int | None  # None: not one of the reference role's competencies
    asked_by: tuple[str, ...]  # JD keys (TRUST:REF)
    group: CompetencyGroup  # over the JDs compared

    @property
    def common(self) -> bool:
        """Asked for by every JD compared."""
        return self.group == "every"


@dataclass(frozen=True, slots=True)
class RoleComparison:
    role: RoleInfo
    modal_band: str | None
    jds: tuple[ComparedJD, ...]
    competencies: tuple[CompetencyRow, ...]

    @property
    def trusts(self) -> tuple[str, ...]:
        """The trusts compared, in the order their JDs appear."""
        return tuple(dict.fromkeys(item.jd.trust for item in self.jds))


def modal_band(bands: Iterable[str | None]) -> str | None:
    """The band most JDs share; None when two or more bands tie, or no JD has a band.

    Counted per JD, not per trust or WTE: a trust with two JDs of a role gives two votes.
    """
    counts = Counter(band for band in bands if band is not None).most_common()
    if not counts or (len(counts) > 1 and counts[0][1] == counts[1][1]):
        return None
    return counts[0][0]


def compare_role(
    role: RoleInfo,
    jds: Sequence[JD],
    jd_competencies: Mapping[int, frozenset[str]],
    reference: Mapping[str, int],
    competency_names: Mapping[str, str],
    network_bands: Iterable[str | None] | None = None,
) -> RoleComparison:
    """Bands, WTE and competencies of a role's JDs, against each other and the reference role.

    `reference` is the role's own competencies (id -> level). A competency is listed when a JD
    asks for it or the reference role has it, in its group (`competency_group`: asked by only
    some JDs, by every JD, or by none). The modal band is that of `network_bands` when given
    (every JD of the role, when only some trusts are compared), else of the JDs compared.
    """
    mode = modal_band(jd.band for jd in jds) if network_bands is None else modal_band(network_bands)
    compared = []
    for jd in jds:
        asked = jd_competencies.get(jd.id, frozenset())
        off = mode is not None and jd.band != mode
        steps = band_order(jd.band) - band_order(mode) if off and jd.band and mode else None
        compared.append(
            ComparedJD(
                jd=jd,
                off_mode=off,
                bands_from_mode=steps,
                extra=tuple(sorted(asked - set(reference))),
                missing=tuple(sorted(set(reference) - asked)),
            )
        )
    ids = set(reference).union(*(jd_competencies.get(jd.id, frozenset()) for jd in jds))
    rows = []
    for competency in ids:
        asked_by = tuple(
            jd_key(jd) for jd in jds if competency in jd_competencies.get(jd.id, frozenset())
        )
        group = competency_group(len(asked_by), len(jds), competency in reference)
        assert group is not None  # every id listed is asked for or the reference role's
        rows.append(
            CompetencyRow(
                id=competency,
                name=competency_names.get(competency, competency),
                reference_level=reference.get(competency),
                asked_by=asked_by,
                group=group,
            )
        )
    # By group (only some JDs, every JD, no JD); within one, the reference role's competencies
    # first, then the most asked for.
    rows.sort(
        key=lambda row: (
            GROUP_ORDER.index(row.group),
            row.reference_level is None,
            -len(row.asked_by),
            row.name,
        )
    )
    return RoleComparison(role=role, modal_band=mode, jds=tuple(compared), competencies=tuple(rows))


def resolve_role(roles: Mapping[str, RoleInfo], name: str) -> RoleInfo:
    """The role named by id (any case; spaces for hyphens); UnknownName with the nearest ids."""
    wanted = "-".join(name.strip().casefold().split())
    if wanted in roles:
        return roles[wanted]
    raise UnknownName("role", name, nearest(wanted, roles))


def resolve_trusts(known: Iterable[str], names: Iterable[str]) -> list[str]:
    """Trust codes (any case) as the catalogue spells them; UnknownName for the first unknown."""
    by_folded = {code.casefold(): code for code in known}
    resolved = []
    for name in names:
        code = by_folded.get(name.strip().casefold())
        if code is None:
            raise UnknownName("trust", name.strip(), nearest(name.strip(), by_folded.values()))
        resolved.append(code)
    return resolved


def competency_names(db: Database) -> dict[str, str]:
    return {row["id"]: row["name"] for row in list_competencies(db)}


def load_role_comparison(
    db: Database, role_name: str, trusts: Sequence[str] | None = None
) -> RoleComparison:
    """Compare the JDs of one role, at the named trusts only if `trusts` is given.

    The modal band is always the network's (every JD of the role), so narrowing to two trusts
    still shows each against the rest of the network rather than against the other alone.
    """
    role = resolve_role(load_roles(db), role_name)
    network = load_jds(db, role=role.id)
    jds = network
    if trusts:
        wanted = set(resolve_trusts(load_trusts(db), trusts))
        jds = [jd for jd in network if jd.trust in wanted]
    return compare_role(
        role,
        jds,
        load_jd_competencies(db, (jd.id for jd in jds)),
        load_role_competencies(db).get(role.id, {}),
        competency_names(db),
        network_bands=[jd.band for jd in network],
    )


def role_comparison_as_dict(comparison: RoleComparison) -> dict[str, Any]:
    role = comparison.role
    return {
        "role": role.id,
        "role_title": role.title,
        "reference_band_min": role.band_min,
        "reference_band_max": role.band_max,
        "modal_band": comparison.modal_band,
        "trusts": list(comparison.trusts),
        "jds": [
            {
                "trust": item.jd.trust,
                "jd_ref": item.jd.jd_ref,
                "title": item.jd.title,
                "band": item.jd.band,
                "wte_funded": item.jd.wte_funded,
                "wte_in_post": item.jd.wte_in_post,
                "je_score": item.jd.je_score,
                "off_mode": item.off_mode,
                "bands_from_mode": item.bands_from_mode,
                "extra": list(item.extra),
                "missing": list(item.missing),
            }
            for item in comparison.jds
        ],
        "competencies": [
            {
                "id": row.id,
                "name": row.name,
                "reference_level": row.reference_level,
                "asked_by": list(row.asked_by),
                "common": row.common,
                "group": row.group,
            }
            for row in comparison.competencies
        ],
    }


# --- two JDs side by side -----------------------------------------------------------------

COMPARED_FIELDS = ("title", "role", "band", "wte_funded", "wte_in_post", "je_score")


@dataclass(frozen=True, slots=True)
class FieldDifference:
    field: str
    a: object
    b: object
    note: str  # how B stands to A, e.g. "B is 1 band lower"; empty when nothing to add


@dataclass(frozen=True, slots=True)
class LevelComparison:
    factor: int  # 1-16
    name: str
    a: Level  # as written: "4a" and "4b" differ (where the panels placed the job), though
    b: Level  # they score alike: the JE scores show that

    @property
    def differs(self) -> bool:
        return self.a != self.b


@dataclass(frozen=True, slots=True)
class SummaryChunk:
    op: Literal["same", "only_a", "only_b"]
    text: str


@dataclass(frozen=True, slots=True)
class PairComparison:
    a: JD
    b: JD
    competencies_a: frozenset[str]
    competencies_b: frozenset[str]
    differences: tuple[FieldDifference, ...]
    je_levels: tuple[LevelComparison, ...]  # empty unless both JDs have JE levels
    je_levels_missing: tuple[str, ...]  # "a" and/or "b": which JDs have no JE levels
    summary_diff: tuple[SummaryChunk, ...]

    @property
    def only_a(self) -> tuple[str, ...]:
        return tuple(sorted(self.competencies_a - self.competencies_b))

    @property
    def only_b(self) -> tuple[str, ...]:
        return tuple(sorted(self.competencies_b - self.competencies_a))

    @property
    def both(self) -> tuple[str, ...]:
        return tuple(sorted(self.competencies_a & self.competencies_b))


def field_differences(a: JD, b: JD) -> tuple[FieldDifference, ...]:
    """The compared fields whose values differ, each with how B stands to A."""
    found = []
    for name in COMPARED_FIELDS:
        value_a, value_b = getattr(a, name), getattr(b, name)
        if value_a != value_b:
            found.append(
                FieldDifference(name, value_a, value_b, _difference_note(name, value_a, value_b))
            )
    return tuple(found)


def _difference_note(field: str, a: object, b: object) -> str:
    if a is None or b is None:
        return "only B has a value" if a is None else "only A has a value"
    if field == "band" and isinstance(a, str) and isinstance(b, str):
        steps = band_order(b) - band_order(a)  # bands by order, never as text
        word = "band" if abs(steps) == 1 else "bands"
        return f"B is {abs(steps)} {word} {'higher' if steps > 0 else 'lower'}"
    if isinstance(a, int | float) and isinstance(b, int | float):
        return f"B - A = {round(b - a, 2):g}"
    return ""


def compare_levels(
    a: Sequence[Level] | None, b: Sequence[Level] | None, factor_names: Sequence[str]
) -> tuple[tuple[LevelComparison, ...], tuple[str, ...]]:
    """JE factor levels factor by factor when both JDs have them; else which JDs lack them."""
    missing = tuple(side for side, levels in (("a", a), ("b", b)) if not levels)
    if a is None or b is None or missing:
        return (), missing
    return (
        tuple(
            LevelComparison(
                factor=index + 1,
                name=factor_names[index] if index < len(factor_names) else f"factor {index + 1}",
                a=level_a,
                b=level_b,
            )
            for index, (level_a, level_b) in enumerate(zip(a, b, strict=False))
        ),
        (),
    )


def summary_diff(a: str, b: str) -> tuple[SummaryChunk, ...]:
    """A word-level difference of two summaries (whitespace between words is not compared).

    A replaced run of words comes out as the words only in A, then the words only in B.
    """
    words_a, words_b = a.split(), b.split()
    matcher = difflib.SequenceMatcher(None, words_a, words_b, autojunk=False)
    chunks: list[SummaryChunk] = []
    for op, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if op == "equal":
            chunks.append(SummaryChunk("same", " ".join(words_a[a_start:a_end])))
            continue
        if a_end > a_start:
            chunks.append(SummaryChunk("only_a", " ".join(words_a[a_start:a_end])))
        if b_end > b_start:
            chunks.append(SummaryChunk("only_b", " ".join(words_b[b_start:b_end])))
    return tuple(chunks)


def compare_pair(
    a: JD,
    b: JD,
    competencies_a: frozenset[str],
    competencies_b: frozenset[str],
    factor_names: Sequence[str],
) -> PairComparison:
    levels, missing = compare_levels(a.je_levels, b.je_levels, factor_names)
    return PairComparison(
        a=a,
        b=b,
        competencies_a=competencies_a,
        competencies_b=competencies_b,
        differences=field_differences(a, b),
        je_levels=levels,
        je_levels_missing=missing,
        summary_diff=summary_diff(a.summary, b.summary),
    )


def parse_jd_key(text: str) -> tuple[str, str]:
    """Split TRUST:REF at the first colon (trust codes hold none; references may)."""
    trust, colon, ref = text.partition(":")
    if not colon or not trust.strip() or not ref.strip():
        raise ValueError(f"{text!r} is not TRUST:REF (for example RBK:WHT_IMG_091)")
    return trust.strip(), ref.strip()


def find_jd(db: Database, key: str) -> JD:
    """The JD named TRUST:REF (trust in any case; the reference exact, else in any case)."""
    trust_name, ref = parse_jd_key(key)
    (trust,) = resolve_trusts(load_trusts(db), [trust_name])
    jds = {jd.jd_ref: jd for jd in load_jds(db, trust=trust)}
    if ref in jds:
        return jds[ref]
    folded = [jd for jd in jds.values() if jd.jd_ref.casefold() == ref.casefold()]
    if len(folded) == 1:
        return folded[0]
    suggestions = [f"{trust}:{match}" for match in nearest(ref, jds)]
    raise UnknownName("JD", f"{trust}:{ref}", suggestions)


def load_pair_comparison(db: Database, key_a: str, key_b: str) -> PairComparison:
    a, b = find_jd(db, key_a), find_jd(db, key_b)
    competencies = load_jd_competencies(db, (a.id, b.id))
    return compare_pair(
        a,
        b,
        competencies.get(a.id, frozenset()),
        competencies.get(b.id, frozenset()),
        load_scheme(db).factor_names,
    )


def _jd_as_dict(jd: JD, competencies: frozenset[str]) -> dict[str, Any]:
    return {
        "trust": jd.trust,
        "jd_ref": jd.jd_ref,
        "title": jd.title,
        "role": jd.role,
        "band": jd.band,
        "wte_funded": jd.wte_funded,
        "wte_in_post": jd.wte_in_post,
        "je_score": jd.je_score,
        "je_levels": [level_value(level) for level in jd.je_levels] if jd.je_levels else None,
        "competencies": sorted(competencies),
        "summary": jd.summary,
    }


def pair_comparison_as_dict(comparison: PairComparison) -> dict[str, Any]:
    return {
        "a": _jd_as_dict(comparison.a, comparison.competencies_a),
        "b": _jd_as_dict(comparison.b, comparison.competencies_b),
        "differences": [
            {"field": item.field, "a": item.a, "b": item.b, "note": item.note}
            for item in comparison.differences
        ],
        "competencies": {
            "only_a": list(comparison.only_a),
            "only_b": list(comparison.only_b),
            "both": list(comparison.both),
        },
        "je_levels": [
            {
                "factor": level.factor,
                "name": level.name,
                "a": level_value(level.a),
                "b": level_value(level.b),
                "differs": level.differs,
            }
            for level in comparison.je_levels
        ],
        "je_levels_missing": list(comparison.je_levels_missing),
        "summary_diff": [{"op": chunk.op, "text": chunk.text} for chunk in comparison.summary_diff],
    }
