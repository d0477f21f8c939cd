"""Article extraction benchmark: our HTML path against trafilatura's two settings, per set, in one run.

    python bench/extraction.py [--sets html-id,trafeval-dev,aeb] [--shared ../shared] [--no-resiliparse]

Extractors, each run over the same pages in the same process:
- ours: `Cleaner.clean({"html": ..., "url": ...})` with every language accepted and no minimum
  length, so only extraction is measured (a reject counts as an empty output, no title);
- trafilatura: `trafilatura.extract(html, include_comments=False)`, as the benchmarks run it;
- trafilatura favor_precision: the same with `favor_precision=True`;
- resiliparse (when installed): `extract_plain_text(tree, main_content=True)`, a measured base.
Titles of the trafilatura rows come from `trafilatura.extract_metadata` (not timed); resiliparse
gives none.

Sets and their scoring:
- html-id (`shared/real/html-id`, 11 real Indonesian pages of sites without a pack, hand-checked
  gold): per page F1 / P / R on the AEB shingles below, averaged over pages (mean F1);
  paragraph recall: share of gold paragraphs found in the output (all their words in order, or
  at least 90% of their shingles);
  leaks: output lines a reader would call boilerplate: lines not found in the gold text and with
  less than half of their words in any one gold paragraph (the headline repeated as the first
  line of the text is a leak: the gold text has no headline); "leak_pages" counts pages with one;
  titles: the title equals the gold headline after collapsing whitespace and case (a title
  carrying the site's name is wrong).
- trafeval-dev (`shared/bench/trafeval-dev`, trafilatura's own evaluation, dev half): every `with`
  snippet found in the whitespace-collapsed output is a true positive, missing a false negative,
  every `without` snippet found a false positive; P/R/F1 from the sums over pages. The generic
  path's thresholds were chosen looking at this set: it is a development figure, not a held-out one.
- aeb (`shared/bench/aeb`): `\\w+` tokens, sets of 4-token shingles; per page true positives,
  false positives and false negatives normalised by their sum; precision and recall averaged over
  pages; F1 their harmonic mean.
Speed: pages per second of each extractor over the set, same process, same run, the extractors
taking turns page by page (a change of the machine's load meets them all), after each has run the
set's first 20 pages untimed (a warm process, as in a long run); quote ratios.
Last, the known-site route: the real IDN Times page through its pack's selectors vs bare trafilatura.
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
WARM_UP_PAGES = 20


def tokens(text: str) -> list[str]:
    return TOKEN.findall((text or "").lower())


def shingles(text: str, n: int = 4) -> set:
    toks = tokens(text)
    return {tuple(toks[i:i + n]) for i in range(max(len(toks) - n + 1, 1 if toks else 0))}


def page_prf(output: str, truth: str) -> tuple[float, float, float]:
    """(tp, fp, fn) of one page, normalised by their sum (the AEB way)."""
    got, want = shingles(output), shingles(truth)
    t, p, n = len(got & want), len(got - want), len(want - got)
    total = t + p + n
    return (t / total, p / total, n / total) if total else (0.0, 0.0, 0.0)


def f1_of(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def aeb_score(pairs) -> dict:
    ps, rs = [], []
    for output, truth in pairs:
        t, p, n = page_prf(output, truth)
        ps.append(t / (t + p) if t + p else 0.0)
        rs.append(t / (t + n) if t + n else 0.0)
    precision, recall = sum(ps) / len(ps), sum(rs) / len(rs)
    return {"F1": f1_of(precision, recall), "P": precision, "R": recall}


def leaked_lines(output: str, gold_paragraphs: list[str]) -> list[str]:
    """Output lines a reader would not count as story: most of their words are in no gold paragraph."""
    gold_tokens = [set(tokens(p)) for p in gold_paragraphs]
    gold_text = " ".join(" ".join(tokens(p)) for p in gold_paragraphs)
    leaks = []
    for line in (output or "").splitlines():
        toks = tokens(line)
        if not toks:
            continue
        joined = " ".join(toks)
        if f" {joined} " in f" {gold_text} ":
            continue
        best = max((len(set(toks) & g) / len(set(toks)) for g in gold_tokens), default=0.0)
        if best < 0.5:
            leaks.append(line)
    return leaks


def norm_title(title: str | None) -> str:
    return " ".join((title or "").replace("“", '"').replace("”", '"').split()).casefold()


def html_id_score(results, gold: list[dict]) -> dict:
    f1s, ps, rs, para_hit, para_all, leak_lines, leak_pages, titles = [], [], [], 0, 0, 0, 0, 0
    for (text, title), g in zip(results, gold):
        truth = "\n".join(g["paragraphs"])
        t, p, n = page_prf(text, truth)
        prec, rec = (t / (t + p) if t + p else 0.0), (t / (t + n) if t + n else 0.0)
        ps.append(prec), rs.append(rec), f1s.append(f1_of(prec, rec))
        got, flat = shingles(text), f" {' '.join(tokens(text))} "
        for para in g["paragraphs"]:
            want = shingles(para)
            para_all += 1
            para_hit += f" {' '.join(tokens(para))} " in flat or (bool(want) and len(want & got) >= 0.9 * len(want))
        leaks = leaked_lines(text, g["paragraphs"])
        leak_lines += len(leaks)
        leak_pages += bool(leaks)
        titles += norm_title(title) == norm_title(g["title"])
    k = len(gold)
    return {"F1": sum(f1s) / k, "P": sum(ps) / k, "R": sum(rs) / k, "para_R": para_hit / para_all,
            "leaks": leak_lines, "leak_pages": leak_pages, "titles": f"{titles}/{k}"}


def trafeval_score(outputs, cases: list[dict]) -> dict:
    tp = fp = fn = 0
    for text, case in zip(outputs, cases):
        flat = " ".join((text or "").split())
        for snippet in case["with"]:
            if " ".join(snippet.split()) in flat:
                tp += 1
            else:
                fn += 1
        fp += sum(" ".join(s.split()) in flat for s in case["without"])
    precision, recall = tp / (tp + fp) if tp + fp else 0.0, tp / (tp + fn) if tp + fn else 0.0
    return {"F1": f1_of(precision, recall), "P": precision, "R": recall}


SET_FOLDERS = {"html-id": "real/html-id", "trafeval-dev": "bench/trafeval-dev", "aeb": "bench/aeb"}


def read_gz(path: Path) -> str:
    return decode_html(gzip.decompress(path.read_bytes()))


def load_set(name: str, shared: Path) -> tuple[list[tuple[str, str | None]], object]:
    """[(html, url)], and what the scorer needs."""
    if name == "html-id":
        base = shared / "real" / "html-id"
        gold = [json.loads(line) for line in (base / "gold.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
        urls = {s["id"]: s.get("url") for s in map(json.loads, (base / "sources.jsonl").read_text(encoding="utf-8").splitlines())}
        return [(read_gz(base / "pages" / f"{g['id']}.gz"), urls.get(g["id"])) for g in gold], gold
    if name == "trafeval-dev":
        base = shared / "bench" / "trafeval-dev"
        data = json.loads((base / "evaldata.json").read_text(encoding="utf-8"))
        cases = [dict(v, url=u) for u, v in data.items() if (base / "pages" / f"{v['file']}.gz").exists()]
        return [(read_gz(base / "pages" / f"{c['file']}.gz"), c["url"]) for c in cases], cases
    if name == "aeb":
        base = shared / "bench" / "aeb"
        truth = json.loads((base / "ground-truth.json").read_text(encoding="utf-8"))
        ids = sorted(truth)
        return [(read_gz(base / "html" / f"{i}.html.gz"), truth[i].get("url")) for i in ids], [truth[i]["articleBody"] for i in ids]
    raise SystemExit(f"unknown set {name!r}")


def extractors(with_resiliparse: bool) -> dict:
    cleaner = Cleaner(Options(languages=(), min_chars=0, min_words=0))

    def ours(html: str, url: str | None) -> tuple[str, str | None]:
        record, _ = cleaner.clean({"html": html, "url": url} if url else {"html": html})
        return (record["text"], record["title"]) if record else ("", None)

    def bare(html: str, url: str | None) -> tuple[str, None]:
        return trafilatura.extract(html, url=url, include_comments=False) or "", None

    def precise(html: str, url: str | None) -> tuple[str, None]:
        return trafilatura.extract(html, url=url, include_comments=False, favor_precision=True) or "", None

    found = {"corpus-cleaner": ours, "trafilatura": bare, "trafilatura precision": precise}
    if with_resiliparse:
        try:
            from resiliparse.extract.html2text import extract_plain_text
            from resiliparse.parse.html import HTMLTree
        except ImportError:
            return found

        def resili(html: str, url: str | None) -> tuple[str, None]:
            return extract_plain_text(HTMLTree.parse(html), main_content=True), None

        found["resiliparse main_content"] = resili
    return found


def trafilatura_title(html: str, url: str | None) -> str | None:
    meta = trafilatura.extract_metadata(html, default_url=url)
    return meta.title if meta else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    shared = next((p / "shared" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()), ROOT.parent / "shared")
    ap.add_argument("--shared", type=Path, default=shared, help="the shared data folder (default: ../shared)")
    ap.add_argument("--sets", default="html-id,trafeval-dev,aeb")
    ap.add_argument("--no-resiliparse", action="store_true")
    ap.add_argument("--show-leaks", action="store_true", help="print each leaked line of html-id")
    ap.add_argument("--idn", type=Path, default=ROOT / "fixtures" / "html" / "idntimes-2021-kisah-inspiratif.html",
                    help="a known site's page: its selector route against bare trafilatura")
    ap.add_argument("--repeat", type=int, default=20, help="repetitions of the known-site page timing")
    args = ap.parse_args()
    for set_name in args.sets.split(","):  # every set's data up front: one line, before any run
        require(args.shared / SET_FOLDERS.get(set_name, set_name), "--shared")

    fns = extractors(not args.no_resiliparse)
    for set_name in args.sets.split(","):
        pages, truth = load_set(set_name, args.shared)
        # warm up on the set's first pages, not timed: imports, the model, and what a process does
        # once on its first doubtful page (readability, jusText and its stop lists for every
        # language), which would otherwise land on the first set's few pages (html-id: 11)
        for html, url in pages[:WARM_UP_PAGES]:
            for fn in fns.values():
                fn(html, url)
        mb = sum(len(h.encode("utf-8")) for h, _ in pages) / 1e6
        print(f"\n{set_name}: {len(pages)} pages, {mb:.1f} MB of HTML, one process")
        # the extractors take turns page by page: a change of the machine's load meets them all
        outs, seconds = {name: [] for name in fns}, dict.fromkeys(fns, 0.0)
        for html, url in pages:
            for name, fn in fns.items():
                start = time.perf_counter()
                outs[name].append(fn(html, url))
                seconds[name] += time.perf_counter() - start
        rows = {}
        for name in fns:
            out, speed = outs[name], len(pages) / seconds[name]
            if name.startswith("trafilatura") and set_name == "html-id":
                out = [(text, trafilatura_title(html, url)) for (text, _), (html, url) in zip(out, pages)]
            if set_name == "html-id":
                row = html_id_score(out, truth)
                if args.show_leaks:
                    for (text, title), g in zip(out, truth):
                        for line in leaked_lines(text, g["paragraphs"]):
                            print(f"  leak [{name}] {g['id'][:30]}: {line[:100]}")
            elif set_name == "trafeval-dev":
                row = trafeval_score([t for t, _ in out], truth)
            else:
                row = aeb_score([(t, g) for (t, _), g in zip(out, truth)])
            rows[name] = {**row, "pages/s": speed}
        keys = list(next(iter(rows.values())))
        print(f"{'extractor':<26}" + "".join(f"{k:>11}" for k in keys))
        for name, row in rows.items():
            cells = "".join(f"{v:>11.3f}" if isinstance(v, float) and k != "pages/s" else f"{v:>11.1f}" if k == "pages/s" else f"{v!s:>11}"
                            for k, v in row.items())
            print(f"{name:<26}{cells}")
        ratio = rows["corpus-cleaner"]["pages/s"] / rows["trafilatura"]["pages/s"]
        print(f"speed ratio, corpus-cleaner / trafilatura: {ratio:.2f}x")

    if args.idn.exists():  # the known-site route: a pack's selectors instead of trafilatura
        idn = decode_html(args.idn.read_bytes())
        timings = {}
        for name in ("corpus-cleaner", "trafilatura"):
            start = time.perf_counter()
            for _ in range(args.repeat):
                fns[name](idn, None)
            timings[name] = time.perf_counter() - start
        print(f"\nIDN Times page x{args.repeat}: selector route {args.repeat / timings['corpus-cleaner']:.1f} pages/s, "
              f"bare trafilatura {args.repeat / timings['trafilatura']:.1f} pages/s, "
              f"ratio {timings['trafilatura'] / timings['corpus-cleaner']:.2f}x")


if __name__ == "__main__":
    main()
