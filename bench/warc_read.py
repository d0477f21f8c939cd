"""WARC reading throughput: fastwarc (what `corpus-cleaner crawl.warc.gz` uses) against warcio, and
against the same pages given as JSONL, in one run on the same pages.

    python bench/warc_read.py [--repeat 100] [--clean-repeat 5]

The pages are the real pages of fixtures/ (the IDN Times page and the 11 html-id pages), written
`--repeat` times into a .warc.gz (warcio's writer, one gzip member per record, a request record
before each response as crawlers write them) and into a .jsonl.gz holding the same pages as
`{"id", "url", "crawl_date", "html"}`. Reading means: file -> page dicts with decoded HTML, as
the cleaner receives them. Then the installed command cleans both files end to end (`-w 1`), to
show what share of a run reading takes. Needs the test extra (fastwarc, warcio).
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def pages() -> list[tuple[str, bytes]]:
    out = [("https://www.idntimes.com/life/inspiration/kisah-inspiratif",
            (FIXTURES / "html" / "idntimes-2021-kisah-inspiratif.html").read_bytes())]
    for path in sorted((FIXTURES / "real" / "html-id").glob("*.html.gz")):
        out.append((f"https://news.example.id/{path.name[:-8]}", gzip.decompress(path.read_bytes())))
    return out


def write_inputs(folder: Path, repeat: int) -> tuple[Path, Path, int]:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    warc, jsonl = folder / "crawl.warc.gz", folder / "crawl.jsonl.gz"
    n = 0
    with open(warc, "wb") as fh, gzip.open(jsonl, "wt", encoding="utf-8") as js:
        writer = WARCWriter(fh, gzip=True)
        for r in range(repeat):
            for url, body in pages():
                url = f"{url}?r={r}"
                writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
                http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=UTF-8")], protocol="HTTP/1.1")
                record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                                   warc_headers_dict={"WARC-Date": "2024-03-01T10:00:00Z"})
                writer.write_record(record)
                js.write(json.dumps({"id": record.rec_headers.get_header("WARC-Record-ID"), "url": url,
                                     "crawl_date": "2024-03-01T10:00:00Z", "html": body.decode("utf-8")},
                                    ensure_ascii=False) + "\n")
                n += 1
    return warc, jsonl, n


def read_fastwarc(path: Path) -> int:
    """What the cleaner does: cleaner.io.read_lines -> cleaner.warc (fastwarc)."""
    from cleaner.io import read_lines

    return sum(1 for line in read_lines([str(path)]) if line.parsed()[0].get("html"))


def read_warcio(path: Path) -> int:
    """The same with warcio: response records, 200 + HTML, body decoded the same way."""
    from warcio.archiveiterator import ArchiveIterator

    from cleaner.html import decode_html

    n = 0
    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type != "response":
                continue
            status = record.http_headers.get_statuscode()
            ctype = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip()
            body = record.content_stream().read()
            if status == "200" and ctype == "text/html":
                page = {"id": record.rec_headers.get_header("WARC-Record-ID"),
                        "url": record.rec_headers.get_header("WARC-Target-URI"),
                        "crawl_date": record.rec_headers.get_header("WARC-Date"), "html": decode_html(body)}
                n += bool(page["html"])
    return n


def read_jsonl(path: Path) -> int:
    """The same pages as JSONL: cleaner.io.read_lines, each line parsed as the workers parse it."""
    from cleaner.io import read_lines

    return sum(1 for line in read_lines([str(path)]) if line.parsed()[0].get("html"))


def timed(fn, path: Path, rounds: int = 3) -> tuple[float, int]:
    best, n = float("inf"), 0
    for _ in range(rounds):
        start = time.perf_counter()
        n = fn(path)
        best = min(best, time.perf_counter() - start)
    return best, n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=100, help="times the 12 pages are written (default 100)")
    ap.add_argument("--clean-repeat", type=int, default=5, help="repeat for the end-to-end runs (0 = skip)")
    args = ap.parse_args()
    try:
        import fastwarc  # noqa: F401
        import warcio  # noqa: F401
    except ImportError as exc:
        sys.exit(f"warc_read: {exc.name} is not installed: pip install '.[test]'")
    with tempfile.TemporaryDirectory() as tmp:
        warc, jsonl, n = write_inputs(Path(tmp), args.repeat)
        mb = sum(len(b) for _, b in pages()) * args.repeat / 1e6
        print(f"{n} pages, {mb:.1f} MB of HTML; {warc.stat().st_size / 1e6:.1f} MB .warc.gz, "
              f"{jsonl.stat().st_size / 1e6:.1f} MB .jsonl.gz (best of 3)")
        results = {name: timed(fn, path) for name, fn, path in (
            ("fastwarc (cleaner.warc)", read_fastwarc, warc), ("warcio", read_warcio, warc), ("JSONL.gz", read_jsonl, jsonl))}
        base = results["fastwarc (cleaner.warc)"][0]
        print(f"{'reader':<26} {'pages/s':>9} {'MB/s':>7} {'time vs fastwarc':>17}")
        for name, (seconds, count) in results.items():
            assert count == n, (name, count, n)
            print(f"{name:<26} {count / seconds:>9.0f} {mb / seconds:>7.1f} {seconds / base:>16.2f}x")
        if args.clean_repeat:
            exe = shutil.which("corpus-cleaner", path=str(Path(sys.executable).parent)) or "corpus-cleaner"
            warc, jsonl, n = write_inputs(Path(tmp), args.clean_repeat)
            print(f"\nend to end, `corpus-cleaner FILE -w 1 -q -o out.jsonl` on {n} pages (best of 2, alternating):")
            best = {warc: float("inf"), jsonl: float("inf")}
            for _ in range(2):
                for src in (warc, jsonl):
                    start = time.perf_counter()
                    subprocess.run([exe, str(src), "-w", "1", "-q", "--no-progress", "-o", str(src) + ".out"], check=True)
                    best[src] = min(best[src], time.perf_counter() - start)
            for src, seconds in best.items():
                print(f"  {src.name:<16} {seconds:6.1f} s  {n / seconds:6.1f} pages/s")
            print(f"  WARC / JSONL time: {best[warc] / best[jsonl]:.2f}x; same output bytes:",
                  Path(str(warc) + ".out").read_bytes() == Path(str(jsonl) + ".out").read_bytes())


if __name__ == "__main__":
    main()
