"""Docs/second of the text path on the five seed pages repeated N times (default 1,000).

    python bench/seeds_speed.py [--repeat 1000] [--backend fasttext]

Runs the same Cleaner the CLI uses, in one process, and prints docs/second with and without
the language checks, and the lines kept/removed per category on one pass over the seeds.
"""

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # measure this checkout's code, not an older installed copy

from cleaner import Cleaner, Options  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=1000)
    ap.add_argument("--backend", default="fasttext")
    args = ap.parse_args()
    pages = [json.loads(line) for line in (ROOT / "fixtures" / "seeds.jsonl").open(encoding="utf-8")]
    cleaner = Cleaner(Options(lang_backend=args.backend))

    kept, removed = 0, Counter()
    for page in pages:
        record, _ = cleaner.clean(page)
        kept += record["text"].count("\n") + 1
        removed.update(record["cleaner"]["removed"])
    print(f"seed lines: {kept} kept, {sum(removed.values())} removed: {dict(sorted(removed.items()))}")

    work = pages * args.repeat
    start = time.perf_counter()
    for page in work:
        cleaner.clean(page)
    elapsed = time.perf_counter() - start
    print(f"text path, {args.backend}: {len(work)} docs in {elapsed:.2f} s = {len(work) / elapsed:,.0f} docs/s (one core)")


if __name__ == "__main__":
    main()
