"""Tables as trafilatura prints them (`| cell | cell |` rows) -> lines a reader can use.

A layout table is not text: a one-column table is its cells, one a line (a cell that is a
headline without a full stop stays a one-cell row for the `link_table` rule); a label table
(`| Penulis | : Nabilla Tashandra |`) is `Penulis: Nabilla Tashandra` lines, which the byline
rules then read. A data table keeps its content as sentences of cells (`Name: Ann Lee; Age: 31`
under a header row, `Ann Lee; 31` without one). Empty rows, separator rows and grids of tiny
cells (calendars, score boards of digits) go.
"""

from __future__ import annotations

import regex

ROW = regex.compile(r"^\|.*\|$")
SEPARATOR_ROW = regex.compile(r"^\|(?:\s*:?-{3,}:?\s*\|)+$")
LABEL = regex.compile(r"^[\p{L}][\p{L} ./&-]{0,30}:?$")


def _cells(row: str) -> list[str]:
    return [" ".join(c.split()) for c in row.strip()[1:-1].split("|")]


def readable_tables(lines: list[str]) -> list[str]:
    """The lines with every run of table rows replaced by its readable form."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        if not ROW.match(lines[i]):
            out.append(lines[i])
            i += 1
            continue
        j = i
        while j < len(lines) and ROW.match(lines[j]):
            j += 1
        out.extend(_table_lines(lines[i:j]))
        i = j
    return out


def _table_lines(rows: list[str]) -> list[str]:
    header: list[str] | None = None
    if len(rows) > 1 and SEPARATOR_ROW.match(rows[1]):
        header = _cells(rows[0])
        rows = rows[2:]
    body = [_cells(r) for r in rows if not SEPARATOR_ROW.match(r)]
    body = [cells for cells in body if any(cells)]
    if header is not None and not any(header):
        header = None
    if not body and header is not None:
        body, header = [header], None
    out: list[str] = []
    for cells in body:
        filled = [c for c in cells if c]
        if all(len(c) <= 3 for c in filled):
            continue  # a calendar or a grid of digits
        if len(filled) == 1:  # a headline cell stays a row: the generic pack's `link_table` rule drops it
            out.append(filled[0] if filled[0][-1:] in ".!?…\"'”’»)" else f"| {filled[0]} |")
        elif len(filled) == 2 and LABEL.match(filled[0]) and (filled[1].startswith(":") or filled[0].endswith(":")):
            out.append(f"{filled[0].rstrip(': ')}: {filled[1].lstrip(': ')}")
        elif header is not None and len(header) == len(cells):
            out.append("; ".join(f"{h}: {c}" if h else c for h, c in zip(header, cells) if c))
        else:
            out.append("; ".join(filled))
    return out
