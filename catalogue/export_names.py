"""What `workforce export` can write, and in which formats: names only, no imports.

Kept apart from catalogue.export (which loads sqlite_utils and the queries) so the command
line can offer these as choices without importing it: start-up time. catalogue.export builds
its exports from EXPORT_TABLES and re-exports FORMATS.
"""

from __future__ import annotations

FORMATS = ("csv", "json", "toml")

# Each export and the TOML table name its rows go into.
EXPORT_TABLES: dict[str, str] = {
    "jds": "job",
    "roles": "role",
    "routes": "route",
    "competencies": "competency",
    "trusts": "trust",
    "bands": "band",
    "icbs": "icb",
    "staff-groups": "staff_group",
    "pay-points": "pay_point",
    "role-competencies": "role_competency",
    "edges": "edge",
    "rates": "rate",
    "settings": "on_costs",
    "je-profiles": "je_profile",
}
