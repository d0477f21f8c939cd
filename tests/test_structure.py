"""The structural heuristics' quick forms give exactly what their plain definitions give.

`structure.py` counts, tests and skips in ways chosen for speed (a short needle counted before a
long one, no regex call for a line's last or first character, pages without a repeated line or a
pair of story lines left at once). Each check here runs the module's function and the plain
definition it replaced (kept below, as it was written) over the fixture pages and made-up ones,
and compares every line dropped, in order, with its category and label."""

import random
import sys

from hypothesis import given, settings
from hypothesis import strategies as hs

from cleaner import structure
from cleaner.packload import load_packs
from cleaner.rulepack import STORY_END, Structure
from cleaner.structure import CONTINUES, DANGLING, continues, dangles, is_story_line
from cleaner.textnorm import split_lines
from conftest import FIXTURES, read_jsonl


# ---- the plain definitions -------------------------------------------------------------------

def plain_story_flags(lines, min_words):
    return [is_story_line(line, min_words) for line in lines]


def plain_caption_pairs(st, lines, why, drop, start):
    for i in range(len(lines) - 1):
        a, b = lines[i], lines[i + 1]
        if why[i] is not None or why[i + 1] is not None or not b.startswith(a):
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


def plain_repeated_lines(st, lines, why, drop, start, story):
    seen = {}
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


def plain_glued_copies(st, lines, why, drop, story):
    alive = [i for i in range(len(lines)) if why[i] is None]
    parts = [i for i in alive if story[i]]
    page = "\n".join(lines[i] for i in alive)
    parts = [j for j in parts if page.count(lines[j]) > 1]
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


def plain_nav_runs(st, lines, why, drop, flags):
    alive = [i for i in range(len(lines)) if why[i] is None]
    story = [i for i in alive if flags[i]]
    if not story:
        return
    rank = {i: k for k, i in enumerate(alive)}

    def short(i):
        n = len(lines[i].split())
        if lines[i][-1:] in STORY_END:
            return False
        return n <= st.nav_max_words or (i > story[-1] and n <= st.tag_max_words and lines[i].lower() == lines[i])

    edges = [i for i in alive if (i < story[0] or i > story[-1]) and short(i)]
    runs = []
    for i in edges:
        if runs and rank[i] == rank[runs[-1][-1]] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    for run in runs:
        after = rank[run[-1]] + 1
        nxt = lines[alive[after]] if after < len(alive) else None
        if len(run) < st.nav_min_run or DANGLING.search(lines[run[-1]]) or (nxt is not None and CONTINUES.search(nxt)):
            continue
        for j in run:
            drop(j, "navigation", "structure: nav_runs")


# ---- pages -----------------------------------------------------------------------------------

def _fixture_pages():
    pages = [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "real").glob("*.txt"))]
    for name in ("indonews_sample.jsonl", "glued_lines.jsonl", "seeds.jsonl"):
        pages += [row["text"] for row in read_jsonl(FIXTURES / name) if isinstance(row.get("text"), str)]
    return [lines for lines in map(split_lines, pages) if lines]


PAGES = _fixture_pages()


def _made_up_pages(count):
    """Pages of fixture lines with what the checks look for: copies, glued copies, captions
    with and without a credit, short menu and tag lines, lines that dangle or carry on, lines
    holding a line break, empty lines."""
    rng = random.Random(15)
    pool = [line for lines in PAGES for line in lines]
    shorts = ["Home", "News", "Baca juga", "jakarta", "tag satu", "Share", "Jakarta -", "dan", "(Foto: Antara)",
              "menu,", "x", "", "a\n", "-\n", "Berita Terkini:", "( Foto )", "— ", "kata dia.", "'Kutipan'"]
    out = []
    for _ in range(count):
        lines = [rng.choice(pool) for _ in range(rng.randint(1, 30))]
        for _ in range(rng.randint(0, 8)):
            kind = rng.randrange(7)
            at = rng.randrange(len(lines) + 1)
            if kind == 0:  # a copy of a line
                lines.insert(at, rng.choice(lines))
            elif kind == 1:  # several lines glued together, with a remnant or not
                glued = rng.sample(lines, min(len(lines), rng.randint(2, 4)))
                lines.insert(at, rng.choice(["", "Baca juga: ", "x "]).join(glued) + rng.choice(["", " Selengkapnya"]))
            elif kind == 2:  # a caption twice, the second with a credit
                line = rng.choice(lines)
                lines[at:at] = [line, line + rng.choice(["", " (Foto: Antara/Dok)", " (Dok)", "  ", " x"])]
            elif kind == 3:  # a run of short lines
                lines[at:at] = rng.choices(shorts, k=rng.randint(1, 5))
            elif kind == 4:  # a line that is a part of another one
                line = rng.choice(lines)
                cut = rng.randint(0, len(line))
                lines.insert(at, line[:cut] if rng.random() < 0.5 else line[cut:])
            elif kind == 5:
                lines.insert(at, rng.choice(shorts).upper())
            else:
                lines.insert(at, rng.choice(pool).lower())
        out.append(lines)
    return out


def _structures():
    built_in = {pack.structure for pack in load_packs().values()}
    made = [Structure(caption_pairs=True, caption_credit=None, repeated_min_chars=0, nav_max_words=0, nav_min_run=1,
                      tag_max_words=4, story_min_words=0),
            Structure(caption_pairs=True, repeated_min_chars=30, nav_max_words=5, nav_min_run=3, tag_max_words=2,
                      story_min_words=25)]
    return sorted(built_in, key=repr) + made


def _cases():
    rng = random.Random(7)
    for lines in PAGES + _made_up_pages(400):
        for st in _structures():
            why = [None] * len(lines)
            if rng.random() < 0.5:
                for i in rng.sample(range(len(lines)), rng.randint(0, len(lines) // 2)):
                    why[i] = ("gone", "test")
            yield st, lines, why, rng.randint(0, len(lines))


def _run(check, st, lines, why, *more):
    why = list(why)
    dropped = []

    def drop(i, category, label):
        dropped.append((i, category, label))
        if why[i] is None:
            why[i] = (category, label)

    check(st, lines, why, drop, *more)
    return dropped


def test_the_checks_drop_what_their_plain_definitions_drop():
    seen = {"caption": 0, "repeated": 0, "glued": 0, "navigation": 0, "story": 0}
    for st, lines, why, start in _cases():
        story = structure.story_flags(lines, st.story_min_words)
        assert story == plain_story_flags(lines, st.story_min_words)
        seen["story"] += sum(story)
        for quick, plain, more in [(structure.caption_pairs, plain_caption_pairs, (start,)),
                                   (structure.repeated_lines, plain_repeated_lines, (start, story)),
                                   (structure.glued_copies, plain_glued_copies, (story,)),
                                   (structure.nav_runs, plain_nav_runs, (story,))]:
            dropped = _run(quick, st, lines, why, *more)
            assert dropped == _run(plain, st, lines, why, *more), (quick.__name__, lines)
            for _, category, label in dropped:
                seen["glued" if "glued" in label else category] += 1
    assert all(n >= 20 for n in seen.values()), seen  # every check dropped lines here, in every way


STORY_MIN_WORDS = range(0, 31)


def test_counted_story_flags_of_split_lines_are_the_split_ones_over_every_fixture_page():
    """`single_spaced`: the spaces of a `split_lines` line counted, not its words split off."""
    seen = 0
    for lines in PAGES:
        for k in STORY_MIN_WORDS:
            story = structure.story_flags(lines, k, single_spaced=True)
            assert story == plain_story_flags(lines, k), (k, lines)
            seen += sum(story)
    assert seen > 10_000


@settings(max_examples=400, deadline=None)
@given(hs.lists(hs.sampled_from(["a", "kata", "Z", ".", "?", "\u201d", " ", "  ", "\t", "\xa0", "\u2003", "\u3000",
                                 "\n", "\r\n", "\u2028", "\x85", "\x0b", "\u200b", "\x00"])).map("".join),
       hs.integers(0, 8))
def test_counted_story_flags_of_any_split_text_are_the_split_ones(text, min_words):
    """Tabs, no-break and wide spaces, runs of spaces and line breaks of every kind: once
    `split_lines` has been through them, counting spaces is counting words."""
    lines = split_lines(text)
    assert structure.story_flags(lines, min_words, single_spaced=True) == plain_story_flags(lines, min_words)


def test_counting_spaces_is_wrong_on_lines_split_lines_did_not_make():
    """Why the promise is needed (and kept off by default): on such lines the count is not the words."""
    lines = ["satu\tdua tiga.", "satu\xa0dua tiga.", "satu  dua.", " satu dua.", "satu dua tiga ."]
    assert plain_story_flags(lines, 3) == [True, True, False, False, True]
    assert structure.story_flags(lines, 3) == [True, True, False, False, True]
    assert structure.story_flags(lines, 3, single_spaced=True) == [False, False, True, True, True]


def test_dangles_and_continues_answer_as_their_patterns_do():
    """Over every code point (each plane's last ones sampled): as the last character (also before
    a final line break, or two), as the first, and on empty lines."""
    for code in range(sys.maxunicode + 1):
        if code > 0xFFFF and code % 17:
            continue
        c = chr(code)
        for line in (c, "x" + c, c + "\n", "y" + c + "\n", c + "\n\n", c + "z"):
            assert dangles(line) == bool(DANGLING.search(line)), repr(line)
        for line in (c, c + "a", c + " kata"):
            assert continues(line) == bool(CONTINUES.search(line)), repr(line)
    for line in ("", "\n", "\n\n", "-", "-\n", ",\n\n"):
        assert dangles(line) == bool(DANGLING.search(line)), repr(line)
        assert continues(line) == bool(CONTINUES.search(line)), repr(line)


def test_a_part_counted_by_its_head_is_counted_as_the_whole_line():
    """A line occurring twice (apart) on a page means its first characters occur twice too: the
    count of the head first changes no answer, whatever the line's length."""
    rng = random.Random(3)
    alphabet = "ab \n."
    for _ in range(3000):
        page = "".join(rng.choices(alphabet, k=rng.randint(0, 80)))
        line = "".join(rng.choices(alphabet, k=rng.randint(0, 40)))
        for head in (1, 3, structure.PART_HEAD):
            assert (page.count(line[:head]) > 1 and page.count(line) > 1) == (page.count(line) > 1)
