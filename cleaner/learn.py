"""`corpus-cleaner rules learn`: draft a pack for a new site from a sample of its pages.

Boilerplate is what many *different* articles of one site print alike. The learner counts, for
every line shape (digits generalised), how many pages of the sample carry it, and for every
line opening (the words before a `:`, `/`, `|` or `(`, or the first three words) how many pages
open a line with it and how many different continuations follow. Shapes and openings carried by
enough pages become rules; story text does not recur across articles, and what looks like story
(long sentences) must recur far more often before it counts. Datelines split over the first
lines of a page (`Jakarta` / `-`) are left alone.
"""

from __future__ import annotations

import json

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable

import regex

from .rulepack import STORY_END
from .structure import DANGLING, is_story_line
from .site import host_of
from .textnorm import split_lines

DIGITS = regex.compile(r"\d+")
OPENING = regex.compile(r"^(?P<open>.{2,40}?[:/|(\[])")
MULTI_LABEL_SUFFIXES = ("co.id", "or.id", "ac.id", "go.id", "web.id", "my.id", "co.uk", "com.my", "com.sg", "com.au")


@dataclass
class Rule:
    kind: str  # "line" (a whole line shape), "opening" (lines that start alike) or "form" (see `form`)
    key: str
    pattern: str
    support: int  # pages of the sample it matches
    examples: list[str] = field(default_factory=list)
    lines_removed: int = 0


@dataclass
class Learned:
    site: str
    pages: int
    rules: list[Rule]
    languages: list[str]
    domains: list[str]
    story_lines_hit: int  # story-like lines the rules would remove in the sample (should be ~0)
    fragments: int = 0  # recurring lines not learned because they continue a sentence


def shape(line: str) -> str:
    return DIGITS.sub("0", line)


STORY_WORDS = 12  # a sample line this long that ends a sentence is story: no rule may remove it


def continues_sentence(lines: list[str], i: int) -> bool:
    """The line is part of a sentence broken across lines (a dateline `JAKARTA, KOMPAS.com -`, the
    words of a link on their own line): it dangles, the next line carries on in lower case or
    punctuation, or it carries on itself (lower case, punctuation) after a line that does not
    close its sentence."""
    line = lines[i]
    if DANGLING.search(line) and not line.endswith(":"):  # a label with a colon introduces, it does not dangle
        return True
    if i + 1 < len(lines) and CARRIES_ON.search(lines[i + 1]) and line[-1:] not in STORY_END:
        return True
    return i > 0 and CARRIES_ON.search(line) is not None and lines[i - 1][-1:] not in STORY_END


CARRIES_ON = regex.compile(r"^[\p{Ll},.;:)\]’”]")  # goes on with the sentence before (not an opening bracket or quote)


# A short tail glued after a page's last sentence: a channel call, a desk mark, a source credit.
GLUED_TAIL = regex.compile(r"(?<=[.!?…\"”’)])\s?(?P<tail>[\p{Lu}(\[][^.!?\n]{2,80}?[^.!?\s]?)$")


def glued_tail(line: str) -> str | None:
    """`...pungkasnya.Ikuti Whatsapp Channel Republika` -> `Ikuti Whatsapp Channel Republika`."""
    if len(line.split()) < 6:
        return None
    m = GLUED_TAIL.search(line)
    if m is None or len(m["tail"].split()) > 10 or len(m["tail"]) < 3:
        return None
    return m["tail"]


def openings(line: str) -> list[str]:
    """The ways a line can open like others: up to a separator, or its first three words."""
    found = []
    m = OPENING.match(line)
    if m and regex.search(r"\p{L}", m["open"]) and len(m["open"].strip()) >= 3:
        found.append(m["open"])
    words = line.split()
    if len(words) > 3:
        found.append(" ".join(words[:3]) + " ")
    return found


BRACKETED = regex.compile(r"[()\[\]/|]")
TOKEN = regex.compile(r"\p{Lu}\p{Ll}+|\p{Lu}+|\p{Ll}+|\d+|\s+|.")
TOKEN_PATTERN = {"Aa": r"\p{Lu}\p{Ll}+", "Aa+": r"\p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}+)*", "A": r"\p{Lu}+",
                 "a": r"\p{Ll}+", "0": r"\d+", " ": " "}


def form(line: str) -> tuple[str, ...] | None:
    """A short line with brackets, slashes or bars, its words generalised to their case:
    `(Fitra Iskandar)` and `(Randy Wirayudha)` share `(Aa Aa)`, `(kpl/eri)` and `(dry/din)`
    share `(a/a)`. Names and initials vary; the form of a byline or desk mark does not."""
    if len(line) > 60 or len(line.split()) > 6 or not BRACKETED.search(line):
        return None
    out = []
    for token in TOKEN.findall(line):
        if token.isspace():
            out.append(" ")
        elif token.isdigit():
            out.append("0")
        elif token[0].isupper() and token[1:].islower():
            out.append("Aa")
        elif token.isupper() and token.isalpha():
            out.append("A")
        elif token.islower() and token.isalpha():
            out.append("a")
        else:
            out.append(token)
    collapsed: list[str] = []  # a run of capitalised words is one name, however many words it has
    for token in out:
        if token == "Aa" and len(collapsed) >= 2 and collapsed[-1] == " " and collapsed[-2] in ("Aa", "Aa+"):
            collapsed[-2:] = ["Aa+"]
        else:
            collapsed.append(token)
    return tuple(collapsed)


def _pattern_for_form(key: tuple[str, ...]) -> str:
    return "^" + "".join(TOKEN_PATTERN.get(t, regex.escape(t)) for t in key) + "$"


def _pattern_for_shape(key: str) -> str:
    return "^" + regex.escape(key, special_only=True, literal_spaces=True).replace("0", r"\d+") + "$"


def _pattern_for_opening(key: str) -> str:
    return "^" + regex.escape(key, special_only=True, literal_spaces=True).replace("0", r"\d+")


def registrable(host: str) -> str:
    labels = host.split(".")
    keep = 3 if any(host.endswith("." + s) for s in MULTI_LABEL_SUFFIXES) else 2
    return ".".join(labels[-keep:]) if len(labels) >= keep else host


@dataclass
class _Counts:
    """What recurs across the sample's pages: line shapes, openings and bracketed forms."""

    shape_pages: Counter = field(default_factory=Counter)
    shape_examples: dict = field(default_factory=lambda: defaultdict(list))
    at_start: Counter = field(default_factory=Counter)  # occurrences among a page's first two lines
    opening_pages: Counter = field(default_factory=Counter)
    opening_tails: dict = field(default_factory=lambda: defaultdict(set))
    opening_examples: dict = field(default_factory=lambda: defaultdict(list))
    form_pages: Counter = field(default_factory=Counter)
    form_shapes: dict = field(default_factory=lambda: defaultdict(set))
    fragment_pages: Counter = field(default_factory=Counter)  # pages printing the shape as a sentence fragment
    tail_pages: Counter = field(default_factory=Counter)  # pages gluing the shape after their last sentence
    tail_examples: dict = field(default_factory=lambda: defaultdict(list))


def learn(site: str, pages: Iterable[tuple[list[str], str | None, str | None]], min_support: float = 0.03) -> Learned:
    """Learn from (lines, url, lang) per page. A rule needs max(3, min_support x pages) pages."""
    pages = list(pages)
    n = len(pages)
    need = max(3, math.ceil(min_support * n))
    counts = _count(pages)
    fragments = _drop_fragments(counts, need)
    rules = _drop_redundant(_rules(counts, need)) + _tail_rules(counts, need)
    story_hit = _try_rules(rules, pages)
    rules.sort(key=lambda r: (-r.support, r.pattern))
    langs = Counter(lang for _, _, lang in pages if lang)
    hosts = Counter(registrable(h) for _, url, _ in pages if (h := host_of(url)))
    return Learned(site, n, rules, [lang for lang, _ in langs.most_common(2) if langs[lang] * 10 >= n] or ["any"],
                   sorted(hosts), story_hit, fragments)


def _pattern_for_tail(key: str) -> str:
    return r'(?<=[.!?…"”’)]\s?)' + regex.escape(key, special_only=True, literal_spaces=True).replace("0", r"\d+") + "$"


def _count(pages: list) -> _Counts:
    c = _Counts()
    for lines, _, _ in pages:
        seen_shapes, seen_openings, seen_forms, seen_glue = set(), set(), set(), set()
        for i, line in enumerate(lines):
            key = shape(line)
            if _count_glue(c, lines, i, key, seen_glue):
                continue  # a sentence fragment: counted apart, see `_drop_fragments`
            if key not in seen_shapes:
                seen_shapes.add(key)
                c.shape_pages[key] += 1
                if len(c.shape_examples[key]) < 3 and line not in c.shape_examples[key]:
                    c.shape_examples[key].append(line)
            if i < 2:
                c.at_start[key] += 1
            if is_story_line(line, STORY_WORDS):
                continue
            f = form(line)
            if f is not None:
                c.form_shapes[f].add(key)
                if f not in seen_forms:
                    seen_forms.add(f)
                    c.form_pages[f] += 1
            for opening in openings(line):
                okey = shape(opening)
                c.opening_tails[okey].add(line[len(opening):][:40])
                if okey not in seen_openings:
                    seen_openings.add(okey)
                    c.opening_pages[okey] += 1
                    if len(c.opening_examples[okey]) < 3:
                        c.opening_examples[okey].append(line)
    return c


def _count_glue(c: _Counts, lines: list[str], i: int, key: str, seen: set) -> bool:
    """Count a tail glued after the line's last sentence, and the line as a sentence fragment;
    True when it is one (then it counts for nothing else)."""
    tail = glued_tail(lines[i])
    if tail is not None and ("tail", shape(tail)) not in seen:
        seen.add(("tail", shape(tail)))
        c.tail_pages[shape(tail)] += 1
        if len(c.tail_examples[shape(tail)]) < 3:
            c.tail_examples[shape(tail)].append(lines[i][-110:])
    if not continues_sentence(lines, i):
        return False
    if ("fragment", key) not in seen:
        seen.add(("fragment", key))
        c.fragment_pages[key] += 1
    return True


def _drop_fragments(c: _Counts, need: int) -> int:
    """A line that, on most pages that print it, continues a sentence broken across lines (a
    dateline `JAKARTA, KOMPAS.com -`, a name or a `dan` the scrape broke off a link) is story,
    never a rule; its fragment occurrences do not count for it. An ad inserted inside a broken
    sentence on some pages and between paragraphs on the others still counts. Returns how many
    recurring lines were left out so."""
    fragments = 0
    for key, support in c.fragment_pages.items():
        if support >= c.shape_pages[key] and support + c.shape_pages[key] >= need:
            fragments += 1
            c.shape_pages.pop(key, None)
    return fragments


def _tail_rules(c: _Counts, need: int) -> list[Rule]:
    """A short tail many pages glue after their last sentence (`...pungkasnya.(*)`, a channel
    call) and rarely print as a line of its own: a span rule that cuts it from the line."""
    return [Rule("span", key, _pattern_for_tail(key), support, c.tail_examples[key])
            for key, support in c.tail_pages.items()
            if support >= need and regex.search(r"\p{L}{2}|\(\*\)", key) and c.shape_pages[key] < support]


def _rules(c: _Counts, need: int) -> list[Rule]:
    rules: list[Rule] = []
    for key, support in c.shape_pages.items():
        story = is_story_line(key, STORY_WORDS)
        if support < (3 * need if story else need) or not regex.search(r"\p{L}{2}", key):
            continue
        if len(key.split()) <= 2 and c.at_start[key] * 2 >= support:
            continue  # a dateline split over the first lines of the page: story, not boilerplate
        rules.append(Rule("line", key, _pattern_for_shape(key), support, c.shape_examples[key]))
    covered = {r.key for r in rules}
    for key, support in c.opening_pages.items():
        if support < need or len(c.opening_tails[key]) < 3:
            continue  # an opening followed by the same words each time is a line shape, found above
        examples = c.opening_examples[key]
        if all(shape(e) in covered for e in examples):
            continue
        rules.append(Rule("opening", key, _pattern_for_opening(key), support, examples))
    for key, support in c.form_pages.items():
        if support >= need and len(c.form_shapes[key]) >= 3:  # varying names in one fixed form
            examples = sorted(c.form_shapes[key])[:3]
            rules.append(Rule("form", "".join(key), _pattern_for_form(key), support, examples))
    return rules


def _try_rules(rules: list[Rule], pages: list) -> int:
    """Count the lines each rule removes in the sample; returns the story-like lines removed."""
    compiled = [(rule, regex.compile(rule.pattern)) for rule in rules]
    story_hit = 0
    for lines, _, _ in pages:
        for line in lines:
            rule = next((r for r, p in compiled if p.search(line)), None)
            if rule is not None:
                rule.lines_removed += 1
                story_hit += is_story_line(line, STORY_WORDS) and rule.kind != "span"
    return story_hit


def _drop_redundant(rules: list[Rule]) -> list[Rule]:
    """An opening rule inside another, shorter opening with as much support adds nothing."""
    openings_ = sorted((r for r in rules if r.kind == "opening"), key=lambda r: len(r.key))
    kept: list[Rule] = [r for r in rules if r.kind != "opening"]
    for rule in openings_:
        if any(o.kind == "opening" and rule.key.startswith(o.key) and o.support >= rule.support for o in kept):
            continue
        kept.append(rule)
    return kept


def to_toml(learned: Learned) -> str:
    """A draft pack that `--rules DIR` accepts as it is, every rule with its support and examples."""
    def literal(pattern: str) -> str:
        return f"'''{pattern}'''" if "'" not in pattern else '"' + pattern.replace("\\", "\\\\").replace('"', '\\"') + '"'

    out = [
        f"# Draft pack learned by `corpus-cleaner rules learn` from {learned.pages} pages of {learned.site}.",
        "# Each rule says how many pages of the sample it matched (support) and shows examples.",
        "# Read it before use: delete any rule whose examples are story text.",
        f'name = "{learned.site}"',
        f'description = "learned from {learned.pages} pages"',
        "languages = [" + ", ".join(f'"{lang}"' for lang in learned.languages if lang != "any") + "]",
        "domains = [" + ", ".join(json.dumps(d) for d in learned.domains) + "]",  # JSON strings are TOML strings
    ]
    prints = [r for r in learned.rules if r.kind == "line" and len(r.key) >= 12][:3]
    out.append("fingerprints = [" + ", ".join(literal(r.pattern) for r in prints) + "]")
    out.append('include = ["generic"]')
    for rule in learned.rules:
        out.append("")
        what = "cuts it from the end of" if rule.kind == "span" else "removes"
        out.append(f"# support: {rule.support}/{learned.pages} pages; {what} {rule.lines_removed} lines of the sample")
        for example in rule.examples:
            out.append(f"#   e.g. {example[:110]}")
        if rule.kind == "span":  # glued after the last sentence: cut from the line, the sentence stays
            out.append("[[span]]")
            out.append('category = "learned"')
            out.append(f"marker = {literal(rule.pattern)}")
            out.append('end = "marker"')
            continue
        out.append("[[drop]]")
        out.append('category = "learned"')
        out.append(f"line = {literal(rule.pattern)}")
    return "\n".join(out) + "\n"


def page_lines(page: dict) -> list[str]:
    """A sample page's lines as the cleaner would see them before its rules (HTML via trafilatura)."""
    if isinstance(page.get("text"), str) and page["text"].strip():
        return split_lines(page["text"])
    if isinstance(page.get("html"), str) and page["html"].strip():
        import trafilatura

        return split_lines(trafilatura.extract(page["html"], include_comments=False, fast=True) or "")
    return []
