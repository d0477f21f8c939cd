"""Language identification of Indonesian and the languages around it: the two-stage detector
(`get_detector("fasttext")`) against the world model alone (lid.176, what main had), same run.

    python bench/lid_archipelago.py [--django PATH.whl] [--sources DIR] [--speed-repeat 3]

Sets (splits in bench/lid_material.py; nothing here was trained on):
- NusaX held-out groups (a third of the parallel groups): per language accuracy, the main
  confusions, us per sentence of each detector;
- Malay and Indonesian: Django's `ms` and `id` message catalogues, joined into paragraphs of 12+
  words (`--django`: a Django wheel, `pip download --no-deps django`; skipped without it);
- Malay (and Indonesian) per source (`--sources DIR`: the archives of lid_material.MALAY_SOURCES
  in DIR, each a table of its own: Django, Picard and Deluge catalogues, Kamus Dewan definitions);
- the held-out half of the Indonesian news bodies: document label (must stay `id`) and
  paragraph labels;
- trafilatura's evaluation pages (`../shared/bench/trafeval-dev`, European languages mostly):
  each page through the cleaner (`--lang any`), record language and removed paragraphs,
  counted where the two detectors differ;
- speed of the whole text path: the Indonesian news bodies through `Cleaner.clean` with each
  detector, alternating page by page, `--speed-repeat` rounds; ratio new / old.
Times are CPU seconds of this process (`time.process_time`), the detectors alternating text by
text: on a shared machine wall time mostly measures the neighbours.
`SHARED_DIR` overrides where shared/ is (default: beside the checkout).
"""

from __future__ import annotations

import argparse
import collections
import gzip
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import lid_material  # noqa: E402
from cleaner import langid  # noqa: E402
from cleaner.pipeline import Cleaner, Options  # noqa: E402


def label(detector, text: str) -> str:
    return langid.document_language(detector, text, ())[0] or "none"


def table(name: str, items: list[tuple[str, str]], detectors: dict) -> None:
    print(f"\n## {name}\n")
    print("| language | n | " + " | ".join(f"{d} accuracy | {d} main confusions" for d in detectors) + " |")
    print("|---|---|" + "---|---|" * len(detectors))
    by_lang = collections.defaultdict(list)
    for lang, text in items:
        by_lang[lang].append(text)
    cost = {d: 0.0 for d in detectors}
    for lang in sorted(by_lang, key=lambda l: (l != "id", l)):
        cells = []
        found = {d: collections.Counter() for d in detectors}
        for text in by_lang[lang]:  # detectors alternate text by text: machine load hits both alike
            for d, det in detectors.items():
                start = time.process_time()
                found[d][label(det, text)] += 1
                cost[d] += time.process_time() - start
        for d, got in found.items():
            wrong = ", ".join(f"{l} {n / len(by_lang[lang]):.2f}" for l, n in got.most_common() if l != lang)
            cells += [f"{got[lang] / len(by_lang[lang]):.2f}", " ".join(wrong.split(", ")[:3]).replace(" ", " ")]
        print(f"| {lang} | {len(by_lang[lang])} | " + " | ".join(cells) + " |")
    print("\n" + ", ".join(f"{d}: {cost[d] / len(items) * 1e6:.0f} us per text" for d in detectors))


def trafeval(detectors: dict) -> None:
    pages = sorted((lid_material.SHARED / "bench" / "trafeval-dev" / "pages").glob("*.gz"))
    results = {}
    for d, det in detectors.items():
        cleaner = Cleaner(Options(languages=(), min_chars=0, min_words=0))
        cleaner.detector = det
        out = []
        for p in pages:
            raw = gzip.decompress(p.read_bytes())
            try:
                html = raw.decode("utf-8")
            except UnicodeDecodeError:
                html = raw.decode("cp1252", "replace")
            rec, _ = cleaner.clean({"id": p.name, "html": html})
            out.append((rec["lang"], rec["text"].count("\n") + 1) if rec else (None, 0))
        results[d] = out
    old, new = results["lid.176"], results["two-stage"]
    langs = collections.Counter(lang for lang, _ in old)
    changed = [(p.name, o[0], n[0]) for p, o, n in zip(pages, old, new) if o[0] != n[0]]
    lines = sum(1 for o, n in zip(old, new) if o[0] == n[0] and o[1] != n[1])
    print(f"\n## trafilatura evaluation pages ({len(pages)}; languages by lid.176: "
          f"{', '.join(f'{l} {n}' for l, n in langs.most_common(8))})\n")
    print(f"record language changed on {len(changed)} pages: {changed[:10]}; "
          f"kept-paragraph count changed on {lines} pages")


def speed(detectors: dict, repeat: int) -> None:
    pages = lid_material.indonews(held_out=False) + lid_material.indonews(held_out=True)
    cleaners = {}
    for d, det in detectors.items():
        cleaners[d] = Cleaner(Options(languages=("id",)))
        cleaners[d].detector = det
    spent = {d: 0.0 for d in detectors}
    for _ in range(repeat):
        for page in pages:  # alternating page by page: the load of a shared machine hits both alike
            for d, cleaner in cleaners.items():
                start = time.process_time()
                cleaner.clean(page)
                spent[d] += time.process_time() - start
    per = {d: spent[d] / (repeat * len(pages)) * 1e6 for d in detectors}
    print(f"\n## whole text path, Indonesian news bodies ({len(pages)} x {repeat})\n")
    print(", ".join(f"{d}: {us:.0f} us per record" for d, us in per.items())
          + f"; two-stage / lid.176 = {per['two-stage'] / per['lid.176']:.3f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--django", type=Path)
    ap.add_argument("--sources", type=Path, help="directory with the archives of lid_material.MALAY_SOURCES")
    ap.add_argument("--speed-repeat", type=int, default=3)
    ap.add_argument("--skip", nargs="*", default=[], choices=["tables", "trafeval", "speed"])
    args = ap.parse_args()
    detectors = {"lid.176": langid.FastTextDetector(), "two-stage": langid.get_detector("fasttext")}
    if "tables" not in args.skip:
        tables(detectors, args.django, args.sources)
    if "trafeval" not in args.skip:
        trafeval(detectors)
    if "speed" not in args.skip:
        speed(detectors, args.speed_repeat)


def tables(detectors: dict, django: Path | None, sources: Path | None) -> None:
    table("NusaX held-out groups (sentences)", lid_material.nusax(held_out=True), detectors)
    for name, by_lang in (lid_material.source_paragraphs(sources) if sources else {}).items():
        table(f"{name} (paragraphs of 12+ words)", [(lang, t) for lang, texts in by_lang.items() for t in texts],
              detectors)
    if django and not sources:
        items = [(lang, t) for lang in ("ms", "id")
                 for t in lid_material.chunks(lid_material.django_messages(django, lang))]
        table("Django message catalogues (paragraphs of 12+ words)", items, detectors)
    news = lid_material.indonews(held_out=True)
    table("Indonesian news bodies, held-out half (documents)", [("id", r["text"]) for r in news], detectors)
    table("Indonesian news paragraphs, held-out half (12+ words)",
          [("id", p) for r in news for p in lid_material.paragraphs(r["text"])], detectors)


if __name__ == "__main__":
    main()
