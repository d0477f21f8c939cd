"""Speed of the HTML path against bare trafilatura, and nothing else: the check for a speed-up.

    python bench/html_speed.py [--sets trafeval-dev,aeb] [--rounds 3] [--shared ../shared] [--parts]

Over each set's pages, ours (`Cleaner.clean` as bench/extraction.py runs it: every language, no
minimum length) and bare `trafilatura.extract(html, include_comments=False)` take turns page by
page, `--rounds` times; each round gives the ratio of ours to bare trafilatura in pages per second,
and the line ends with their median. Times are the process's CPU time, not wall time: on a
machine shared with other work, the time this process waits for a core would land on whichever
extractor was running. It measures the checkout it lives in: to compare two versions, run the
script of each in turn, several times, and compare the medians (the ratio against trafilatura
in the same run cancels most of the machine's changing speed; what is left is the noise to
quote with the result).

With --parts: where our path's time goes instead, CPU ms a page by part (each part without the
parts it calls; trafilatura's runs split into the fast one and the full re-runs of doubtful
pages), beside bare trafilatura's total on the same pages; timers add about a microsecond a call.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import defaultdict
from pathlib import Path

from extraction import ROOT, WARM_UP_PAGES, extractors, load_set
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


class Parts:
    """CPU time by part: `wrap(part, fn)` is `fn` adding its time, less that of the wrapped
    parts it calls, to `spent[part]`."""

    def __init__(self):
        self.spent: dict[str, float] = defaultdict(float)
        self.inner: list[float] = []

    def wrap(self, part, fn):
        def timed(*args, **kwargs):
            self.inner.append(0.0)
            start = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                elapsed = time.process_time() - start
                self.spent[part] += elapsed - self.inner.pop()
                if self.inner:
                    self.inner[-1] += elapsed
        return timed


def instrument(parts: Parts) -> None:
    """Timers around the HTML path's parts (module attributes of cleaner.html and cleaner.pipeline)."""
    from cleaner import html, pipeline

    pipeline.markup_problem = parts.wrap("markup guard", pipeline.markup_problem)
    pipeline.apply_pack = parts.wrap("pack rules", pipeline.apply_pack)
    pipeline.Cleaner.choose_pack = parts.wrap("pack choice", pipeline.Cleaner.choose_pack)
    pipeline.Cleaner.check_language = parts.wrap("language check", pipeline.Cleaner.check_language)
    for name, part in [("parse", "parse (lxml)"), ("metadata", "metadata"), ("edge_text", "fingerprint text"),
                       ("gallery_captions", "gallery captions"), ("TOO_DEEP_FOR_RESTORE", "depth check"),
                       ("wide_lines", "resiliparse"), ("readable_tables", "tables"), ("restore_story", "restore"),
                       ("caption_texts", "restore: caption search"), ("split_lines", "line splitting (HTML route)")]:
        setattr(html, name, parts.wrap(part, getattr(html, name)))
    runs = {kind: parts.wrap(f"trafilatura, {kind}", html.run_trafilatura)
            for kind in ("fast run", "full precise re-run", "full re-run without favor_precision")}

    def timed_run(tree, url, **settings):
        kind = "fast run" if settings.get("fast") else "full precise re-run" if settings.get("favor_precision") else "full re-run without favor_precision"
        return runs[kind](tree, url, **settings)

    html.run_trafilatura = timed_run


def show_parts(set_name: str, pages, ours, bare, rounds: int, parts: Parts) -> None:
    parts.spent.clear()
    ours_total, bare_total = parts.wrap("our path, the rest", ours), parts.wrap("bare trafilatura", bare)
    for _ in range(rounds):
        for html, url in pages:
            ours_total(html, url)
            bare_total(html, url)
    per = 1000 / (len(pages) * rounds)
    bare_ms = parts.spent.pop("bare trafilatura") * per
    ours_ms = sum(parts.spent.values()) * per
    print(f"\n{set_name}: {len(pages)} pages x {rounds}, CPU ms a page\n| part | ms/page |\n|---|---|")
    for part, seconds in sorted(parts.spent.items(), key=lambda kv: -kv[1]):
        print(f"| {part} | {seconds * per:.2f} |")
    print(f"| **our path** | **{ours_ms:.2f}** |\n| bare trafilatura | {bare_ms:.2f} |")
    print(f"ours / trafilatura in pages per second: {bare_ms / ours_ms:.3f}x", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the shared data folder (default: ../shared)")
    ap.add_argument("--sets", default="trafeval-dev,aeb")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--parts", action="store_true", help="where our path's time goes, by part")
    args = ap.parse_args()
    folders = {"html-id": "real/html-id", "trafeval-dev": "bench/trafeval-dev", "aeb": "bench/aeb"}
    for set_name in args.sets.split(","):
        require(args.shared / folders.get(set_name, set_name), "--shared")
    fns = extractors(with_resiliparse=False)
    ours, bare = fns["corpus-cleaner"], fns["trafilatura"]
    parts = Parts()
    if args.parts:
        instrument(parts)
    for set_name in args.sets.split(","):
        pages, _ = load_set(set_name, args.shared)
        for html, url in pages[:WARM_UP_PAGES]:  # warm up: imports, models, trafilatura's and justext's tables
            ours(html, url), bare(html, url)
        if args.parts:
            show_parts(set_name, pages, ours, bare, args.rounds, parts)
            continue
        found = ratios(pages, ours, bare, args.rounds)
        print(f"{set_name}: {len(pages)} pages, ours / trafilatura per round: {' '.join(f'{r:.3f}' for r in found)}; "
              f"median {statistics.median(found):.3f}x", flush=True)


if __name__ == "__main__":
    main()
