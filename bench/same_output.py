"""Byte-identity check: does this checkout's CLI write exactly what a baseline run wrote?

    python bench/same_output.py build DIR     # run every case, store outputs and SHA256SUMS in DIR
    python bench/same_output.py check DIR     # run them again into a temp folder, compare with DIR

For a change that must not alter output (a restructure, a speed-up): `build` on main before
the change, `check` after each step. It runs the installed `corpus-cleaner` (the one beside
this Python), so install the checkout under test first (`pip install -e .`).

Cases: every JSONL and page file in fixtures/ and rules/tests/; ../shared/real/indonews/dev.jsonl
(records, rejects and --stats); the AEB pages (../shared/bench/aeb, html.gz turned into one
JSONL of {"id", "url", "html"}) with default options and with every language and no minimum
length; `explain --format json` on a few inputs. A missing shared folder skips its cases (and
says so): compare only baselines built with the same cases.
"""

from __future__ import annotations

import argparse
import fcntl
import gzip
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
if not SHARED.is_dir():
    SHARED = Path("/work/shared")
CLI = str(Path(sys.executable).parent / "corpus-cleaner")
INPUTS = Path(tempfile.gettempdir()) / "same_output_inputs"  # derived inputs (AEB as JSONL, samples)
ANY = ["--lang", "any", "--min-chars", "0", "--min-words", "0"]


def aeb_jsonl(out: Path) -> Path | None:
    folder = SHARED / "bench" / "aeb"
    if not (folder / "ground-truth.json").is_file():
        return None
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    path = out / "aeb-pages.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for page in sorted((folder / "html").glob("*.html.gz")):
            key = page.name[: -len(".html.gz")]
            html = gzip.decompress(page.read_bytes()).decode("utf-8", errors="replace")
            fh.write(json.dumps({"id": key, "url": truth.get(key, {}).get("url"), "html": html}, ensure_ascii=False) + "\n")
    return path


def cases(scratch: Path) -> list[tuple[str, list[str]]]:
    """(case name, CLI arguments); `{out}` in an argument is the case's output stem."""
    fixtures = ROOT / "fixtures"
    pages = sorted(str(p) for p in fixtures.rglob("*") if p.suffix in (".txt", ".html"))
    pages += sorted(str(p) for p in (ROOT / "rules" / "tests").rglob("*.txt") if not p.name.endswith(".expected.txt"))
    jsonl = sorted(str(p) for p in fixtures.glob("*.jsonl"))
    found = [
        ("fixtures-jsonl", [*jsonl, "-w", "1", "-q", "--rejects", "{out}.rejects", "--stats", "{out}.stats"]),
        ("fixtures-pages", [*pages, "-w", "1", "-q", "--rejects", "{out}.rejects"]),
        ("fixtures-pages-any", [*pages, *ANY, "-w", "1", "-q", "--rejects", "{out}.rejects"]),
        ("explain-fixtures", ["explain", "--format", "json", *jsonl[:1], *pages[:3]]),
        ("explain-fixtures-text", ["explain", "--no-color", *jsonl[-1:]]),
    ]
    dev = SHARED / "real" / "indonews" / "dev.jsonl"
    if dev.is_file():
        found.append(("indonews-dev", [str(dev), "-w", "2", "-q", "--rejects", "{out}.rejects", "--stats", "{out}.stats"]))
        head = scratch / "dev-head.jsonl"
        head.write_text("".join(dev.read_text(encoding="utf-8").splitlines(True)[:40]), encoding="utf-8")
        found.append(("explain-indonews", ["explain", "--format", "json", str(head)]))
    else:
        print(f"skipped: {dev} not found", file=sys.stderr)
    aeb = aeb_jsonl(scratch)
    if aeb is not None:
        found.append(("aeb", [str(aeb), "-w", "2", "-q", "--rejects", "{out}.rejects", "--stats", "{out}.stats"]))
        found.append(("aeb-any", [str(aeb), *ANY, "-w", "2", "-q", "--rejects", "{out}.rejects"]))
        few = scratch / "aeb-few.jsonl"
        few.write_text("".join(aeb.read_text(encoding="utf-8").splitlines(True)[:5]), encoding="utf-8")
        found.append(("explain-aeb", ["explain", "--format", "json", *ANY, str(few)]))
    else:
        print("skipped: the AEB pages not found", file=sys.stderr)
    return found


def run_all(out: Path) -> dict[str, str]:
    """Run every case into `out`; returns {file name: sha256}."""
    out.mkdir(parents=True, exist_ok=True)
    scratch = INPUTS  # a fixed place: explain output names its input files
    scratch.mkdir(parents=True, exist_ok=True)
    # Two runs at once would rewrite each other's inputs in that fixed place: the second one waits.
    with open(scratch.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _run_cases(out, scratch)


def _run_cases(out: Path, scratch: Path) -> dict[str, str]:
    for name, args in cases(scratch):
        stem = str(out / name)
        args = [a.replace("{out}", stem) for a in args]
        with open(f"{stem}.out", "wb") as fh:
            done = subprocess.run([CLI, *args], stdout=fh, stderr=subprocess.PIPE, cwd=ROOT)
        stats = Path(f"{stem}.stats")
        if stats.is_file():  # when a run started and how long it took differ from run to run: not compared
            data = json.loads(stats.read_text(encoding="utf-8"))
            data.get("run", {}).update(started=None, duration_s=None)
            stats.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        Path(f"{stem}.exit").write_text(f"{done.returncode}\n{done.stderr.decode('utf-8', 'replace')}", encoding="utf-8")
        print(f"{name}: exit {done.returncode}", file=sys.stderr)
    for path in out.iterdir():  # the stats and explain name their inputs: a baseline from another checkout still compares
        data = path.read_bytes()
        if bytes(ROOT) in data:
            path.write_bytes(data.replace(bytes(ROOT), b"<checkout>"))
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.iterdir()) if p.name != "SHA256SUMS"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["build", "check"])
    parser.add_argument("dir", type=Path)
    args = parser.parse_args()
    if args.action == "build":
        sums = run_all(args.dir)
        (args.dir / "SHA256SUMS").write_text("".join(f"{h}  {n}\n" for n, h in sums.items()), encoding="utf-8")
        print(f"baseline: {len(sums)} files in {args.dir}")
        return 0
    want = dict(line.split("  ", 1)[::-1] for line in (args.dir / "SHA256SUMS").read_text(encoding="utf-8").splitlines())
    with tempfile.TemporaryDirectory() as tmp:
        got = run_all(Path(tmp))
        differ = sorted(n for n in set(want) | set(got) if want.get(n) != got.get(n))
        for name in differ:
            print(f"DIFFERS: {name}")
            if name in got and name in want:
                diff = subprocess.run(["diff", str(args.dir / name), str(Path(tmp) / name)], capture_output=True, text=True)
                print(diff.stdout[:3000])
    print(f"{len(want) - len(differ)} of {len(want)} files identical" + ("" if differ else ": byte-identical"))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
