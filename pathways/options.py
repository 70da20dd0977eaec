"""Choices and defaults the analyses take, as plain constants with no imports.

Kept apart from the analyses so that the command line can build its parser (choices, defaults,
help text) without importing them: start-up time. Each analysis imports its own from here, and
re-exports it, so `pathways.paths.VIA_CHOICES` and the like still work.
"""

from __future__ import annotations

# pathways.variation: flag severities, low to high; a threshold of "warn" includes "high".
SEVERITIES: tuple[str, ...] = ("warn", "high")

# pathways.paths: which moves a path may use, and how many paths are found at most.
VIA_CHOICES: tuple[str, ...] = ("any", "apprenticeship")
DEFAULT_MAX_PATHS = 5

# pathways.matching: how far the best candidate must lead the second for it to be applied,
# and how many candidate roles are listed per JD.
MIN_LEAD = 0.10
DEFAULT_LIMIT = 3

# pathways.report: how many of the most significant flagged JDs a board report lists.
DEFAULT_TOP = 20
