"""Structural heuristics: boilerplate found by the shape of the page rather than by a pattern.

Each check reads the page's lines and which are already removed (`why[i]` is not None), and
removes more through `drop(i, category, label)`; a pack turns them on in `[structure]`.
"""

from __future__ import annotations

from itertools import compress
from typing import Callable, Sequence

from .regexes import lazy
from .rulepack import STORY_END, Structure

Drop = Callable[[int, str, str], None]
CONTINUES = lazy(r"^[\p{Ll}\p{P}]")  # a line that carries on the sentence before it
DANGLING_ENDS = "-–—,:;("
DANGLING = lazy(r"[-–—,:;(]$")  # a line whose sentence goes on in the next one: it ends in one of DANGLING_ENDS


def dangles(line: str) -> bool:
    """`DANGLING.search(line)`, without a call into the regex engine: `$` is the end, or before a
    final line break."""
    last = line[-2:-1] if line[-1:] == "\n" else line[-1:]
    return last != "" and last in DANGLING_ENDS


_CONTINUES_BY_FIRST: dict[str, bool] = {}


def continues(line: str) -> bool:
    """`CONTINUES.search(line)`: it reads the first character only, and its answer for each one
    is kept (a page asks it about a few lines, each of them a call into the regex engine)."""
    first = line[:1]
    known = _CONTINUES_BY_FIRST.get(first)
    if known is None:
        known = _CONTINUES_BY_FIRST[first] = CONTINUES.search(first) is not None
    return known


def words(line: str) -> int:
    return len(line.split())


TITLE_MAX_WORDS = 24  # the longest of the 1,895 headlines of indonews dev.jsonl has 21 words
CLOSES_SENTENCE = lazy(r"(?<![.…])\.[\"'”’»)]?$")  # "... 2019." / "... katanya." / '... berhenti."', not "..."


def reads_as_story(line: str, datelines: Sequence) -> bool:
    """A title candidate that is a story sentence, not a headline: longer than any headline,
    closed by a full stop, or opened by the site's dateline. A headline may end in `?` or `!`."""
    return (words(line) > TITLE_MAX_WORDS or CLOSES_SENTENCE.search(line) is not None
            or any(p.search(line) for p in datelines))


def is_story_line(line: str, min_words: int) -> bool:
    """A full sentence of story: it ends like one and has at least `min_words` words."""
    return line[-1:] in STORY_END and len(line.split(None, min_words)) >= min_words  # words, counted to min_words


def story_flags(lines: Sequence[str], min_words: int, single_spaced: bool = False) -> list[bool]:
    """`is_story_line` of each line: the phases of a page that ask it take it from here, once.
    (Its test written out here: a call per line cost a tenth of the page's structure work.)
    `single_spaced`: every line is as `textnorm.split_lines` leaves it (non-empty, words
    separated by one " ", no other whitespace, none at its ends), so its words are one more than
    its spaces: counting them spares `split` the strings it makes (the same answer)."""
    if single_spaced:  # (its lines are not empty: the last character by index, no slice made)
        spaces = min_words - 1
        return [line[-1] in STORY_END and line.count(" ") >= spaces for line in lines]
    return [line[-1:] in STORY_END and len(line.split(None, min_words)) >= min_words for line in lines]


def caption_pairs(st: Structure, lines: Sequence[str], why: Sequence, drop: Drop, start: int) -> None:
    """A caption printed twice in a row goes in both copies: the second copy may add a credit
    (`caption_credit`), or both copies are the same line before the story or ending in a credit.
    The same sentence printed twice inside the story is a duplicated paragraph: one copy stays."""
    # the pairs whose second line starts with the first: found without a Python step per pair
    for i in compress(range(len(lines) - 1), map(str.startswith, lines[1:], lines[:-1])):
        a, b = lines[i], lines[i + 1]
        if why[i] is not None or why[i + 1] is not None:
            continue
        rest = b[len(a):].strip()
        if rest:
            if st.caption_credit is not None and st.caption_credit.search(rest):
                drop(i, "caption", "structure: caption_pairs")
                drop(i + 1, "caption", "structure: caption_pairs")
            continue
        paren = a.rfind("(")
        credited = st.caption_credit is not None and paren > 0 and st.caption_credit.search(a[paren:])
        if i < start or credited:
            drop(i, "caption", "structure: caption_pairs")
            drop(i + 1, "caption", "structure: caption_pairs")
        else:
            drop(i + 1, "repeated", "structure: caption_pairs")


def repeated_lines(st: Structure, lines: Sequence[str], why: Sequence, drop: Drop, start: int,
                   story: Sequence[bool]) -> None:
    """A line printed more than once on a page. A full sentence printed twice (a layout that
    repeats its content) keeps its first copy in the story (a copy before the story start may be
    cut as the teaser: then the copy in the story is the one that stays, never none). A short line (a kicker, a widget title, a table
    of contents entry) goes in every copy, except a last copy that heads a passage of story:
    that one is the sub-heading the table of contents pointed to. `story`: `story_flags` of the
    page's lines."""
    if len(set(lines)) == len(lines):  # (most pages) no line is printed twice, kept or not
        return
    candidates = [line for line, fate in zip(lines, why) if fate is None and len(line) >= st.repeated_min_chars]
    if len(set(candidates)) == len(candidates):  # no kept line is
        return
    seen: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        if why[i] is None and len(line) >= st.repeated_min_chars:
            seen.setdefault(line, []).append(i)
    for line, where in seen.items():
        if len(where) < 2:
            continue
        if story[where[0]]:
            keep = next((i for i in where if i >= start), where[0])
            gone = [i for i in where if i != keep]
        else:
            last = where[-1]
            nxt = next((j for j in range(last + 1, len(lines)) if why[j] is None and lines[j] != line), None)
            heads_story = nxt is not None and story[nxt]
            gone = where[:-1] if heads_story else where
        for i in gone:
            drop(i, "repeated", "structure: repeated_lines")


PART_HEAD = 24


def glued_copies(st: Structure, lines: Sequence[str], why: Sequence, drop: Drop, story: Sequence[bool]) -> None:
    """A line that is other kept lines of the page glued together (a scrape that printed the
    paragraphs once run together and again one per line) goes: the paragraphs stay, once each.
    It stays when more than a remnant of it (a read-also headline, say) is found nowhere else.
    `story`: `story_flags` of the page's lines."""
    alive = [i for i in range(len(lines)) if why[i] is None]
    # a part inside another line occurs on the page more than once: one count each finds the
    # few that may (most pages have none), instead of looking for every part in every line.
    # Its first PART_HEAD characters are counted first: they occur at least as often (at the
    # start of each copy), and a short needle is counted several times faster
    page = "\n".join([lines[i] for i in alive])
    parts = [j for j in alive if story[j] and page.count(lines[j][:PART_HEAD]) > 1 and page.count(lines[j]) > 1]
    if len(parts) < 2:
        return
    for i in alive:
        line = lines[i]
        if len(line) < 2 * st.repeated_min_chars:
            continue
        inside = [j for j in parts if j != i and len(lines[j]) < len(line) and lines[j] in line]
        if len(inside) < 2:
            continue
        rest = line
        for j in sorted(inside, key=lambda j: -len(lines[j])):
            rest = rest.replace(lines[j], " ")
        if len(rest.split()) <= max(3, len(line.split()) // 7):
            drop(i, "repeated", "structure: repeated_lines (glued copy)")


def nav_runs(st: Structure, lines: Sequence[str], why: Sequence, drop: Drop, flags: Sequence[bool]) -> None:
    """Runs of very short lines before the first or after the last full sentence: menus, share
    bars, tag lists. A run that is part of a sentence broken across lines (a dateline split as
    `Jakarta` / `-`, words of a link on their own line) is kept: its last line dangles, or the
    next kept line carries on in lower case or punctuation. At the tail, all-lower-case lines of
    up to `tag_max_words` words are tags. `flags`: `story_flags` of the lines."""
    # only the kept lines before the first kept story line (the head) and after the last (the
    # tail) are looked at: found from each end, without a step for each line of the story
    # (`flags.index(True)`: the flags are bools, as story_flags gives them)
    n = len(lines)
    try:
        first = flags.index(True)
        while why[first] is not None:
            first = flags.index(True, first + 1)
    except ValueError:
        return
    last = n - 1
    while not flags[last] or why[last] is not None:
        last -= 1
    min_run = st.nav_min_run
    if first < min_run and n - 1 - last < min_run:  # no run can be long enough
        return
    head = [i for i in range(first) if why[i] is None]
    tail = [i for i in range(last + 1, n) if why[i] is None]
    nav_max, tag_max = st.nav_max_words, st.tag_max_words
    most = max(nav_max, tag_max)
    runs = []  # (a run of short lines, the kept line after it or None)
    for region, after, tags in ((head, lines[first], False), (tail, None, True)):
        run: list[int] = []
        for i in region:
            line = lines[i]
            short = False
            if line[-1:] not in STORY_END:
                words = len(line.split(None, most))  # the words, or most + 1 for more: compared with at most `most`
                short = words <= nav_max or (tags and words <= tag_max and line.lower() == line)
            if short:
                run.append(i)
            elif run:
                runs.append((run, line))
                run = []
        if run:
            runs.append((run, after))
    for run, nxt in runs:
        if len(run) < min_run or dangles(lines[run[-1]]) or (nxt is not None and continues(nxt)):
            continue
        for j in run:
            drop(j, "navigation", "structure: nav_runs")
