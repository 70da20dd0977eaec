"""Pydantic records for everything the catalogue holds.

The reference data files, imported job descriptions and rows read back from SQLite are all
validated through these models, so a record means the same thing wherever it came from.
Extra keys are refused: a misspelt field in a data file is an error, not silently dropped.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from catalogue.bands import BAND_ORDER, parse_band
from catalogue.je_levels import Level
from catalogue.vocabulary import ROUTE_KINDS


def _band_or_none(value: object) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_band(value)


BandCode = Annotated[str, BeforeValidator(parse_band)]
OptionalBand = Annotated[str | None, BeforeValidator(_band_or_none)]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", min_length=2, max_length=80)]

CareerLevel = Literal[
    "support worker",
    "senior support worker",
    "assistant practitioner",
    "practitioner",
    "enhanced",
    "advanced",
    "consultant",
    "trainee",
    "manager",
    "doctor in training",
]
Registration = Literal["HCPC", "NMC", "GMC", "RCCP", "none"]
Pillar = Literal["clinical", "leadership", "education", "research", "modality", "professional"]


def _route_kind(value: str) -> str:
    if value not in ROUTE_KINDS:
        raise ValueError(f"{value!r} is not a route kind: use one of {', '.join(ROUTE_KINDS)}")
    return value


RouteKind = Annotated[str, AfterValidator(_route_kind)]
# retired: no longer offered at all (kept for the moves and passports that name it).
RouteStatus = Literal["open", "restricted", "closed", "retired"]
RoleStatus = Literal["active", "retired"]
Confidence = Literal["confirmed", "single source", "derived", "customary", "unconfirmed"]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Band(Record):
    code: BandCode
    je_min: int = Field(ge=0, le=1000)
    je_max: int = Field(ge=0, le=1000)
    closed: bool = False
    note: str = ""

    @property
    def ordinal(self) -> int:
        return BAND_ORDER[self.code]


def _one_year(value: str) -> str:
    start, end = int(value[:4]), int(value[5:])
    if end != (start + 1) % 100:
        raise ValueError(
            f"{value!r} is not a pay year: it runs April to March, as {start}/"
            f"{(start + 1) % 100:02d}"
        )
    return value


class PayPoint(Record):
    band: BandCode
    pay_year: Annotated[str, Field(pattern=r"^\d{4}/\d{2}$"), AfterValidator(_one_year)]
    point: Literal["entry", "intermediate", "top"]
    salary: int = Field(gt=0)
    confidence: Confidence = "confirmed"
    source: str


class JEFactor(Record):
    number: int = Field(ge=1, le=16)
    name: str
    points: list[int] = Field(min_length=2, max_length=8)

    @property
    def levels(self) -> int:
        return len(self.points)


class ICB(Record):
    code: Annotated[str, Field(pattern=r"^[A-Z0-9]{3,5}$")]
    name: str


class Trust(Record):
    code: Annotated[str, Field(pattern=r"^[A-Z0-9]{3,5}$")]
    name: str
    icb: str
    note: str = ""


class StaffGroup(Record):
    id: Slug
    name: str
    description: str = ""


class Role(Record):
    id: Slug
    title: str
    staff_group: Slug
    band_min: OptionalBand = None
    band_max: OptionalBand = None
    career_level: CareerLevel
    registration: Registration = "none"
    pay_system: Literal["afc", "medical"] = "afc"
    national_profile: str = ""
    band_confidence: Confidence = "customary"
    description: str = ""
    source: str = ""
    # A retired role stays for what names it; merged_into names the role that replaced it.
    status: RoleStatus = "active"
    merged_into: Slug | None = None

    @model_validator(mode="after")
    def _band_range_is_ordered(self) -> Role:
        if self.pay_system == "medical":
            if self.band_min or self.band_max:
                raise ValueError("a role on medical pay has no AfC band")
            return self
        if not self.band_min or not self.band_max:
            raise ValueError("an AfC role needs band_min and band_max")
        if BAND_ORDER[self.band_min] > BAND_ORDER[self.band_max]:
            raise ValueError(f"band_min {self.band_min} is above band_max {self.band_max}")
        return self


class Competency(Record):
    id: Slug
    name: str
    pillar: Pillar
    description: str = ""


class RoleCompetency(Record):
    role: Slug
    competency: Slug
    # 1 aware, 2 working, 3 proficient, 4 expert (teaches and leads others).
    level: int = Field(ge=1, le=4)


class TrainingRoute(Record):
    id: Slug
    name: str
    kind: RouteKind
    level: int | None = Field(default=None, ge=1, le=8)  # RQF / FHEQ level
    months: int | None = Field(default=None, gt=0)
    funding_cap: int | None = Field(default=None, ge=0)  # pounds, apprenticeship funding band
    standard_ref: str = ""  # IfATE standard, e.g. ST0619
    entry_requirements: str = ""
    registration: Registration = "none"  # registration it leads to
    gives: list[Slug] = Field(default_factory=list)  # competency ids
    leads_to: list[Slug] = Field(default_factory=list)  # role ids
    status: RouteStatus = "open"
    status_note: str = ""
    status_from: str = ""  # ISO date the status took effect
    unconfirmed: list[str] = Field(default_factory=list)  # names of fields no source settled
    source: str
    # Tuition for the whole route in pounds (a postgraduate course, a degree), apart from the
    # apprenticeship funding cap; None: unknown or not charged. A figure names its source.
    fee: int | None = Field(default=None, ge=0)
    fee_source: str = ""
    # Open only to people who already hold a degree (any subject): a graduate-entry route.
    needs_degree: bool = False

    @model_validator(mode="after")
    def _fee_has_a_source(self) -> TrainingRoute:
        if self.fee is not None and not self.fee_source:
            raise ValueError("a fee needs its source (fee_source): where the figure comes from")
        return self


class Progression(Record):
    from_role: Slug
    to_role: Slug
    kind: Literal["up", "lateral"] = "up"
    routes: list[Slug] = Field(default_factory=list)
    months_in_post: int = Field(default=0, ge=0)  # typical time in the first role before moving
    note: str = ""

    @model_validator(mode="after")
    def _not_a_loop(self) -> Progression:
        if self.from_role == self.to_role:
            raise ValueError("a progression cannot lead from a role to itself")
        return self


class JobDescription(Record):
    """One trust's post, as held in the catalogue (references already resolved)."""

    trust: str
    jd_ref: str = Field(min_length=1)
    title: str = Field(min_length=1)
    role: str | None = None
    band: OptionalBand = None  # None only for a post on medical and dental pay
    wte_funded: float | None = Field(default=None, ge=0)
    wte_in_post: float | None = Field(default=None, ge=0)
    competencies: tuple[str, ...] = ()
    je_levels: tuple[Level, ...] | None = None  # each factor as written: "4a" is level 4
    summary: str = ""
    # Pay beyond the band (catalogue.jd_pay reads them from files): a recruitment and retention
    # premium as an annual amount or a percentage of basic pay, never both; when it is to be
    # reviewed or ends (ISO date); the pay point new starters are appointed at; any other
    # recurring local supplement (annual amount), with a short note. None: none.
    rrp_amount: int | None = Field(default=None, gt=0)
    rrp_percent: float | None = Field(default=None, gt=0, le=100)
    rrp_until: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")] | None = None
    appointment_point: Literal["entry", "intermediate", "top"] = "entry"
    supplement: int | None = Field(default=None, gt=0)
    pay_note: str = ""

    @model_validator(mode="after")
    def _one_kind_of_premium(self) -> JobDescription:
        if self.rrp_amount is not None and self.rrp_percent is not None:
            raise ValueError("a premium is an amount or a percentage, not both")
        return self


class NationalRate(Record):
    """A published national vacancy rate for a family of roles, to compare a network against."""

    id: Slug
    label: str
    rate: float = Field(ge=0, le=1)
    source: str
    roles: list[Slug] = Field(min_length=1)


class ImportBatch(Record):
    """Where a set of job descriptions came from: the provenance of every imported row."""

    id: int
    source: str
    imported_at: str
    rows: int
    added: int
    updated: int
    unchanged: int
    illustrative: bool = False
