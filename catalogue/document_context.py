"""What reading a trust's own documents needs from the catalogue, gathered once per import.

The readers (catalogue.docx_jd, catalogue.xlsx_sources) read no catalogue themselves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from catalogue.errors import ImportProblem


@dataclass(frozen=True)
class DocumentContext:
    """What reading a document needs from the catalogue (it reads no catalogue itself)."""

    trust: str | None = None  # --trust: every document is this trust's
    trust_names: Mapping[str, str] = field(default_factory=dict)  # lower-cased name -> code
    trust_codes: frozenset[str] = frozenset()
    competency_terms: Mapping[str, Sequence[str]] = field(default_factory=dict)  # id -> terms
    factor_names: Sequence[str] = ()  # the JE scheme's 16 factors, in order
    # An import needs each post's trust; a JE check of a document does not.
    needs_trust: bool = True

    @classmethod
    def from_db(cls, db: Any, trust: str | None = None) -> DocumentContext:
        """The catalogue's trusts, competencies (with their synonyms) and JE factors; `trust`
        (--trust, an ODS code or exact name) checked against the trusts."""
        from catalogue.document_labels import load_synonyms

        rows = db.execute("SELECT code, name FROM trust").fetchall()
        codes = frozenset(str(code) for code, _ in rows)
        names = {str(name).lower(): str(code) for code, name in rows}
        chosen = None
        if trust is not None:
            given = trust.strip()
            chosen = given.upper() if given.upper() in codes else names.get(given.lower())
            if chosen is None:
                raise ImportProblem(
                    "--trust", "", None, f"unknown trust {trust!r}: give its ODS code or exact name"
                )
        synonyms = load_synonyms()
        terms = {
            str(cid): (str(name), *synonyms.get(str(cid), ()))
            for cid, name in db.execute("SELECT id, name FROM competency ORDER BY id")
        }
        factors = [
            str(name) for (name,) in db.execute("SELECT name FROM je_factor ORDER BY number")
        ]
        return cls(chosen, names, codes, terms, factors)
