"""`corpus-cleaner report`: one self-contained HTML page from the `--stats` files of one or more runs.

No script, no external file: tables and inline SVG bar charts, readable offline and printable.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from pathlib import Path
from typing import Iterable

from .stats import COUNTER_KEYS, LENGTH_BUCKETS, TOTAL_KEYS

COLOURS = ("#2f6db5", "#d9822b", "#3a9a5b", "#b8433b", "#7a5bb5", "#8c6d46", "#c45c9b", "#6b7280")


def merge(stats: list[dict]) -> dict:
    """The runs added up: counts summed, categories and buckets merged."""
    total: dict = {**dict.fromkeys(TOTAL_KEYS, 0), "interrupted": False}
    counters = {key: Counter() for key in COUNTER_KEYS}
    by_site: dict[str, Counter] = {}
    for run in stats:
        for key in TOTAL_KEYS:
            total[key] += int(run.get(key, 0))
        total["interrupted"] |= bool(run.get("interrupted"))
        for key, counter in counters.items():
            counter.update(run.get(key, {}))
        for site, removed in run.get("removed_lines_by_site", {}).items():
            by_site.setdefault(site, Counter()).update(removed)
    total.update(counters)
    total["removed_lines_by_site"] = by_site
    return total


def bars(title: str, counts: dict, order: Iterable[str] | None = None, colour: str = COLOURS[0]) -> str:
    """A horizontal bar chart as inline SVG, with the numbers written on it."""
    items = [(k, counts.get(k, 0)) for k in order] if order else sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    items = [(k, v) for k, v in items if v or order]
    if not items:
        return f"<div class=chart><h3>{html.escape(title)}</h3><p class=empty>none</p></div>"
    top = max(v for _, v in items) or 1
    row, label_w, bar_w = 22, 170, 420
    svg = [f'<svg role="img" aria-label="{html.escape(title)}" width="{label_w + bar_w + 70}" height="{row * len(items) + 6}">']
    for i, (key, value) in enumerate(items):
        y = i * row + 3
        width = max(1, round(bar_w * value / top)) if value else 0
        svg.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{html.escape(str(key))}</text>'
                   f'<rect x="{label_w}" y="{y + 2}" width="{width}" height="{row - 6}" fill="{colour}"/>'
                   f'<text x="{label_w + width + 6}" y="{y + 15}">{value:,}</text>')
    svg.append("</svg>")
    return f"<div class=chart><h3>{html.escape(title)}</h3>" + "".join(svg) + "</div>"


def site_table(by_site: dict[str, Counter]) -> str:
    """Categories down, sites across (there are fewer sites than categories)."""
    sites = sorted(by_site)
    categories = sorted({c for removed in by_site.values() for c in removed},
                        key=lambda c: -sum(r.get(c, 0) for r in by_site.values()))
    if not categories:
        return "<p class=empty>no lines removed</p>"
    head = "".join(f"<th>{html.escape(site)}</th>" for site in sites)
    rows = [f"<tr><th>{html.escape(c)}</th>" + "".join(f"<td>{by_site[s].get(c, 0):,}</td>" for s in sites) + "</tr>"
            for c in categories]
    totals = "".join(f"<td><b>{sum(by_site[s].values()):,}</b></td>" for s in sites)
    return f"<table><tr><th>category</th>{head}</tr>{''.join(rows)}<tr><th>all</th>{totals}</tr></table>"


def render(stats: list[dict], names: list[str]) -> str:
    t = merge(stats)
    read = t["read"] or 1
    cards = "".join(
        f'<div class=card><div class=n>{value}</div><div>{label}</div></div>'
        for label, value in (
            ("records in", f"{t['read']:,}"),
            ("records out", f"{t['written']:,}"),
            ("rejected", f"{t['rejected']:,} ({100 * t['rejected'] / read:.1f}%)"),
            ("characters out", f"{t['chars_written']:,}"),
        )
    )
    warn = "<p class=warn>At least one run was interrupted before the end of its input.</p>" if t["interrupted"] else ""
    balance = "" if t["read"] == t["written"] + t["rejected"] else \
        f"<p class=warn>Accounting does not add up: {t['read']} read, {t['written']} written, {t['rejected']} rejected.</p>"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>corpus-cleaner report</title>
<style>
body {{ font: 14px/1.45 system-ui, sans-serif; margin: 24px 40px; color: #1f2933; }}
h1 {{ margin-bottom: 4px; }} h2 {{ margin-top: 32px; border-bottom: 1px solid #d5dae0; }}
.cards {{ display: flex; gap: 16px; flex-wrap: wrap; }}
.card {{ border: 1px solid #d5dae0; border-radius: 8px; padding: 10px 18px; min-width: 150px; }}
.card .n {{ font-size: 24px; font-weight: 600; }}
.grid {{ display: flex; flex-wrap: wrap; gap: 8px 48px; align-items: flex-start; }}
.chart h3 {{ margin: 12px 0 6px; font-size: 15px; }}
svg text {{ font: 12px system-ui, sans-serif; fill: #1f2933; }}
table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #d5dae0; padding: 3px 8px; text-align: right; }}
th:first-child {{ text-align: left; }} .warn {{ color: #b8433b; font-weight: 600; }} .empty, .runs {{ color: #6b7280; }}
</style></head><body>
<h1>corpus-cleaner report</h1>
<p class=runs>{len(stats)} run(s): {html.escape(", ".join(names))}</p>
{warn}{balance}
<div class=cards>{cards}</div>
<h2>Records</h2>
<div class=grid>
{bars("Rejected, by reason", t["rejected_by_reason"], colour=COLOURS[3])}
{bars("Written, by method", t["by_method"], colour=COLOURS[0])}
{bars("Written, by site", t["by_site"], colour=COLOURS[2])}
</div>
<h2>Removed lines</h2>
<div class=grid>{bars("Removed lines, by category", t["removed_lines_by_category"], colour=COLOURS[1])}</div>
<h3>Removed lines, by site and category</h3>
{site_table(t["removed_lines_by_site"])}
<h2>Distributions</h2>
<div class=grid>
{bars("Records by language", t["by_language"], colour=COLOURS[4])}
{bars("Records by length (characters)", t["records_by_length"], order=LENGTH_BUCKETS, colour=COLOURS[5])}
</div>
</body></html>
"""


def report_files(paths: list[str], output: str) -> None:
    stats = []
    for path in paths:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValueError(f"{path}: not a readable --stats file: {exc}") from None
        if not isinstance(data, dict) or "read" not in data:
            raise ValueError(f"{path}: not a --stats file (no 'read' count)")
        stats.append(data)
    Path(output).write_text(render(stats, [Path(p).name for p in paths]), encoding="utf-8")
