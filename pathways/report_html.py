"""The board report as one self-contained HTML file.

Inline CSS only: no JavaScript, no fonts, images or style sheets fetched from anywhere, so
the file opens the same offline, attached to an email, or printed. Every piece of text goes
through `html.escape`: a JD titled "<script>" or "[bold]" shows exactly that. A Content
Security Policy forbids scripts and outside resources as well, should anything slip through.
"""

from __future__ import annotations

from html import escape

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

# Plain, high-contrast, and legible in black and white: boards print their papers.
STYLE = """
body { font-family: Arial, Helvetica, sans-serif; font-size: 11pt; line-height: 1.4;
       color: #1a1a1a; margin: 2em auto; max-width: 70em; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.3em; }
h2 { font-size: 1.3em; border-bottom: 2px solid #1a1a1a; padding-bottom: 0.2em;
     margin-top: 1.8em; }
h3 { font-size: 1.1em; margin-top: 1.4em; }
.notice { border: 3px solid #1a1a1a; background: #fff3c4; padding: 0.6em 1em;
          margin: 1em 0 1.5em; }
.notice strong { font-size: 1.15em; text-transform: uppercase; }
.notice p { margin: 0.4em 0 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.2em 1em; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; margin: 0.6em 0 1.2em; font-size: 0.95em; }
caption { caption-side: top; text-align: left; font-style: italic; padding-bottom: 0.3em; }
th, td { border: 1px solid #8c8c8c; padding: 0.25em 0.5em; vertical-align: top;
         text-align: left; }
th { background: #e8e8e8; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total td { font-weight: bold; border-top: 2px solid #1a1a1a; }
pre { background: #f2f2f2; border: 1px solid #8c8c8c; padding: 0.5em; white-space: pre-wrap; }
@media print {
  body { font-size: 9.5pt; margin: 0; max-width: none; }
  .notice { background: none; }
  th { background: none; }
  h2, h3 { break-after: avoid; }
  table { break-inside: auto; }
  tr { break-inside: avoid; }
  thead { display: table-header-group; }
}
"""

# No script may run and nothing may be fetched: the report stands alone.
POLICY = "default-src 'none'; style-src 'unsafe-inline'"


def table(block: Table) -> str:
    def cls(index: int) -> str:
        return ' class="num"' if index in block.numeric else ""

    head = "".join(
        f'<th scope="col"{cls(i)}>{escape(name)}</th>' for i, name in enumerate(block.columns)
    )
    rows = []
    last = len(block.rows) - 1
    for number, row in enumerate(block.rows):
        total = ' class="total"' if block.total and number == last else ""
        cells = "".join(f"<td{cls(i)}>{escape(value)}</td>" for i, value in enumerate(row))
        rows.append(f"<tr{total}>{cells}</tr>")
    caption = f"<caption>{escape(block.caption)}</caption>" if block.caption else ""
    body = "\n".join(rows)
    return f"<table>{caption}\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"


def block_html(block: Block) -> str:
    if isinstance(block, Heading):
        return f"<h{block.level}>{escape(block.text)}</h{block.level}>"
    if isinstance(block, Paragraph):
        return f"<p>{escape(block.text)}</p>"
    if isinstance(block, Notice):
        return (
            f'<div class="notice"><strong>Warning: {escape(block.title)}.</strong>'
            f"<p>{escape(block.text)}</p></div>"
        )
    if isinstance(block, Facts):
        items = "".join(
            f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>" for label, value in block.items
        )
        return f'<dl class="facts">{items}</dl>'
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in block.items) + "</ul>"
    if isinstance(block, Command):
        return f"<pre><code>{escape(block.text)}</code></pre>"
    return table(block)


def render_html(document: Document) -> str:
    body = "\n".join(block_html(block) for block in document.blocks)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(document.title)}</title>\n"
        f"<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{escape(document.title)}</h1>\n{body}\n</body>\n</html>\n"
    )
