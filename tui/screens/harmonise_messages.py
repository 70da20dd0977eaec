"""What the Harmonise screen's workers tell it (tui/screens/harmonise.py), and the filter
its flags are read with."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from catalogue.scenarios import Scenario
    from pathways.harmonise import HarmonisationResult
    from pathways.records import RoleInfo
    from pathways.scenario_draft import Draft
    from pathways.variation import Flag


@dataclass(frozen=True)
class FlagFilter:
    staff_group: str | None = None
    trust: str | None = None
    severity: str | None = None


class HarmoniseReady(Message):
    """What the screen's choices are made from was read: filters, roles, pay years."""

    def __init__(
        self,
        staff_groups: dict[str, str],
        trusts: dict[str, str],
        roles: dict[str, RoleInfo],
        bands: dict[str, dict[str, int]],
        pay_years: list[str],
        on_costs: tuple[float, str] | None,
        saved: list[str],
    ) -> None:
        super().__init__()
        self.staff_groups = staff_groups
        self.trusts = trusts
        self.roles = roles
        self.bands = bands
        self.pay_years = pay_years
        self.on_costs = on_costs
        self.saved = saved


class FlagsLoaded(Message):
    """A page of flags was read (`total`: how many match the filter; `counts` by severity)."""

    def __init__(
        self,
        filters: FlagFilter,
        offset: int,
        total: int,
        counts: dict[str, int],
        flags: list[Flag],
    ) -> None:
        super().__init__()
        self.filters = filters
        self.offset = offset
        self.total = total
        self.counts = counts
        self.flags = flags


class PlanCosted(Message):
    """A draft was costed (`result` None: nothing to cost, or `problem` says why not)."""

    def __init__(
        self, generation: int, result: HarmonisationResult | None, problem: str = ""
    ) -> None:
        super().__init__()
        self.generation = generation
        self.result = result
        self.problem = problem


class ScenarioSaved(Message):
    def __init__(self, name: str, created: str, draft: Draft) -> None:
        super().__init__()
        self.name = name
        self.created = created
        self.draft = draft


class ScenariosListed(Message):
    """The saved scenarios were read, to open one or to delete one (`purpose`)."""

    def __init__(self, scenarios: list[Scenario], purpose: str) -> None:
        super().__init__()
        self.scenarios = scenarios
        self.purpose = purpose


class ScenarioDeleted(Message):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name


class FileWritten(Message):
    def __init__(self, path: Path, what: str) -> None:
        super().__init__()
        self.path = path
        self.what = what


class Refused(Message):
    """A save or write was refused (bad name, file exists...): `problem` says why."""

    def __init__(self, problem: str) -> None:
        super().__init__()
        self.problem = problem
