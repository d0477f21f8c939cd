"""Article extraction benchmark: our HTML path against bare trafilatura, on the same pages, in one run.

    python bench/extraction.py [--aeb ../shared/bench/aeb] [--idn fixtures/html/...] [--repeat 20]

Pages and ground truth: the article-extraction benchmark (181 pages, `../shared/bench/aeb`).
Peer: `trafilatura.extract(html, include_comments=False)`, as the benchmark runs it.
Ours: `Cleaner.clean({"html": ...})` with every language accepted and no minimum length, so
only extraction is measured (a reject counts as an empty output).
Scoring, as the benchmark defines it: `\\w+` tokens, sets of 4-token shingles; per page true
positives, false positives and false negatives normalised by their sum; precision and recall
from the sums over pages; F1 their harmonic mean.
Then the known-site route: the real IDN Times page through its pack's selectors vs bare
trafilatura on the same page.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # measure this checkout's code

import trafilatura  # noqa: E402

from cleaner import Cleaner, Options  # noqa: E402
from cleaner.html import decode_html  # noqa: E402
from shared_data import require  # noqa: E402

TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> set:
    tokens = TOKEN.findall(text or "")
    return {tuple(tokens[i:i + n]) for i in range(max(len(tokens) - n + 1, 1 if tokens else 0))}


def score(pairs: list[tuple[str, str]]) -> tuple[float, float, float]:
    tp = fp = fn = 0.0
    for output, truth in pairs:
        got, want = shingles(output), shingles(truth)
        t, p, n = len(got & want), len(got - want), len(want - got)
        total = t + p + n
        if total:
            tp, fp, fn = tp + t / total, fp + p / total, fn + n / total
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f1, precision, recall


def timed(fn, pages) -> tuple[list[str], float]:
    start = time.perf_counter()
    out = [fn(page) for page in pages]
    return out, time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--aeb", type=Path, default=ROOT.parent / "shared" / "bench" / "aeb")
    ap.add_argument("--idn", type=Path, default=ROOT / "fixtures" / "html" / "idntimes-2021-kisah-inspiratif.html")
    ap.add_argument("--repeat", type=int, default=20, help="repetitions of the IDN Times page timing")
    args = ap.parse_args()
    require(args.aeb, "--aeb")

    truth = json.loads((args.aeb / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(truth)
    pages = [gzip.decompress((args.aeb / "html" / f"{i}.html.gz").read_bytes()).decode("utf-8", "replace") for i in ids]
    mb = sum(len(p.encode("utf-8")) for p in pages) / 1e6
    cleaner = Cleaner(Options(languages=(), min_chars=0))

    def ours(html: str) -> str:
        record, _ = cleaner.clean({"html": html})
        return record["text"] if record else ""

    def bare(html: str) -> str:
        return trafilatura.extract(html, include_comments=False) or ""

    ours(pages[0]), bare(pages[0])  # warm up both (imports, model load)
    results = {}
    for name, fn in (("trafilatura.extract", bare), ("corpus-cleaner html path", ours)):
        outputs, seconds = timed(fn, pages)
        results[name] = (*score(list(zip(outputs, (truth[i]["articleBody"] for i in ids)))), len(pages) / seconds)

    print(f"AEB: {len(pages)} pages, {mb:.1f} MB of HTML, one process")
    print(f"{'extractor':<28} {'F1':>6} {'P':>6} {'R':>6} {'docs/s':>8}")
    for name, (f1, p, r, speed) in results.items():
        print(f"{name:<28} {f1:6.3f} {p:6.3f} {r:6.3f} {speed:8.1f}")
    ratio = results["corpus-cleaner html path"][3] / results["trafilatura.extract"][3]
    print(f"speed ratio, ours / trafilatura: {ratio:.2f}x")

    idn = decode_html(args.idn.read_bytes())
    _, sel = timed(ours, [idn] * args.repeat)
    _, raw = timed(bare, [idn] * args.repeat)
    print(f"IDN Times page x{args.repeat}: selector route {args.repeat / sel:.1f} docs/s, "
          f"bare trafilatura {args.repeat / raw:.1f} docs/s, ratio {raw / sel:.2f}x")


if __name__ == "__main__":
    main()
