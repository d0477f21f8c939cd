"""Start-up of the installed `corpus-cleaner`, measured as `bench/throughput.py` measures it (the
CLI with `-w 1` on a one-record input, writing to /dev/null, launched directly and waited for
with `os.wait4`), the median of many runs, taking turns with other installs so that load that
comes and goes hits them alike.

    python bench/startup.py [--runs 11] [--shared PATH] [--against OTHER_VENV ...]

The one-record input is the first record of `../shared/real/indonews/dev.jsonl`, written to a
temporary folder. Each run is timed wall-clock (what the target is about) and in CPU seconds of
the process and its workers (less moved by other work on the machine). The first run of each install
is not counted: it fills the pack cache (`cleaner/packcache.py`) if it is empty.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shared_data import require  # noqa: E402
from throughput import SHARED, measured_run  # noqa: E402 - measured as the throughput bench measures


def one_run(venv: Path, src: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one start-up of the CLI installed in `venv`."""
    args = [str(venv / "bin" / "corpus-cleaner"), str(src), "-w", "1", "-o", os.devnull, "--no-progress", "-q"]
    wall, cpu, _ = measured_run(args)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--against", type=Path, nargs="*", default=[], metavar="VENV",
                        help="other virtual environments with corpus-cleaner installed, measured in turn")
    args = parser.parse_args()
    corpus = require(args.shared / "real" / "indonews" / "dev.jsonl", "--shared")
    venvs = [Path(sys.executable).parent.parent, *args.against]
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "one-dev.jsonl"
        with open(corpus, encoding="utf-8") as fh:
            src.write_text(fh.readline(), encoding="utf-8")
        for venv in venvs:
            one_run(venv, src)
        runs: dict[Path, list[tuple[float, float]]] = {venv: [] for venv in venvs}
        for _ in range(args.runs):
            for venv in venvs:
                runs[venv].append(one_run(venv, src))
    print(f"start-up, one-record input, -w 1: median of {args.runs} runs taking turns (min-max)")
    for venv, times in runs.items():
        wall, cpu = sorted(1000 * w for w, _ in times), sorted(1000 * c for _, c in times)
        print(f"  {str(venv):<40} wall {statistics.median(wall):5.0f} ms ({wall[0]:.0f}-{wall[-1]:.0f})"
              f"   CPU {statistics.median(cpu):5.0f} ms ({cpu[0]:.0f}-{cpu[-1]:.0f})")


if __name__ == "__main__":
    main()
