"""Learning a site's boilerplate from half of its pages, measured on the other half.

    python bench/learn.py [--data ../shared/real/indonews/dev.jsonl] [--min-pages 50]

For each site with enough pages in the real corpus: pages sorted by id, the even ones are the
sample `rules learn` drafts a pack from, the odd ones are cleaned with that pack (site forced,
any language, no length minimum). Reported per site: the recurring boilerplate lines of the
held-out half (lines `bench/indonews_oracle.py` marks as boilerplate whose shape, or opening,
recurs in 3 or more pages of the site) and the share the learned rules remove, alone and with
the generic pack included; story lines lost (12+ words ending in terminal punctuation).
Targets (issue 7): at least 95% of recurring boilerplate removed, under 0.5% of story lines lost.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from cleaner import Cleaner, Options  # noqa: E402
from cleaner.langid import get_detector  # noqa: E402
from cleaner.learn import learn, openings, shape, to_toml  # noqa: E402
from cleaner.textnorm import split_lines  # noqa: E402
from indonews_oracle import boilerplate, is_story_line, site_of  # noqa: E402
from shared_data import require  # noqa: E402
from fallback import lost as lost_lines  # noqa: E402


def recurring_keys(pages: list[list[str]]) -> set[str]:
    """Shapes and openings that 3 or more pages of the site share."""
    count: Counter = Counter()
    for lines in pages:
        keys = {shape(line) for line in lines} | {"open:" + shape(o) for line in lines for o in openings(line)}
        count.update(keys)
    return {k for k, n in count.items() if n >= 3}


def is_recurring(line: str, keys: set[str]) -> bool:
    return shape(line) in keys or any("open:" + shape(o) in keys for o in openings(line))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "real" / "indonews" / "dev.jsonl")
    ap.add_argument("--min-pages", type=int, default=50)
    args = ap.parse_args()
    require(args.data, "--data")
    by_site: dict[str, list[dict]] = defaultdict(list)
    for raw in args.data.open(encoding="utf-8"):
        page = json.loads(raw)
        by_site[site_of(page["url"])].append(page)
    detector = get_detector("fasttext")
    print(f"{'site':<12} {'pages':>5} {'rules':>5} | {'recurring bp':>12} {'removed: learned':>17} {'+ generic':>10} | {'story lost':>10} {'+ generic':>10}")
    for site, pages in sorted(by_site.items(), key=lambda kv: -len(kv[1])):
        if len(pages) < args.min_pages:
            continue
        pages.sort(key=lambda p: p["id"])
        train, test = pages[0::2], pages[1::2]
        sample = [(split_lines(p["text"]), p["url"], None) for p in train]
        learned = learn(site, [(lines, url, detector.detect("\n".join(lines))[0]) for lines, url, _ in sample])
        keys = recurring_keys([split_lines(p["text"]) for p in pages])
        row = {}
        with tempfile.TemporaryDirectory() as tmp:
            draft = to_toml(learned)
            for variant, text in (("learned", draft.replace('include = ["generic"]\n', "")), ("generic", draft)):
                (Path(tmp) / f"{site}.toml").write_text(text, encoding="utf-8")
                cleaner = Cleaner(Options(rules_dirs=(tmp,), site=site, languages=(), min_chars=0, min_words=0))
                bp = removed = story = lost = 0
                for page in test:
                    lines = split_lines(page["text"])
                    marked = boilerplate(site, lines)
                    record, _ = cleaner.clean({"id": page["id"], "url": page["url"], "title": page["title"], "text": page["text"]})
                    out = record["text"].split("\n") if record else []
                    left = Counter(out)
                    for i, line in enumerate(lines):
                        if i in marked and is_recurring(line, keys):
                            bp += 1
                            if left[line] > 0:
                                left[line] -= 1
                            else:
                                removed += 1
                    stories = {line for i, line in enumerate(lines) if i not in marked and is_story_line(line)}
                    story += len(stories)
                    lost += len(set(lost_lines(sorted(stories), out)))  # a line that only lost a glued tail is kept
                row[variant] = (bp, removed, story, lost)
        bp, rem_l, story, lost_l = row["learned"]
        _, rem_g, _, lost_g = row["generic"]
        pct = lambda a, b: 100 * a / b if b else 100.0  # noqa: E731
        print(f"{site:<12} {len(pages):>5} {len(learned.rules):>5} | {bp:>12} {pct(rem_l, bp):16.1f}% {pct(rem_g, bp):9.1f}% |"
              f" {pct(lost_l, story):9.2f}% {pct(lost_g, story):9.2f}%")


if __name__ == "__main__":
    main()
