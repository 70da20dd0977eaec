"""Career paths as flat rows for a spreadsheet (CSV, TOML): `workforce path --format csv` and
the app's export of paths (My next step).

One row per step, with that step's own months, funding cap and fee; the path's totals once,
on its first row only (path_* columns, blank on the others). So in a spreadsheet:
- summing a step column (months, funding_cap, fee) over a path's rows gives the path's total,
  and over every row the sum of every path's total;
- summing a path_* column gives the same, each path counted once.
An apprenticeship that spans a training post makes two moves with one programme: its funding
cap (or a course's fee) is counted on the first of them, and the other says so in `counted`,
as the path's total counts each route once (`CareerPath.apprenticeship_cost`, `fees`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from pathways.paths import Career, CareerPath, step_as_dict

PATH_COLUMNS = (
    "path",
    "step",
    "from_role",
    "to_role",
    "kind",
    "months",
    "months_in_post",
    "training_months",
    "months_unknown",
    "route",
    "routes",
    "funding_cap",
    "funding_cap_unknown",
    "fee",
    "fee_unknown",
    "counted",
    "to_gain",
    "warnings",
    "path_months",
    "path_months_unknown",
    "path_funding_cap",
    "path_fees",
)


def path_rows(paths: Iterable[CareerPath], career: Career, today: date) -> list[dict[str, Any]]:
    """Every step of every path as a row (PATH_COLUMNS), paths numbered from 1."""
    rows: list[dict[str, Any]] = []
    for number, path in enumerate(paths, start=1):
        counted_at: dict[str, int] = {}  # route id -> the step its cap or fee is counted on
        for index, step in enumerate(path.steps, start=1):
            entry = step_as_dict(step, career, today)
            route = entry["route"]
            cap, fee, counted = entry["cost"], entry["fee"], ""
            if route is not None and (cap is not None or fee is not None):
                if route in counted_at:  # the same programme, already counted on this path
                    what = "funding cap" if cap is not None else "fee"
                    counted = f"{what} of {route} counted at step {counted_at[route]}"
                    cap = fee = None
                else:
                    counted_at[route] = index
            first = index == 1
            rows.append(
                {
                    "path": number,
                    "step": index,
                    "from_role": entry["from_role"],
                    "to_role": entry["to_role"],
                    "kind": entry["kind"],
                    "months": entry["months"],
                    "months_in_post": entry["months_in_post"],
                    "training_months": entry["training_months"],
                    "months_unknown": entry["months_unknown"],
                    "route": route or "",
                    "routes": ";".join(r["id"] for r in entry["routes"]),
                    "funding_cap": cap,
                    "funding_cap_unknown": entry["cost_unknown"],
                    "fee": fee,
                    "fee_unknown": entry["fee_unknown"],
                    "counted": counted,
                    "to_gain": ";".join(f"{g['competency']}:{g['level']}" for g in entry["gap"]),
                    "warnings": ";".join(w["text"] for w in entry["warnings"]),
                    "path_months": path.total_months if first else None,
                    "path_months_unknown": path.months_unknown if first else None,
                    "path_funding_cap": path.apprenticeship_cost if first else None,
                    "path_fees": path.fees if first else None,
                }
            )
    return rows
