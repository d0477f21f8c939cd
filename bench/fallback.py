"""The generic fallback on real article bodies of 13 Indonesian sites, with every pack disabled.

    python bench/fallback.py [--data ../shared/real/indonews/dev.jsonl]

For each site: boilerplate lines per 100 pages before cleaning and left after it, story lines
lost (12+ words ending in terminal punctuation), and rejects, for three methods in one run:
no cleaning, the C4 line filter (keep lines ending in terminal punctuation with 3+ words), and
corpus-cleaner with `--site generic`. Boilerplate is what `bench/indonews_oracle.py` marks.
Targets (issue 4): under 0.5 boilerplate lines left per 100 pages overall, under 0.5% story
lines lost, under 1% rejects.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterator, NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from cleaner import Cleaner, Options  # noqa: E402
from cleaner.textnorm import split_lines  # noqa: E402
from indonews_oracle import boilerplate, is_story_line, site_of  # noqa: E402
from shared_data import require  # noqa: E402

C4_END = (".", "!", "?", '"', "”", "’", "'")


def c4(lines: list[str]) -> list[str]:
    return [line for line in lines if line.endswith(C4_END) and len(line.split()) >= 3]


def lost(story: list[str], output: list[str]) -> list[str]:
    kept = set(output)
    prefixes = {line[:80] for line in output}
    return [line for line in story if line not in kept and line[:80] not in prefixes]


class Page(NamedTuple):
    """A page of the indonews data with the oracle's view of it and what the cleaner made of it."""

    page: dict
    site: str
    lines: list[str]  # the page's text, as the cleaner splits it
    story: list[str]  # the story lines the oracle sees (not boilerplate, reads as a sentence)
    ours: list[str]  # the cleaned text's lines ([] for a reject)
    reject: dict | None


def cleaned_pages(data: Path, cleaner: Cleaner) -> Iterator[Page]:
    """Each page of `data` (JSONL with `url` and `text`), judged by the oracle and cleaned."""
    for raw in data.open(encoding="utf-8"):
        page = json.loads(raw)
        site = site_of(page["url"])
        lines = split_lines(page["text"])
        marked = boilerplate(site, lines)
        story = [line for i, line in enumerate(lines) if i not in marked and is_story_line(line)]
        record, reject = cleaner.clean(page)
        yield Page(page, site, lines, story, record["text"].split("\n") if record else [], reject)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "real" / "indonews" / "dev.jsonl")
    ap.add_argument("--show", metavar="SITE", help="print the boilerplate left and story lines lost on SITE")
    args = ap.parse_args()
    require(args.data, "--data")
    cleaner = Cleaner(Options(site="generic"))
    stats: dict = defaultdict(Counter)
    reasons = Counter()
    shown = 0
    for page, site, lines, story, ours, reject in cleaned_pages(args.data, cleaner):
        s = stats[site]
        s["pages"] += 1
        s["story"] += len(set(story))
        for name, output in (("none", lines), ("c4", c4(lines)), ("ours", ours)):
            s[f"bp_{name}"] += len(boilerplate(site, output))
            s[f"lost_{name}"] += len(set(lost(story, output)))
        if reject:
            s["rejects"] += 1
            reasons[reject["reject"]["reason"]] += 1
        if args.show == site and shown < 40:
            left = [ours[i] for i in sorted(boilerplate(site, ours))]
            for line in left + [f"LOST: {x}" for x in lost(story, ours)]:
                print(f"  {page['id']}: {line[:150]}")
                shown += 1

    header = f"{'site':<12} {'pages':>5} | {'boilerplate lines / 100 pages':^30} | {'story lines lost %':^23} | {'rejects':>7}"
    print(header)
    print(f"{'':<12} {'':>5} | {'none':>9} {'C4':>9} {'ours':>9} | {'C4':>11} {'ours':>11} | {'ours':>7}")
    total = Counter()
    for site in sorted(stats, key=lambda k: -stats[k]["pages"]):
        s = stats[site]
        total.update(s)
        _row(site, s)
    print("-" * len(header))
    _row("all", total)
    print(f"reject reasons: {dict(reasons) or 'none'}")


def _row(name: str, s: Counter) -> None:
    per100 = lambda k: 100 * s[k] / s["pages"]  # noqa: E731
    pct = lambda k: 100 * s[k] / max(s["story"], 1)  # noqa: E731
    print(f"{name:<12} {s['pages']:>5} | {per100('bp_none'):9.1f} {per100('bp_c4'):9.2f} {per100('bp_ours'):9.2f} |"
          f" {pct('lost_c4'):10.2f}% {pct('lost_ours'):10.2f}% | {100 * s['rejects'] / s['pages']:6.2f}%")


if __name__ == "__main__":
    main()
