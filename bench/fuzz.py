"""Long fuzz run: generated and mutated inputs built from the fixtures and real pages.

    python bench/fuzz.py [--count 100000] [--seed 1]

Every input is one raw JSONL line (bytes), made by mutating a real page (byte flips, cuts,
splices, NUL and control characters, invalid UTF-8, bad escapes, type changes, HTML soup,
nesting, repetition). Each is cleaned in-process through the same path as the CLI
(`cleaner.parallel.clean_line`), timed, and checked; then the whole file goes through the
installed command with 2 workers to check the accounting rule end to end, and with 1 worker
to check that the bytes are the same. Reports crashes (an exception, a result that is neither
one record nor one reject, a line that is not strict JSON, or a control character in a field
a person reads: must be 0), hangs (a page slower than the per-page limit plus a margin: 0),
accounting breaks (0), and the slowest input.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
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
MAX_LINE_BYTES = 2_000_000  # the CLI run's --max-line-bytes, so that long lines are exercised cheaply
LONG_LINE = 2_100_000
CLI_TIMEOUT = 60  # the page limit is wall time, so a page near it may time out in one run only: compare bytes well away from it


READ_FIELDS = ("id", "url", "title", "author", "editor")
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def refuse(name: str):
    raise ValueError(f"{name} written out: not strict JSON")


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
    # only page-shaped rows: some fixtures hold other things (annotated lines, language samples)
    return [{k: v for k, v in p.items() if k in ("id", "url", "text", "html", "title")}
            for p in pages if isinstance(p.get("text"), str) or isinstance(p.get("html"), str)]


def mutate(rng: random.Random, pages: list[dict]) -> bytes:
    page = dict(rng.choice(pages))
    field = "html" if "html" in page else "text"
    body = page[field]
    kind = rng.randrange(22)
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
    elif kind == 14:  # terminal escape sequences in the fields a person reads
        evil = rng.choice(["\x1b]0;owned\x07", "\x1b[2J", "\x9b31m", "\x1b]8;;x\x1b\\", "\x07\x08\x7f", "\u202e"])
        for name in ("id", "title", "author"):
            page[name] = f"{evil}{page.get(name) or name}{evil}"
        if field == "html":
            page[field] = body.replace("<head>", f'<head><meta property="og:title" content="{evil}T">'
                                       f'<meta name="author" content="{evil}A">', 1)
    elif kind == 15:  # one element with thousands of attributes (quadratic in libxml2)
        attrs = " ".join(f"a{i}=\"\"" for i in range(rng.choice([500, 2000, 20_000])))
        page = {"id": page.get("id"), "html": f"<html><body><div {attrs}>{body[:5000]}</div></body></html>"}
    elif kind == 16:  # tens of thousands of elements
        count = rng.choice([1000, 5000, 300_000, 30_000 if rng.random() < 0.1 else 2000])  # 30,000: seconds each
        page = {"id": page.get("id"), "html": "<html><body>" + "<p>kata</p>" * count + body[:3000]}
    elif kind == 17:  # JSON-LD of odd shapes, a javascript: canonical link, a lying charset
        odd = rng.choice(['{"@graph": 5}', '{"@graph": [1, null]}', '[{"author": 3}]', '{"author": {"name": []}}', "{"])
        extra = rng.choice(['<link rel="canonical" href="javascript:alert(1)">', '<meta charset="idna">',
                            '<meta charset="utf-32">', ""])
        page = {"id": page.get("id"), "html": f'<html><head>{extra}<script type="application/ld+json">{odd}</script>'
                                              f"</head><body><article>{body[:5000]}</article></body></html>"}
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
    elif kind == 18:  # not strict JSON, or an integer too long to convert
        value = rng.choice([b"NaN", b"-Infinity", b"1e400", b"9" * rng.choice([4000, 5000, 100_000])])
        raw = raw[:-1] + b', "n": ' + value + b"}"
    elif kind == 19:  # nesting around the depth limit
        depth = rng.choice([100, 499, 500, 501, 980, 5000])
        raw = raw[:-1] + b', "deep": ' + b"[" * depth + b"]" * depth + b"}"
    elif kind == 20:  # a byte-order mark (only the first line of a file may carry one)
        raw = b"\xef\xbb\xbf" + raw
    elif kind == 21 and rng.random() < 0.05:  # a long line: over the CLI run's --max-line-bytes
        raw = raw[:-1] + b', "pad": "' + b"x" * LONG_LINE + b'"}'
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
                    written = json.loads(done.json_line, parse_constant=refuse)  # strict JSON, records and rejects
                    done.json_line.encode("utf-8")
                    if done.kept and any(CONTROL.search(v) for v in map(written.get, READ_FIELDS) if isinstance(v, str)):
                        raise AssertionError(f"a control character in a field: {done.json_line[:200]!r}")
                    reasons[done.tally.reason or "written"] = reasons.get(done.tally.reason or "written", 0) + 1
                except Exception as exc:  # noqa: BLE001 - a crash is what we are counting
                    crashes.append((n, repr(exc)[:200]))
                seconds = time.perf_counter() - start
                if seconds > HANG_SECONDS:
                    hangs.append((n, seconds, raw[:100]))
                if seconds > slowest[0]:
                    slowest = (seconds, raw[:120])
                if n % 10_000 == 0:
                    print(f"  {n:,} inputs, {time.perf_counter() - started:.0f} s", file=sys.stderr)
        elapsed = time.perf_counter() - started
        exe = shutil.which("corpus-cleaner", path=str(Path(sys.executable).parent)) or "corpus-cleaner"
        outputs, runs = {}, {}
        for workers in ("2", "1"):  # the same bytes for any -w
            out, rej = Path(tmp) / f"out{workers}.jsonl", Path(tmp) / f"rej{workers}.jsonl"
            runs[workers] = subprocess.run([exe, str(src), "-w", workers, "-o", str(out), "--rejects", str(rej),
                                            "--max-line-bytes", str(MAX_LINE_BYTES), "--timeout", str(CLI_TIMEOUT),
                                            "--no-progress"],
                                           capture_output=True, text=True, timeout=7200)
            outputs[workers] = (out.read_bytes(), rej.read_bytes()) if runs[workers].returncode == 0 else None
        result = runs["2"]
        written = outputs["2"][0].count(b"\n") if outputs["2"] else 0
        rejected = outputs["2"][1].count(b"\n") if outputs["2"] else 0
        lines = sum(1 for raw in open(src, "rb") if raw.strip())
        accounting_ok = result.returncode == 0 and written + rejected == lines and "Traceback" not in result.stderr
        same_bytes = outputs["1"] is not None and outputs["1"] == outputs["2"]
    print(f"inputs: {args.count:,} (seed {args.seed}) in {elapsed:.0f} s in-process")
    print(f"crashes: {len(crashes)}  hangs (> {HANG_SECONDS:g} s): {len(hangs)}")
    for n, what in crashes[:10]:
        print(f"  crash at input {n}: {what}")
    for n, seconds, start in hangs[:10]:
        print(f"  hang at input {n}: {seconds:.1f} s: {start!r}")
    print(f"CLI, 2 workers: {lines:,} lines -> {written:,} written + {rejected:,} rejected;"
          f" accounting breaks: {0 if accounting_ok else 1} (exit {result.returncode});"
          f" same bytes with -w 1: {'yes' if same_bytes else 'NO'}")
    print(f"outcomes: {dict(sorted(reasons.items(), key=lambda kv: -kv[1]))}")
    print(f"slowest input: {slowest[0]:.2f} s: {slowest[1]!r}")
    if crashes or hangs or not accounting_ok or not same_bytes:
        sys.exit(1)


if __name__ == "__main__":
    main()
