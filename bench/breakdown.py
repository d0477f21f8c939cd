"""Where a page's time goes on the text path, in-process, by part (microseconds per page).

    python bench/breakdown.py [--repeat 2] [--shared PATH]

Cleans `../shared/real/indonews/dev.jsonl` (repeated) on one core the way `corpus-cleaner -w 1`
does (`parallel.clean_stream`), with timers around the parts: JSON (parse and serialise), line
splitting, site detection, the pack's rules (spans, prefilters, line/block/field rules), the
structural heuristics, the fastText calls, the language-check code around them, and the rest
(the record, time limits, the tally, the loop). The timers add about a microsecond a call.
Run it against another checkout with `PYTHONPATH=that/checkout python bench/breakdown.py`.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SPENT: dict[str, float] = defaultdict(float)


def timed(part: str, fn, exclusive_of: tuple[str, ...] = ()):
    """`fn` that adds its time to SPENT[part], less what the parts in `exclusive_of` spent inside."""

    def wrapper(*args, **kwargs):
        before = {p: SPENT[p] for p in exclusive_of}
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            inner = sum(SPENT[p] - before[p] for p in exclusive_of)
            SPENT[part] += time.perf_counter() - start - inner

    return wrapper


def instrument(cleaner) -> None:
    from cleaner import io, parallel, pipeline, site, strip

    io.InputUnit.parsed = timed("JSON and I/O", io.InputUnit.parsed)
    parallel.dumps_encoded = timed("JSON and I/O", parallel.dumps_encoded)  # (records; rejects go through dumps)
    parallel.dumps = timed("JSON and I/O", parallel.dumps)
    pipeline.split_lines = timed("line splitting and normalisation", pipeline.split_lines)
    site.SiteDetector.by_url = timed("site detection", site.SiteDetector.by_url)
    site.SiteDetector.by_text = timed("site detection", site.SiteDetector.by_text)
    structural = {strip.structure_in_story, strip.nav_runs}
    strip.PHASES = tuple(timed("structural heuristics", p) if p in structural else p for p in strip.PHASES)
    pipeline.apply_pack = timed("pack rules: spans, prefilters, line/block/field rules", pipeline.apply_pack,
                                ("structural heuristics",))
    for holder in (cleaner.detector, getattr(cleaner.detector, "world", None), getattr(cleaner.detector, "stage", None)):
        predict = getattr(holder, "_predict", None)  # the world model's calls, and the archipelago stage's where there is one
        if predict is not None:
            holder._predict = timed("fastText calls", predict)
    pipeline.Cleaner.check_language = timed("language-check code around fastText", pipeline.Cleaner.check_language,
                                            ("fastText calls",))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--shared", type=Path, default=SHARED, help="the shared data folder (default: ../shared)")
    args = ap.parse_args()
    sys_path_note = __import__("cleaner").__file__
    from cleaner.io import InputUnit
    from cleaner.parallel import clean_stream
    from cleaner.pipeline import Cleaner, Options

    corpus = args.shared / "real" / "indonews" / "dev.jsonl"
    if not corpus.is_file():
        raise SystemExit(f"breakdown.py: {corpus} not found: give --shared PATH")
    raws = corpus.read_text(encoding="utf-8").splitlines(True)
    units = [InputUnit("dev", i, raw=raw) for i, raw in enumerate(raws * args.repeat, 1)]
    for _ in clean_stream(units[:200], Options(), 1):  # warm: packs built, model paged in
        pass
    import cleaner.pipeline as pipeline

    real_init = pipeline.Cleaner.__post_init__

    def init_and_instrument(self):
        real_init(self)
        instrument(self)

    pipeline.Cleaner.__post_init__ = init_and_instrument
    start = time.perf_counter()
    for _ in clean_stream(units, Options(), 1):
        pass
    total = time.perf_counter() - start
    per = 1e6 / len(units)
    print(f"{len(units):,} pages of dev.jsonl, one core, cleaner from {Path(sys_path_note).parent}")
    print(f"| part | us/page |\n|---|---|")
    for part, seconds in sorted(SPENT.items(), key=lambda kv: -kv[1]):
        print(f"| {part} | {seconds * per:.0f} |")
    print(f"| the rest (record, time limits, tally, loop) | {(total - sum(SPENT.values())) * per:.0f} |")
    print(f"| **total** | **{total * per:.0f}** ({len(units) / total:,.0f} pages/s) |")


if __name__ == "__main__":
    main()
