"""The Network screen's summary under the trusts: banding flags by severity with the biggest
disagreements, and the vacancy rate of each staff group against the national rate.

It reads itself, in a thread worker, once mounted; the Network screen mounts it a moment
after the trusts are shown, so the first screen is not kept waiting for the analyses
(pathways.variation and pathways.gap, both counted in SQL without fetching every JD).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Static
from textual.worker import Worker

from tui.background import cancelled, catalogue_in_thread, report_failure

if TYPE_CHECKING:
    from pathways.gap import GapRow
    from pathways.variation import Flag

TOP_FLAGS = 5  # the biggest disagreements shown (the first page of `list_flags`)
NO_NATIONAL = "no national figure"
BLOCKS = " ▏▎▍▌▋▊▉█"  # eighths of a cell, for bars drawn to a fraction of a character
NATIONAL_MARK = "┃"
MIN_BAR, MAX_BAR = 5, 30  # a bar's length in cells, whatever the width
MAX_LABEL = 20  # "Radiology nursing" and "Radiology (medical)" stay apart
SMALL_MARK = "†"  # after the rate of a group under the small-number threshold


def _count(number: int, noun: str) -> str:
    """'1 JD', '2 JDs': a count with its noun in the right number."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


@dataclass(frozen=True, slots=True)
class SeverityCount:
    severity: str
    flags: int
    wte_in_post: float


@dataclass(frozen=True, slots=True)
class FlagOverview:
    """What the flags panel shows: the counts of `variation_summary`, the top of `list_flags`."""

    total: SeverityCount
    by_severity: tuple[SeverityCount, ...]  # worst first
    top: tuple[Flag, ...]
    unmapped: int  # JDs not judged: no reference role yet


class NetworkSummarised(Message):
    """The network's banding flags and vacancy rates by staff group were read."""

    def __init__(
        self, flags: FlagOverview, vacancies: tuple[GapRow, ...], small_threshold: float
    ) -> None:
        super().__init__()
        self.flags = flags
        self.vacancies = vacancies
        self.small_threshold = small_threshold  # WTE funded under which a group is small


# -- what the panels show (pure: tested through `plain`) ---------------------------------------


def _reason_text(flag: Flag) -> str:
    """What the band is compared with: '6 vs JE 5', '2 vs mode 3', '5 vs ref 6'."""
    verdict = flag.verdict
    against: list[str] = []
    if "je" in verdict.reasons:
        against.append(f"JE {verdict.je_band or 'above 9'}")
    if "modal" in verdict.reasons:
        against.append(f"mode {verdict.modal_band}")
    if "reference" in verdict.reasons:
        against.append(f"ref {verdict.reference_band}")
    return f"{flag.band} vs {', '.join(against)}"


def render_flags(overview: FlagOverview) -> RenderableType:
    total = overview.total
    parts: list[RenderableType] = [
        Text.assemble(
            ("Banding flags ", "bold"),
            f"{_count(total.flags, 'JD')}, {total.wte_in_post:,.1f} WTE in post",
        )
    ]
    counts = Table.grid(padding=(0, 1))
    counts.add_column()
    counts.add_column(justify="right")
    counts.add_column(justify="right")
    for count in overview.by_severity:
        style = "bold red" if count.severity == "high" and count.flags else ""
        counts.add_row(
            Text(f" {count.severity}", style=style),
            Text(_count(count.flags, "JD")),
            Text(f"{count.wte_in_post:,.1f} WTE"),
        )
    parts.append(counts)
    if overview.top:
        parts.append(Text.assemble(("Biggest disagreements", "bold"), (" (WTE in post)", "dim")))
        # The title gives way to the figures in a narrow panel.
        top = Table.grid(padding=(0, 1), expand=True)
        top.add_column(no_wrap=True, min_width=5)
        top.add_column(no_wrap=True, min_width=3)
        top.add_column(no_wrap=True, overflow="ellipsis", ratio=1)
        top.add_column(no_wrap=True, style="dim")
        top.add_column(no_wrap=True, justify="right")
        for flag in overview.top:
            severity = flag.verdict.severity
            top.add_row(
                Text(f" {severity}", style="red" if severity == "high" else ""),
                Text(flag.trust),
                # The title is data from an imported file: plain Text, never markup.
                Text(flag.title, no_wrap=True, overflow="ellipsis"),
                Text(_reason_text(flag)),
                Text("" if flag.wte_in_post is None else f"{flag.wte_in_post:.1f}"),
            )
        parts.append(top)
    elif not total.flags:
        parts.append(Text("No JD's band stands out.", style="dim"))
    if overview.unmapped:
        parts.append(
            Text(f"{_count(overview.unmapped, 'JD')} not judged: no reference role yet", "dim")
        )
    return Group(*parts)


def _percent(rate: float) -> str:
    return f"{rate * 100:.1f}%"


class VacancyChart:
    """Vacancy rate by staff group as text bars, each marked where its national rate lies.

    A group under `small_threshold` WTE funded (pathways.gap's small numbers, which
    `workforce gap` footnotes and the board report hides) has its rate marked † and its bar
    dimmed: one post moves its rate a long way. Laid out to the width it is given (a narrow
    terminal shortens the labels and bars)."""

    def __init__(self, rows: Sequence[GapRow], small_threshold: float) -> None:
        self.rows = list(rows)
        self.small_threshold = small_threshold

    def scale(self) -> float:
        """The rate at a bar's full length: the largest rate shown, up to the next 5%."""
        rates = [r.vacancy_rate or 0.0 for r in self.rows] + [
            r.national_rate or 0.0 for r in self.rows
        ]
        top = max(rates, default=0.0)
        steps = max(1, -(-round(top * 1000) // 50))  # 5% steps, rounded up (0.1% precision)
        return steps * 0.05

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self.rows:
            yield Text("No JDs with WTE figures: no vacancy rates.", style="dim")
            return
        # The figures and "no national figure" are kept whole; the label, then the bar, give
        # way in a narrow terminal.
        width = options.max_width
        rate_width = 7  # "-12.3% "
        any_small = any(row.small for row in self.rows)
        mark_width = len(SMALL_MARK) if any_small else 0  # no column unless a group is small
        fixed = rate_width + mark_width + len(NO_NATIONAL) + 2
        longest = max(len(row.label) for row in self.rows)
        label_width = max(10, min(longest, MAX_LABEL, width - fixed - MIN_BAR))
        bar_width = max(MIN_BAR, min(MAX_BAR, width - fixed - label_width))
        scale = self.scale()
        for row in self.rows:
            line = Text(no_wrap=True, overflow="ellipsis")
            label = row.label if len(row.label) <= label_width else row.label[: label_width - 1]
            line.append(label.ljust(label_width) if label == row.label else label + "…")
            line.append(" ")
            line.append_text(
                _bar(row.vacancy_rate, row.national_rate, scale, bar_width, small=row.small)
            )
            line.append(" ")
            if row.vacancy_rate is None:
                line.append("no WTE".rjust(rate_width - 1), style="dim")
            else:
                line.append(_percent(row.vacancy_rate).rjust(rate_width - 1))
            if any_small:
                line.append(SMALL_MARK if row.small else " " * mark_width, style="bold")
            line.append(" ")
            if row.national_rate is None:
                line.append(NO_NATIONAL, style="dim")
            else:
                line.append(f"{NATIONAL_MARK} national {_percent(row.national_rate)}")
            yield line
        yield Text(
            f"{'':{label_width}} 0{f'{scale * 100:.0f}%':>{bar_width - 1}}",
            style="dim",
            no_wrap=True,
        )
        yield Text(
            f"█ vacancy rate (WTE funded not in post)  {NATIONAL_MARK} national rate of the "
            "group's roles that have one",
            style="dim",
        )
        if any_small:
            yield Text(
                f"{SMALL_MARK} under {self.small_threshold:g} WTE funded: small numbers, "
                "read with care",
                style="dim",
            )


def _bar(
    rate: float | None, national: float | None, scale: float, width: int, *, small: bool = False
) -> Text:
    """`width` cells: the rate in eighths of a cell (none when over-established), and the
    national rate's cell marked; a small group's bar is dimmed."""
    eighths = 0 if rate is None or rate <= 0 else round(min(rate / scale, 1.0) * width * 8)
    cells = [BLOCKS[8]] * (eighths // 8)
    if eighths % 8:
        cells.append(BLOCKS[eighths % 8])
    cells += [" "] * (width - len(cells))
    bar = Text()
    mark = None if national is None else min(width - 1, int(national / scale * width))
    for index, char in enumerate(cells):
        if index == mark:
            bar.append(NATIONAL_MARK, style="bold yellow")
        else:
            bar.append(char, style="dim cyan" if small else "cyan")
    return bar


# -- the widget ---------------------------------------------------------------------------------


class NetworkSummary(Horizontal):
    DEFAULT_CSS = """
    NetworkSummary {
        height: 13;
        border-top: solid $primary 50%;
    }
    NetworkSummary > VerticalScroll {
        height: 1fr;
        padding: 0 1;
        scrollbar-size-vertical: 1;
    }
    NetworkSummary > #flags-panel {
        width: 2fr;
    }
    NetworkSummary > #vacancy-panel {
        width: 3fr;
        border-left: solid $primary 50%;
    }
    NetworkSummary .summary-title {
        text-style: bold;
    }
    """

    def __init__(self, db_path: Path) -> None:
        super().__init__(id="network-summary")
        self.db_path = db_path
        self.loaded = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="flags-panel"):
            yield Static("", id="flags-summary")
        with VerticalScroll(id="vacancy-panel"):
            yield Static("Vacancy rate by staff group", classes="summary-title", markup=False)
            yield Static("", id="vacancy-chart")

    def on_mount(self) -> None:
        for panel in self.query(VerticalScroll):
            panel.loading = True
        self.summarise()

    @work(thread=True, exclusive=True, group="network-summary", exit_on_error=False)
    def summarise(self) -> None:
        # Deferred: the analyses (and sqlite-utils) load in this worker, not before the first
        # frame.
        from pathways.gap import gap_report, load_wte_cells
        from pathways.records import load_national_rates
        from pathways.variation import list_flags, variation_summary

        with catalogue_in_thread(self.db_path) as db:
            summary = variation_summary(db)
            top = tuple(list_flags(db, summary.rules, limit=TOP_FLAGS))
            if cancelled():
                return
            report = gap_report(load_wte_cells(db), load_national_rates(db), "staff-group")
        counts = summary.flags
        overview = FlagOverview(
            total=SeverityCount("all", counts.total.flags, counts.total.wte_in_post),
            by_severity=tuple(
                SeverityCount(name, tally.flags, tally.wte_in_post)
                for name, tally in counts.by_severity.items()
            ),
            top=top,
            unmapped=summary.skipped.get("unmapped", 0),
        )
        if not cancelled():
            self.post_message(NetworkSummarised(overview, report.rows, report.threshold))

    def on_network_summarised(self, event: NetworkSummarised) -> None:
        event.stop()
        self.loaded = True
        self.query_one("#flags-summary", Static).update(render_flags(event.flags))
        self.query_one("#vacancy-chart", Static).update(
            VacancyChart(event.vacancies, event.small_threshold)
        )
        for panel in self.query(VerticalScroll):
            panel.loading = False

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if report_failure(self, event):
            for panel in self.query(VerticalScroll):
                panel.loading = False
