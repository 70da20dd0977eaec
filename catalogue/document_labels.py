"""The labels trusts give a JD's fields in Word and the columns of an establishment workbook,
read from `catalogue/data/document_labels.toml`, and the competency synonyms beside
competencies.toml: data, so a network can add its trusts' wordings without touching code."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from catalogue.errors import ReferenceDataError

DATA_DIR = Path(__file__).parent / "data"
LABELS_FILE = "document_labels.toml"
SYNONYMS_FILE = "competency_synonyms.toml"


def label_key(text: str) -> str:
    """A label as compared: lower case, punctuation as spaces, spaces collapsed."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


@dataclass(frozen=True)
class Labels:
    jd: dict[str, str]  # label key -> JD field (title, band, jd_ref, wte, hours, trust, summary)
    not_titles: frozenset[str]  # headings that name the document, not the post
    columns: dict[str, str]  # column label key -> field
    je_factors: dict[int, tuple[str, ...]]  # factor number -> phrases a row label contains


def _by_label(path: Path, table: dict[str, list[str]], name: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for field, labels in table.items():
        for label in labels:
            key = label_key(label)
            if key in found and found[key] != field:
                raise ReferenceDataError(
                    f"{path}: [{name}] label {label!r} is given for both {found[key]} and {field}"
                )
            found[key] = field
    return found


@cache
def load_labels(data_dir: Path = DATA_DIR) -> Labels:
    path = data_dir / LABELS_FILE
    with path.open("rb") as handle:
        doc = tomllib.load(handle)
    jd = dict(doc["jd"])
    not_titles = frozenset(label_key(text) for text in jd.pop("not_titles", []))
    return Labels(
        jd=_by_label(path, jd, "jd"),
        not_titles=not_titles,
        columns=_by_label(path, doc["columns"], "columns"),
        je_factors={
            int(number): tuple(label_key(text) for text in phrases)
            for number, phrases in doc.get("je_factors", {}).items()
        },
    )


@cache
def load_synonyms(data_dir: Path = DATA_DIR) -> dict[str, tuple[str, ...]]:
    """Competency id -> the other ways JDs write it (its own name is matched as well)."""
    path = data_dir / SYNONYMS_FILE
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        table = tomllib.load(handle).get("synonyms", {})
    return {str(cid): tuple(str(text) for text in texts) for cid, texts in table.items()}
