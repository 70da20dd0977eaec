"""The vocabulary of local job titles: abbreviations, synonyms, word weights and role aliases.

Trusts title the same post many ways ("Snr Rad - CT", "Senior CT Radiographer", "Band 6
Radiographer (CT)"). `title_words` turns any title, a JD's or a reference role's, into the same
canonical words, so the matcher compares like with like. The tables here are data, kept apart
from the scoring in pathways/matching.py so they can grow without touching the formula.
"""

from __future__ import annotations

import re

# ---- Turning text into canonical words ----------------------------------------------------------

# A band written into a title ("Band 6", "[Band 5]", "(B7)") is a hint about pay, not a word of
# the post's name: it is cut out before matching (the JD's own band is scored separately).
_BAND_HINT = re.compile(r"[\[(]?\b(?:band|b)\s*(?:8\s*[a-d]|[1-9])\b[\])]?", re.IGNORECASE)

# Rewrites applied to the raw text before it is split, for spellings that splitting would break.
_TEXT_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bx[\s-]?rays?\b"), " xray "),
    (re.compile(r"\ba\s*(?:&|and)\s*e\b"), " ae "),
    (re.compile(r"\bo\s*(?:&|and)\s*g\b"), " obstetrics gynaecology "),
    (re.compile(r"\bco-ordinator\b"), " coordinator "),
    (re.compile(r"\bhealth\s+care\b"), " healthcare "),
    (re.compile(r"&|\+"), " and "),
)

# Word sequences and what they mean, longest first where one begins another. A phrase maps to
# the canonical words it stands for; single abbreviations are one-word phrases. Order matters
# only where phrases overlap: "rad dept" (radiology department) must be seen before "rad"
# (radiographer).
PHRASES: dict[tuple[str, ...], tuple[str, ...]] = {
    # support workers: every spelling of a clinical support worker or healthcare assistant
    ("healthcare", "support", "worker"): ("support-worker",),
    ("clinical", "support", "worker"): ("support-worker",),
    ("healthcare", "assistant"): ("support-worker",),
    ("support", "worker"): ("support-worker",),
    ("support", "wkr"): ("support-worker",),
    ("hca",): ("support-worker",),
    ("hcsw",): ("support-worker",),
    ("csw",): ("support-worker",),
    # nursing
    ("charge", "nurse"): ("senior", "nurse"),
    ("sister",): ("senior", "nurse"),
    ("staff", "nurse"): ("nurse",),
    ("registered", "nurse"): ("nurse",),
    ("rn",): ("nurse",),
    ("anp",): ("advanced", "nurse", "practitioner"),
    # radiography: "rad" is a radiographer, except in "rad dept" (the radiology department)
    ("rad", "dept"): ("radiology", "department"),
    ("rad", "department"): ("radiology", "department"),
    ("rad",): ("radiographer",),
    ("radiog",): ("radiographer",),
    ("radiography",): ("radiographer",),
    ("radiographers",): ("radiographer",),
    ("apprenticeship",): ("apprentice",),
    ("education",): ("educator",),
    ("ap",): ("assistant", "practitioner"),
    ("acp",): ("advanced", "clinical", "practitioner"),
    ("team", "leader"): ("team", "manager"),
    ("supt",): ("superintendent",),
    # sonography
    ("us",): ("ultrasound",),
    ("sonography",): ("sonographer",),
    ("obs",): ("obstetrics",),
    ("obstetric",): ("obstetrics",),
    ("gynae",): ("gynaecology",),
    ("gynaecological",): ("gynaecology",),
    # modalities and areas
    ("ir",): ("interventional", "radiology"),
    ("mr",): ("mri",),
    ("nuc", "med"): ("nuclear", "medicine"),
    ("nuclear", "med"): ("nuclear", "medicine"),
    ("pet", "ct"): ("pet-ct",),
    ("nm",): ("nuclear", "medicine"),
    ("musculoskeletal",): ("msk",),
    ("breast",): ("mammography",),
    ("paed",): ("paediatric",),
    ("paeds",): ("paediatric",),
    ("paediatrics",): ("paediatric",),
    ("pediatric",): ("paediatric",),
    ("theatre",): ("theatres",),
    ("plain", "film"): ("plain-film",),
    ("plain", "films"): ("plain-film",),
    # medical physics
    ("rpa",): ("radiation", "protection", "adviser"),
    ("advisor",): ("adviser",),
    ("mrse",): ("mri", "safety", "expert"),
    ("mpe",): ("medical", "physics", "expert"),
    # medical staff
    ("spr",): ("registrar",),
    ("str",): ("registrar",),
    ("reg",): ("registrar",),
    # general abbreviations
    ("snr",): ("senior",),
    ("sr",): ("senior",),
    ("asst",): ("assistant",),
    ("dept",): ("department",),
    ("mgr",): ("manager",),
    ("coord",): ("coordinator",),
    ("spec",): ("specialist",),
    ("adv",): ("advanced",),
    ("prac",): ("practitioner",),
    ("pract",): ("practitioner",),
    ("cons",): ("consultant",),
    ("diag",): ("diagnostic",),
    ("tech",): ("technologist",),
    ("wkr",): ("worker",),
    ("fluoro",): ("fluoroscopy",),
    ("services",): ("service",),
    ("administrative",): ("admin",),
    ("administration",): ("admin",),
}
_LONGEST_PHRASE = max(len(phrase) for phrase in PHRASES)

# Words with no meaning for matching: joining words and grade numerals ("Superintendent II").
STOP_WORDS = frozenset(
    {"and", "of", "the", "in", "for", "with", "to", "a", "an", "or", "at", "on", "i", "ii", "iii"}
)


def title_words(title: str) -> list[str]:
    """The canonical words of a title, in order, band hints and joining words left out.

    "Snr Rad - CT (Band 6)" -> ["senior", "radiographer", "ct"].
    """
    text = _BAND_HINT.sub(" ", title.lower())
    for pattern, replacement in _TEXT_REWRITES:
        text = pattern.sub(replacement, text)
    raw = [word for word in re.findall(r"[a-z0-9]+", text) if not word.isdigit()]
    words: list[str] = []
    index = 0
    while index < len(raw):
        for size in range(min(_LONGEST_PHRASE, len(raw) - index), 0, -1):
            meaning = PHRASES.get(tuple(raw[index : index + size]))
            if meaning is not None:
                words.extend(meaning)
                index += size
                break
        else:
            words.append(raw[index])
            index += 1
    # "Admin" on its own at the end names the person ("PACS Admin" is a PACS administrator);
    # elsewhere it is the work ("Radiology Admin Manager").
    if words and words[-1] == "admin" and len(words) > 1:
        words[-1] = "administrator"
    return [word for word in words if word not in STOP_WORDS]


# ---- How much each word says about which role a post is ----------------------------------------

# The word that names the occupation says the most; words for level or function next; the
# modality or clinical area says little about the rung (a CT radiographer may be Band 5 or 6);
# the department's name ("imaging", "radiology") says almost nothing, every post has it.
PROFESSION_WEIGHT = 3.0
FUNCTION_WEIGHT = 2.0
DEFAULT_WEIGHT = 1.0
CONTEXT_WEIGHT = 0.5

PROFESSION_WORDS = frozenset(
    {
        "radiographer",
        "sonographer",
        "mammographer",
        "nurse",
        "scientist",
        "physicist",
        "technologist",
        "technician",
        "support-worker",
        "porter",
        "domestic",
        "receptionist",
        "coder",
        "secretary",
        "typist",
        "clerk",
        "radiologist",
        "registrar",
        "educator",
        "administrator",
        "analyst",
        "scheduler",
        "tracker",
    }
)
FUNCTION_WORDS = frozenset(
    {
        "senior",
        "specialist",
        "advanced",
        "consultant",
        "principal",
        "superintendent",
        "trainee",
        "student",
        "apprentice",
        "assistant",
        "associate",
        "practitioner",
        "manager",
        "expert",
        "adviser",
        "officer",
        "coordinator",
        "reporting",
        "helper",
        "pacs",
        "mammography",
        "ultrasound",
        "booking",
        "appointments",
        "pet-ct",
    }
)
CONTEXT_WORDS = frozenset(
    {
        "imaging",
        "radiology",
        "department",
        "diagnostic",
        "xray",
        "service",
        "clinic",
        "unit",
        "site",
        "general",
        "rotational",
        "medical",
        "msk",
        "chest",
        "ae",
        "theatres",
        "paediatric",
        "obstetrics",
        "gynaecology",
        "vascular",
        "fetal",
        "plain-film",
        "abdominal",
        "screening",
        "symptomatic",
        "day",
        "case",
    }
)


def word_weight(word: str) -> float:
    if word in PROFESSION_WORDS:
        return PROFESSION_WEIGHT
    if word in FUNCTION_WORDS:
        return FUNCTION_WEIGHT
    if word in CONTEXT_WORDS:
        return CONTEXT_WEIGHT
    return DEFAULT_WEIGHT


# ---- Other names of the reference roles ---------------------------------------------------------

# What trusts call a reference role besides its catalogue title. Keyed by role id; a role the
# catalogue lacks is simply never a candidate. Written as people write titles: they go through
# `title_words` like any JD title.
ROLE_ALIASES: dict[str, tuple[str, ...]] = {
    "imaging-support-worker": (
        "Radiology Department Assistant",
        "Imaging Department Assistant",
        "Department Assistant",
        "Imaging Assistant",
        "Radiology Assistant",
        "X-Ray Department Assistant",
    ),
    "senior-imaging-support-worker": (
        "Senior Imaging Assistant",
        "Senior Healthcare Assistant Imaging",
        "Clinical Support Worker Higher Level Radiography",
    ),
    "apprentice-radiographer": (
        "Apprentice Radiographer",
        "Degree Apprentice Radiographer",
        "Student Radiographer",
    ),
    "assistant-practitioner-radiography": ("Assistant Practitioner Imaging",),
    "diagnostic-radiographer": ("Radiographer", "Staff Radiographer"),
    "specialist-radiographer": (
        "Senior Radiographer",
        "CT Radiographer",
        "MRI Radiographer",
        "Interventional Radiographer",
        "Fluoroscopy Radiographer",
        "Senior CT Radiographer",
        "Senior MRI Radiographer",
    ),
    "reporting-radiographer": (
        "Reporting Practitioner",
        "Advanced Practitioner Reporting",
        "Reporting Radiographer Advanced Practitioner",
    ),
    "advanced-practitioner-radiographer": ("Advanced Clinical Practitioner Radiography",),
    "radiography-team-manager": ("Lead Radiographer",),
    "principal-radiographer": ("Superintendent Radiographer",),
    "mammography-associate": (
        "Mammography Associate Practitioner",
        "Assistant Practitioner Breast Screening",
    ),
    "mammographer": ("Breast Screening Radiographer", "Breast Radiographer"),
    "practice-educator": ("Clinical Practice Educator", "Practice Placement Educator"),
    "ultrasound-support-worker": (
        "Ultrasound Assistant",
        "Ultrasound Clinic Assistant",
        "Ultrasound Healthcare Assistant",
    ),
    "trainee-sonographer": ("Student Sonographer", "Sonographer in Training"),
    "sonographer": ("Ultrasound Practitioner", "Ultrasonographer"),
    "specialist-sonographer": ("Senior Sonographer", "Lead Sonographer"),
    "advanced-sonographer": ("Advanced Sonographer",),
    "healthcare-science-assistant": ("Medical Physics Assistant",),
    "healthcare-science-associate": (
        "Medical Physics Technician",
        "Associate Practitioner Imaging Physics",
    ),
    "clinical-technologist": ("Medical Physics Technologist",),
    "trainee-clinical-scientist": ("STP Trainee", "Trainee Medical Physicist"),
    "clinical-scientist": ("Medical Physicist", "Clinical Scientist"),
    "principal-clinical-scientist": ("Principal Physicist",),
    "consultant-clinical-scientist": ("Head of Imaging Physics", "Consultant Physicist"),
    "nuclear-medicine-practitioner": (
        "Nuclear Medicine Radiographer",
        "Nuclear Medicine Technologist",
        "PET-CT Practitioner",
        "PET-CT Radiographer",
    ),
    "advanced-nuclear-medicine-practitioner": ("Lead Nuclear Medicine Practitioner",),
    "radiology-healthcare-assistant": ("Interventional Radiology Healthcare Assistant",),
    "nursing-associate": ("Registered Nursing Associate",),
    "radiology-nurse": ("Staff Nurse Radiology", "Imaging Nurse"),
    "advanced-nurse-practitioner": ("Advanced Nurse Practitioner",),
    "radiology-nurse-manager": ("Lead Nurse Imaging",),
    "radiology-registrar": ("Radiology Registrar", "Specialty Registrar Radiology"),
    "consultant-radiologist": ("Radiologist",),
    "imaging-receptionist": ("Radiology Receptionist", "Xray Receptionist"),
    "imaging-booking-coordinator": ("Appointments Clerk", "Booking Clerk", "Radiology Scheduler"),
    "patient-pathway-tracker": ("Pathway Tracker", "Pathway Coordinator"),
    "imaging-admin-manager": ("Radiology Admin Manager",),
    "pacs-support-officer": ("PACS Support Analyst", "Imaging IT Support Officer"),
    "pacs-administrator": ("RIS PACS Administrator", "Imaging Systems Administrator"),
    "pacs-manager": ("Imaging Informatics Manager", "PACS Lead"),
    "imaging-operations-manager": (
        "Radiology Operational Manager",
        "Operations Manager",
        "Deputy Imaging Services Manager",
    ),
    "imaging-services-manager": ("Head of Imaging", "Radiology Services Manager"),
    "imaging-porter": ("Radiology Porter", "Porter"),
    "domestic-assistant": ("Domestic",),
}

# ---- Which staff group a title's words point to -------------------------------------------------

# A word that, wherever it appears, says which staff group a post belongs to. The matcher uses
# it as one more piece of title evidence: a "Radiology Secretary" is admin and clerical even
# though no reference role is a secretary.
GROUP_WORDS: dict[str, frozenset[str]] = {
    "radiographer": frozenset({"radiography", "nuclear-medicine"}),
    "mammographer": frozenset({"radiography"}),
    "mammography": frozenset({"radiography"}),
    "xray": frozenset({"radiography"}),
    "sonographer": frozenset({"sonography"}),
    "ultrasound": frozenset({"sonography"}),
    "scientist": frozenset({"medical-physics"}),
    "physicist": frozenset({"medical-physics"}),
    "physics": frozenset({"medical-physics"}),
    "technologist": frozenset({"medical-physics", "nuclear-medicine"}),
    "nuclear": frozenset({"nuclear-medicine"}),
    "pet": frozenset({"nuclear-medicine"}),
    "pet-ct": frozenset({"nuclear-medicine"}),
    "nurse": frozenset({"radiology-nursing"}),
    "nursing": frozenset({"radiology-nursing"}),
    "radiologist": frozenset({"radiology-medical"}),
    "registrar": frozenset({"radiology-medical"}),
    "receptionist": frozenset({"admin-clerical"}),
    "secretary": frozenset({"admin-clerical"}),
    "typist": frozenset({"admin-clerical"}),
    "clerk": frozenset({"admin-clerical"}),
    "coder": frozenset({"admin-clerical"}),
    "booking": frozenset({"admin-clerical"}),
    "appointments": frozenset({"admin-clerical"}),
    "admin": frozenset({"admin-clerical"}),
    "pacs": frozenset({"digital-pacs"}),
    "ris": frozenset({"digital-pacs"}),
    "informatics": frozenset({"digital-pacs"}),
    "porter": frozenset({"estates-facilities"}),
    "domestic": frozenset({"estates-facilities"}),
}


def staff_groups_named(words: list[str]) -> frozenset[str]:
    """The staff groups a title's canonical words point to (empty when they point nowhere)."""
    groups: set[str] = set()
    for word in words:
        groups |= GROUP_WORDS.get(word, frozenset())
    return frozenset(groups)
