"""Story lines a precise extractor left out, restored from a wider one.

trafilatura with `favor_precision` keeps teaser lists and widgets out, and with them, now and
then, a paragraph of the story: the lead printed in another element, a list or a sub-heading
in the middle. resiliparse's main-content text keeps nearly all of the story and much
boilerplate around it. Read in resiliparse's order, the precise lines are anchors:
- a line of the wide text between two anchors is story that was skipped: it comes back unless it
  is a short line that does not close a sentence (a button, a label);
- before the first anchor and after the last, only full sentences right next to the story come
  back (a lead paragraph, a closing line), never a run that passes a short line (a list of
  teasers sits behind its heading) or a standfirst: a line that repeats the page's description
  and is either one sentence (a dek printed under the headline) or repeats the story (most of
  its content words are in the story's opening). A paragraph of two or more sentences with its
  own content that the page also uses as its description is the story's lead: it comes back.
The generic rules then meet the restored lines like any other.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Union

import regex

NON_WORD = regex.compile(r"[\W_]+")
BULLET = regex.compile(r"^\s*(?:[-–•·*]|\d{1,2}[.)])\s+")
SENTENCE_END = frozenset(".!?…\"'”’»)")
ANCHOR_MIN_WORDS = 4
EDGE_MIN_WORDS = 12  # a sentence restored at the story's edges: a paragraph, not a teaser's blurb
GAP_SENTENCE_WORDS = 6  # a sentence between anchors comes back from this many words
GAP_MIN_WORDS = 1000  # ... a line that does not close a sentence: never (labels, buttons, teaser headlines)
EDGE_MAX_LINES = 3  # sentences restored before the story
TAIL_MAX_LINES = 0  # ... and after it: none, as a teaser's blurb reads like a closing sentence
TEASER_MIN_KEY = 20  # a description this long (letters and digits) or longer marks a standfirst
STORY_OPENING_WORDS = 200  # a standfirst repeats the story's first paragraphs ...
REPEATS_SHARE = 0.5  # ... when at least half of its content words are among their words
CONTENT_WORD_CHARS = 4  # content words: 4+ letters (a language-neutral way past most function words)
SENTENCE_BREAK = regex.compile(r"(?<=[.!?…])\s+(?=[\p{Lu}\"“„«])")
WORD = regex.compile(r"\w+")


NON_ASCII = regex.compile(r"[^\x00-\x7f]")
ASCII_NON_WORD = bytes(b for b in range(128) if NON_WORD.match(chr(b)))  # NON_WORD's ASCII characters
_non_word: dict[str, bool] = {}  # a non-ASCII character -> whether NON_WORD matches it


def _key(line: str) -> str:
    """The line's letters and digits only: copies of a line that differ in spacing and markup match.
    (What `NON_WORD.sub("", line)` leaves after a bullet, in a third of its time: the non-ASCII
    characters NON_WORD matches are replaced one by one, then the ASCII ones dropped from the
    UTF-8 bytes, which an ASCII byte never splits.)"""
    bullet = BULLET.match(line)
    if bullet:
        line = line[bullet.end():]
    if not line.isascii():
        for ch in set(NON_ASCII.findall(line)):
            non_word = _non_word.get(ch)
            if non_word is None:
                non_word = _non_word[ch] = NON_WORD.match(ch) is not None
            if non_word:
                line = line.replace(ch, "")
    return line.encode("utf-8", "surrogatepass").translate(None, ASCII_NON_WORD).decode("utf-8", "surrogatepass").casefold()


def _sentence(line: str, min_words: int) -> bool:
    return line.rstrip()[-1:] in SENTENCE_END and len(line.split()) >= min_words


Texts = Union[Sequence[str], Callable[[], Sequence[str]]]  # the texts, or a function that finds them


def _texts(texts: Texts) -> Sequence[str]:
    return texts() if callable(texts) else texts


class _Captions:
    """Which lines of `wide` hold one of the page's captions: found on the first question (most
    pages have no line to restore, and finding the captions is a search of the whole tree)."""

    def __init__(self, keys: list[str], captions: Texts):
        self.keys, self.captions, self.lines = keys, captions, None

    def __contains__(self, j: int) -> bool:
        if self.lines is None:
            caption_keys = [k for k in map(_key, _texts(self.captions)) if k]
            self.lines = {i for i, k in enumerate(self.keys) if k and any(c in k for c in caption_keys)}
        return j in self.lines


def _sentences(line: str) -> int:
    """Sentences of 3+ words in `line` (a break after "Dr." or "St." leaves a piece too short to count)."""
    return sum(len(piece.split()) >= 3 for piece in SENTENCE_BREAK.split(line.strip()))


def _content_words(text: str) -> list[str]:
    return [w for w in WORD.findall(text.casefold()) if len(w) >= CONTENT_WORD_CHARS and not w.isdigit()]


def repeats_story(line: str, story: Sequence[str]) -> bool:
    """Whether at least half of `line`'s content words are among the words of the story's opening."""
    opening = set(WORD.findall(" ".join(story).casefold())[:STORY_OPENING_WORDS])
    words = _content_words(line)
    return bool(words) and sum(w in opening for w in words) >= REPEATS_SHARE * len(words)


class _Teasers:
    """Which lines of `wide` are a standfirst (the summary a page prints above its story): they
    repeat one of the page's descriptions (`<meta name="description">`) and are one sentence or
    repeat the `story`. The descriptions are found on the first question."""

    def __init__(self, wide: list[str], keys: list[str], descriptions: Texts, story: Sequence[str]):
        self.wide, self.keys, self.descriptions, self.story, self.found = wide, keys, descriptions, story, None

    def __contains__(self, j: int) -> bool:
        if self.found is None:
            self.found = [k for k in map(_key, _texts(self.descriptions)) if len(k) >= TEASER_MIN_KEY]
        k = self.keys[j]
        if len(k) < TEASER_MIN_KEY or not any(k in d or d in k for d in self.found):
            return False
        return _sentences(self.wide[j]) < 2 or repeats_story(self.wide[j], self.story)


def restore_story(precise: list[str], wide: list[str], captions: Texts = (),
                  descriptions: Texts = ()) -> list[str]:
    """`precise` with the story lines of `wide` it skipped put back in place (see the module);
    a line of `wide` that holds one of the page's `captions` is a caption, not story; a line
    before the story that repeats one of its `descriptions` is a standfirst, not a skipped lead,
    unless it is a paragraph of two or more sentences that does not repeat the story
    (each: the texts, or a function that finds them, called only when a line could come back)."""
    if not precise:
        return list(wide)
    keys = [_key(w) for w in wide]
    skip = _Captions(keys, captions)
    teasers = _Teasers(wide, keys, descriptions, precise)
    where: dict[str, int] = {}
    for i, k in enumerate(keys):
        where.setdefault(k, i)
    key_of = dict(zip(wide, keys))  # most precise lines are lines of `wide` too
    precise_keys = [key_of[line] if line in key_of else _key(line) for line in precise]
    anchors: list[tuple[int, int]] = []  # (precise index, wide index), increasing in both
    last = -1
    for p, (line, k) in enumerate(zip(precise, precise_keys)):
        if len(line.split()) < ANCHOR_MIN_WORDS:  # a closing credit or a label does not extend the story
            continue
        i = where.get(k)
        if i is None or i <= last:
            i = next((j for j in range(last + 1, len(keys)) if len(k) >= 25 and keys[j] and (k in keys[j] or (len(keys[j]) >= 25 and keys[j] in k))), None)
        if i is not None and i > last:
            anchors.append((p, i))
            last = i
    if not anchors:
        return list(precise)
    kept = set(precise_keys)
    used = {i for _, i in anchors} | {j for j, k in enumerate(keys) if k in kept}
    out: list[str] = []
    first_p, first_w = anchors[0]
    lead = []
    for j in range(first_w - 1, max(first_w - 1 - EDGE_MAX_LINES, -1), -1):
        if not _sentence(wide[j], EDGE_MIN_WORDS) or j in skip or j in teasers:
            break
        lead.append(BULLET.sub("", wide[j]).strip())
    out.extend(reversed(lead))
    out.extend(precise[:first_p])
    precise = list(precise)
    for p, i in anchors:  # the same line with a space the precise extractor lost between two tags
        if keys[i] == precise_keys[p] and len(wide[i].split()) > len(BULLET.sub("", precise[p]).split()):
            precise[p] = wide[i].strip()
    for (p, i), (q, k) in zip(anchors, anchors[1:]):
        out.extend(precise[p:q])
        for j in range(i + 1, k):
            line = wide[j].strip()
            if j in used or not line:
                continue
            if ((line[-1:] in SENTENCE_END and line[-1:] != ")" and len(line.split()) >= GAP_SENTENCE_WORDS)
                    or len(line.split()) >= GAP_MIN_WORDS) and j not in skip:
                out.append(BULLET.sub("", line))
    last_p, last_w = anchors[-1]
    out.extend(precise[last_p:])
    for j in range(last_w + 1, min(last_w + 1 + TAIL_MAX_LINES, len(wide))):
        if not _sentence(wide[j], EDGE_MIN_WORDS) or j in skip:
            break
        out.append(BULLET.sub("", wide[j]).strip())
    return out
