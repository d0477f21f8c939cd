"""`corpus-cleaner report`: one self-contained HTML page from the `--stats` files of one or more runs.

No script, no external file: tables and bar charts in HTML and CSS, readable offline and printable.
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
    """A horizontal bar chart in HTML and CSS, with the numbers written beside the bars: it takes
    the width of its grid cell, and its text stays the page's size at any width."""
    items = [(k, counts.get(k, 0)) for k in order] if order else sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    items = [(k, v) for k, v in items if v or order]
    if not items:
        return f"<div class=chart><h3>{html.escape(title)}</h3><p class=empty>none</p></div>"
    top = max(v for _, v in items) or 1
    rows = "".join(
        f'<div class=label>{html.escape(str(key))}</div><div class=track>'
        f'<span class=bar style="width:{85 * value / top:.1f}%;background:{colour}"></span><span>{value:,}</span></div>'
        for key, value in items)
    return f'<div class=chart role=img aria-label="{html.escape(title)}"><h3>{html.escape(title)}</h3><div class=bars>{rows}</div></div>'


def run_names(paths: list[str]) -> list[str]:
    """How the report names each stats file: its file name, or the path as given when two share a name."""
    names = [Path(p).name for p in paths]
    names = [str(p) if names.count(n) > 1 else n for p, n in zip(paths, names)]
    return [f"{n} ({names[:i].count(n) + 1})" if names.count(n) > 1 else n for i, n in enumerate(names)]


def duration(seconds) -> str:
    if not isinstance(seconds, (int, float)):
        return "-"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min {secs:02d} s" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


def run_facts(run: dict) -> list[tuple[str, str]]:
    """(label, value) of what a stats file says about its run: when, how long, which version, what it read."""
    info = run.get("run") or {}
    started = str(info.get("started") or "-").replace("T", " ").replace("+00:00", " UTC")
    inputs = info.get("inputs")
    return [("started", started), ("duration", duration(info.get("duration_s"))),
            ("version", str(info.get("version") or "-")),
            ("inputs", ", ".join(map(str, inputs)) if inputs else "-")]


def runs_table(stats: list[dict], names: list[str]) -> str:
    """One column per stats file (and one for all of them): the run, its counts, its breakdowns."""
    total = merge(stats)
    columns = list(zip(names, stats)) + ([("all runs", total)] if len(stats) > 1 else [])
    head = "".join(f"<th>{html.escape(n)}</th>" for n, _ in columns)
    rows = []

    def add(label: str, cells: list[str], cls: str = "") -> None:
        rows.append(f"<tr{cls}><th>{html.escape(label)}</th>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")

    facts = [run_facts(run) for _, run in columns[:len(stats)]]
    for i, label in enumerate(("started", "duration", "version", "inputs")):
        add(label, [html.escape(f[i][1]) for f in facts] + ([""] if len(stats) > 1 else []), " class=fact")
    for key, label in (("read", "records in"), ("written", "records out"), ("rejected", "rejected"),
                       ("chars_written", "characters out")):
        add(label, [f"{int(run.get(key, 0)):,}" for _, run in columns])
    for key, label in (("rejected_by_reason", "rejected: "), ("by_method", "method: "), ("by_site", "site: "),
                       ("by_language", "language: ")):
        for name in sorted(total[key], key=lambda k: (-total[key][k], k)):
            add(label + str(name), [f"{run.get(key, {}).get(name, 0):,}" for _, run in columns], " class=sub")
    return f"<table class=runs-table><tr><th></th>{head}</tr>{''.join(rows)}</table>"


def site_table(by_site: dict[str, Counter]) -> str:
    """Categories down, sites across (there are fewer sites than categories)."""
    sites = sorted(by_site)
    categories = sorted({c for removed in by_site.values() for c in removed},
                        key=lambda c: (-sum(r.get(c, 0) for r in by_site.values()), c))  # ties by name: the same page for any hash seed
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
    heading = f"{len(stats)} runs" if len(stats) > 1 else "1 run"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>corpus-cleaner report</title>
<style>
body {{ font: 14px/1.45 system-ui, sans-serif; margin: 24px 40px; color: #1f2933; }}
h1 {{ margin-bottom: 4px; }} h2 {{ margin-top: 32px; border-bottom: 1px solid #d5dae0; }}
.cards {{ display: flex; gap: 16px; flex-wrap: wrap; }}
.card {{ border: 1px solid #d5dae0; border-radius: 8px; padding: 10px 18px; min-width: 150px; flex: 1; }}
.card .n {{ font-size: 24px; font-weight: 600; }}
.grid {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(380px, 1fr)); gap: 8px 48px; align-items: start; }}
.chart h3 {{ margin: 12px 0 6px; font-size: 15px; }}
.bars {{ display: grid; grid-template-columns: max-content 1fr; gap: 3px 8px; align-items: center; font-size: 12px; }}
.bars .label {{ text-align: right; }} .track {{ display: flex; align-items: center; gap: 6px; }}
.bar {{ display: inline-block; height: 15px; min-width: 1px; }}
table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #d5dae0; padding: 3px 8px; text-align: right; }}
th:first-child {{ text-align: left; }} .warn {{ color: #b8433b; font-weight: 600; }} .empty {{ color: #6b7280; }}
.runs-table {{ width: 100%; margin: 8px 0 16px; }} .runs-table tr.fact td {{ text-align: left; color: #3e4c59; }}
.runs-table tr.sub th {{ font-weight: normal; padding-left: 20px; }}
</style></head><body>
<h1>corpus-cleaner report</h1>
{warn}{balance}
<div class=cards>{cards}</div>
<h2>{heading}</h2>
{runs_table(stats, names)}
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
    Path(output).write_text(render(stats, run_names(paths)), encoding="utf-8")
