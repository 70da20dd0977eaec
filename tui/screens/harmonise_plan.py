"""What the Harmonise screen costs a draft from, read from the catalogue once and kept."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

    from pathways.harmonise import HarmonisationResult
    from pathways.records import JD, RoleInfo
    from pathways.scenario_draft import Draft


class PlanInputs:
    """The catalogue reads a plan needs, kept between costings: each target role's JDs, each
    pay year's salaries, the roles and trust names. Read in workers (a lock: an older worker
    may still be reading when a newer one starts). The screen starts a new one when the
    catalogue changes (`HarmoniseScreen.catalogue_changed`)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jds: dict[str, list[JD]] = {}
        self._pay: dict[str, dict[tuple[str, str], int]] = {}
        self._roles: dict[str, RoleInfo] | None = None
        self._trusts: dict[str, str] | None = None

    def cost(self, db: Database, draft: Draft, trusts: tuple[str, ...] = ()) -> HarmonisationResult:
        """The draft's plan on the catalogue `db` (HarmonisationError as `compute_plan`);
        `trusts` costs only those trusts' posts, their share of the network plan."""
        from pathways.harmonise import compute_plan, resolve_assumptions, with_pay_rules
        from pathways.records import load_jds, load_pay, load_roles, load_trusts

        assumptions = resolve_assumptions(db, draft.choices)
        with self._lock:
            if self._roles is None:
                self._roles = load_roles(db)
                self._trusts = {code: t.name for code, t in load_trusts(db).items()}
            for target in draft.targets:
                if target.role not in self._jds:
                    self._jds[target.role] = load_jds(db, role=target.role)
            if assumptions.pay_year not in self._pay:
                self._pay[assumptions.pay_year] = load_pay(db, assumptions.pay_year)[1]
            roles, names = self._roles, self._trusts or {}
            salaries = self._pay[assumptions.pay_year]
            # In the catalogue's order (trust, reference), as plan_harmonisation reads them.
            jds = sorted(
                (jd for t in draft.targets for jd in self._jds[t.role]),
                key=lambda jd: (jd.trust, jd.jd_ref),
            )
        result = compute_plan(
            jds,
            draft.targets,
            salaries,
            assumptions,
            roles=roles,
            trust_names=names,
            trusts=trusts,
        )
        # The pay rules' JDs are few (a role's): read each time, beside the kept band moves.
        return with_pay_rules(db, result, draft.pay, salaries)
