"""Span rules: boilerplate glued inside a line (`...sipil.Baca Juga: <headline> Pejabat ...`).

A span rule is a marker and where its span ends: at the end of the line, at a closing pattern,
or after the headline the marker introduces. `cut_spans(rules, line)` returns what is left of the
line and the spans it cut; it is pure and knows no site (the markers come from `rules/*.toml`).
Pieces of story that meet after a cut are joined by one space, or by a line break where the
boilerplate was glued to the text before it without a space (two paragraphs glued together).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import regex

from .regexes import lazy

ENDS = ("line", "headline", "close", "marker")
# Lower-case words an Indonesian or English headline keeps in lower case between capitalised ones.
HEADLINE_SMALL = frozenset(
    "di ke dari dan atau yang untuk pada dengan oleh bagi vs vs. soal usai jadi para si sang hingga serta "
    "tapi tetapi meski lewat versi ala per kontra of the and or for in on at to a an with by".split())
# Capitalised words that open a sentence and rarely stand inside a headline: where one follows
# the headline words, the story sentence starts there (`... Lulusan Muda Namun, Jepang tetap ...`).
# Conjunctions open sentences; a capitalised preposition does too, as a headline keeps its
# prepositions in lower case (`... Sekolah Kedinasan Di Bogor` is not a headline's).
SENTENCE_OPENERS = frozenset(
    "Namun Sementara Sebagai Dalam Yang Kemudian Selain Adapun Berdasarkan Menurut Sebelumnya Bahkan Meski "
    "Meskipun Diketahui Dilansir Selanjutnya Sedangkan Menanggapi Tetapi Sehingga Padahal Lalu Maka Apalagi "
    "Di Dari Pada Ke Untuk Dengan Oleh Bagi Kepada Terhadap".split())
# A subject pronoun opens the sentence when the verb follows it (`... Pulang Ia mengatakan`); in a
# headline it stands in a quote, in title case (`BEI: Kami Akan Minta Penjelasan`).
SUBJECT_PRONOUNS = frozenset("Ia Dia Mereka Beliau Kami Saya".split())
HEADLINE_MAX_WORDS = 30  # a "headline" longer than this is not one: only the marker goes
GLUED_START = lazy(r"(?<=\p{Ll}{2}[+]?|\d)(?=[\"“‘]?\p{Lu}\p{Ll})")  # RusiaKemudian, Vision+Apalagi, Beda"Pada
# Where GLUED_START may hold in ASCII text: the character before it (a lower-case letter, a digit
# or "+") and the one after (a capital or a quote) side by side. Each made "a" or "A" by its class
# (the others stay as they are: none is "a" or "A"), `b"aA" in` finds the pair far faster than
# `regex` tries the lookarounds at each position.
GLUED_BEFORE, GLUED_AFTER = "abcdefghijklmnopqrstuvwxyz0123456789+", 'ABCDEFGHIJKLMNOPQRSTUVWXYZ"'
GLUED_PAIR_CLASSES = bytes.maketrans((GLUED_BEFORE + GLUED_AFTER).encode(), b"a" * len(GLUED_BEFORE) + b"A" * len(GLUED_AFTER))
WORD = lazy(r"\S+")
# The first words from a position, in one match: each repeat's capture is the next `WORD` (a
# repeat takes a whole run of non-spaces, as `WORD.finditer` does), read back by `captures`, far
# cheaper than a match object per word.
HEADLINE_WORDS = lazy(r"(?:\s*(\S+)){1,%d}" % (HEADLINE_MAX_WORDS + 2))
FOLLOWING_WORDS = lazy(r"(?:\s*(\S+)){1,6}")
SENTENCE_END = lazy(r"[.!?…\"'”’»)\]]$")


@dataclass(frozen=True)
class SpanRule:
    category: str
    label: str  # "rules/generic.toml: [[span]] #2 (read_also)", for `explain`
    marker: regex.Pattern  # where the span starts (and, for end = "line", all it may hold)
    end: str  # line | headline | close
    close: regex.Pattern | None = None  # end = "close": the span ends after this
    max_chars: int = 300  # end = "line": a longer rest of line is story, not a span
    vetted: bool = False  # from a built-in pack: its marker's literal gate may rule lines out


class Cut(NamedTuple):
    """A span cut out of a line: where, what, by which rule. (A named tuple: a frozen dataclass
    cost several times as much to make, one a cut.)"""

    start: int
    end: int
    text: str
    rule: SpanRule


class SpanTimeout(TimeoutError):
    """A user's span rule ran past its time limit on a line; the message names the rule, its part
    and its pattern, as a line rule's does: "my.toml: [[span]] #1 (ad) marker: '...'"."""

    def __init__(self, rule: SpanRule, part: str):
        super().__init__(f"{rule.label} {part}: {getattr(rule, part).pattern!r}")


def cut_spans(rules: tuple[SpanRule, ...], line: str, timeout: float | None = None) -> tuple[str, list[Cut]]:
    """(the line without its spans, the cuts in order). A line without spans comes back as is."""
    cuts: list[Cut] = []
    pos = 0
    size = len(line)
    while pos < size:
        found = None
        for rule in rules:  # a built-in (vetted) marker runs bare, a user's under the time limit
            try:
                m = (rule.marker.search(line, pos, None, False) if rule.vetted  # (`concurrent` false: the engine
                     else rule.marker.search(line, pos, None, False, timeout=timeout))  # keeps the GIL, ~1k instructions less)
            except TimeoutError:
                raise SpanTimeout(rule, "marker") from None
            if m is None:
                continue
            begin, after = m.span()
            if after == begin:
                continue
            end = _span_end(rule, line, m, timeout)
            if end is None:
                continue
            if found is None or begin < found[0]:
                found = (begin, end, rule)
        if found is None:
            break
        start, end, rule = found
        cuts.append(Cut(start, end, line[start:end], rule))
        pos = end if end > start else start + 1
    if not cuts:
        return line, []
    if start == 0 and end == size:  # (a marker alone on its line, most cuts) one cut, of the whole line: nothing is left
        return "", cuts
    return join_pieces(line, cuts), cuts


def join_pieces(line: str, cuts: list[Cut]) -> str:
    """What the cuts leave, joined: a space, or a line break where a cut was glued to the left."""
    out, pos = "", 0
    glued = False
    for c in cuts:
        piece = line[pos:c.start].strip()
        if piece:
            out = piece if not out else out + ("\n" if glued else " ") + piece
        if piece or not out:
            glued = c.start > 0 and not line[c.start - 1].isspace()
        pos = c.end
    piece = line[pos:].strip()
    if piece:
        out = piece if not out else out + ("\n" if glued else " ") + piece
    return out


def _span_end(rule: SpanRule, line: str, m, timeout) -> int | None:
    if rule.end == "line":
        return len(line) if len(line) - m.end() <= rule.max_chars else None
    if rule.end == "marker":
        return m.end()
    if rule.end == "close":
        try:
            c = (rule.close.search(line, m.end(), None, False) if rule.vetted
                 else rule.close.search(line, m.end(), None, False, timeout=timeout))
        except TimeoutError:
            raise SpanTimeout(rule, "close") from None
        return c.end() if c is not None else None
    return headline_end(line, m.end())


def headline_end(line: str, start: int) -> int:
    """Where a headline that starts at `start` ends: before the story sentence that follows it.

    The sentence is found, surest first: glued to the headline's last word (`RusiaKemudian`);
    or the capitalised word before the first run of lower-case words (`... Garda Nasional
    Pejabat itu, seperti ...`); or after a `?`/`!` that closes a word. With none of these
    within HEADLINE_MAX_WORDS words and no more than that left, the headline runs to the end
    of the line; otherwise only the marker is cut (`start` is returned)."""
    if start == len(line):  # (a marker alone on its line, the headline on the next) no word: the line's end
        return start
    words = _headline_words(line, start)
    window = words[:HEADLINE_MAX_WORDS + 1]
    low = _lower_run(window)
    if low is None:  # (most) no lower-case run: every word is before the end of the window
        considered = window
    else:
        limit = window[low][0]
        considered = [word for word in window if word[0] < limit]
    # where a sentence may be glued to a word: each word's own search (its end the text's end)
    # finds one only where this one search of all of them does (and only where the pair of
    # characters GLUED_START looks at is there: in an ASCII headline, `re` says so first)
    glued = ()
    if considered:
        first, end = considered[0][0], considered[-1][1]
        text = line[first:end]
        if not text.isascii() or b"aA" in text.encode("ascii").translate(GLUED_PAIR_CLASSES):
            glued = [g.start() for g in GLUED_START.finditer(line, first + 1, end)]
    for a, b, w in considered if glued else ():  # a sentence glued to the headline's last word
        if not any(a < at < b for at in glued):
            continue
        g = GLUED_START.search(line, a + 1, b)
        if g is not None and _sentence_follows(line, g.start()):
            return g.start()
    if low is not None:
        begin = _sentence_start(window, low)
        if begin is not None and begin > 0:
            begin = _whole_name(line, window, begin, low)
            return window[begin - 1][1]
    if window and ("?" in line or "!" in line):  # "... Apa Hasilnya? Sementara, ..."
        for i, (a, b, w) in enumerate(window[:-1]):
            if w[-1] in "?!" and window[i + 1][2][:1].isupper():
                return b
    if len(words) <= HEADLINE_MAX_WORDS:
        return len(line)
    return start


def _headline_words(line: str, start: int) -> list[tuple[int, int, str]]:
    """(start, end, word) of the first HEADLINE_MAX_WORDS + 2 words from `start`, as
    `HEADLINE_WORDS` finds them. (Most) a printable rest with single spaces between its words is
    split at them: " " is the only whitespace a printable text holds, to `regex` as to `str`."""
    most = HEADLINE_MAX_WORDS + 2
    rest = line[start:]
    if rest[:1] != " " and rest.isprintable():
        pieces = rest.split(" ", most)
        if "" not in pieces:  # no two spaces in a row, none at the end: each piece is a word
            words = []
            a = start
            for w in pieces[:most]:
                b = a + len(w)
                words.append((a, b, w))
                a = b + 1
            return words
    found = HEADLINE_WORDS.match(line, start)  # (start, end, word) of each word, as `WORD.finditer` finds them
    return list(zip(found.starts(1), found.ends(1), found.captures(1))) if found is not None else []


def _lowerword(w: str) -> bool:
    core = w.strip("\"“”‘’'(),.:;")
    return bool(core) and core[0].islower() and core.lower() not in HEADLINE_SMALL


def _lower_run(window) -> int | None:
    """Index of the first word of a run of lower-case words (2 of the next 3 words), or of a
    lower-case word closing a clause (`Yang menarik, ...`)."""
    for i, (_, _, w) in enumerate(window):
        if w[0].isupper():  # (most words of a headline) a capital, never stripped, opens its core
            continue
        if _lowerword(w) and (w.endswith(",") or sum(_lowerword(x[2]) for x in window[i:i + 3]) >= 2):
            return i
    return None


def _sentence_start(window, low: int) -> int | None:
    """The word the story sentence starts with, before the lower-case run: an opening quote or a
    sentence opener among the capitalised words before it (the first one), else the nearest
    capitalised word."""
    j, nearest = low - 1, None
    while j >= 0:
        w = window[j][2]
        if w[:1] in "\"“‘":
            return j
        if _capitalised(w):
            nearest = j if nearest is None else nearest
        elif not (w.strip(",.").lower() in HEADLINE_SMALL or w.isupper() or not w[:1].isalpha()):
            break
        j -= 1
    if nearest is None:
        return None
    # the first opener among the capitalised words, or one right before the lower-case word that
    # stopped the walk back (`... Terbaru Berdasarkan data Ditjen Guru ... kebutuhan`)
    first = j - 1 if j >= 3 and _lowerword(window[j][2]) else j + 1
    openers = [k for k in range(max(first, 2), nearest + 1) if _opens_sentence(window, k, low)]
    if openers:
        return openers[0]
    subject = window[low - 1][2]  # an acronym right before the verb is the subject: "SPIEF tahun ini dibuka"
    if low - 1 > nearest and subject.isupper() and subject.isalpha() and len(subject) >= 2:
        return low - 1
    return nearest


def _opens_sentence(window, k: int, low: int) -> bool:
    """The k-th word is a sentence opener, not a word of the headline's quote (`BEI: Kami ...`)."""
    w = window[k][2].strip(",")
    if window[k - 1][2].endswith(":"):
        return False
    return w in SENTENCE_OPENERS or (w in SUBJECT_PRONOUNS and k + 1 == low)


def _capitalised(w: str) -> bool:
    """A capitalised word (`Pejabat`, `Co-promotor`) or a name written in camel case (`iNews`)."""
    return (w[:1].isupper() or (w[:1].islower() and w[1:2].isupper())) and any(ch.islower() for ch in w)


def _whole_name(line: str, window, begin: int, low: int) -> int:
    """A sentence that opens with a name (`Ade Darmawan menjelaskan ...`) starts at the name's
    first word: the capitalised words before `begin` belong to the sentence as long as the name
    they make up is printed elsewhere in the line too (the story names its people again)."""
    if window[begin][2][:1] in "\"“‘":
        return begin
    end = window[low - 1][1]
    while begin > 1:
        w = window[begin - 1][2]
        if not (w[:1].isupper() or w in HEADLINE_SMALL) or w[-1:] in ",:;?!":
            break
        name = line[window[begin - 1][0]:end]
        if line.count(name) < 2:
            break
        begin -= 1
    while begin < low - 1 and window[begin][2] in HEADLINE_SMALL:
        begin += 1
    return begin


def _sentence_follows(line: str, at: int) -> bool:
    """A sentence starts at `at`: lower-case words follow within a few words."""
    found = FOLLOWING_WORDS.match(line, at)  # the first 6 words from `at`
    words = found.captures(1) if found is not None else []
    return sum(_lowerword(w) for w in words[1:]) >= 2
