"""Train the second-stage language model for Indonesian and the languages around it, shipped as
`cleaner/models/archipelago.ftz` (package data; nothing is downloaded at run time).

    python -m venv /tmp/lidtrain && . /tmp/lidtrain/bin/activate
    pip install fasttext-numpy2-wheel wordfreq regex     # training only: not the package's dependencies
    python bench/train_archipelago_lid.py [--out cleaner/models/archipelago.ftz]

It also writes `cleaner/models/malay_words.tsv`: for the words among the 20,000 commonest of
Malay or of Indonesian in wordfreq, log(frequency in Malay / frequency in Indonesian), kept where
the two differ at least e-fold; the stage calls a text Malay when the sum over its words is
positive (words missing from one list count at frequency 1e-7 there). Each ratio is checked
against real running text, the Malay and Indonesian translations of the same news stories
(NTREX-128, `bench/data/ntrex128/`, CC BY-SA 4.0): there a word's frequency is its count in the
news text blended with its wordfreq frequency (as if wordfreq were as many words again as the
news text), and the table keeps the weaker of the two ratios, or drops the word when they
disagree on the side. wordfreq's frequencies make `angka`, `jumlah` and `tersedia` 3.5-5 times
and `harus` 13 times commoner in Indonesian; translators into Malay use them too (the table drops
the first three and has `harus` at 8 times). The news text only ever weakens a ratio: 16,000
words a side are too few to make new ones.

Run it in a venv of its own: fasttext-numpy2-wheel's `fasttext` module (which can train) replaces
fasttext-predict's (which the package uses to load the model).

Training text, all of it public, none of it held out (see bench/lid_material.py for the splits):
- the NusaX training groups: 11 languages of Indonesia and English, one label each; English
  teaches the model what "none of these" looks like;
- paragraphs of the training half of the Indonesian news bodies (`id`), so news prose is `id`;
- Malay (`ms`) and Indonesian (`id`) pseudo-sentences drawn from wordfreq's word frequencies for
  each language (Wikipedia, subtitles, news, web text). Indonesian gets as many drawn sentences
  as Malay, so the drawing itself says nothing. (The model's id/ms answer is not used: the word
  table decides that pair.)
The text is reduced to `cleaner.langid.words_only` form, as at run time. One thread and fixed
seeds: the same command gives the same bytes (the shipped files are its output, wordfreq 3.1.1).
"""

from __future__ import annotations

import argparse
import collections
import gzip
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import lid_material  # noqa: E402
from cleaner.langid import WORD, words_only  # noqa: E402

NEWS_PARAGRAPHS = 800
DRAWN_SENTENCES = 800
DRAWN_VOCABULARY = 30000


def drawn_sentences(lang: str, count: int, rng: random.Random) -> list[str]:
    import wordfreq

    words = wordfreq.top_n_list(lang, DRAWN_VOCABULARY)
    weights = [wordfreq.word_frequency(w, lang) for w in words]
    return [" ".join(rng.choices(words, weights, k=rng.randint(8, 30))) for _ in range(count)]


# The lists have 28,707 (ms) and 31,108 (id) words. All of them: Django ms 0.884 -> 0.891, but
# rare names (`tamim`, `fatimah`: Malay-list only) turn a second training-side news body into `ms`.
MALAY_VOCABULARY = 20000
MALAY_MIN_RATIO = 1.0
ABSENT_FREQUENCY = 1e-7


NEWS_TEXT = lid_material.ROOT / "bench" / "data" / "ntrex128"
NEWS_FILES = {"ms": "newstest2019-ref.msa.head982.txt.gz", "id": "newstest2019-ref.ind.head982.txt.gz"}


def news_counts(lang: str) -> collections.Counter:
    """Word counts of the NTREX-128 translations: lower-case occurrences only, so the names a
    translation keeps as they are (Jakarta, Trump) do not make `jakarta` look as Malay as
    Indonesian."""
    with gzip.open(NEWS_TEXT / NEWS_FILES[lang], "rt", encoding="utf-8") as f:
        text = f.read().replace("’", "'")
    return collections.Counter(w for w in WORD.findall(text) if w == w.lower())


def weaker_ratio(a: float, b: float) -> float:
    """The smaller of two log ratios of one sign, 0 when their signs differ."""
    if a * b <= 0:
        return 0.0
    return a if abs(a) < abs(b) else b


def malay_ratios() -> dict[str, float]:
    import math

    import wordfreq

    news = {lang: news_counts(lang) for lang in NEWS_FILES}
    size = {lang: sum(counts.values()) for lang, counts in news.items()}
    prior = size["ms"]  # wordfreq counts as much as the news text itself
    words = set(wordfreq.top_n_list("ms", MALAY_VOCABULARY)) | set(wordfreq.top_n_list("id", MALAY_VOCABULARY))
    ratios = {}
    for w in words:
        if w != words_only(w):
            continue  # the stage only ever sees words_only text
        web = {lang: wordfreq.word_frequency(w, lang) for lang in NEWS_FILES}
        blended = {lang: (news[lang][w] + prior * web[lang]) / (size[lang] + prior) for lang in NEWS_FILES}
        web_ratio = math.log((web["ms"] or ABSENT_FREQUENCY) / (web["id"] or ABSENT_FREQUENCY))
        news_ratio = math.log((blended["ms"] or ABSENT_FREQUENCY) / (blended["id"] or ABSENT_FREQUENCY))
        ratio = weaker_ratio(web_ratio, news_ratio)
        if abs(ratio) >= MALAY_MIN_RATIO:
            ratios[w] = round(ratio, 2)
    return ratios


def training_lines(rng: random.Random) -> list[str]:
    items = list(lid_material.nusax(held_out=False))
    news = [p for r in lid_material.indonews(held_out=False) for p in lid_material.paragraphs(r["text"])]
    items += [("id", p) for p in rng.sample(news, min(NEWS_PARAGRAPHS, len(news)))]
    for lang in ("ms", "id"):
        items += [(lang, s) for s in drawn_sentences(lang, DRAWN_SENTENCES, rng)]
    lines = [f"__label__{lang} {words_only(text)}" for lang, text in items if words_only(text)]
    rng.shuffle(lines)
    return lines


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=lid_material.ROOT / "cleaner" / "models" / "archipelago.ftz")
    ap.add_argument("--dim", type=int, default=16)
    ap.add_argument("--epoch", type=int, default=40)
    args = ap.parse_args()
    import fasttext

    rng = random.Random(16)
    lines = training_lines(rng)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
        f.flush()
        model = fasttext.train_supervised(f.name, lr=0.5, epoch=args.epoch, dim=args.dim, minn=2, maxn=4,
                                          wordNgrams=1, bucket=200000, loss="softmax", thread=1, seed=16,
                                          verbose=0)
        model.quantize(input=f.name, cutoff=60000, qnorm=True, retrain=True, epoch=args.epoch, thread=1,
                       verbose=0)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    model.save_model(str(args.out))
    ratios = malay_ratios()
    table = args.out.parent / "malay_words.tsv"
    table.write_text("".join(f"{w}\t{r}\n" for w, r in sorted(ratios.items())), encoding="utf-8")
    print(f"{table}: {len(ratios)} words")
    print(f"{len(lines)} training lines, labels {sorted(model.get_labels())}; {args.out} "
          f"({args.out.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
