"""The test factory builds what it is asked for (other tests rely on it)."""

from __future__ import annotations

from pathlib import Path

from catalogue.store import open_catalogue
from pathways.records import load_jds
from tests.factories import jd, make_catalogue


def test_make_catalogue_holds_exactly_the_listed_jds(reference_db: Path, tmp_path: Path) -> None:
    path = make_catalogue(
        reference_db,
        tmp_path,
        [
            jd("RRK", "A", "sonographer", "7", wte_funded=2, wte_in_post=1.5),
            jd("RL4", "B", None, "6", title="Snr Rad", je_levels=[1] * 16),
        ],
    )
    db = open_catalogue(path)
    try:
        jds = {j.jd_ref: j for j in load_jds(db)}
    finally:
        db.close()
    assert set(jds) == {"A", "B"}
    assert jds["A"].role == "sonographer" and jds["A"].wte_in_post == 1.5
    assert jds["B"].role is None and jds["B"].je_score == 86 and jds["B"].title == "Snr Rad"
