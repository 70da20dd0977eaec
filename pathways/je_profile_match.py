"""Matching a job's JE levels against a JE profile, as a matching panel does.

For each factor: whether the job's level lies within the profile's range, and if not, by how
many levels it falls below or rises above it. Then whether the profile's band still holds for
the job: the job's score (each end of it, for levels given as ranges) falls in the profile's
band.

Generic profiles. The JE handbook's note on generic profiles allows a generic profile's
minimum score to fall below its band's lower boundary by design: such a profile covers jobs
at different levels within one band. Implemented here as: when the profile is marked generic,
the job lies within the profile's range on every factor, and its score is below the band's
lower boundary but not below the profile's own minimum score, the band holds, and the match
says the generic-profile rule was applied. (The rule as implemented; the handbook's exact
wording was not at hand: see the README.)

Pure: the scheme and the profile are passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from catalogue.je_levels import Level
from catalogue.je_profiles import JEProfile
from catalogue.je_scheme import JEScheme, band_for_score, je_score
from pathways.je_check import JECheck, check_job


@dataclass(frozen=True, slots=True)
class FactorFit:
    """One factor: the job's level against the profile's range."""

    factor: int
    name: str
    job: Level
    profile: Level  # the profile's range (low-high) as written
    below: int  # levels the job's lowest level falls below the profile's range (0: not below)
    above: int  # levels the job's highest level rises above it (0: not above)

    @property
    def within(self) -> bool:
        return not self.below and not self.above


@dataclass(frozen=True, slots=True)
class ProfileMatch:
    profile: JEProfile
    factors: tuple[FactorFit, ...]
    profile_score_min: int  # the profile's own score range: every factor at its lowest level
    profile_score_max: int  # ... and at its highest
    job: JECheck
    band_holds: bool  # the profile's band holds for the job
    generic_rule_applied: bool  # it holds only by the generic-profile rule
    reason: str  # why it holds or not, in words

    @property
    def outside(self) -> tuple[FactorFit, ...]:
        return tuple(fit for fit in self.factors if not fit.within)


def profile_levels(profile: JEProfile) -> tuple[Level, ...]:
    return tuple(Level(low, high, written) for low, high, written in profile.levels())


def match_profile(
    scheme: JEScheme,
    profile: JEProfile,
    levels: Sequence[Level | int | str],
    *,
    margin: int | None = None,
) -> ProfileMatch:
    """How a job's levels sit against `profile`, and whether the profile's band holds."""
    job = check_job(scheme, levels, profile.band, margin=margin)
    ranges = profile_levels(profile)
    fits = tuple(
        FactorFit(
            factor=index + 1,
            name=scheme.factor_names[index],
            job=level,
            profile=allowed,
            below=max(0, allowed.low - level.low),
            above=max(0, level.high - allowed.high),
        )
        for index, (level, allowed) in enumerate(zip(job.levels, ranges, strict=True))
    )
    profile_min = je_score(scheme, [level.low for level in ranges])
    profile_max = je_score(scheme, [level.high for level in ranges])
    band = next(item for item in scheme.bands if item.code == profile.band)
    within = all(fit.within for fit in fits)

    def by_generic_rule(score: int) -> bool:
        return profile.generic and within and profile_min <= score < band.low

    ends = (job.score, job.score_max)
    in_band = [band_for_score(scheme, score) == profile.band for score in ends]
    generic = [
        not held and by_generic_rule(score) for score, held in zip(ends, in_band, strict=True)
    ]
    holds = all(a or b for a, b in zip(in_band, generic, strict=True))
    applied = holds and any(generic)
    return ProfileMatch(
        profile=profile,
        factors=fits,
        profile_score_min=profile_min,
        profile_score_max=profile_max,
        job=job,
        band_holds=holds,
        generic_rule_applied=applied,
        reason=_reason(profile, job, band.low, profile_min, within, holds, applied),
    )


def _reason(
    profile: JEProfile,
    job: JECheck,
    band_low: int,
    profile_min: int,
    within: bool,
    holds: bool,
    applied: bool,
) -> str:
    score = str(job.score) if not job.is_range else f"{job.score}-{job.score_max}"
    band = f"Band {profile.band}"
    if applied:
        return (
            f"the job scores {score}, below {band}'s lower boundary ({band_low}), but it lies "
            f"within this generic profile on every factor and at or above the profile's "
            f"minimum ({profile_min}): the generic-profile rule keeps it in {band}"
        )
    if holds:
        return f"the job scores {score}, within {band}"
    reached = ", ".join("beyond Band 9" if b is None else f"Band {b}" for b in job.bands)
    why = f"the job scores {score} ({reached}), not {band}"
    if profile.generic and not within and job.score < band_low:
        why += (
            "; the generic-profile rule does not apply: the job lies outside the profile on "
            "some factor"
        )
    return why


def profile_note(scheme: JEScheme, profile: JEProfile) -> str | None:
    """A profile whose minimum score falls below its band's boundary without being marked
    generic: worth a look, since only generic profiles are allowed that by design."""
    ranges = profile_levels(profile)
    low = je_score(scheme, [level.low for level in ranges])
    band = next(item for item in scheme.bands if item.code == profile.band)
    if low < band.low and not profile.generic:
        return (
            f"its minimum score ({low}) is below Band {profile.band}'s lower boundary "
            f"({band.low}) and it is not marked generic"
        )
    return None


# --- the JSON shape -------------------------------------------------------------------------


def fit_as_dict(fit: FactorFit) -> dict[str, Any]:
    return {
        "factor": fit.factor,
        "name": fit.name,
        "job_level": fit.job.written,
        "profile_level": fit.profile.written,
        "within": fit.within,
        "below": fit.below,
        "above": fit.above,
    }


def match_as_dict(match: ProfileMatch) -> dict[str, Any]:
    profile = match.profile
    return {
        "profile": profile.id,
        "title": profile.title,
        "band": profile.band,
        "generic": profile.generic,
        "source": profile.source,
        "profile_score_min": match.profile_score_min,
        "profile_score_max": match.profile_score_max,
        "outside": [fit_as_dict(fit) for fit in match.outside],
        "factors": [fit_as_dict(fit) for fit in match.factors],
        "band_holds": match.band_holds,
        "generic_rule_applied": match.generic_rule_applied,
        "reason": match.reason,
    }


def fit_text(fit: FactorFit) -> str:
    """'within', '1 below', '2 above' (a range may be both: '1 below, 1 above')."""
    if fit.within:
        return "within"
    parts = []
    if fit.below:
        parts.append(f"{fit.below} below")
    if fit.above:
        parts.append(f"{fit.above} above")
    return ", ".join(parts)


def outside_text(match: ProfileMatch) -> str:
    """The factors outside the profile in short: 'F2 1 above; F6 1 below'."""
    return "; ".join(f"F{fit.factor} {fit_text(fit)}" for fit in match.outside)
