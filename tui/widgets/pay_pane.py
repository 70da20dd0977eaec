"""The Harmonise screen's Pay tab: who pays what for the same work, beyond the band.

A pane that owns its state: it reads `pathways.pay_variation` in a thread worker and shows
every pay line of the roles paid differently anywhere (a premium, a supplement, new starters
appointed above the entry point, or a flag), worst first, each with what a new starter and a
person at the top of the band are paid, element by element. The screen composes it, and asks
it for the line under the cursor (Enter: the role's Compare view) and for its rows (export).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from tui.background import cancelled, catalogue_in_thread
from tui.widgets.tables import ListTable, cell

if TYPE_CHECKING:
    from pathways.pay_variation import Pay, PayLine, PayVariation

PAY_COLUMNS = (
    "Sev",
    "Role",
    "Trust",
    "Band",
    "Posts",
    "Appointed",
    "New starter",
    "Top of band",
    "RRP until",
    "Gap",
    "Why",
)
PAY_SHRINK = {"Role": 10, "Why": 12}


class PayRead(Message):
    """The pay variation was read (or could not be: `problem`)."""

    def __init__(self, result: PayVariation | None, problem: str = "") -> None:
        super().__init__()
        self.result = result
        self.problem = problem


def pay_cell(pay: Pay) -> Text:
    """'£52,591 = 47,810 + RRP 4,781': the total, then each element paid beyond basic."""
    from pathways.figures import money  # light: the standard library alone

    text = money(pay.total)
    extras = []
    if pay.rrp:
        extras.append(f"RRP {money(pay.rrp)}")
    if pay.supplement:
        extras.append(f"suppl. {money(pay.supplement)}")
    if extras:
        text += f" = {money(pay.basic)} + " + " + ".join(extras)
    return cell(text)


class PayPane(Vertical):
    """Pay lines worst first; read again with `reload` (the catalogue changed)."""

    DEFAULT_CSS = """
    PayPane {
        height: 1fr;
    }
    PayPane #pay-status {
        height: auto;
        padding: 0 1;
    }
    """

    def __init__(self, db_path: Path, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.db_path = db_path
        self.lines: dict[str, PayLine] = {}  # shown, by "ROLE|TRUST|BAND|n"
        self.result: PayVariation | None = None

    def compose(self) -> ComposeResult:
        yield Static("Reading pay…", id="pay-status", classes="table-status")
        yield ListTable(id="pay-lines")

    def on_mount(self) -> None:
        table = self.query_one("#pay-lines", ListTable)
        for label in PAY_COLUMNS:
            table.add_column(
                Text(label, justify="right" if label == "Posts" else "left"), key=label
            )
        table.shrink_to_fit(PAY_SHRINK)
        self.loading = True
        self.reload()

    @work(thread=True, exclusive=True, group="pay", exit_on_error=False)
    def reload(self) -> None:
        from catalogue.errors import CatalogueError
        from pathways.pay_variation import PayVariationError, pay_variation

        with catalogue_in_thread(self.db_path) as db:
            try:
                message = PayRead(pay_variation(db))
            except (CatalogueError, PayVariationError) as error:
                message = PayRead(None, str(error))
        if not cancelled():
            self.post_message(message)

    def on_pay_read(self, event: PayRead) -> None:
        event.stop()
        self.loading = False
        self.result = event.result
        status = self.query_one("#pay-status", Static)
        if event.result is None:
            status.update(Text(f"Cannot read pay: {event.problem}", style="bold red"))
            return
        self._draw(event.result)

    def _draw(self, result: PayVariation) -> None:
        from pathways.pay_variation import REASON_TEXT, sort_lines

        table = self.query_one("#pay-lines", ListTable)
        keep = table.highlighted_key()
        table.clear()
        self.lines = {}
        shown = [role for role in result.roles if role.varies]
        for number, line in enumerate(sort_lines(ln for role in shown for ln in role.lines)):
            key = f"{line.role}|{line.trust}|{line.band}|{number}"
            self.lines[key] = line
            gap = " / ".join(f"{line.gaps.get(m, 0.0):+.1%}" for m in ("new_starter", "top"))
            table.add_row(
                Text(line.severity or "", style="bold red" if line.severity == "high" else ""),
                cell(line.role),
                cell(line.trust),
                cell(line.band),
                cell(len(line.jd_refs), right=True),
                cell(line.appointment_point),
                pay_cell(line.new_starter),
                pay_cell(line.top),
                cell(line.rrp_until or ""),
                cell(gap),
                cell("; ".join(REASON_TEXT[reason] for reason in line.reasons)),
                key=key,
            )
        if keep is not None:
            table.move_to_key(keep)
        counts = result.counts()
        status = (
            f"{counts['flags']} pay lines flagged ({counts['high']} high, {counts['warn']} warn)"
            f" in {len(shown)} roles paid beyond the band · pay year {result.pay_year} · "
            f"threshold {result.threshold:.1%} · premia judged as of {result.today}"
        )
        if not shown:
            status = (
                f"No role is paid beyond its band (pay year {result.pay_year}): import JDs with "
                "rrp, supplement or appointment_point columns to compare trusts' pay."
            )
        self.query_one("#pay-status", Static).update(Text(status))

    def highlighted(self) -> PayLine | None:
        key = self.query_one("#pay-lines", ListTable).highlighted_key()
        return self.lines.get(key or "")

    def rows(self) -> list[dict[str, Any]]:
        """The lines shown, flat (as `workforce variation --pay --format csv` writes them)."""
        from pathways.pay_variation import line_row

        return [line_row(line) for line in self.lines.values()]
