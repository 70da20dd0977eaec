"""The board report as GitHub-flavoured Markdown.

Catalogue text is written as it is, so a title reads the same in the file as in the
catalogue ("[bold]", "<b>" and "A&E" stay literal). Only what would break the layout is
changed: a pipe inside a table cell is escaped (`\\|`), and line breaks inside a cell or a
list item become spaces.
"""

from __future__ import annotations

import re

from pathways.report import (
    Block,
    Bullets,
    Command,
    Document,
    Facts,
    Heading,
    Notice,
    Paragraph,
    Table,
)


def one_line(text: str) -> str:
    """Line breaks (of any kind) as single spaces: a cell, item or paragraph is one line."""
    lines = text.splitlines()
    if "".join(lines) == text:  # no line break in it
        return text
    return " ".join(line.strip() for line in lines if line.strip())


def cell(text: str) -> str:
    """A table cell: one line, pipes escaped so they do not end the cell."""
    return one_line(text).replace("|", "\\|")


def table(block: Table) -> str:
    lines = []
    if block.caption:
        lines.append(f"*{one_line(block.caption)}*")
        lines.append("")
    lines.append("| " + " | ".join(cell(name) for name in block.columns) + " |")
    lines.append(
        "| "
        + " | ".join(
            "---:" if index in block.numeric else "---" for index in range(len(block.columns))
        )
        + " |"
    )
    last = len(block.rows) - 1
    for number, row in enumerate(block.rows):
        cells = [cell(value) for value in row]
        if block.total and number == last:
            # Bold marks the total; an empty cell stays empty (** ** would show asterisks).
            cells = [f"**{value}**" if value else value for value in cells]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def fence(text: str) -> str:
    """A fenced code block whose fence is longer than any run of backticks in `text`."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    marks = "`" * max(3, longest + 1)
    return f"{marks}\n{text}\n{marks}"


def block_text(block: Block) -> str:
    if isinstance(block, Heading):
        return "#" * block.level + " " + one_line(block.text)
    if isinstance(block, Paragraph):
        return one_line(block.text)
    if isinstance(block, Notice):
        return f"> **WARNING: {one_line(block.title)}.**\n>\n> {one_line(block.text)}"
    if isinstance(block, Facts):
        return "\n".join(
            f"- **{one_line(label)}:** {one_line(value)}" for label, value in block.items
        )
    if isinstance(block, Bullets):
        # "*", not the facts' "-": a list straight after a list with the same marker would
        # join it in one list.
        return "\n".join(f"* {one_line(item)}" for item in block.items)
    if isinstance(block, Command):
        return fence(block.text)
    return table(block)


def render_markdown(document: Document) -> str:
    parts = [f"# {one_line(document.title)}", *(block_text(block) for block in document.blocks)]
    return "\n\n".join(parts) + "\n"
