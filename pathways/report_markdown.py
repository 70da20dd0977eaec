"""The board report as GitHub-flavoured Markdown.

Catalogue text is shown literally wherever the file is rendered: Markdown renders raw HTML
and links, so a JD titled "<script>..." or "[click](javascript:...)" would otherwise be
markup in a board member's viewer. HTML's <, > and & are written as entities (as the HTML
report does) and Markdown's own punctuation is backslash-escaped, so the rendered text reads
as the catalogue holds it ("[bold]", "<b>" and "A&E" appear as typed). A pipe inside a table
cell is escaped too, and line breaks inside a cell or a list item become spaces.
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

_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# Markdown's inline punctuation: emphasis, code, links and images, escapes, strikethrough.
_MARKDOWN = set("\\`*_[]~!")


def literal(text: str, *, starts_line: bool = True) -> str:
    """Text that renders as itself: no HTML, no emphasis, no links; and, where it starts a
    line (not in a table cell), no list, quote or heading."""
    out = "".join(_ENTITIES.get(ch) or ("\\" + ch if ch in _MARKDOWN else ch) for ch in text)
    # What would start a heading, quote, list or rule at the start of a line.
    if starts_line and re.match(r"(#|>|[-+=]|\d+[.)])", out):
        out = re.sub(r"^(\d+)([.)])", r"\1\\\2", out) if out[:1].isdigit() else "\\" + out
    return out


def one_line(text: str, *, starts_line: bool = True) -> str:
    """Literal text with line breaks (of any kind) as single spaces: a cell, item or
    paragraph is one line."""
    lines = text.splitlines()
    if "".join(lines) != text:  # line breaks in it
        text = " ".join(line.strip() for line in lines if line.strip())
    return literal(text, starts_line=starts_line)


def cell(text: str) -> str:
    """A table cell: one line, pipes escaped so they do not end the cell."""
    return one_line(text, starts_line=False).replace("|", "\\|")


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
        return "#" * block.level + " " + one_line(block.text, starts_line=False)
    if isinstance(block, Paragraph):
        return one_line(block.text)
    if isinstance(block, Notice):
        return f"> **WARNING: {one_line(block.title)}.**\n>\n> {one_line(block.text)}"
    if isinstance(block, Facts):
        return "\n".join(
            f"- **{one_line(label)}:** {one_line(value, starts_line=False)}"
            for label, value in block.items
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
