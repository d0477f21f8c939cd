"""A pack of 10,000 rules (the most a pack may have): how long `rules check`, loading, and a run
take, against the same run with the built-in packs only, in one process tree and one run.

    python bench/big_pack.py [--rules 10000] [--workers 2]

Runs the installed `corpus-cleaner` (beside this Python) on fixtures/indonews_sample.jsonl with
`--site big` (every page through all the rules), and without the big pack as the peer.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = str(Path(sys.executable).parent / "corpus-cleaner")
WORDS = "iklan baca juga berita terkait promo video foto sumber share klik simak".split()


def write_pack(folder: Path, rules: int) -> Path:
    rng = random.Random(11)
    parts = ['name = "big"\nlanguages = ["id"]\ninclude = ["generic"]\n']
    for i in range(rules):
        words = " ".join(rng.sample(WORDS, 3))
        parts.append(f'[[drop]]\ncategory = "c{i % 50}"\nline = \'^{words} {i}$\'\n')
    path = folder / "big.toml"
    path.write_text("".join(parts), encoding="utf-8")
    return path


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run([CLI, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        raise SystemExit(f"corpus-cleaner {' '.join(args)} failed: {done.stderr.strip()}")
    return time.perf_counter() - start


def timed_load(folder: str) -> float:
    sys.path.insert(0, str(ROOT))
    from cleaner.packload import load_packs

    start = time.perf_counter()
    load_packs([folder])
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rules", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    sample = str(ROOT / "fixtures" / "indonews_sample.jsonl")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = write_pack(folder, args.rules)
        print(f"pack: {args.rules:,} rules, {path.stat().st_size:,} bytes")
        check = timed(["rules", "check", tmp])
        load = timed_load(tmp)
        peer = timed([sample, "--site", "generic", "-w", str(args.workers), "-q"])
        big1 = timed([sample, "--rules", tmp, "--site", "big", "-w", "1", "-q"])
        bigw = timed([sample, "--rules", tmp, "--site", "big", "-w", str(args.workers), "-q"])
    print(f"rules check: {check:.1f} s")
    print(f"loading the packs (load_packs, in this process): {load:.1f} s")
    print(f"run, built-in packs only (--site generic, {args.workers} workers): {peer:.1f} s")
    print(f"run, big pack, 1 worker: {big1:.1f} s ({big1 / peer:.1f}x the peer)")
    print(f"run, big pack, {args.workers} workers: {bigw:.1f} s ({bigw / peer:.1f}x the peer; "
          f"workers reuse the packs the parent loaded)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
