"""The job description interchange format shared by import, export and the CSV template.

CSV with a header row, TOML `[[job]]` tables, or a JSON list of objects, all with these fields
(the pay fields optional).
"""

from __future__ import annotations

FIELDS: tuple[str, ...] = (
    "trust",  # ODS code or exact trust name
    "jd_ref",  # the trust's own reference; with trust, the key for re-imports
    "title",  # the trust's local job title, stored exactly as given
    "role",  # reference role id; empty means "not mapped yet"
    "band",  # 5, Band 5, B5, 8a, Band 8A ...
    "wte_funded",  # establishment, whole-time equivalent
    "wte_in_post",  # staff in post, whole-time equivalent
    # ;-separated competency ids or names, each optionally :LEVEL 1-4 ("ct-scanning:3"): the
    # level the post needs it at; without one, the level its reference role needs it at.
    "competencies",
    "je_levels",  # empty, or 16 levels separated by spaces, factor 1 first: "4", "4a", "3ab"
    "summary",  # free text, stored exactly as given
)
# Pay beyond the band, as the trust pays the post: optional columns, each left out by most
# files. A file without one keeps what the catalogue holds; a cell given empty clears it.
PAY_FIELDS: tuple[str, ...] = (
    "rrp",  # recruitment and retention premium: an annual amount (1500) or a percentage (10%)
    "rrp_until",  # the date the premium is to be reviewed or ends, YYYY-MM-DD
    "appointment_point",  # the pay point new starters are appointed at: entry (default), ...
    "supplement",  # any other recurring local payment, an annual amount
    "pay_note",  # a short note of what the supplement (or premium) is for
)
# Every column a JD file may have, in the order exports and the template write them.
ALL_FIELDS: tuple[str, ...] = FIELDS + PAY_FIELDS
REQUIRED_FIELDS: tuple[str, ...] = ("trust", "jd_ref", "title", "band")
APPOINTMENT_POINTS: tuple[str, ...] = ("entry", "intermediate", "top")

COMPETENCY_SEPARATOR = ";"
LEVEL_SEPARATOR = ":"  # "ct-scanning:3": a competency at a level


def competency_item(competency: str, level: int | None) -> str:
    """How a JD's competency is written in the interchange format: 'ct-scanning' or
    'ct-scanning:3'."""
    return competency if level is None else f"{competency}{LEVEL_SEPARATOR}{level}"


def split_item(item: str) -> tuple[str, int | None]:
    """'ct-scanning:3' -> ('ct-scanning', 3); 'ct-scanning' -> ('ct-scanning', None). A stored
    item (importer-checked) always splits cleanly."""
    name, separator, level = item.rpartition(LEVEL_SEPARATOR)
    if separator and level.isdigit():
        return name, int(level)
    return item, None


# What a spreadsheet takes a cell starting with for a formula: exported text starting so gets
# a leading apostrophe (catalogue.export.inert), which import takes off.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def template_csv() -> str:
    """A blank CSV for trusts to fill: the header row and nothing else."""
    return ",".join(ALL_FIELDS) + "\r\n"
