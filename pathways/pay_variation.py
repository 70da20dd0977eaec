"""Pay variation beyond the band: who pays what for the same work.

Agenda for Change pay points are national, so two trusts paying a role the same band can still
pay it differently: a recruitment and retention premium (RRP) at one and not its neighbour, new
starters appointed above the band's entry point, a local supplement. For each role, every
trust's pay arrangement (a *pay line*: trust, band and pay elements, with the JDs that share
it) is costed for a new starter (basic pay at the appointment point) and for a person at the
top of the band, with every element shown:

    basic   the band's pay point in the pay year (a band without the point: its nearest lower
            point, as `pathways.records.salary_at`)
    rrp     the premium: its annual amount, or its percentage of that basic pay
    supplement  any other recurring local payment
    total   basic + rrp + supplement

Flags, each a reason on a pay line (severity in brackets):

- `premium` (warn): the trust pays an RRP for the role that another trust with posts of the
  role does not;
- `supplement` (warn): the same, for a local supplement;
- `pay_gap` (warn; high at twice the threshold): the line's total for a new starter or at the
  top differs by more than the threshold from the usual pay of the role at that band in the
  network: the total most lines of the role and band get (on a tie, the lowest of those);
- `review_overdue` (high): the premium is past its review or end date (`today` is given, so
  a test can fix it);
- `no_review_date` (warn): the premium has no review date, though AfC premia are meant to be
  time-limited and reviewed.

Entry point: `pay_variation(db, ...)` reads the catalogue once; `analyse_pay` is the pure
function over plain records that the tests call directly. JDs with no role or no AfC band
(medical pay) are not costed; they are counted in `skipped`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from catalogue.bands import BAND_ORDER
from catalogue.jd_pay import rrp_text
from catalogue.reference import ReferenceDataError, load_pay_variation
from catalogue.store import meta
from pathways.figures import whole_pounds
from pathways.options import SEVERITIES
from pathways.records import RoleInfo, load_pay, load_roles, salary_at

if TYPE_CHECKING:  # a reader is a sqlite-utils Database or a plain sqlite3 connection
    from catalogue.store import Reader

PAY_REASONS: tuple[str, ...] = (
    "premium",
    "supplement",
    "pay_gap",
    "review_overdue",
    "no_review_date",
)
# How each reason reads in a table, a screen or a report.
REASON_TEXT = {
    "premium": "pays a premium others do not",
    "supplement": "pays a supplement others do not",
    "pay_gap": "paid differently from the network",
    "review_overdue": "premium past its review date",
    "no_review_date": "premium with no review date",
}
MEASURES: tuple[str, ...] = ("new_starter", "top")


class PayVariationError(ValueError):
    """An analysis that cannot be made as asked (no pay for the year, a bad threshold)."""


@dataclass(frozen=True, slots=True)
class PostPay:
    """One JD's band and pay elements: what the analysis reads of a post."""

    trust: str
    jd_ref: str
    role: str
    band: str
    wte_in_post: float | None = None
    rrp_amount: int | None = None
    rrp_percent: float | None = None
    rrp_until: str | None = None
    appointment_point: str = "entry"
    supplement: int | None = None
    pay_note: str = ""

    @property
    def has_premium(self) -> bool:
        return self.rrp_amount is not None or self.rrp_percent is not None

    def arrangement(self) -> tuple[Any, ...]:
        """What a pay line shares: the posts of one trust, role and band paid the same way."""
        return (
            self.role,
            self.trust,
            self.band,
            self.appointment_point,
            self.rrp_amount,
            self.rrp_percent,
            self.rrp_until,
            self.supplement,
            self.pay_note,
        )


@dataclass(frozen=True, slots=True)
class Pay:
    """Annual pay at one point of a band, element by element (unrounded pounds)."""

    point: str  # the pay point the basic pay is at
    basic: float
    rrp: float
    supplement: float

    @property
    def total(self) -> float:
        return self.basic + self.rrp + self.supplement


def pay_at(
    salaries: Mapping[tuple[str, str], int],
    band: str,
    point: str,
    *,
    rrp_amount: int | None = None,
    rrp_percent: float | None = None,
    supplement: int | None = None,
) -> Pay | None:
    """The pay of a post at `point` of `band`, with its premium (a percentage is of this basic
    pay) and supplement; None when the pay year has no pay for the band."""
    basic = salary_at(dict(salaries), band, point)
    if basic is None:
        return None
    rrp = float(rrp_amount) if rrp_amount is not None else basic * (rrp_percent or 0.0) / 100
    return Pay(point, float(basic), rrp, float(supplement or 0))


@dataclass(frozen=True, slots=True)
class PayLine:
    """One trust's way of paying a role at a band, the posts that share it, and its flags."""

    role: str
    trust: str
    band: str
    appointment_point: str
    rrp_amount: int | None
    rrp_percent: float | None
    rrp_until: str | None
    supplement: int | None
    pay_note: str
    jd_refs: tuple[str, ...]
    wte_in_post: float
    new_starter: Pay
    top: Pay
    gaps: dict[str, float]  # measure -> fraction above (+) or below (-) the usual pay
    reasons: tuple[str, ...] = ()
    severity: str | None = None  # None: not flagged

    @property
    def rrp(self) -> int | str | None:
        """The premium as written: 1500, or "10%"."""
        return rrp_text(self.rrp_amount, self.rrp_percent)


@dataclass(frozen=True, slots=True)
class BandPay:
    """The usual pay of a role at one band across the network, and how far it ranges."""

    band: str
    usual: dict[str, float]  # measure -> the total most lines get (a tie: the lowest)
    lowest: dict[str, float]
    highest: dict[str, float]
    trusts: int

    @property
    def spread(self) -> dict[str, float]:
        """Measure -> the highest total over the lowest, less one (0.1: 10% apart)."""
        return {
            m: self.highest[m] / self.lowest[m] - 1 if self.lowest[m] else 0.0 for m in MEASURES
        }


@dataclass(frozen=True, slots=True)
class RolePay:
    role: str
    title: str
    staff_group: str
    lines: list[PayLine]
    bands: list[BandPay]

    @property
    def flagged(self) -> list[PayLine]:
        return [line for line in self.lines if line.reasons]

    @property
    def varies(self) -> bool:
        """Whether anything beyond the band is paid, or any line is flagged."""
        return any(
            line.reasons
            or line.rrp is not None
            or line.supplement is not None
            or line.appointment_point != "entry"
            for line in self.lines
        )


@dataclass(frozen=True)
class PayVariation:
    roles: list[RolePay]
    pay_year: str
    threshold: float
    threshold_source: str
    today: str  # the date premia are judged overdue against, YYYY-MM-DD
    trust: str | None = None
    skipped: dict[str, int] = field(default_factory=dict)  # unmapped, no_band
    missing_pay: list[str] = field(default_factory=list)  # bands with no pay in the year

    @property
    def flagged(self) -> list[PayLine]:
        return sort_lines(line for role in self.roles for line in role.flagged)

    def counts(self) -> dict[str, int]:
        """Flagged pay lines in all, by severity and by reason."""
        lines = self.flagged
        counts = {"flags": len(lines)}
        for severity in reversed(SEVERITIES):
            counts[severity] = sum(1 for line in lines if line.severity == severity)
        for reason in PAY_REASONS:
            counts[reason] = sum(1 for line in lines if reason in line.reasons)
        return counts


def line_severity(
    reasons: Sequence[str], gaps: Mapping[str, float], threshold: float
) -> str | None:
    """None when there is no reason; `high` for a premium past its review date or a gap of
    twice the threshold or more; otherwise `warn`."""
    if not reasons:
        return None
    if "review_overdue" in reasons:
        return "high"
    if "pay_gap" in reasons and any(
        _beyond(gap, 2 * threshold, or_equal=True) for gap in gaps.values()
    ):
        return "high"
    return "warn"


def _beyond(gap: float, limit: float, *, or_equal: bool = False) -> bool:
    """Whether a gap (either way) is more than `limit`: rounded first, so the float noise of
    dividing pounds never decides a flag at the threshold itself."""
    size = round(abs(gap), 6)
    return size >= limit if or_equal else size > limit


def usual_total(totals: Sequence[float]) -> float:
    """The total most lines get; on a tie, the lowest of the tied (the plain national pay,
    where some trusts add to it and some do not)."""
    counts = Counter(round(total, 2) for total in totals)
    top = max(counts.values())
    return min(total for total, count in counts.items() if count == top)


def sort_lines(lines: Iterable[PayLine]) -> list[PayLine]:
    """High first, then most WTE in post, then role, trust and band."""
    return sorted(
        lines,
        key=lambda line: (
            -SEVERITIES.index(line.severity) if line.severity else 1,
            -line.wte_in_post,
            line.role,
            line.trust,
            BAND_ORDER.get(line.band, 99),
        ),
    )


def analyse_pay(
    posts: Iterable[PostPay],
    salaries: Mapping[tuple[str, str], int],
    *,
    threshold: float,
    today: date,
    roles: Mapping[str, RoleInfo] | None = None,
) -> tuple[list[RolePay], list[str]]:
    """Every role's pay lines, costed and flagged (no I/O); and the bands the pay year has no
    pay for (their posts are left out, and said so by the caller).

    `salaries` is one pay year's table, {(band, point): salary}; `threshold` a fraction
    (0.05: 5%); `today` the date premia are judged against.
    """
    if not 0 < threshold < 1:
        raise PayVariationError(f"threshold {threshold:g}: give a fraction between 0 and 1")
    grouped: dict[tuple[Any, ...], list[PostPay]] = {}
    missing: set[str] = set()
    for post in posts:
        if salary_at(dict(salaries), post.band, "entry") is None:
            missing.add(post.band)
            continue
        grouped.setdefault(post.arrangement(), []).append(post)

    by_role: dict[str, list[PayLine]] = {}
    for posts_alike in grouped.values():
        line = _costed_line(posts_alike, salaries)
        by_role.setdefault(line.role, []).append(line)

    info = roles or {}
    result: list[RolePay] = []
    for role_id in sorted(by_role):
        lines, bands = _judge_role(by_role[role_id], threshold, today)
        role = info.get(role_id)
        result.append(
            RolePay(
                role=role_id,
                title=role.title if role else role_id,
                staff_group=role.staff_group if role else "",
                lines=lines,
                bands=bands,
            )
        )
    return result, sorted(missing, key=BAND_ORDER.__getitem__)


def _costed_line(posts: Sequence[PostPay], salaries: Mapping[tuple[str, str], int]) -> PayLine:
    first = posts[0]
    new_starter = pay_at(
        salaries,
        first.band,
        first.appointment_point,
        rrp_amount=first.rrp_amount,
        rrp_percent=first.rrp_percent,
        supplement=first.supplement,
    )
    top = pay_at(
        salaries,
        first.band,
        "top",
        rrp_amount=first.rrp_amount,
        rrp_percent=first.rrp_percent,
        supplement=first.supplement,
    )
    assert new_starter is not None and top is not None  # the band's pay was checked
    return PayLine(
        role=first.role,
        trust=first.trust,
        band=first.band,
        appointment_point=first.appointment_point,
        rrp_amount=first.rrp_amount,
        rrp_percent=first.rrp_percent,
        rrp_until=first.rrp_until,
        supplement=first.supplement,
        pay_note=first.pay_note,
        jd_refs=tuple(sorted(post.jd_ref for post in posts)),
        wte_in_post=sum(post.wte_in_post or 0.0 for post in posts),
        new_starter=new_starter,
        top=top,
        gaps={},
    )


def _judge_role(
    lines: list[PayLine], threshold: float, today: date
) -> tuple[list[PayLine], list[BandPay]]:
    """Flag a role's lines against each other; the role's usual pay at each band."""
    trusts = {line.trust for line in lines}
    with_premium = {line.trust for line in lines if line.rrp is not None}
    with_supplement = {line.trust for line in lines if line.supplement is not None}
    bands: list[BandPay] = []
    usual: dict[str, dict[str, float]] = {}
    for band in sorted({line.band for line in lines}, key=BAND_ORDER.__getitem__):
        at_band = [line for line in lines if line.band == band]
        totals = {m: [getattr(line, m).total for line in at_band] for m in MEASURES}
        usual[band] = {m: usual_total(totals[m]) for m in MEASURES}
        bands.append(
            BandPay(
                band=band,
                usual=usual[band],
                lowest={m: min(totals[m]) for m in MEASURES},
                highest={m: max(totals[m]) for m in MEASURES},
                trusts=len({line.trust for line in at_band}),
            )
        )
    judged = []
    for line in lines:
        reasons: list[str] = []
        # A premium or supplement "others do not pay": some other trust with posts of the
        # role pays none. Where every trust pays one, the amounts are compared (pay_gap).
        if line.rrp is not None and trusts - with_premium - {line.trust}:
            reasons.append("premium")
        if line.supplement is not None and trusts - with_supplement - {line.trust}:
            reasons.append("supplement")
        gaps = {
            m: getattr(line, m).total / usual[line.band][m] - 1 if usual[line.band][m] else 0.0
            for m in MEASURES
        }
        if any(_beyond(gap, threshold) for gap in gaps.values()):
            reasons.append("pay_gap")
        if line.rrp is not None:
            if line.rrp_until is None:
                reasons.append("no_review_date")
            elif line.rrp_until < today.isoformat():
                reasons.append("review_overdue")
        ordered = tuple(reason for reason in PAY_REASONS if reason in reasons)
        judged.append(
            replace(
                line,
                gaps=gaps,
                reasons=ordered,
                severity=line_severity(ordered, gaps, threshold),
            )
        )
    judged.sort(key=lambda ln: (BAND_ORDER[ln.band], ln.trust, ln.jd_refs))
    return judged, bands


# ---- reading the catalogue ----------------------------------------------------------------------


def default_threshold(db: Reader) -> tuple[float, str]:
    """The catalogue's documented default threshold and its source; a catalogue built before
    it was stored falls back to the packaged settings.toml, and says so."""
    stored = meta(db, "pay_gap_threshold")
    if stored is not None:
        return float(stored), meta(db, "pay_gap_source") or "catalogue default"
    try:
        packaged = load_pay_variation()
    except ReferenceDataError as error:  # pragma: no cover - the packaged file is checked
        raise PayVariationError(f"no default threshold: {error}; give --threshold") from error
    return packaged.threshold, f"{packaged.source} (from the packaged settings.toml)"


def load_post_pay(
    db: Reader, *, role: str | None = None, staff_group: str | None = None
) -> tuple[list[PostPay], dict[str, int]]:
    """The mapped, banded JDs in scope with their pay elements; and how many were left out
    (unmapped, on medical pay: no AfC band)."""
    clauses, params = ["j.role IS NOT NULL"], []
    if role is not None:
        clauses.append("j.role = ?")
        params.append(role)
    if staff_group is not None:
        clauses.append("j.role IN (SELECT id FROM role WHERE staff_group = ?)")
        params.append(staff_group)
    posts: list[PostPay] = []
    no_band = 0
    for row in db.execute(
        "SELECT j.trust, j.jd_ref, j.role, j.band, j.wte_in_post, j.rrp_amount, j.rrp_percent, "
        "j.rrp_until, j.appointment_point, j.supplement, j.pay_note FROM job_description j "
        f"WHERE {' AND '.join(clauses)} ORDER BY j.role, j.trust, j.jd_ref",
        params,
    ):
        if row[3] is None:
            no_band += 1
            continue
        posts.append(PostPay(*row))
    unmapped = 0
    if role is None and staff_group is None:
        unmapped = int(
            db.execute("SELECT COUNT(*) FROM job_description WHERE role IS NULL").fetchone()[0]
        )
    return posts, {"unmapped": unmapped, "no_band": no_band}


def pay_variation(
    db: Reader,
    *,
    role: str | None = None,
    staff_group: str | None = None,
    trust: str | None = None,
    pay_year: str | None = None,
    threshold: float | None = None,
    today: date | None = None,
) -> PayVariation:
    """Pay variation over the catalogue (a role's, a staff group's), costed in `pay_year`
    (default the latest), flagged at `threshold` (default the catalogue's setting) as of
    `today` (default the real date). With `trust`, the comparison stays network-wide but only
    that trust's lines are kept, and only the roles it has posts in."""
    from catalogue.pay_years import require_pay_year  # the one check of a pay year

    year = require_pay_year(db, pay_year)
    if threshold is None:
        threshold, source = default_threshold(db)
    else:
        source = "given for this run"
    when = today or date.today()
    posts, skipped = load_post_pay(db, role=role, staff_group=staff_group)
    _, salaries = load_pay(db, year)
    roles, missing = analyse_pay(
        posts, salaries, threshold=threshold, today=when, roles=load_roles(db)
    )
    if trust is not None:
        roles = [
            RolePay(
                r.role, r.title, r.staff_group, [ln for ln in r.lines if ln.trust == trust], r.bands
            )
            for r in roles
            if any(line.trust == trust for line in r.lines)
        ]
    return PayVariation(
        roles=roles,
        pay_year=year,
        threshold=threshold,
        threshold_source=source,
        today=when.isoformat(),
        trust=trust,
        skipped=skipped,
        missing_pay=missing,
    )


# ---- plain data (JSON, CSV) ------------------------------------------------------------------


def pay_dict(pay: Pay) -> dict[str, Any]:
    return {
        "point": pay.point,
        "basic": whole_pounds(pay.basic),
        "rrp": whole_pounds(pay.rrp),
        "supplement": whole_pounds(pay.supplement),
        "total": whole_pounds(pay.total),
    }


def line_dict(line: PayLine) -> dict[str, Any]:
    return {
        "role": line.role,
        "trust": line.trust,
        "band": line.band,
        "jds": list(line.jd_refs),
        "wte_in_post": round(line.wte_in_post, 2),
        "appointment_point": line.appointment_point,
        "rrp": line.rrp,
        "rrp_until": line.rrp_until,
        "supplement": line.supplement,
        "pay_note": line.pay_note,
        "new_starter": pay_dict(line.new_starter),
        "top": pay_dict(line.top),
        "gap": {m: round(gap, 4) for m, gap in line.gaps.items()},
        "reasons": list(line.reasons),
        "severity": line.severity,
    }


def variation_dict(result: PayVariation) -> dict[str, Any]:
    """The analysis as plain data: money in whole pounds, gaps as fractions to 4 places."""
    return {
        "pay_year": result.pay_year,
        "threshold": result.threshold,
        "threshold_source": result.threshold_source,
        "today": result.today,
        "trust": result.trust,
        "roles": [
            {
                "role": role.role,
                "title": role.title,
                "staff_group": role.staff_group,
                "bands": [
                    {
                        "band": band.band,
                        "trusts": band.trusts,
                        "usual": {m: whole_pounds(v) for m, v in band.usual.items()},
                        "lowest": {m: whole_pounds(v) for m, v in band.lowest.items()},
                        "highest": {m: whole_pounds(v) for m, v in band.highest.items()},
                        "spread": {m: round(v, 4) for m, v in band.spread.items()},
                    }
                    for band in role.bands
                ],
                "lines": [line_dict(line) for line in role.lines],
            }
            for role in result.roles
        ],
        "summary": result.counts(),
        "skipped": dict(result.skipped),
        "missing_pay": list(result.missing_pay),
    }


CSV_COLUMNS: tuple[str, ...] = (
    "severity",
    "role",
    "trust",
    "band",
    "jds",
    "wte_in_post",
    "appointment_point",
    "rrp",
    "rrp_until",
    "supplement",
    "pay_note",
    "new_starter_basic",
    "new_starter_rrp",
    "new_starter_supplement",
    "new_starter_total",
    "new_starter_gap",
    "top_basic",
    "top_rrp",
    "top_supplement",
    "top_total",
    "top_gap",
    "reasons",
)


def line_row(line: PayLine, joiner: str = ";") -> dict[str, Any]:
    """One pay line flat, every element its own column (CSV, and the tables built on it)."""
    row: dict[str, Any] = {
        "severity": line.severity or "",
        "role": line.role,
        "trust": line.trust,
        "band": line.band,
        "jds": joiner.join(line.jd_refs),
        "wte_in_post": round(line.wte_in_post, 2),
        "appointment_point": line.appointment_point,
        "rrp": line.rrp,
        "rrp_until": line.rrp_until,
        "supplement": line.supplement,
        "pay_note": line.pay_note,
        "reasons": joiner.join(list(line.reasons)),
    }
    for measure in MEASURES:
        pay = getattr(line, measure)
        row[f"{measure}_basic"] = whole_pounds(pay.basic)
        row[f"{measure}_rrp"] = whole_pounds(pay.rrp)
        row[f"{measure}_supplement"] = whole_pounds(pay.supplement)
        row[f"{measure}_total"] = whole_pounds(pay.total)
        row[f"{measure}_gap"] = round(line.gaps.get(measure, 0.0), 4)
    return row
