"""Glued boilerplate: the hand-annotated lines of `fixtures/glued_lines.jsonl` through the
cleaner's rules, per site, and the marker count on the whole of dev.jsonl.

    python bench/glued.py [--split dev|heldout|all] [--data ../shared/real/indonews/dev.jsonl] [--show]

Per site of the fixture: glued lines cleaned exactly (the text equals the annotation), lines
that still hold a marker (bench/indonews_oracle.py's `MARKER`), story words lost (words of the
expected text missing from the output), and look-alikes left unchanged. Each line is cleaned as
a one-line page by the pack its site uses (the four site packs, `generic` for the rest).
With --data: marker-bearing lines per 100 pages of dev.jsonl after cleaning, and story lines
lost (bench/fallback.py's count), with each page's own pack.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from cleaner import Cleaner, Options  # noqa: E402
from cleaner.packload import load_packs  # noqa: E402
from cleaner.strip import apply_pack  # noqa: E402
from fallback import cleaned_pages, lost  # noqa: E402
from indonews_oracle import has_marker  # noqa: E402
from shared_data import require  # noqa: E402

PACK_OF_SITE = {"tribunnews": "tribunnews", "tempo": "tempo"}  # the fixture's sites that have a pack


def clean_line(packs, site: str, line: str) -> str:
    pack = packs[PACK_OF_SITE.get(site, "generic")]
    return "\n".join(apply_pack(pack, [line]).lines)


def words_lost(expected: str, got: str) -> int:
    have = Counter(got.split())
    missing = 0
    for word, count in Counter(expected.split()).items():
        missing += max(0, count - have[word])
    return missing


def fixture_table(split: str, show: bool) -> None:
    packs = load_packs()
    rows = [json.loads(x) for x in (ROOT / "fixtures" / "glued_lines.jsonl").open(encoding="utf-8")]
    rows = [r for r in rows if split == "all" or r["split"] == split]
    stats: dict = defaultdict(Counter)
    for r in rows:
        got = clean_line(packs, r["site"], r["line"])
        s = stats[r["site"]]
        if r["kind"] == "lookalike":
            s["alike"] += 1
            s["alike_same"] += got == r["line"]
            ok = got == r["line"]
        else:
            s["glued"] += 1
            s["exact"] += got == r["expected"]
            s["marker_left"] += has_marker(got)
            s["words"] += len(r["expected"].split())
            s["lost"] += words_lost(r["expected"], got)
            ok = got == r["expected"]
        if show and not ok:
            print(f"--- {r['id']} ({r['site']}, {r['kind']})\n  want: {_diff(r['expected'], got)}\n")
    print(f"fixtures/glued_lines.jsonl, split {split}")
    print(f"{'site':<12} {'glued':>5} {'exact':>7} {'marker left':>11} {'words lost':>10} | {'look-alikes unchanged':>21}")
    _print_sites(stats, "glued", _row, 75)


def _print_sites(stats: dict, biggest_first_by: str, row, rule_width: int) -> None:
    """One row per site, biggest first, then a rule and the row of all sites together."""
    total = Counter()
    for site in sorted(stats, key=lambda k: -stats[k][biggest_first_by]):
        total.update(stats[site])
        row(site, stats[site])
    print("-" * rule_width)
    row("all", total)


def _row(name: str, s: Counter) -> None:
    exact = f"{100 * s['exact'] / s['glued']:.0f}%" if s["glued"] else "-"
    alike = f"{s['alike_same']}/{s['alike']}" if s["alike"] else "-"
    print(f"{name:<12} {s['glued']:>5} {exact:>7} {s['marker_left']:>11} {s['lost']:>4}/{s['words']:<5} | {alike:>21}")


def _diff(want: str, got: str) -> str:
    i = next((k for k, (a, b) in enumerate(zip(want, got)) if a != b), min(len(want), len(got)))
    return f"...{want[max(0, i - 60):i + 80]!r}\n  got:  ...{got[max(0, i - 60):i + 80]!r}"


def dev_table(data: Path, show: bool) -> None:
    cleaner = Cleaner(Options())
    stats: dict = defaultdict(Counter)
    shown = 0
    for page, site, lines, story, ours, _ in cleaned_pages(data, cleaner):
        s = stats[site]
        s["pages"] += 1
        s["story"] += len(set(story))
        s["marker_before"] += sum(has_marker(line) for line in lines)
        left = [line for line in ours if has_marker(line)]
        s["marker_after"] += len(left)
        gone = set(lost(story, ours))
        s["lost"] += len(gone)
        if show and shown < 60:
            for line in left:
                print(f"  MARKER {page['id']} {site}: {line[:200]}")
                shown += 1
            for line in gone:
                print(f"  LOST {page['id']} {site}: {line[:200]}")
                shown += 1
    print(f"\n{data} with each page's pack")
    print(f"{'site':<12} {'pages':>5} | {'marker lines / 100 pages':^26} | {'story lines lost':>16}")
    print(f"{'':<12} {'':>5} | {'before':>12} {'after':>12} |")
    _print_sites(stats, "pages", _dev_row, 64)


def _dev_row(name: str, s: Counter) -> None:
    per100 = lambda k: 100 * s[k] / s["pages"]  # noqa: E731
    print(f"{name:<12} {s['pages']:>5} | {per100('marker_before'):12.2f} {per100('marker_after'):12.2f} |"
          f" {100 * s['lost'] / max(s['story'], 1):15.2f}%")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=("dev", "heldout", "all"), default="dev")
    ap.add_argument("--data", type=Path, help="also measure markers left on the whole of dev.jsonl")
    ap.add_argument("--show", action="store_true", help="print each miss")
    args = ap.parse_args()
    fixture_table(args.split, args.show)
    if args.data:
        dev_table(require(args.data, "--data"), args.show)


if __name__ == "__main__":
    main()
