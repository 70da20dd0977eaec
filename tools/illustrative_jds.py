"""Generate ILLUSTRATIVE trust job descriptions (JDs) for the imaging network.

The JDs are made up. The trust codes are the network's real ODS codes, but every title,
reference, band, establishment figure and JE profile here is invented to exercise the import,
matching, banding-variation, JE-check, comparison and workforce-gap features; none is a real post
of the named trust. The output is deterministic for a given seed and scale.

What the bundled set (scale 1) is built to show, as real networks do:

- JDs at all 15 trusts; the big acute trusts (RRK, RKB, RJE) have more, the specialist trusts
  (RQ3 women's and children's, RRJ and RL1 orthopaedic) fewer and no breast imaging;
- messy local titles, a dozen or so JDs left unmapped (role "") for the matcher to guess;
- banding variation: see BAND_OVERRIDES and the tier bands in ROLE_SPECS, including one role
  whose band counts tie (apprentice radiographer, 3 and 4) and a few JDs outside the reference
  role's band range;
- WTE funded and in post tuned so that vacancy rates come near the national figures quoted in the
  network's workforce strategy (VACANCY_TARGETS);
- consultant radiologists at every trust (MSK only at the two orthopaedic trusts, paediatric at
  RQ3) and radiology registrars at the four big teaching trusts (MEDICAL_SPECS): on medical and
  dental pay, so their JDs have no band and no JE levels;
- about a quarter of JDs with 16 JE factor levels, most scoring inside their band, a handful one
  band off, one or two within a few points of a band boundary;
- competencies from role_competencies.toml, with some trusts adding or dropping one or two;
- text that looks like Rich markup, which the app must show literally;
- pay beyond the band for a few sonography and reporting posts, where shortages are worst
  (PAY_ELEMENTS): premia as an amount or a percentage, one past its review date and one with
  none, new starters appointed above the entry point, a local supplement.

Usage: python -m tools.illustrative_jds [--seed N] [--scale N] [--format toml|csv] [-o FILE]

A larger scale repeats the pattern (scale 180 gives about 60,000 JDs, for benchmarks); copies
after the first carry a "-C002", "-C003", ... suffix on their jd_ref.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from catalogue.jd_format import ALL_FIELDS, PAY_FIELDS

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[1] / "catalogue" / "data"
DEFAULT_SEED = 2026

CSV_FIELDS = ALL_FIELDS  # the interchange format's header, in its order

# ---- Trusts -------------------------------------------------------------------------------------

LARGE, MEDIUM, SMALL, CHILDREN, ORTHO = "large", "medium", "small", "children", "ortho"
TIERS = (LARGE, MEDIUM, SMALL, CHILDREN, ORTHO)


@dataclass(frozen=True)
class TrustProfile:
    tier: str
    size: float  # multiplies each role's typical establishment
    ref: str  # jd_ref format: {n} running number, {y} year, {yy} two-digit year, {code} ODS code
    first: int  # the first running number
    tweaky: bool = False  # edits the reference competency lists more often than most


TRUSTS: dict[str, TrustProfile] = {
    "RRK": TrustProfile(LARGE, 2.4, "RRK-IMG-{n:04d}", 380, tweaky=True),
    "RQ3": TrustProfile(CHILDREN, 0.5, "RQ3/RAD/{n}", 4),
    "RRJ": TrustProfile(ORTHO, 0.35, "ROH-XR-{n:03d}", 12),
    "RXK": TrustProfile(MEDIUM, 1.1, "SWB/IMG/{y}/{n:03d}", 40),
    "RL4": TrustProfile(MEDIUM, 1.3, "RWT-RAD-{n:04d}", 1100, tweaky=True),
    "RBK": TrustProfile(SMALL, 0.7, "WHT_IMG_{n:03d}", 20),
    "RNA": TrustProfile(MEDIUM, 1.0, "DGFT/RAD/{n:04d}", 60),
    "RKB": TrustProfile(LARGE, 1.7, "UHCW-IMG-{yy}-{n:04d}", 200, tweaky=True),
    "RJC": TrustProfile(SMALL, 0.6, "SWFT-RAD-{n:03d}", 30),
    "RLT": TrustProfile(SMALL, 0.55, "GEH/XR/{n}", 50),
    "RWP": TrustProfile(MEDIUM, 1.2, "WAHT-IMG-{n:04d}", 300),
    "RLQ": TrustProfile(SMALL, 0.5, "WVT-RAD-{n}", 10, tweaky=True),
    "RXW": TrustProfile(MEDIUM, 1.1, "SATH/RAD/{n:03d}", 100),
    "RL1": TrustProfile(ORTHO, 0.4, "RJAH-IMG-{n:03d}", 5, tweaky=True),
    "RJE": TrustProfile(LARGE, 1.9, "UHNM-RAD-{n:04d}", 1000),
}
# A trust added to organisations.toml later gets a plain medium-sized profile.
DEFAULT_PROFILE = TrustProfile(MEDIUM, 1.0, "{code}-JD-{n:04d}", 1)

# ---- Roles --------------------------------------------------------------------------------------

# Vacancy categories and their target rates. The first five are the national figures the network's
# workforce strategy (2023/24) quotes: clinical support workers 4.6%, diagnostic radiographers 11%,
# sonographers 6.7%, medical physicists 9% (clinical scientists 9%, technologists 7%, IPEM 2021).
# Consultant radiologists 10% is the Royal College of Radiologists figure the strategy quotes (as in
# national_rates.toml). The rest are this generator's own plausible values (no source): nurses 9%,
# radiology registrars (training posts) 5%, others lower.
VACANCY_TARGETS: dict[str, float] = {
    "support": 0.046,
    "assistant": 0.046,
    "radiographer": 0.11,
    "sonographer": 0.067,
    "scientist": 0.09,
    "technologist": 0.07,
    "nuclear": 0.08,
    "nurse": 0.09,
    "admin": 0.05,
    "digital": 0.06,
    "manager": 0.03,
    "estates": 0.06,
    "radiologist": 0.10,
    "registrar": 0.05,
}


@dataclass(frozen=True)
class RoleSpec:
    """How a reference role shows up in the illustrative trusts' JDs."""

    titles: tuple[str, ...]  # local title templates: {mod} the variant, {band} the band
    duty: str  # summary text; {mod} the variant's wording from MOD_TEXT
    wte: float  # typical establishment of one JD at a size-1.0 trust
    # JE profile shape: clinical, support, scientist, manager, admin, digital, estates; "medical"
    # for roles on medical pay, which get no JE profile
    flavour: str
    vacancy: str  # key of VACANCY_TARGETS
    counts: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)  # JDs per trust, by tier (TIERS)
    only: tuple[str, ...] = ()  # or: exactly one JD at each of these trusts
    variants: tuple[str, ...] = ("",)  # one JD per variant (modality, area), first ones first
    tier_variants: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    band: str = ""  # usual band, "" for the reference role's band_min
    tier_bands: Mapping[str, str] = field(default_factory=dict)
    vacancy_weight: float = 1.0  # relative vacancy within the category
    duties: Mapping[str, str] = field(default_factory=dict)  # a variant's own duty, else duty


MOD_TEXT: dict[str, str] = {
    "Rotational": "general radiography",
    "A&E": "the emergency department",
    "Theatres": "theatres and on mobile lists",
    "Paediatric": "paediatric imaging",
    "CT": "CT",
    "MRI": "MRI",
    "Interventional": "interventional radiology",
    "Fluoroscopy": "fluoroscopy",
    "MSK": "musculoskeletal",
    "Chest": "chest",
    "General": "general",
    "Obstetrics": "obstetric",
    "Vascular": "vascular",
    "Fetal Medicine": "fetal medicine",
}

# A variant leaves out what its reference role lists but its work does not ask for, as an
# imaging professional would read the JD: a CT specialist post does not ask for MRI scanning,
# nor an MRI one for CT; plain-film (MSK, chest) reporting posts do not ask for CT head
# reporting, a separate postgraduate scope. Taken out after every random draw, so no other
# JD changes.
VARIANT_LEAVES_OUT: dict[tuple[str, str], tuple[str, ...]] = {
    ("specialist-radiographer", "CT"): ("mri-scanning", "mr-safety"),
    ("specialist-radiographer", "MRI"): ("ct-scanning",),
    ("specialist-radiographer", "Interventional"): ("mri-scanning", "mr-safety"),
    ("specialist-radiographer", "Fluoroscopy"): ("mri-scanning", "mr-safety"),
    ("reporting-radiographer", "MSK"): ("ct-head-reporting",),
    ("reporting-radiographer", "Chest"): ("ct-head-reporting",),
}

# A variant adds its modality competency where the role's reference list lacks it.
VARIANT_COMPETENCIES: dict[tuple[str, str], tuple[str, ...]] = {
    ("diagnostic-radiographer", "Theatres"): ("theatre-mobile-imaging",),
    ("diagnostic-radiographer", "Paediatric"): ("safeguarding",),
    ("specialist-radiographer", "CT"): ("ct-scanning", "contrast-administration"),
    ("specialist-radiographer", "MRI"): ("mri-scanning", "mr-safety"),
    ("specialist-radiographer", "Interventional"): (
        "interventional-radiology",
        "image-guided-procedures",
    ),
    ("specialist-radiographer", "Fluoroscopy"): ("fluoroscopy",),
    ("sonographer", "Obstetrics"): ("obstetric-ultrasound",),
    ("sonographer", "Vascular"): ("vascular-ultrasound",),
    ("sonographer", "MSK"): ("msk-ultrasound",),
    ("specialist-sonographer", "Obstetrics"): ("obstetric-ultrasound",),
    ("specialist-sonographer", "Fetal Medicine"): (
        "obstetric-ultrasound",
        "communicating-difficult-news",
    ),
    ("consultant-radiologist", "Interventional"): (
        "interventional-radiology",
        "image-guided-procedures",
    ),
    ("consultant-radiologist", "Paediatric"): ("safeguarding",),
    ("consultant-radiologist", "MSK"): ("msk-ultrasound", "image-guided-procedures"),
    ("consultant-radiologist", "Breast"): (
        "image-guided-procedures",
        "communicating-difficult-news",
    ),
}

_L = LARGE
_M = MEDIUM
_S = SMALL
_C = CHILDREN
_O = ORTHO

ROLE_SPECS: dict[str, RoleSpec] = {
    # -- Radiography --
    "imaging-support-worker": RoleSpec(
        titles=(
            "Imaging Support Worker",
            "Imaging Assistant",
            "Radiology Assistant",
            "Imaging Support Worker (Band {band})",
            "Healthcare Support Worker - Imaging",
            "X-Ray Department Assistant",
        ),
        duty="prepares patients and rooms, chaperones and assists radiographers in general X-ray",
        wte=12,
        flavour="support",
        vacancy="support",
        counts=(1, 1, 1, 1, 1),
        band="3",
    ),
    "senior-imaging-support-worker": RoleSpec(
        titles=(
            "Senior Imaging Support Worker",
            "Senior Imaging Assistant",
            "Senior HCSW - Radiology",
            "Imaging Support Worker - Senior (Cannulation)",
        ),
        duty="performs delegated tasks such as cannulation and supervises imaging support workers",
        wte=4,
        flavour="support",
        vacancy="support",
        only=("RRK",),
    ),
    "apprentice-radiographer": RoleSpec(
        titles=(
            "Apprentice Radiographer",
            "Degree Apprentice - Diagnostic Radiography",
            "Student Radiographer (Apprenticeship)",
            "Apprentice Diagnostic Radiographer",
        ),
        duty="trains on the diagnostic radiographer degree apprenticeship in general imaging",
        wte=3,
        flavour="support",
        vacancy="assistant",
        only=("RRK", "RKB", "RJE", "RL4", "RWP", "RXW", "RNA", "RJC"),
    ),
    "assistant-practitioner-radiography": RoleSpec(
        titles=(
            "Assistant Practitioner - Radiography",
            "Assistant Practitioner (Imaging)",
            "Radiography Assistant Practitioner",
            "Assistant Practitioner - Plain Film",
        ),
        duty="performs defined plain-film examinations under a radiographer's supervision",
        wte=4,
        flavour="support",
        vacancy="assistant",
        counts=(1, 1, 0, 0, 1),
    ),
    "diagnostic-radiographer": RoleSpec(
        titles=(
            "Diagnostic Radiographer - {mod}",
            "Radiographer ({mod})",
            "Band {band} Radiographer - {mod}",
            "Radiographer, {mod}",
            "{mod} Radiographer",
            "Diag. Radiographer {mod}",
        ),
        duty="works in {mod}: performs and justifies plain-film, fluoroscopy, theatre and CT"
        " examinations",
        wte=22,
        flavour="clinical",
        vacancy="radiographer",
        counts=(2, 2, 1, 1, 1),
        variants=("Rotational", "A&E", "Theatres"),
        tier_variants={_C: ("Paediatric",), _O: ("Theatres",)},
    ),
    "specialist-radiographer": RoleSpec(
        titles=(
            "Specialist Radiographer - {mod}",
            "Snr Radiographer - {mod}",
            "Band {band} Radiographer ({mod})",
            "Senior {mod} Radiographer",
            "{mod} Specialist Radiographer",
            "Radiographer Specialist ({mod})",
        ),
        duty="enhanced practice in {mod}: performs complex examinations, supervises and trains"
        " radiographers",
        wte=8,
        flavour="clinical",
        vacancy="radiographer",
        counts=(3, 2, 1, 1, 2),
        variants=("CT", "MRI", "Interventional", "Fluoroscopy"),
        tier_variants={_C: ("MRI",), _O: ("MRI", "CT")},
    ),
    "reporting-radiographer": RoleSpec(
        titles=(
            "Reporting Radiographer ({mod})",
            "Reporting Radiographer - {mod}",
            "{mod} Reporting Radiographer",
            "Radiographer, Reporting ({mod})",
            "Advanced Practitioner - {mod} Reporting",
        ),
        duty="reports {mod} plain-film examinations within an agreed scope of practice",
        wte=3,
        flavour="clinical",
        vacancy="radiographer",
        vacancy_weight=0.8,
        counts=(1, 1, 1, 0, 1),
        variants=("MSK", "Chest"),
        tier_variants={_M: ("Chest",)},
    ),
    "advanced-practitioner-radiographer": RoleSpec(
        titles=(
            "Advanced Practitioner Radiographer",
            "Advanced Clinical Practitioner - Radiography",
            "Radiographer - Advanced Practice",
            "ACP Imaging",
        ),
        duty="works at advanced level across clinical practice, leadership, education and research",
        wte=2,
        flavour="clinical",
        vacancy="radiographer",
        vacancy_weight=0.8,
        only=("RRK", "RKB"),
    ),
    "consultant-radiographer": RoleSpec(
        titles=("Consultant Radiographer", "Consultant Practitioner (Radiography)"),
        duty="leads clinical practice, service development, education and research in imaging",
        wte=1,
        flavour="clinical",
        vacancy="radiographer",
        vacancy_weight=0.7,
        counts=(1, 0, 0, 0, 0),
    ),
    "radiography-team-manager": RoleSpec(
        titles=(
            "Radiography Team Leader",
            "Team Manager - Radiography",
            "Radiographer Team Manager",
            "Lead Radiographer - General",
        ),
        duty="leads a site team of radiographers and support staff: rotas, staffing, quality and"
        " safety",
        wte=2.5,
        flavour="manager",
        vacancy="radiographer",
        vacancy_weight=0.7,
        counts=(1, 1, 1, 0, 0),
    ),
    "principal-radiographer": RoleSpec(
        titles=(
            "Principal Radiographer",
            "Superintendent Radiographer",
            "Superintendent Radiographer II",
            "Principal Radiographer - Site Lead",
        ),
        duty="leads radiography across the department and its sites",
        wte=1.5,
        flavour="manager",
        vacancy="radiographer",
        vacancy_weight=0.7,
        counts=(1, 1, 1, 0, 0),
        tier_bands={_L: "8a", _M: "7"},
    ),
    "mammography-associate": RoleSpec(
        titles=(
            "Mammography Associate",
            "Mammography Associate Practitioner",
            "Assistant Practitioner - Breast Screening",
        ),
        duty="performs screening mammograms under a mammographer's supervision",
        wte=3,
        flavour="support",
        vacancy="assistant",
        only=("RRK",),
    ),
    "mammographer": RoleSpec(
        titles=(
            "Mammographer",
            "Breast Screening Radiographer",
            "Mammographer (Screening & Symptomatic)",
            "Band {band} Mammographer",
        ),
        duty="performs screening and symptomatic mammography for the breast screening programme",
        wte=5,
        flavour="clinical",
        vacancy="radiographer",
        vacancy_weight=1.2,
        counts=(1, 1, 1, 0, 0),
    ),
    "practice-educator": RoleSpec(
        titles=(
            "Practice Educator (Imaging)",
            "Clinical Practice Educator - Radiology",
            "Practice Placement Educator",
            "Imaging Education Lead",
        ),
        duty="supports learners on placement and preceptees and runs competency sign-off",
        wte=1,
        flavour="clinical",
        vacancy="radiographer",
        vacancy_weight=0.8,
        counts=(1, 1, 1, 1, 0),
        tier_bands={_L: "7", _M: "6", _C: "6"},
    ),
    # -- Sonography --
    "ultrasound-support-worker": RoleSpec(
        titles=(
            "Ultrasound Support Worker",
            "Ultrasound Assistant",
            "Healthcare Assistant - Ultrasound",
            "US Clinic Support Worker",
        ),
        duty="prepares ultrasound rooms and patients, chaperones and keeps clinics running",
        wte=4,
        flavour="support",
        vacancy="support",
        counts=(1, 1, 1, 1, 0),
        band="2",
    ),
    "trainee-sonographer": RoleSpec(
        titles=(
            "Trainee Sonographer",
            "Trainee Sonographer (PgCert)",
            "Student Sonographer",
            "Sonographer in Training",
        ),
        duty="trains on a CASE-accredited ultrasound programme under supervision",
        wte=2,
        flavour="clinical",
        vacancy="sonographer",
        vacancy_weight=0.5,
        counts=(1, 1, 0, 0, 0),
        tier_bands={_L: "6", _M: "5"},
    ),
    "sonographer": RoleSpec(
        titles=(
            "Sonographer - {mod}",
            "Sonographer ({mod})",
            "{mod} Sonographer",
            "Band {band} Sonographer - {mod}",
            "Ultrasound Practitioner - {mod}",
        ),
        duty="performs and reports {mod} ultrasound examinations independently",
        wte=9,
        flavour="clinical",
        vacancy="sonographer",
        vacancy_weight=1.1,
        counts=(2, 2, 1, 1, 1),
        variants=("General", "Obstetrics", "Vascular"),
        tier_variants={_C: ("Obstetrics",), _O: ("MSK",)},
        band="7",
    ),
    "specialist-sonographer": RoleSpec(
        titles=(
            "Specialist Sonographer - {mod}",
            "Senior Sonographer ({mod})",
            "{mod} Specialist Sonographer",
        ),
        duty="enhanced practice in {mod} ultrasound; leads training and audit",
        wte=3,
        flavour="clinical",
        vacancy="sonographer",
        counts=(1, 0, 0, 1, 0),
        variants=("Obstetrics",),
        tier_variants={_C: ("Fetal Medicine",)},
    ),
    "advanced-sonographer": RoleSpec(
        titles=(
            "Advanced Practitioner Sonographer",
            "Advanced Sonographer",
            "Sonographer - Advanced Practice",
        ),
        duty="advanced practice in ultrasound, including guided procedures and complex reporting",
        wte=1.5,
        flavour="clinical",
        vacancy="sonographer",
        counts=(1, 0, 0, 0, 0),
    ),
    "consultant-sonographer": RoleSpec(
        titles=("Consultant Sonographer", "Consultant Sonographer - Service Lead"),
        duty="leads the ultrasound service, complex diagnostics, education and research",
        wte=1,
        flavour="clinical",
        vacancy="sonographer",
        only=("RKB", "RJE"),
    ),
    # -- Medical physics --
    "healthcare-science-assistant": RoleSpec(
        titles=(
            "Healthcare Science Assistant - Medical Physics",
            "Medical Physics Assistant",
            "Healthcare Science Assistant (Radiation Physics)",
        ),
        duty="supports quality assurance of imaging equipment and radiation protection tasks",
        wte=2,
        flavour="scientist",
        vacancy="technologist",
        only=("RJE",),
        band="3",
    ),
    "healthcare-science-associate": RoleSpec(
        titles=(
            "Healthcare Science Associate",
            "Medical Physics Technician",
            "Associate Practitioner - Imaging Physics",
        ),
        duty="performs routine equipment testing and dosimetry under supervision",
        wte=2,
        flavour="scientist",
        vacancy="technologist",
        only=("RRK",),
    ),
    "clinical-technologist": RoleSpec(
        titles=(
            "Clinical Technologist - Medical Physics",
            "Clinical Technologist (Radiation Protection)",
            "Medical Physics Technologist",
            "Clinical Technologist - Imaging",
        ),
        duty="carries out equipment QA and radiation protection surveys",
        wte=3,
        flavour="scientist",
        vacancy="technologist",
        counts=(1, 0, 0, 0, 0),
        band="6",
    ),
    "trainee-clinical-scientist": RoleSpec(
        titles=("Trainee Clinical Scientist (STP)", "STP Trainee - Medical Physics"),
        duty="trains on the Scientist Training Programme in imaging physics",
        wte=2,
        flavour="scientist",
        vacancy="scientist",
        only=("RRK", "RJE"),
    ),
    "clinical-scientist": RoleSpec(
        titles=(
            "Clinical Scientist (Medical Physics)",
            "Clinical Scientist - Imaging Physics",
            "Clinical Scientist - Radiation Protection",
            "Medical Physicist",
        ),
        duty="advises on optimisation, dosimetry, commissioning and radiation safety",
        wte=4,
        flavour="scientist",
        vacancy="scientist",
        counts=(1, 0, 0, 1, 0),
    ),
    "principal-clinical-scientist": RoleSpec(
        titles=(
            "Principal Clinical Scientist",
            "Principal Physicist - Diagnostic Radiology",
            "Principal Clinical Scientist (MPE)",
        ),
        duty="leads the imaging physics section and acts as medical physics expert",
        wte=1.5,
        flavour="scientist",
        vacancy="scientist",
        counts=(1, 0, 0, 0, 0),
    ),
    "consultant-clinical-scientist": RoleSpec(
        titles=("Consultant Clinical Scientist", "Head of Imaging Physics"),
        duty="provides consultant-level scientific leadership for imaging physics",
        wte=1,
        flavour="scientist",
        vacancy="scientist",
        only=("RRK",),
    ),
    "radiation-protection-adviser": RoleSpec(
        titles=("Radiation Protection Adviser", "RPA / Principal Physicist"),
        duty="advises the trust on compliance with the Ionising Radiations Regulations",
        wte=1,
        flavour="scientist",
        vacancy="scientist",
        only=("RRK", "RJE"),
    ),
    "mr-safety-expert": RoleSpec(
        titles=("MR Safety Expert", "MRSE - Medical Physics"),
        duty="advises on MR safety, implants and scanning conditions",
        wte=1,
        flavour="scientist",
        vacancy="scientist",
        only=("RKB", "RJE"),
    ),
    # -- Nuclear medicine --
    "nuclear-medicine-practitioner": RoleSpec(
        titles=(
            "Nuclear Medicine Practitioner",
            "Nuclear Medicine Radiographer",
            "Nuclear Medicine Technologist",
            "PET-CT Practitioner",
        ),
        duty="performs nuclear medicine and PET-CT imaging and administers radiopharmaceuticals",
        wte=4,
        flavour="clinical",
        vacancy="nuclear",
        counts=(1, 1, 0, 1, 0),
        band="6",
        tier_bands={_C: "5"},
    ),
    "advanced-nuclear-medicine-practitioner": RoleSpec(
        titles=("Advanced Practitioner - Nuclear Medicine", "Lead Nuclear Medicine Practitioner"),
        duty="protocols and reports within scope and develops the nuclear medicine service",
        wte=1,
        flavour="clinical",
        vacancy="nuclear",
        only=("RRK",),
    ),
    # -- Radiology nursing --
    "radiology-healthcare-assistant": RoleSpec(
        titles=(
            "Radiology Healthcare Assistant",
            "HCA - Interventional Radiology",
            "Healthcare Assistant (Radiology)",
            "Clinical Support Worker - IR",
        ),
        duty="supports nurses in interventional radiology with observations, preparation and"
        " recovery",
        wte=4,
        flavour="support",
        vacancy="support",
        counts=(1, 1, 1, 0, 0),
        band="3",
    ),
    "nursing-associate": RoleSpec(
        titles=("Nursing Associate - Radiology", "Registered Nursing Associate (Imaging)"),
        duty="delivers nursing care on imaging and interventional radiology lists",
        wte=2,
        flavour="clinical",
        vacancy="nurse",
        only=("RJE",),
    ),
    "radiology-nurse": RoleSpec(
        titles=(
            "Radiology Nurse",
            "Staff Nurse - Interventional Radiology",
            "Staff Nurse (Imaging)",
            "Registered Nurse - Radiology Day Case",
        ),
        duty="provides sedation, recovery, cannulation and contrast-reaction care in imaging",
        wte=5,
        flavour="clinical",
        vacancy="nurse",
        counts=(1, 1, 0, 1, 0),
    ),
    "senior-radiology-nurse": RoleSpec(
        titles=(
            "Senior Radiology Nurse",
            "Sister/Charge Nurse - Radiology",
            "Charge Nurse - IR",
        ),
        duty="leads the nursing team in interventional radiology",
        wte=2,
        flavour="clinical",
        vacancy="nurse",
        counts=(1, 1, 0, 0, 0),
    ),
    "advanced-nurse-practitioner": RoleSpec(
        titles=("Advanced Nurse Practitioner - Radiology", "ANP (Interventional Radiology)"),
        duty="runs nurse-led clinics, takes consent and performs procedures within scope",
        wte=1,
        flavour="clinical",
        vacancy="nurse",
        only=("RRK", "RKB"),
    ),
    "radiology-nurse-manager": RoleSpec(
        titles=("Radiology Nurse Manager", "Lead Nurse - Imaging"),
        duty="manages radiology nursing across the department",
        wte=1,
        flavour="manager",
        vacancy="nurse",
        only=("RRK",),
    ),
    # -- Administrative and clerical --
    "imaging-receptionist": RoleSpec(
        titles=(
            "Imaging Receptionist",
            "Receptionist - X-Ray",
            "Radiology Receptionist",
            "Admin Assistant / Receptionist (Imaging)",
        ),
        duty="greets and books in patients and manages enquiries at imaging reception",
        wte=6,
        flavour="admin",
        vacancy="admin",
        counts=(1, 1, 1, 0, 0),
    ),
    "imaging-booking-coordinator": RoleSpec(
        titles=(
            "Imaging Booking Coordinator",
            "Appointments Clerk - Radiology",
            "Booking Clerk (MRI/CT)",
            "Radiology Scheduler",
        ),
        duty="schedules examinations against referral priorities and waiting-time standards",
        wte=5,
        flavour="admin",
        vacancy="admin",
        counts=(1, 1, 1, 0, 1),
    ),
    "patient-pathway-tracker": RoleSpec(
        titles=(
            "Patient Pathway Tracker",
            "Cancer Pathway Tracker - Imaging",
            "Diagnostics Pathway Coordinator",
        ),
        duty="tracks patients' imaging pathways against cancer and diagnostic targets",
        wte=2,
        flavour="admin",
        vacancy="admin",
        only=("RRK", "RKB"),
        band="4",
    ),
    "clinical-coder": RoleSpec(
        titles=("Clinical Coder", "Clinical Coder - Radiology Activity"),
        duty="codes imaging activity for commissioning and national data returns",
        wte=1,
        flavour="admin",
        vacancy="admin",
        only=("RWP",),
    ),
    "imaging-admin-manager": RoleSpec(
        titles=(
            "Imaging Administration Manager",
            "Radiology Admin Manager",
            "Imaging Support Services Manager",
        ),
        duty="manages the imaging reception, booking and secretarial teams",
        wte=1,
        flavour="manager",
        vacancy="admin",
        only=("RRK", "RKB"),
        band="6",
    ),
    # -- Digital and PACS --
    "pacs-support-officer": RoleSpec(
        titles=("PACS Support Officer", "PACS/RIS Support Analyst", "Imaging IT Support Officer"),
        duty="gives first-line PACS and RIS support: accounts, image moves and study merges",
        wte=2,
        flavour="digital",
        vacancy="digital",
        only=("RRK",),
    ),
    "pacs-administrator": RoleSpec(
        titles=(
            "PACS Administrator",
            "RIS/PACS Administrator",
            "PACS & RIS System Administrator",
            "Imaging Systems Administrator",
        ),
        duty="administers PACS and RIS: configuration, integration, data quality and suppliers",
        wte=1.5,
        flavour="digital",
        vacancy="digital",
        only=("RRK", "RKB", "RJE", "RL4", "RWP", "RXW"),
    ),
    "pacs-manager": RoleSpec(
        titles=("PACS Manager", "Imaging Informatics Manager", "PACS/RIS Lead"),
        duty="leads imaging informatics, image sharing across the network and business continuity",
        wte=1,
        flavour="digital",
        vacancy="digital",
        counts=(1, 0, 0, 0, 0),
    ),
    # -- Service management --
    "imaging-operations-manager": RoleSpec(
        titles=(
            "Imaging Operations Manager",
            "Radiology Operational Manager",
            "Service Manager - Imaging Operations",
            "Deputy Imaging Services Manager",
        ),
        duty="runs day-to-day imaging operations: capacity, demand and staffing",
        wte=1,
        flavour="manager",
        vacancy="manager",
        counts=(1, 1, 0, 0, 0),
        tier_bands={_L: "8a", _M: "7"},
    ),
    "imaging-services-manager": RoleSpec(
        titles=(
            "Imaging Services Manager",
            "Head of Imaging",
            "Radiology Services Manager",
            "Directorate Manager - Imaging",
        ),
        duty="leads the trust's imaging service: budget, workforce, strategy and governance",
        wte=1,
        flavour="manager",
        vacancy="manager",
        counts=(1, 1, 1, 1, 1),
        tier_bands={_L: "8c", _M: "8b", _S: "8a", _C: "8a", _O: "8a"},
    ),
    # -- Estates and facilities --
    "imaging-porter": RoleSpec(
        titles=("Imaging Porter", "Porter - X-Ray", "Radiology Porter"),
        duty="moves patients and equipment to and from imaging",
        wte=4,
        flavour="estates",
        vacancy="estates",
        only=("RRK",),
    ),
    "domestic-assistant": RoleSpec(
        titles=("Domestic Assistant (Imaging)", "Domestic - Radiology"),
        duty="cleans imaging rooms to infection-prevention standards",
        wte=2,
        flavour="estates",
        vacancy="estates",
        only=("RRK",),
    ),
}

# Roles on medical and dental pay (radiologists): their JDs carry no AfC band and no JE levels.
# They are drawn after the AfC posts, from a random stream of their own, so that adding them left
# every AfC JD (reference, title, WTE, competencies, JE levels) exactly as it was before.
MEDICAL_SPECS: dict[str, RoleSpec] = {
    "consultant-radiologist": RoleSpec(
        titles=(
            "Consultant Radiologist",
            "Consultant in Clinical Radiology",
            "Consultant Radiologist (General)",
            "Consultant Radiologist - {mod}",
            "Consultant {mod} Radiologist",
            "Consultant Radiologist ({mod})",
        ),
        duty="reports plain-film and cross-sectional imaging, protocols examinations, takes part in"
        " multidisciplinary team meetings and supervises trainees",
        duties={
            "Neuro": "reports neuroradiology CT and MRI, supports the stroke pathway and leads the"
            " neuro-oncology multidisciplinary team meeting",
            "Interventional": "performs vascular and non-vascular image-guided procedures and"
            " runs the interventional radiology lists",
            "MSK": "reports musculoskeletal MRI and ultrasound and performs image-guided"
            " injections and biopsies",
            "Breast": "reads screening mammograms, reports symptomatic breast imaging and performs"
            " image-guided breast biopsies",
            "Paediatric": "reports children's imaging, performs paediatric ultrasound and"
            " fluoroscopy and advises on safeguarding imaging",
        },
        wte=10,
        flavour="medical",
        vacancy="radiologist",
        counts=(5, 3, 2, 2, 1),
        variants=("", "Neuro", "Interventional", "MSK", "Breast"),
        tier_variants={
            _M: ("", "Interventional", "Breast"),
            _S: ("", "Breast"),
            _C: ("Paediatric", "Interventional"),
            _O: ("MSK",),
        },
    ),
    "radiology-registrar": RoleSpec(
        titles=(
            "StR Radiology",
            "Specialty Registrar (Clinical Radiology)",
            "Radiology Registrar",
            "Specialty Registrar - Clinical Radiology",
        ),
        duty="trains in clinical radiology: reports and protocols under consultant supervision and"
        " joins the on-call rota",
        wte=8,
        flavour="medical",
        vacancy="registrar",
        only=("RRK", "RKB", "RJE", "RL4"),
    ),
}


def _spec(role_id: str) -> RoleSpec:
    """The spec of an AfC or a medical role."""
    return ROLE_SPECS[role_id] if role_id in ROLE_SPECS else MEDICAL_SPECS[role_id]


# ---- The built-in variation ---------------------------------------------------------------------

# Pay beyond the band, (role, trust) -> the pay fields of every such JD there. ILLUSTRATIVE, not
# any trust's real pay: made up to ring true where shortages bite (ultrasound, reporting), and to
# show each of the pay variation flags. Amounts are plausible, not sourced.
PAY_ELEMENTS: dict[tuple[str, str], dict[str, Any]] = {
    # A percentage premium, reviewed each March (a premium others do not pay, and over 5%).
    ("sonographer", "RRK"): {
        "rrp": "10%",
        "rrp_until": "2027-03-31",
        "pay_note": "Illustrative: ultrasound recruitment and retention premium",
    },
    # A fixed premium whose review date has passed without a review.
    ("sonographer", "RKB"): {
        "rrp": 3000,
        "rrp_until": "2026-09-30",
        "pay_note": "Illustrative: obstetric ultrasound premium, review overdue",
    },
    # Smaller, newer premium with a review date ahead.
    ("sonographer", "RWP"): {
        "rrp": "5%",
        "rrp_until": "2027-09-30",
        "pay_note": "Illustrative: premium agreed with staff side for two years",
    },
    # New starters appointed at the intermediate point to compete with neighbours.
    ("sonographer", "RJE"): {"appointment_point": "intermediate"},
    # A flat premium for reporting radiographers, with no review date set.
    ("reporting-radiographer", "RXK"): {
        "rrp": 1500,
        "pay_note": "Illustrative: reporting premium, no review date recorded",
    },
    # A local supplement for extended-day reporting lists.
    ("reporting-radiographer", "RL4"): {
        "supplement": 2000,
        "pay_note": "Illustrative: supplement for evening and weekend reporting lists",
    },
}

# Trusts that band the same role differently: (role, trust) or (role, trust, variant) -> band.
BAND_OVERRIDES: dict[tuple[str, ...], str] = {
    # Imaging support workers: Band 2 at five trusts, Band 3 at the other ten (the 2021-24
    # re-banding of healthcare assistants reached some trusts and not others).
    ("imaging-support-worker", "RXK"): "2",
    ("imaging-support-worker", "RBK"): "2",
    ("imaging-support-worker", "RLT"): "2",
    ("imaging-support-worker", "RLQ"): "2",
    ("imaging-support-worker", "RL1"): "2",
    # Radiology healthcare assistants: Band 2 at four trusts, Band 3 at eight.
    ("radiology-healthcare-assistant", "RXK"): "2",
    ("radiology-healthcare-assistant", "RNA"): "2",
    ("radiology-healthcare-assistant", "RJC"): "2",
    ("radiology-healthcare-assistant", "RLT"): "2",
    # Sonographers: Band 6 at four trusts (six JDs), Band 7 elsewhere.
    ("sonographer", "RNA"): "6",
    ("sonographer", "RXW"): "6",
    ("sonographer", "RJC"): "6",
    ("sonographer", "RLQ"): "6",
    # Reporting radiographers at Band 6 in two trusts, 7 elsewhere (outside the reference range).
    ("reporting-radiographer", "RLT"): "6",
    ("reporting-radiographer", "RBK"): "6",
    # A specialist (MRI) radiographer at Band 7 in one trust (outside the reference range).
    ("specialist-radiographer", "RJE", "MRI"): "7",
    # A theatres radiographer banded 6 at one trust (outside the reference range).
    ("diagnostic-radiographer", "RRJ", "Theatres"): "6",
    # An imaging services manager at 8d (outside the reference range 8a-8c).
    ("imaging-services-manager", "RRK"): "8d",
    # Apprentice radiographers: Band 3 at four trusts, Band 4 at four: a tie, no modal band.
    ("apprentice-radiographer", "RRK"): "3",
    ("apprentice-radiographer", "RJE"): "3",
    ("apprentice-radiographer", "RWP"): "3",
    ("apprentice-radiographer", "RNA"): "3",
    ("apprentice-radiographer", "RKB"): "4",
    ("apprentice-radiographer", "RL4"): "4",
    ("apprentice-radiographer", "RXW"): "4",
    ("apprentice-radiographer", "RJC"): "4",
    # Smaller spreads within the reference ranges.
    ("nuclear-medicine-practitioner", "RXK"): "5",
    ("imaging-receptionist", "RRK"): "3",
    ("imaging-receptionist", "RKB"): "3",
    ("imaging-booking-coordinator", "RRK"): "4",
    ("pacs-administrator", "RRK"): "7",
    ("pacs-administrator", "RKB"): "7",
    ("pacs-manager", "RRK"): "8a",
    ("advanced-sonographer", "RRK"): "8a",
    ("consultant-radiographer", "RRK"): "8b",
    ("principal-clinical-scientist", "RRK"): "8b",
    ("principal-clinical-scientist", "RJE"): "8b",
    ("clinical-technologist", "RKB"): "5",
    ("consultant-clinical-scientist", "RRK"): "8c",
}

# Fixed local titles, to be sure the messy ones the app must cope with are there.
TITLE_OVERRIDES: dict[tuple[str, str, str], str] = {
    ("RRK", "specialist-radiographer", "CT"): "Snr Radiographer - CT",
    ("RXK", "specialist-radiographer", "MRI"): "Band 6 Radiographer (MRI)",
    ("RJE", "specialist-radiographer", "MRI"): "Specialist Radiographer - MRI (Band 7)",
    ("RJC", "imaging-support-worker", ""): "Imaging Assistant",
    ("RWP", "imaging-support-worker", ""): "Radiology Department Assistant",
    ("RKB", "senior-radiology-nurse", ""): "Interventional Radiology Sister",
    ("RRJ", "reporting-radiographer", "MSK"): "Reporting Radiographer (MSK)",
    ("RL4", "sonographer", "Obstetrics"): "Sonographer - Obstetrics",
    # Square brackets that Rich would read as markup: the app must show them literally.
    ("RNA", "diagnostic-radiographer", "A&E"): "Radiographer [Band 5] - A&E",
    # Radiologists: to be sure these local titles are among them.
    ("RRK", "consultant-radiologist", "Neuro"): "Consultant Radiologist - Neuro",
    ("RKB", "consultant-radiologist", "Interventional"): "Consultant Interventional Radiologist",
    ("RQ3", "consultant-radiologist", "Paediatric"): "Consultant Paediatric Radiologist",
    ("RXK", "consultant-radiologist", ""): "Consultant Radiologist",
    ("RJE", "radiology-registrar", ""): "StR Radiology",
    ("RKB", "radiology-registrar", ""): "Specialty Registrar (Clinical Radiology)",
}

SUMMARY_OVERRIDES: dict[tuple[str, str, str], str] = {
    ("RXW", "radiology-nurse", ""): (
        "Provides sedation, recovery and day-case care on interventional radiology lists."
        " Text kept from the old template: [bold]must[/bold] hold current NMC registration."
    ),
}

# Extra and missing posts, beyond each tier's pattern.
ADDITIONS: tuple[tuple[str, str], ...] = (
    ("RL4", "consultant-radiographer"),
    ("RXW", "advanced-sonographer"),
    ("RL1", "pacs-administrator"),
)
OMISSIONS: frozenset[tuple[str, str]] = frozenset(
    {
        ("RXK", "practice-educator"),
        ("RNA", "senior-radiology-nurse"),
        ("RLQ", "imaging-receptionist"),
    }
)


@dataclass(frozen=True)
class Unmapped:
    """A JD left with role "": its messy title is for the matcher to place."""

    trust: str
    title: str
    band: str
    basis: str  # the reference role its duties, competencies and establishment follow
    intended: str  # the role a person would map it to, "" if no reference role fits
    summary: str


UNMAPPED: tuple[Unmapped, ...] = (
    Unmapped(
        "RXK",
        "Rad Dept Asst",
        "2",
        "imaging-support-worker",
        "imaging-support-worker",
        "Assists radiographers in general X-ray and prepares patients for examinations.",
    ),
    Unmapped(
        "RLT",
        "AP Radiography",
        "4",
        "assistant-practitioner-radiography",
        "assistant-practitioner-radiography",
        "Performs chest and limb X-rays within a set scope, supervised by a radiographer.",
    ),
    Unmapped(
        "RBK",
        "CSW Imaging",
        "3",
        "senior-imaging-support-worker",
        "senior-imaging-support-worker",
        "Clinical support worker in imaging: cannulation, patient care, supervising HCAs.",
    ),
    Unmapped(
        "RRK",
        "Clinical Scientist - Diagnostic Radiology",
        "7",
        "clinical-scientist",
        "clinical-scientist",
        "Optimisation and dose audit for CT and interventional radiology.",
    ),
    Unmapped(
        "RJE",
        "Superintendent Radiographer - Plain Film",
        "7",
        "principal-radiographer",
        "principal-radiographer",
        "Runs plain-film radiography across the main site and two community hospitals.",
    ),
    Unmapped(
        "RL4",
        "Lead Sonographer (Obs & Gynae)",
        "7",
        "specialist-sonographer",
        "specialist-sonographer",
        "Leads obstetric and gynaecological ultrasound lists and trains sonographers.",
    ),
    Unmapped(
        "RKB",
        "Imaging HCA - IR",
        "3",
        "radiology-healthcare-assistant",
        "radiology-healthcare-assistant",
        "Supports the IR nursing team with observations and recovery.",
    ),
    Unmapped(
        "RWP",
        "Breast Imaging Practitioner",
        "4",
        "mammography-associate",
        "mammography-associate",
        "Performs screening mammograms in the breast screening unit, supervised.",
    ),
    Unmapped(
        "RXW",
        "US Clinic Asst",
        "2",
        "ultrasound-support-worker",
        "ultrasound-support-worker",
        "Chaperones and prepares patients in ultrasound clinics.",
    ),
    Unmapped(
        "RJC",
        "MR Safety Lead",
        "8a",
        "mr-safety-expert",
        "mr-safety-expert",
        "Advises on MR safety, implant checks and scanning conditions for the MRI unit.",
    ),
    Unmapped(
        "RQ3",
        "Paediatric Radiographer Band 6",
        "6",
        "specialist-radiographer",
        "specialist-radiographer",
        "Senior radiographer for children's CT and fluoroscopy; supervises juniors.",
    ),
    Unmapped(
        "RRJ",
        "MSK Imaging Practitioner (Reporting)",
        "7",
        "reporting-radiographer",
        "reporting-radiographer",
        "Reports musculoskeletal plain films from orthopaedic clinics.",
    ),
    Unmapped(
        "RL1",
        "Theatre Radiographer",
        "5",
        "diagnostic-radiographer",
        "diagnostic-radiographer",
        "Image intensifier work in orthopaedic theatres and general X-ray.",
    ),
    Unmapped(
        "RLQ",
        "Radiology Secretary / Typist",
        "3",
        "imaging-booking-coordinator",
        "",
        "Types radiology reports and manages radiologists' correspondence.",
    ),
    Unmapped(
        "RKB",
        "Imaging Dept Porter/Helper",
        "2",
        "imaging-porter",
        "imaging-porter",
        "Moves patients and equipment between wards and imaging.",
    ),
    Unmapped(
        "RJE",
        "Band 7 Advanced Practitioner - CT Head Reporting",
        "7",
        "reporting-radiographer",
        "reporting-radiographer",
        "Reports CT head examinations within an agreed scope; trains other reporters.",
    ),
    Unmapped(
        "RNA",
        "PACS/RIS Analyst",
        "6",
        "pacs-administrator",
        "pacs-administrator",
        "Configures PACS and RIS, fixes integration errors and audits data quality.",
    ),
)


def intended_matches() -> dict[tuple[str, str], str]:
    """(trust, title) of each unmapped JD -> the role a person would map it to ("" for none)."""
    return {(u.trust, u.title): u.intended for u in UNMAPPED}


EXTRAS_ALL = (
    "Works across two hospital sites.",
    "Supports the community diagnostic centre.",
    "Fixed-term post, funded to March 2026.",
    "Includes late and weekend sessions.",
    "Covers outpatient and inpatient lists.",
)
EXTRAS_CLINICAL = (
    "Participates in the on-call rota.",
    "Supervises students on placement.",
    "Part of the seven-day service.",
    "Supports preceptorship of newly qualified staff.",
)
EXTRAS_MEDICAL = (
    "Participates in the on-call rota.",
    "Teaches medical students and junior doctors.",
    "Reports for more than one hospital site.",
    "Includes time for audit, teaching and appraisal.",
)

# ---- Job evaluation profiles ---------------------------------------------------------------------

# Starting factor levels (1-based, factor 1 first) for a post in each band; the generator then
# moves single factors up or down until the score lands where it wants.
JE_BASELINES: dict[str, tuple[int, ...]] = {
    "1": (1, 1, 1, 1, 2, 2, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2),
    "2": (2, 2, 2, 1, 2, 3, 1, 1, 1, 1, 1, 1, 3, 2, 2, 3),
    "3": (3, 2, 2, 2, 2, 3, 1, 2, 1, 1, 1, 2, 3, 2, 2, 3),
    "4": (3, 3, 2, 2, 3, 4, 1, 2, 2, 1, 1, 2, 3, 3, 2, 3),
    "5": (4, 5, 3, 2, 3, 5, 1, 2, 2, 1, 1, 3, 3, 3, 3, 3),
    "6": (4, 6, 3, 3, 3, 5, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3),
    "7": (4, 6, 4, 3, 3, 6, 2, 2, 3, 2, 2, 4, 3, 4, 3, 3),
    "8a": (5, 7, 4, 4, 3, 6, 3, 3, 3, 2, 2, 4, 2, 4, 3, 2),
    "8b": (5, 7, 4, 4, 2, 6, 3, 3, 4, 3, 3, 5, 2, 4, 3, 2),
    "8c": (5, 8, 5, 4, 2, 5, 4, 4, 4, 3, 3, 5, 2, 4, 3, 2),
    "8d": (6, 8, 5, 5, 2, 5, 5, 4, 5, 3, 3, 5, 2, 5, 3, 2),
    "9": (6, 8, 5, 5, 2, 5, 5, 5, 5, 3, 4, 6, 2, 5, 3, 2),
}
# Shape by kind of post: level shifts (factor number -> change) and the factors moved first.
JE_SHIFTS: dict[str, dict[int, int]] = {
    "clinical": {5: 1, 6: 1},
    "support": {13: 1, 6: 1},
    "scientist": {3: 1, 11: 1, 5: -1, 6: -2},
    "manager": {7: 1, 8: 1, 9: 1, 5: -1, 6: -2},
    "admin": {10: 1, 5: -1, 6: -2, 13: -1},
    "digital": {10: 2, 5: -1, 6: -3},
    "estates": {13: 2, 16: 1, 6: -1},
}
JE_PREFERRED: dict[str, tuple[int, ...]] = {
    "clinical": (2, 3, 6, 12),
    "support": (1, 6, 13, 14),
    "scientist": (2, 3, 10, 11),
    "manager": (7, 8, 9, 12),
    "admin": (1, 4, 10),
    "digital": (3, 4, 10),
    "estates": (13, 16, 1),
}
JE_SHARE = 0.25  # share of JDs that carry JE factor levels
JE_MARGIN = 8  # ordinary JE scores stay at least this far inside their band's range
JE_DISAGREE_UP = 3  # JDs (per copy) whose JE score says one band higher than their band
JE_DISAGREE_DOWN = 3  # ... one band lower
JE_NEAR_EDGE = 2  # JDs whose JE score is inside their band but within 4 points of its edge
JE_POOL = 6  # after the first copy, JE profiles are reused from a pool of this size per kind

# ---- Loading the reference data ------------------------------------------------------------------


@dataclass(frozen=True)
class Post:
    """One JD to write at a trust, before the random parts are drawn."""

    role: str  # reference role id, "" if unmapped
    basis: str  # the role its duties, competencies, establishment and vacancy follow
    variant: str
    band: str
    title: str = ""  # fixed title, else drawn from the role's templates
    summary: str = ""  # fixed summary, else built from the role's duty


@dataclass
class _Data:
    trusts: list[str]
    roles: dict[str, dict[str, Any]]
    bands: dict[str, tuple[int, int]]
    band_codes: list[str]
    factors: list[list[int]]
    competency_ids: list[str]
    role_competencies: dict[str, dict[str, int]]
    plan: dict[str, list[Post]] = field(default_factory=dict)
    # Posts on medical pay, drawn apart from the AfC plan: see MEDICAL_SPECS.
    medical_plan: dict[str, list[Post]] = field(default_factory=dict)
    pools: dict[str, list[str]] = field(default_factory=dict)


def _read_toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def _load(data_dir: Path) -> _Data:
    organisations = _read_toml(data_dir / "organisations.toml")
    roles = {r["id"]: r for r in _read_toml(data_dir / "roles.toml")["role"]}
    band_rows = _read_toml(data_dir / "bands.toml")["band"]
    bands = {str(b["code"]): (int(b["je_min"]), int(b["je_max"])) for b in band_rows}
    factors = sorted(_read_toml(data_dir / "je_scheme.toml")["factor"], key=lambda f: f["number"])
    if [f["number"] for f in factors] != list(range(1, 17)):
        raise ValueError("je_scheme.toml must define factors 1 to 16")
    competency_ids: list[str] = []
    competencies_file = data_dir / "competencies.toml"
    if competencies_file.exists():
        competency_ids = [c["id"] for c in _read_toml(competencies_file).get("competency", [])]
    role_competencies: dict[str, dict[str, int]] = {}
    role_competencies_file = data_dir / "role_competencies.toml"
    if role_competencies_file.exists():
        for role_id, table in _read_toml(role_competencies_file).items():
            if isinstance(table, dict):
                role_competencies[role_id] = {str(k): int(v) for k, v in table.items()}
    known = set(competency_ids)
    for table in role_competencies.values():
        for comp in list(table):
            if known and comp not in known:
                del table[comp]  # keep the output valid even if the two files disagree
    data = _Data(
        trusts=[t["code"] for t in organisations["trust"]],
        roles=roles,
        bands=bands,
        band_codes=[str(b["code"]) for b in band_rows],
        factors=[list(f["points"]) for f in factors],
        competency_ids=competency_ids,
        role_competencies=role_competencies,
    )
    _check_specs(data)
    data.plan = {trust: _plan_trust(data, trust) for trust in data.trusts}
    data.medical_plan = {trust: _plan_roles(data, trust, MEDICAL_SPECS) for trust in data.trusts}
    data.pools = _competency_pools(data)
    return data


def _check_specs(data: _Data) -> None:
    for role_id in ROLE_SPECS:
        if role_id not in data.roles:
            raise ValueError(f"ROLE_SPECS names role {role_id!r}, not in roles.toml")
        if _on_medical_pay(data, role_id):
            raise ValueError(f"{role_id!r} is on medical pay: list it in MEDICAL_SPECS")
    for role_id, spec in MEDICAL_SPECS.items():
        if role_id not in data.roles or not _on_medical_pay(data, role_id):
            raise ValueError(f"MEDICAL_SPECS names {role_id!r}, not a medical role in roles.toml")
        if spec.band or spec.tier_bands or any(key[0] == role_id for key in BAND_OVERRIDES):
            raise ValueError(f"{role_id!r} is on medical pay: it must have no band")
    for key, band in BAND_OVERRIDES.items():
        if key[0] not in data.roles or band not in data.bands:
            raise ValueError(f"BAND_OVERRIDES entry {key} -> {band!r} is not valid")
    for u in UNMAPPED:
        if u.basis not in data.roles or (u.intended and u.intended not in data.roles):
            raise ValueError(f"unmapped JD {u.title!r} names an unknown role")
        if u.band not in data.bands:
            raise ValueError(f"unmapped JD {u.title!r} has band {u.band!r}")
    for spec in ROLE_SPECS.values():
        if spec.band and spec.band not in data.bands:
            raise ValueError(f"unknown band {spec.band!r} in ROLE_SPECS")


def _on_medical_pay(data: _Data, role_id: str) -> bool:
    return data.roles[role_id].get("pay_system") == "medical"


def _band_for(data: _Data, role_id: str, trust: str, tier: str, variant: str) -> str:
    if _on_medical_pay(data, role_id):
        return ""  # medical and dental pay: no AfC band
    spec = ROLE_SPECS[role_id]
    for key in ((role_id, trust, variant), (role_id, trust)):
        if key in BAND_OVERRIDES:
            return BAND_OVERRIDES[key]
    if tier in spec.tier_bands:
        return spec.tier_bands[tier]
    return spec.band or str(data.roles[role_id]["band_min"])


def _plan_trust(data: _Data, trust: str) -> list[Post]:
    """The AfC posts at a trust: each role's pattern, then the unmapped one-offs."""
    posts = _plan_roles(data, trust, ROLE_SPECS)
    for u in UNMAPPED:
        if u.trust == trust:
            posts.append(Post("", u.basis, "", u.band, title=u.title, summary=u.summary))
    return posts


def _plan_roles(data: _Data, trust: str, specs: Mapping[str, RoleSpec]) -> list[Post]:
    profile = TRUSTS.get(trust, DEFAULT_PROFILE)
    tier_index = TIERS.index(profile.tier)
    added = {role for t, role in ADDITIONS if t == trust}
    posts: list[Post] = []
    for role_id, spec in specs.items():
        if (trust, role_id) in OMISSIONS:
            continue
        count = int(trust in spec.only) if spec.only else spec.counts[tier_index]
        if role_id in added:
            count = max(count, 1)
        variants = spec.tier_variants.get(profile.tier, spec.variants)[:count]
        for variant in variants:
            posts.append(
                Post(
                    role=role_id,
                    basis=role_id,
                    variant=variant,
                    band=_band_for(data, role_id, trust, profile.tier, variant),
                    title=TITLE_OVERRIDES.get((trust, role_id, variant), ""),
                    summary=SUMMARY_OVERRIDES.get((trust, role_id, variant), ""),
                )
            )
    return posts


def _competency_pools(data: _Data) -> dict[str, list[str]]:
    """For each role, competencies its staff group's other roles need and it does not."""
    pools: dict[str, list[str]] = {}
    for role_id, role in data.roles.items():
        own = data.role_competencies.get(role_id, {})
        pool: list[str] = []
        for other_id, other in data.roles.items():
            if other["staff_group"] != role["staff_group"] or other_id == role_id:
                continue
            for comp in data.role_competencies.get(other_id, {}):
                if comp not in own and comp not in pool:
                    pool.append(comp)
        if not pool:
            pool = [c for c in data.competency_ids if c not in own]
        pools[role_id] = pool
    return pools


# ---- Drawing one copy of the network ------------------------------------------------------------


class _JEMaker:
    """Finds JE factor levels whose score lands in a window, caching profiles for big runs."""

    def __init__(self, factors: list[list[int]]) -> None:
        self.factors = factors
        self.pool: dict[tuple[str, str, int, int], list[list[int]]] = {}

    def levels(
        self, rng: random.Random, flavour: str, band: str, lo: int, hi: int, reuse: bool
    ) -> list[int]:
        key = (flavour, band, lo, hi)
        pool = self.pool.setdefault(key, [])
        if reuse and len(pool) >= JE_POOL:
            return list(rng.choice(pool))
        found = self._fit(rng, flavour, band, lo, hi)
        if len(pool) < JE_POOL:
            pool.append(found)
        return found

    def score(self, levels: Sequence[int]) -> int:
        return sum(self.factors[i][lv - 1] for i, lv in enumerate(levels))

    def _fit(self, rng: random.Random, flavour: str, band: str, lo: int, hi: int) -> list[int]:
        points = self.factors
        top = [len(p) - 1 for p in points]
        levels = [lv - 1 for lv in JE_BASELINES.get(band, JE_BASELINES["5"])]
        for number, shift in JE_SHIFTS.get(flavour, {}).items():
            levels[number - 1] += shift
        levels = [min(max(lv, 0), top[i]) for i, lv in enumerate(levels)]
        # A little individuality before steering, so profiles of one band differ.
        for _ in range(2):
            i = rng.randrange(16)
            levels[i] = min(max(levels[i] + rng.choice((-1, 1)), 0), top[i])
        preferred = {n - 1 for n in JE_PREFERRED.get(flavour, ())}
        score = sum(points[i][lv] for i, lv in enumerate(levels))
        for _ in range(300):
            if lo <= score <= hi:
                break
            up = score < lo
            moves: list[tuple[int, int]] = []
            for i, lv in enumerate(levels):
                if up and lv < top[i]:
                    moves.append((i, points[i][lv + 1] - points[i][lv]))
                elif not up and lv > 0:
                    moves.append((i, points[i][lv - 1] - points[i][lv]))
            if not moves:
                break
            landing = [m for m in moves if lo <= score + m[1] <= hi]
            if landing:
                choices = landing
            else:
                safe = [m for m in moves if (score + m[1] <= hi if up else score + m[1] >= lo)]
                choices = safe or [min(moves, key=lambda m: abs(m[1]))]
            weights = [4.0 if m[0] in preferred else 1.0 for m in choices]
            i, delta = rng.choices(choices, weights=weights)[0]
            levels[i] += 1 if up else -1
            score += delta
        return [lv + 1 for lv in levels]


def _round_tenths(value: float, half_steps: bool) -> int:
    if half_steps:
        return int(round(value * 2)) * 5
    return max(int(round(value * 10)), 1)


VARIANT_SHARES = (1.0, 0.6, 0.45, 0.35)  # establishment of a role's 1st, 2nd ... variant


def _share(post: Post, tier: str) -> float:
    """The share of the role's typical establishment that this post holds."""
    if not post.role:
        return 0.5  # an unmapped post is a local one-off, smaller than the main post
    spec = _spec(post.role)
    variants = spec.tier_variants.get(tier, spec.variants)
    index = variants.index(post.variant) if post.variant in variants else 0
    return VARIANT_SHARES[min(index, len(VARIANT_SHARES) - 1)]


def _funded_tenths(rng: random.Random, spec: RoleSpec, size: float) -> int:
    base = spec.wte * size * rng.uniform(0.8, 1.25)
    if base < 1.3:
        return rng.choice((6, 8, 10, 10, 10, 10, 10, 15, 20))
    if base < 4.0:
        return max(_round_tenths(base, half_steps=rng.random() < 0.5), 10)
    return _round_tenths(base, half_steps=True)


def _competencies(
    data: _Data, rng: random.Random, basis: str, variant: str, tweaky: bool
) -> list[str]:
    levels = data.role_competencies.get(basis, {})
    comps = list(levels)
    if not comps:
        return []
    known = set(data.competency_ids)
    for comp in VARIANT_COMPETENCIES.get((basis, variant), ()):
        if comp in known and comp not in comps:
            comps.append(comp)
    if rng.random() < (0.55 if tweaky else 0.25):
        action = rng.random()
        if action < 0.45 or action >= 0.85:
            # Drop one or two of the less demanding ones (level 1-2) if there are any.
            minor = [c for c in comps if levels.get(c, 3) <= 2] or comps[:]
            drop = max(0, min(rng.choice((1, 1, 2)), len(minor), len(comps) - 2))
            for comp in rng.sample(minor, drop):
                comps.remove(comp)
        if action >= 0.45:
            pool = [c for c in data.pools.get(basis, []) if c not in comps]
            comps.extend(rng.sample(pool, min(rng.choice((1, 1, 2)), len(pool))))
    left_out = VARIANT_LEAVES_OUT.get((basis, variant), ())
    return [comp for comp in comps if comp not in left_out]


def _title(rng: random.Random, spec: RoleSpec, variant: str, band: str, style: int) -> str:
    templates = [t for t in spec.titles if ("{mod}" in t) == bool(variant)] or list(spec.titles)
    template = templates[style % len(templates)]
    # Now and then a trust's own title differs from its usual pattern.
    if rng.random() < 0.2:
        template = rng.choice(templates)
    return template.format(mod=variant, band=band)


def _summary(rng: random.Random, post: Post) -> str:
    if post.summary:
        return post.summary
    spec = _spec(post.basis)
    duty = spec.duties.get(post.variant, spec.duty)
    duty = duty.format(mod=MOD_TEXT.get(post.variant, post.variant.lower()))
    text = duty[0].upper() + duty[1:] + "."
    if rng.random() < 0.6:
        if spec.flavour == "medical":
            extras: tuple[str, ...] = EXTRAS_ALL + EXTRAS_MEDICAL
        else:
            clinical = spec.flavour == "clinical" and "trainee" not in post.basis
            extras = EXTRAS_ALL + (EXTRAS_CLINICAL if clinical else ())
        text += " " + rng.choice(extras)
    return text


def _draw_copy(
    data: _Data, rng: random.Random, medical_rng: random.Random, copy: int, je: _JEMaker
) -> list[dict[str, Any]]:
    jobs: list[dict[str, Any]] = []
    bases: list[str] = []  # the basis role of each job, for vacancy and JE
    in_post_kind: list[str] = []  # "vacant", "full" or "over"
    suffix = f"-C{copy + 1:03d}" if copy else ""
    last_number: dict[str, int] = {}
    for trust in data.trusts:
        profile = TRUSTS.get(trust, DEFAULT_PROFILE)
        posts = list(data.plan[trust])
        rng.shuffle(posts)
        number = profile.first + rng.randrange(0, 40)
        styles: dict[str, int] = {}
        for post in posts:
            number += rng.randint(1, 9)
            job, kind = _draw_job(data, rng, trust, post, number, suffix, styles)
            jobs.append(job)
            bases.append(post.basis)
            in_post_kind.append(kind)
        last_number[trust] = number
    _calibrate_vacancies(jobs, bases, in_post_kind)
    _add_je(data, rng, jobs, bases, je, reuse=copy > 0)
    medical = _draw_medical(data, medical_rng, last_number, suffix)
    jobs = _group_by_trust(data.trusts, jobs + medical)
    for job in jobs:
        job["wte_funded"] = job["wte_funded"] / 10
        job["wte_in_post"] = job["wte_in_post"] / 10
        # After every random draw, so the pay fields move no other figure.
        job.update(PAY_ELEMENTS.get((job["role"], job["trust"]), {}))
    return jobs


def _draw_job(
    data: _Data,
    rng: random.Random,
    trust: str,
    post: Post,
    number: int,
    suffix: str,
    styles: dict[str, int],
) -> tuple[dict[str, Any], str]:
    """One JD (WTE in tenths) and its vacancy kind: "vacant", "full" or "over"."""
    profile = TRUSTS.get(trust, DEFAULT_PROFILE)
    spec = _spec(post.basis)
    year = rng.randint(2018, 2025)
    jd_ref = profile.ref.format(n=number, y=year, yy=year % 100, code=trust) + suffix
    if post.title:
        title = post.title
    else:
        style = styles.setdefault(post.role, rng.randrange(len(spec.titles)))
        title = _title(rng, spec, post.variant, post.band, style)
    funded = _funded_tenths(rng, spec, profile.size * _share(post, profile.tier))
    roll = rng.random()
    if roll < 0.14:
        kind, in_post = "full", funded
    elif roll < 0.18 and funded >= 10:
        kind, in_post = "over", funded + rng.choice((1, 2, 2, 3, 5, 10))
    else:
        target = VACANCY_TARGETS[spec.vacancy] * spec.vacancy_weight
        rate = target * rng.uniform(0.4, 2.0)
        kind, in_post = "vacant", min(int(round(funded * (1 - rate))), funded - 1)
    job = {
        "trust": trust,
        "jd_ref": jd_ref,
        "title": title,
        "role": post.role,
        "band": post.band,
        "wte_funded": funded,
        "wte_in_post": max(in_post, 0),
        "competencies": _competencies(data, rng, post.basis, post.variant, profile.tweaky),
        "je_levels": [],
        "summary": _summary(rng, post),
    }
    return job, kind


def _draw_medical(
    data: _Data, rng: random.Random, last_number: Mapping[str, int], suffix: str
) -> list[dict[str, Any]]:
    """The JDs on medical pay, numbered on from each trust's last AfC JD; no band, no JE."""
    jobs: list[dict[str, Any]] = []
    bases: list[str] = []
    kinds: list[str] = []
    known = set(data.competency_ids)
    for trust in data.trusts:
        posts = list(data.medical_plan[trust])
        rng.shuffle(posts)
        number = last_number.get(trust, TRUSTS.get(trust, DEFAULT_PROFILE).first)
        styles: dict[str, int] = {}
        for post in posts:
            number += rng.randint(1, 9)
            job, kind = _draw_job(data, rng, trust, post, number, suffix, styles)
            # A trust may trim the list, but an interventional radiologist's JD still names
            # interventional radiology: the variant's own competencies stay.
            for comp in VARIANT_COMPETENCIES.get((post.basis, post.variant), ()):
                if comp in known and comp not in job["competencies"]:
                    job["competencies"].append(comp)
            jobs.append(job)
            bases.append(post.basis)
            kinds.append(kind)
    _calibrate_vacancies(jobs, bases, kinds)
    return jobs


def _group_by_trust(trusts: Sequence[str], jobs: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The jobs trust by trust, in the trusts' order, keeping each trust's jobs in order."""
    by_trust: dict[str, list[dict[str, Any]]] = {trust: [] for trust in trusts}
    for job in jobs:
        by_trust[job["trust"]].append(job)
    return [job for trust in trusts for job in by_trust[trust]]


def _calibrate_vacancies(jobs: list[dict[str, Any]], bases: list[str], kinds: list[str]) -> None:
    """Nudge WTE in post, 0.1 at a time on the larger posts, to hit each category's rate.

    Only mapped JDs count: the app can give a staff group's rate only for JDs with a role.
    """
    by_category: dict[str, list[int]] = {}
    for index, basis in enumerate(bases):
        if jobs[index]["role"]:
            by_category.setdefault(_spec(basis).vacancy, []).append(index)
    for category, indices in by_category.items():
        funded = sum(jobs[i]["wte_funded"] for i in indices)
        in_post = sum(jobs[i]["wte_in_post"] for i in indices)
        diff = int(round(funded * (1 - VACANCY_TARGETS[category]))) - in_post
        adjustable = [i for i in indices if kinds[i] == "vacant" and jobs[i]["wte_funded"] >= 30]
        if not adjustable:
            adjustable = [i for i in indices if kinds[i] == "vacant"]
        adjustable.sort(key=lambda i: -jobs[i]["wte_funded"])
        while diff:
            moved = False
            for i in adjustable:
                if diff == 0:
                    break
                job = jobs[i]
                # Larger posts stay at least 0.1 short, so they remain vacancies.
                room = job["wte_funded"] - (1 if job["wte_funded"] >= 30 else 0)
                if diff > 0 and job["wte_in_post"] < room:
                    job["wte_in_post"] += 1
                    diff -= 1
                    moved = True
                elif diff < 0 and job["wte_in_post"] > job["wte_funded"] // 2:
                    job["wte_in_post"] -= 1
                    diff += 1
                    moved = True
            if not moved:
                break


def _add_je(
    data: _Data,
    rng: random.Random,
    jobs: list[dict[str, Any]],
    bases: list[str],
    je: _JEMaker,
    reuse: bool,
) -> None:
    chosen = sorted(rng.sample(range(len(jobs)), round(len(jobs) * JE_SHARE)))
    order = data.band_codes
    up = [i for i in chosen if order.index(jobs[i]["band"]) + 1 < len(order)]
    rng.shuffle(up)
    special: dict[int, str] = {}
    for i in up[:JE_DISAGREE_UP]:
        special[i] = "up"
    down = [i for i in chosen if i not in special and order.index(jobs[i]["band"]) > 1]
    rng.shuffle(down)
    for i in down[:JE_DISAGREE_DOWN]:
        special[i] = "down"
    rest = [i for i in chosen if i not in special]
    rng.shuffle(rest)
    for n, i in enumerate(rest[:JE_NEAR_EDGE]):
        special[i] = "low-edge" if n % 2 == 0 else "high-edge"
    for i in chosen:
        band = jobs[i]["band"]
        mode = special.get(i, "in")
        if mode in ("up", "down"):
            band = order[order.index(band) + (1 if mode == "up" else -1)]
        je_min, je_max = data.bands[band]
        if mode == "low-edge":
            lo, hi = je_min, je_min + 4
        elif mode == "high-edge":
            lo, hi = je_max - 4, je_max
        else:
            lo, hi = je_min + JE_MARGIN, je_max - JE_MARGIN
        flavour = ROLE_SPECS[bases[i]].flavour
        # Edge and disagreeing cases are few: always fit them afresh.
        jobs[i]["je_levels"] = je.levels(rng, flavour, band, lo, hi, reuse and mode == "in")


# ---- Public interface ----------------------------------------------------------------------------


def generate(data_dir: Path, *, seed: int = DEFAULT_SEED, scale: int = 1) -> list[dict[str, Any]]:
    """Illustrative JDs in the interchange format, deterministic for (seed, scale).

    scale 1 is the bundled set; scale N repeats the network's pattern N times, the copies after
    the first with a "-C002"... suffix on jd_ref. The first copy is the same at every scale.
    """
    if scale < 1:
        raise ValueError("scale must be at least 1")
    data = _load(Path(data_dir))
    je = _JEMaker(data.factors)
    jobs: list[dict[str, Any]] = []
    for copy in range(scale):
        rng = random.Random(f"illustrative-jds:{seed}:{copy}")
        # The posts on medical pay have a stream of their own, so the AfC posts do not move.
        medical_rng = random.Random(f"illustrative-jds:{seed}:{copy}:medical")
        jobs.extend(_draw_copy(data, rng, medical_rng, copy, je))
    return jobs


def generated_by(seed: int, scale: int = 1) -> str:
    text = f"tools/illustrative_jds.py --seed {seed}"
    return text if scale == 1 else f"{text} --scale {scale}"


def to_toml(jobs: Sequence[Mapping[str, Any]], *, seed: int, scale: int = 1) -> str:
    header = (
        "# ILLUSTRATIVE JOB DESCRIPTIONS: MADE UP, NOT REAL POSTS OF THE NAMED TRUSTS.\n"
        f"# Generated by {generated_by(seed, scale)} (seed {seed}); do not edit by hand,"
        " run the generator.\n"
        "# The trust codes are the network's real ODS codes; every title, reference, band,\n"
        "# establishment (WTE) figure, JE profile and summary is invented to exercise the app.\n\n"
    )
    meta = {
        "illustrative": True,
        "generated_by": generated_by(seed, scale),
        "note": (
            "ILLUSTRATIVE job descriptions, not real posts of the named trusts: titles, "
            "references, bands, WTE, JE levels, summaries and pay elements (premia, "
            "supplements, appointment points) are invented to exercise import, role matching, "
            "banding variation, pay variation, JE checks, comparison and the workforce gap. "
            "Vacancy rates are tuned to the national figures quoted in the network's workforce "
            "strategy (radiographers 11%, sonographers 6.7%, clinical support workers 4.6%, "
            "medical physics 7-9%, consultant radiologists 10%). Radiologists are on medical "
            "and dental pay, not Agenda for Change: their JDs have no band and no JE levels."
        ),
    }
    return header + tomli_w.dumps({"meta": meta, "job": [_toml_job(job) for job in jobs]})


def _toml_job(job: Mapping[str, Any]) -> dict[str, Any]:
    """A job as a TOML table: TOML has no null, so a post on medical pay leaves band out."""
    return {key: value for key, value in job.items() if key != "band" or value}


def to_csv(jobs: Sequence[Mapping[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for job in jobs:
        writer.writerow(
            (
                job["trust"],
                job["jd_ref"],
                job["title"],
                job["role"],
                job["band"],
                f"{job['wte_funded']:.1f}",
                f"{job['wte_in_post']:.1f}",
                ";".join(job["competencies"]),
                " ".join(str(level) for level in job["je_levels"]),
                job["summary"],
                *(job.get(name, "") for name in PAY_FIELDS),
            )
        )
    return out.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.illustrative_jds",
        description="Write ILLUSTRATIVE trust job descriptions (not real posts).",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    parser.add_argument(
        "--scale", type=int, default=1, help="copies of the network (180 gives about 60,000 JDs)"
    )
    parser.add_argument("--format", choices=("toml", "csv"), default="toml")
    parser.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    parser.add_argument(
        "--data-dir", type=Path, default=DEFAULT_DATA_DIR, help="the catalogue's TOML data"
    )
    args = parser.parse_args(argv)
    if args.scale < 1:
        parser.error("--scale must be at least 1")
    if not (args.data_dir / "role_competencies.toml").exists():
        print("warning: no role_competencies.toml: JDs get no competencies", file=sys.stderr)
    jobs = generate(args.data_dir, seed=args.seed, scale=args.scale)
    if args.format == "toml":
        text = to_toml(jobs, seed=args.seed, scale=args.scale)
    else:
        text = to_csv(jobs)
    if args.output is None:
        sys.stdout.write(text)
    else:
        with args.output.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        print(f"wrote {len(jobs)} illustrative JDs to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
