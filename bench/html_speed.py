"""Speed of the HTML path against bare trafilatura, and nothing else: the check for a speed-up.

    python bench/html_speed.py [--sets trafeval-dev,aeb] [--rounds 3] [--shared ../shared]

Over each set's pages, ours (`Cleaner.clean` as bench/extraction.py runs it: every language, no
minimum length) and bare `trafilatura.extract(html, include_comments=False)` take turns page by
page, `--rounds` times; each round gives the ratio of ours to bare trafilatura in pages per second,
and the line ends with their median. Times are the process's CPU time, not wall time: on a
machine shared with other work, the time this process waits for a core would land on whichever
extractor was running. It measures the checkout it lives in: to compare two versions, run the
script of each in turn, several times, and compare the medians (the ratio against trafilatura
in the same run cancels most of the machine's changing speed; what is left is the noise to
quote with the result).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from extraction import ROOT, extractors, load_set
from shared_data import require


def ratios(pages, ours, bare, rounds: int) -> list[float]:
    """Per round, ours / bare in pages per second (= bare's seconds / ours)."""
    found = []
    for _ in range(rounds):
        seconds = {ours: 0.0, bare: 0.0}
        for html, url in pages:
            for fn in (ours, bare):
                start = time.process_time()
                fn(html, url)
                seconds[fn] += time.process_time() - start
        found.append(seconds[bare] / seconds[ours])
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the shared data folder (default: ../shared)")
    ap.add_argument("--sets", default="trafeval-dev,aeb")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    folders = {"html-id": "real/html-id", "trafeval-dev": "bench/trafeval-dev", "aeb": "bench/aeb"}
    for set_name in args.sets.split(","):
        require(args.shared / folders.get(set_name, set_name), "--shared")
    fns = extractors(with_resiliparse=False)
    ours, bare = fns["corpus-cleaner"], fns["trafilatura"]
    for set_name in args.sets.split(","):
        pages, _ = load_set(set_name, args.shared)
        for html, url in pages[:20]:  # warm up: imports, models, trafilatura's and justext's tables
            ours(html, url), bare(html, url)
        found = ratios(pages, ours, bare, args.rounds)
        print(f"{set_name}: {len(pages)} pages, ours / trafilatura per round: {' '.join(f'{r:.3f}' for r in found)}; "
              f"median {statistics.median(found):.3f}x", flush=True)


if __name__ == "__main__":
    main()
