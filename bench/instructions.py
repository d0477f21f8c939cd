"""Instructions (and, with --cycles, estimated cycles) of the text path's `-w 1` loop, counted by
valgrind's callgrind. Counts do not move with the machine's load, so two versions can be compared
on a busy machine, where timings wander by tens of percent.

    python bench/instructions.py [--pages 400] [--start 200] [--cycles] [--floor] [--shared PATH] [TREE ...]

Cleans `../shared/real/indonews/dev.jsonl` once to warm up (packs, compiled patterns, models),
then counts only the loop over pages START .. START+PAGES (`parallel.clean_stream(..., 1)`, as
`corpus-cleaner -w 1` cleans them). Each TREE (a checkout, or a `git archive` of one) runs with
`PYTHONPATH=TREE`; with none, the package installed beside this Python. The first is the
reference of the ratios. `--cycles` adds valgrind's cache and branch simulation (about twice as
slow) and KCachegrind's cycle estimate: instructions + 10 x (first-level cache misses and
mispredicted branches) + 100 x last-level cache misses. `--floor` also counts the fastText floor of
`bench/throughput.py` (json.loads + one fastText call on the first 1,000 characters + json.dumps)
on the same pages, warm, and gives each TREE as x the floor (the floor's count over the TREE's):
the issue's ratio, by counts that load does not move. Needs valgrind on the PATH.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shared_data import require  # noqa: E402
from throughput import FASTTEXT_FLOOR, SHARED  # noqa: E402

L1_MISSES = ("I1mr", "D1mr", "D1mw")
LL_MISSES = ("ILmr", "DLmr", "DLmw")
MISPREDICTED = ("Bcm", "Bim")


def loop(dev: Path, start: int, pages: int) -> None:
    """The counted part (run under valgrind): instrumentation is on only around the loop."""
    from cleaner.io import InputUnit
    from cleaner.parallel import clean_stream
    from cleaner.pipeline import Options

    raws = dev.read_text(encoding="utf-8").splitlines(True)
    units = [InputUnit("dev", i, raw=raw) for i, raw in enumerate(raws, 1)]
    for _ in clean_stream(units, Options(), 1):
        pass
    counted = units[start:start + pages]
    subprocess.run(["callgrind_control", "-i", "on", str(os.getpid())], capture_output=True, check=True)
    for _ in clean_stream(counted, Options(), 1):
        pass
    subprocess.run(["callgrind_control", "-i", "off", str(os.getpid())], capture_output=True, check=True)


def totals(out: Path) -> dict[str, int]:
    """The event totals of a callgrind output file."""
    events = totals_line = None
    for line in out.read_text().splitlines():
        if line.startswith("events:"):
            events = line.split()[1:]
        elif line.startswith(("totals:", "summary:")):
            totals_line = line.split()[1:]
    if events is None or totals_line is None:
        raise SystemExit(f"instructions.py: no totals in {out}")
    return dict(zip(events, map(int, totals_line)))


def count(tree: Path | None, dev: Path, args) -> dict[str, int]:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="")
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        simulate = ["--cache-sim=yes", "--branch-sim=yes"] if args.cycles else []
        subprocess.run(["valgrind", "--tool=callgrind", "--instr-atstart=no", *simulate, f"--callgrind-out-file={out}",
                        sys.executable, str(Path(__file__).resolve()), "--loop", str(dev), str(args.start), str(args.pages)],
                       env=env, cwd=tmp, capture_output=True, check=True)
        return totals(out)


def count_floor(dev: Path, args) -> dict[str, int]:
    """The floor script's events on the pages, warm: the script run over the pages twice, less
    the same script run over them once (the same start-up, model load and cold pass)."""
    pages = dev.read_text(encoding="utf-8").splitlines(True)[args.start:args.start + args.pages]
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for times in (2, 1):
            source, out = Path(tmp) / f"pages{times}.jsonl", Path(tmp) / f"callgrind{times}.out"
            source.write_text("".join(pages * times), encoding="utf-8")
            simulate = ["--cache-sim=yes", "--branch-sim=yes"] if args.cycles else []
            subprocess.run(["valgrind", "--tool=callgrind", *simulate, f"--callgrind-out-file={out}",
                            sys.executable, "-c", FASTTEXT_FLOOR, str(source)],
                           env=dict(os.environ, PYTHONHASHSEED="0"), cwd=tmp, capture_output=True, check=True)
            runs.append(totals(out))
    return {event: runs[0][event] - runs[1][event] for event in runs[0]}


def estimated_cycles(t: dict[str, int]) -> int:
    return t["Ir"] + 10 * sum(t[e] for e in L1_MISSES + MISPREDICTED) + 100 * sum(t[e] for e in LL_MISSES)


def main() -> None:
    if sys.argv[1:2] == ["--loop"]:
        loop(Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("trees", type=Path, nargs="*", metavar="TREE")
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--start", type=int, default=200)
    parser.add_argument("--cycles", action="store_true", help="also simulate caches and branches: estimated cycles")
    parser.add_argument("--floor", action="store_true", help="also count the fastText floor: each TREE as x the floor")
    parser.add_argument("--shared", type=Path, default=SHARED)
    args = parser.parse_args()
    dev = require(args.shared / "real" / "indonews" / "dev.jsonl", "--shared")
    if shutil.which("valgrind") is None:
        raise SystemExit("instructions.py: valgrind is not installed (it counts the instructions)")
    rows = []
    for tree in args.trees or [None]:
        t = count(tree, dev, args)
        rows.append((str(tree) if tree else "installed", t["Ir"], estimated_cycles(t) if args.cycles else None))
    print(f"-w 1 loop over dev.jsonl pages {args.start}-{args.start + args.pages}: millions a page, ratio to the first")
    floor = None
    if args.floor:
        t = count_floor(dev, args)
        floor = (t["Ir"], estimated_cycles(t) if args.cycles else None)
    for name, ir, cycles in rows:
        line = f"  {name:40} instructions {ir / args.pages / 1e6:6.3f} ({ir / rows[0][1]:.3f})"
        if cycles is not None:
            line += f"   estimated cycles {cycles / args.pages / 1e6:6.3f} ({cycles / rows[0][2]:.3f})"
        if floor is not None:
            line += f"   x the floor: {floor[0] / ir:.3f}" + (f" by cycles {floor[1] / cycles:.3f}" if cycles else "")
        print(line)
    if floor is not None:
        line = f"  {'fastText floor (bench/throughput.py)':40} instructions {floor[0] / args.pages / 1e6:6.3f}"
        if floor[1] is not None:
            line += f"   estimated cycles {floor[1] / args.pages / 1e6:6.3f}"
        print(line)


if __name__ == "__main__":
    main()
