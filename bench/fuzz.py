"""Long fuzz run: generated and mutated inputs built from the fixtures and real pages.

    python bench/fuzz.py [--count 100000] [--seed 1]

Every input is one raw JSONL line (bytes), made by mutating a real page (byte flips, cuts,
splices, NUL and control characters, invalid UTF-8, bad escapes, type changes, HTML soup,
nesting, repetition). Each is cleaned in-process through the same path as the CLI
(`cleaner.parallel.clean_line`), timed, and checked; then the whole file goes through the
installed command with 2 workers to check the accounting rule end to end. Reports crashes
(an exception or a result that is neither one record nor one reject: must be 0), hangs (a
page slower than the per-page limit plus a margin: 0), accounting breaks (0), and the slowest
input.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaner.io import InputUnit  # noqa: E402
from cleaner.parallel import clean_line  # noqa: E402
from cleaner.pipeline import Cleaner, Options  # noqa: E402

HANG_SECONDS = 12.0  # the per-page limit is 10 s; a page past this one is a hang


def corpus() -> list[dict]:
    pages = []
    for path in (ROOT / "fixtures").glob("*.jsonl"):
        pages += [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    for path in (ROOT / "fixtures" / "real").glob("*.txt"):
        pages.append({"id": path.name, "text": path.read_text(encoding="utf-8")})
    html = (ROOT / "fixtures" / "html" / "idntimes-2021-kisah-inspiratif.html").read_text(encoding="utf-8")
    pages.append({"id": "idn-html", "html": html, "url": "https://www.idntimes.com/x"})
    aeb = ROOT.parent / "shared" / "bench" / "aeb" / "html"
    for path in sorted(aeb.glob("*.html.gz"))[:20]:
        pages.append({"id": path.name, "html": gzip.decompress(path.read_bytes()).decode("utf-8", "replace")})
    return [{k: v for k, v in p.items() if k in ("id", "url", "text", "html", "title")} for p in pages]


def mutate(rng: random.Random, pages: list[dict]) -> bytes:
    page = dict(rng.choice(pages))
    field = "html" if "html" in page else "text"
    body = page[field]
    kind = rng.randrange(14)
    if kind == 0:  # cut the page anywhere
        page[field] = body[: rng.randrange(len(body) + 1)]
    elif kind == 1:  # splice two pages
        other = rng.choice(pages).get(field) or ""
        page[field] = body[: rng.randrange(len(body) + 1)] + other[rng.randrange(len(other) + 1):]
    elif kind == 2:  # control characters and NUL
        chars = list(body)
        for _ in range(rng.randrange(1, 20)):
            chars.insert(rng.randrange(len(chars) + 1), chr(rng.randrange(0, 32)))
        page[field] = "".join(chars)
    elif kind == 3:  # random unicode, including lone surrogates and private use
        chars = list(body[:2000])
        for _ in range(rng.randrange(1, 50)):
            chars.insert(rng.randrange(len(chars) + 1), chr(rng.choice([rng.randrange(0x80, 0x2FFF), rng.randrange(0xD800, 0xE000), rng.randrange(0xE000, 0xF8FF), rng.randrange(0x1F300, 0x1FAFF)])))
        page[field] = "".join(chars)
    elif kind == 4:  # a field of another type
        page[rng.choice(["text", "html", "url", "id", "title"])] = rng.choice([None, 0, -1.5, True, [], {}, ["a"], {"b": 1}])
    elif kind == 5:  # repetition
        page[field] = (body[: rng.randrange(1, 200)] or "x") * rng.randrange(2, 3000)
    elif kind == 6:  # tag soup and deep nesting
        tags = ["div", "p", "span", "article", "a", "table", "tr", "td", "li", "script", "style"]
        depth = rng.choice([10, 1000, 20000])
        page = {"id": page.get("id"), "html": "".join(f"<{rng.choice(tags)}>" for _ in range(depth)) + body[:3000]}
    elif kind == 7:  # lines shuffled
        parts = body.split("\n")
        rng.shuffle(parts)
        page[field] = "\n".join(parts)
    elif kind == 8:  # every line doubled or every line a boilerplate phrase
        page[field] = "\n".join(line + "\n" + line for line in body.split("\n")) if rng.random() < 0.5 else \
            "\n".join(rng.choice(["Baca juga: X", "Iklan", "ADVERTISEMENT", "(WIL)", "Share", "|---|"]) for _ in range(200))
    elif kind == 9:  # page with nothing but whitespace of every kind
        page[field] = "".join(rng.choice([" ", "\t", "\n", "\r", "\u00a0", "\u2028", "\u3000", "\x0b"]) for _ in range(500))
    raw = json.dumps(page, ensure_ascii=rng.random() < 0.3).encode("utf-8", "surrogatepass")
    if kind == 10:  # byte flips: invalid UTF-8 and broken JSON
        data = bytearray(raw)
        for _ in range(rng.randrange(1, 10)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        raw = bytes(data).replace(b"\n", b" ")
    elif kind == 11:  # cut the JSON line
        raw = raw[: rng.randrange(len(raw))]
    elif kind == 12:  # bad escapes
        raw = raw.replace(b'"text": "', b'"text": "\\ud83d\\x\\u12', 1)
    elif kind == 13:  # not an object
        raw = rng.choice([b"[1, 2]", b'"text"', b"null", b"42", b"{}", b"[]"])
    return raw.replace(b"\n", b"\\n") + b"\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    pages = corpus()
    cleaner = Cleaner(Options())
    crashes, hangs, slowest = [], [], (0.0, b"")
    reasons: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="cc-fuzz-") as tmp:
        src = Path(tmp) / "fuzz.jsonl"
        started = time.perf_counter()
        with open(src, "wb") as out:
            for n in range(1, args.count + 1):
                raw = mutate(rng, pages)
                out.write(raw)
                line = InputUnit("fuzz", n, raw=raw.decode("utf-8", "surrogateescape"))
                start = time.perf_counter()
                try:
                    done = clean_line(cleaner, line)
                    if done.kept:
                        json.loads(done.json_line)
                        done.json_line.encode("utf-8")
                    reasons[done.tally.reason or "written"] = reasons.get(done.tally.reason or "written", 0) + 1
                except Exception as exc:  # noqa: BLE001 - a crash is what we are counting
                    crashes.append((n, repr(exc)[:200]))
                seconds = time.perf_counter() - start
                if seconds > HANG_SECONDS:
                    hangs.append((n, seconds))
                if seconds > slowest[0]:
                    slowest = (seconds, raw[:120])
                if n % 10_000 == 0:
                    print(f"  {n:,} inputs, {time.perf_counter() - started:.0f} s", file=sys.stderr)
        elapsed = time.perf_counter() - started
        exe = shutil.which("corpus-cleaner", path=str(Path(sys.executable).parent)) or "corpus-cleaner"
        result = subprocess.run([exe, str(src), "-w", "2", "-o", str(Path(tmp) / "out.jsonl"),
                                 "--rejects", str(Path(tmp) / "rej.jsonl"), "--no-progress"],
                                capture_output=True, text=True, timeout=3600)
        written = sum(1 for _ in open(Path(tmp) / "out.jsonl", encoding="utf-8"))
        rejected = sum(1 for _ in open(Path(tmp) / "rej.jsonl", encoding="utf-8"))
        lines = sum(1 for raw in open(src, "rb") if raw.strip())
        accounting_ok = result.returncode == 0 and written + rejected == lines and "Traceback" not in result.stderr
    print(f"inputs: {args.count:,} (seed {args.seed}) in {elapsed:.0f} s in-process")
    print(f"crashes: {len(crashes)}  hangs (> {HANG_SECONDS:g} s): {len(hangs)}")
    for n, what in crashes[:10]:
        print(f"  crash at input {n}: {what}")
    print(f"CLI, 2 workers: {lines:,} lines -> {written:,} written + {rejected:,} rejected;"
          f" accounting breaks: {0 if accounting_ok else 1} (exit {result.returncode})")
    print(f"outcomes: {dict(sorted(reasons.items(), key=lambda kv: -kv[1]))}")
    print(f"slowest input: {slowest[0]:.2f} s: {slowest[1]!r}")
    if crashes or hangs or not accounting_ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
