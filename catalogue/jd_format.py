"""The job description interchange format shared by import, export and the CSV template.

CSV with a header row, TOML `[[job]]` tables, or a JSON list of objects, all with these fields.
"""

from __future__ import annotations

import re

FIELDS: tuple[str, ...] = (
    "trust",  # ODS code or exact trust name
    "jd_ref",  # the trust's own reference; with trust, the key for re-imports
    "title",  # the trust's local job title, stored exactly as given
    "role",  # reference role id; empty means "not mapped yet"
    "band",  # 5, Band 5, B5, 8a, Band 8A ...
    "wte_funded",  # establishment, whole-time equivalent
    "wte_in_post",  # staff in post, whole-time equivalent
    "competencies",  # ;-separated competency ids or names
    "je_levels",  # empty, or 16 levels separated by spaces, factor 1 first: "4", "4a", "3ab"
    "summary",  # free text, stored exactly as given
)
REQUIRED_FIELDS: tuple[str, ...] = ("trust", "jd_ref", "title", "band")

COMPETENCY_SEPARATOR = ";"
# What a spreadsheet takes a cell starting with for a formula: exported text starting so gets
# a leading apostrophe (catalogue.export.inert), which import takes off.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def template_csv() -> str:
    """A blank CSV for trusts to fill: the header row and nothing else."""
    return ",".join(FIELDS) + "\r\n"


# Control characters but tab, line feed and carriage return (C0, DEL and C1): refused in any
# imported text, since an escape sequence in a title would drive the terminal of whoever
# lists it.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
