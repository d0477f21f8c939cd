"""Rule packs: load and validate `rules/*.toml`, compile them, apply them to a page's lines.

A pack is data. This module knows the *kinds* of rules (a line, a block, an end marker, a head
marker, a field pattern, a structural check) and nothing about any site.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import regex

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.9/3.10 only
    import tomli as tomllib

from .dates import parse_date

REGEX_TIMEOUT = 0.25  # seconds per match; a runaway pattern becomes a reject, not a hang
LONG_LINE = 5000  # characters: no boilerplate line is longer; longer lines skip the rules (and their cost)
FIELD_NAMES = ("title", "author", "editor", "date")
PACK_NAME = regex.compile(r"[a-z0-9][a-z0-9_-]*")  # a pack's name: also its file's and its `site` value
SCOPES = ("all", "head", "body", "tail", "last")
PICKS = ("first", "last", "longest")
STORY_END = frozenset(".!?…\"'”’»)")  # a line ending in one of these closes a sentence


class PackError(ValueError):
    """A pack that cannot be used: bad TOML, an unknown key, a regex that does not compile."""


class RuleTimeout(Exception):
    """A rule's regex ran past REGEX_TIMEOUT on a line."""

    def __init__(self, rule: str):
        super().__init__(rule)
        self.rule = rule


@dataclass(frozen=True)
class Pattern:
    """A compiled regex that remembers where it came from, for error messages and `explain`."""

    source: str
    where: str  # "rules/tempo.toml: drop #3 (ad_marker)"
    compiled: regex.Pattern

    def search(self, line: str):
        try:
            return self.compiled.search(line, timeout=REGEX_TIMEOUT)
        except TimeoutError:
            raise RuleTimeout(f"{self.where}: {self.source!r}") from None

    def match(self, line: str):
        try:
            return self.compiled.match(line, timeout=REGEX_TIMEOUT)
        except TimeoutError:
            raise RuleTimeout(f"{self.where}: {self.source!r}") from None


@dataclass(frozen=True)
class DropRule:
    category: str
    kind: str  # line | block | from_line
    where: str  # scope: all | head | body | tail
    label: str
    pattern: Pattern
    end: Pattern | None = None  # block: last line of the block (inclusive)
    follow: Pattern | None = None  # block: the block goes on while lines match this
    max_lines: int = 40
    hints: tuple[str, ...] = ()  # lower-case literals; the rule is tried only on lines holding one


@dataclass(frozen=True)
class FieldRule:
    name: str
    where: str
    label: str
    pattern: Pattern | None  # value: group `value` (or the field's own name) or the whole match
    after: Pattern | None  # the value is the next line after a line matching this
    pick: str = "first"
    remove: str = "line"  # line | match | none


@dataclass(frozen=True)
class Structure:
    caption_pairs: bool = False
    caption_credit: Pattern | None = None
    repeated_min_chars: int = 0  # 0 = off
    nav_max_words: int = 0  # 0 = off
    nav_min_run: int = 2
    tag_max_words: int = 0  # at the tail, all-lower-case lines up to this long count as tags
    story_min_words: int = 10


@dataclass(frozen=True)
class Pack:
    name: str
    path: str
    description: str
    languages: tuple[str, ...]
    domains: tuple[str, ...]
    fingerprints: tuple[Pattern, ...]
    timezone: str | None
    story_start: tuple[Pattern, ...]
    story_start_after: tuple[Pattern, ...]
    head_category: str
    drops: tuple[DropRule, ...]
    fields: tuple[FieldRule, ...]
    structure: Structure
    html: dict = field(default_factory=dict)
    include: tuple[str, ...] = ()
    prefilter: "Prefilter | None" = None  # lines it rules out skip every line/block rule
    end_prefilter: "Prefilter | None" = None  # ... every end marker
    field_prefilter: "Prefilter | None" = None  # ... every field rule
    any_prefilter: "Prefilter | None" = None  # all three at once: most lines are ruled out by it alone
    file: str = ""  # where the pack was read from (`path` is how messages name it)


# ---------------------------------------------------------------- loading and validation

_TOP_KEYS = {
    "name", "description", "languages", "domains", "fingerprints", "timezone", "include",
    "story", "drop", "field", "structure", "html",
}
_STORY_KEYS = {"start", "start_after", "head_category"}
_DROP_KEYS = {"category", "line", "block", "from_line", "where", "hint"}
_BLOCK_KEYS = {"start", "end", "while", "max_lines"}
_FIELD_KEYS = {"name", "line", "after_line", "where", "pick", "remove"}
_STRUCTURE_KEYS = {"caption_pairs", "caption_credit", "repeated_lines", "nav_runs", "story_min_words"}
_NAV_KEYS = {"max_words", "min_run", "tag_max_words"}
_HTML_KEYS = {"body", "drop", "title", "author", "date"}


def _check_keys(where: str, table: dict, allowed: set[str]) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise PackError(f"{where}: unknown key {unknown[0]!r} (allowed: {', '.join(sorted(allowed))})")


def _compile(where: str, source, flags: int = 0) -> Pattern:
    if not isinstance(source, str) or not source:
        raise PackError(f"{where}: a pattern must be a non-empty string, got {source!r}")
    try:
        compiled = regex.compile(source, flags)
    except regex.error as exc:
        raise PackError(f"{where}: bad regex {source!r}: {exc}") from None
    try:
        empty = compiled.search("", timeout=REGEX_TIMEOUT) is not None
    except TimeoutError:
        empty = False
    if empty:
        raise PackError(f"{where}: regex {source!r} matches the empty string, so it would match every line")
    return Pattern(source, where, compiled)


def _str_list(where: str, value) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PackError(f"{where}: expected a string or a list of strings, got {value!r}")
    return value


def _scope(where: str, value: str) -> str:
    if value not in SCOPES:
        raise PackError(f"{where}: 'where' must be one of {', '.join(SCOPES)}, got {value!r}")
    return value


def _table(base: str, spec, allowed: set[str]) -> None:
    if not isinstance(spec, dict):
        raise PackError(f"{base}: expected a table")
    _check_keys(base, spec, allowed)


def _drop_rule(path: str, i: int, spec: dict) -> DropRule:
    base = f"{path}: [[drop]] #{i}"
    _table(base, spec, _DROP_KEYS)
    category = spec.get("category")
    if not isinstance(category, str) or not regex.fullmatch(r"[a-z][a-z0-9_]*", category):
        raise PackError(f"{base}: 'category' must be a snake_case name, got {category!r}")
    where = f"{base} ({category})"
    kinds = [k for k in ("line", "block", "from_line") if k in spec]
    if len(kinds) != 1:
        raise PackError(f"{where}: give exactly one of line, block, from_line")
    kind = kinds[0]
    scope = _scope(where, spec.get("where", "all"))
    hints = tuple(h.lower() for h in _str_list(f"{where} hint", spec.get("hint", [])))
    if hints and kind != "line":
        raise PackError(f"{where}: 'hint' is for line rules only")
    if kind != "block":
        return DropRule(category, kind, scope, where, _compile(f"{where} {kind}", spec[kind]), hints=hints)
    block = spec["block"]
    if not isinstance(block, dict):
        raise PackError(f"{where}: 'block' must be a table {{start = ..., end = ... | while = ...}}")
    _check_keys(f"{where} block", block, _BLOCK_KEYS)
    if "start" not in block or ("end" in block) == ("while" in block):
        raise PackError(f"{where}: a block needs 'start' and exactly one of 'end' or 'while'")
    max_lines = block.get("max_lines", 40)
    if not isinstance(max_lines, int) or max_lines < 1:
        raise PackError(f"{where}: 'max_lines' must be a positive integer")
    return DropRule(
        category, "block", scope, where,
        _compile(f"{where} block.start", block["start"]),
        end=_compile(f"{where} block.end", block["end"]) if "end" in block else None,
        follow=_compile(f"{where} block.while", block["while"]) if "while" in block else None,
        max_lines=max_lines,
    )


def _field_rule(path: str, i: int, spec: dict) -> FieldRule:
    base = f"{path}: [[field]] #{i}"
    _table(base, spec, _FIELD_KEYS)
    name = spec.get("name")
    if name not in FIELD_NAMES:
        raise PackError(f"{base}: 'name' must be one of {', '.join(FIELD_NAMES)}, got {name!r}")
    where = f"{base} ({name})"
    if ("line" in spec) == ("after_line" in spec):
        raise PackError(f"{where}: give exactly one of 'line' or 'after_line'")
    pick = spec.get("pick", "first")
    if pick not in PICKS:
        raise PackError(f"{where}: 'pick' must be one of {', '.join(PICKS)}, got {pick!r}")
    remove = spec.get("remove", "line")
    if remove not in ("line", "match", "none"):
        raise PackError(f"{where}: 'remove' must be line, match or none, got {remove!r}")
    return FieldRule(
        name, _scope(where, spec.get("where", "all")), where,
        _compile(f"{where} line", spec["line"]) if "line" in spec else None,
        _compile(f"{where} after_line", spec["after_line"]) if "after_line" in spec else None,
        pick, remove,
    )


def _structure(path: str, spec: dict) -> Structure:
    where = f"{path}: [structure]"
    _check_keys(where, spec, _STRUCTURE_KEYS)
    nav = spec.get("nav_runs", {})
    if not isinstance(nav, dict):
        raise PackError(f"{where}: 'nav_runs' must be a table {{max_words = 3, min_run = 2}}")
    _check_keys(f"{where} nav_runs", nav, _NAV_KEYS)
    repeated = spec.get("repeated_lines", 0)
    if not isinstance(repeated, int) or isinstance(repeated, bool) or repeated < 0:
        raise PackError(f"{where}: 'repeated_lines' is the minimum length in characters (0 = off)")
    credit = spec.get("caption_credit")
    return Structure(
        caption_pairs=bool(spec.get("caption_pairs", False)),
        caption_credit=_compile(f"{where} caption_credit", credit) if credit else None,
        repeated_min_chars=repeated,
        nav_max_words=int(nav.get("max_words", 0)),
        nav_min_run=int(nav.get("min_run", 2)),
        tag_max_words=int(nav.get("tag_max_words", 0)),
        story_min_words=int(spec.get("story_min_words", 10)),
    )


def parse_pack(text: str, path: str, problems: list[str] | None = None) -> Pack | None:
    """Validate and compile one pack's TOML text. Raises PackError naming file and rule; with a
    `problems` list, records every problem there instead, goes on, and returns None if any."""
    found: list[str] = [] if problems is None else problems
    before = len(found)

    def attempt(make, *args, default=None):
        try:
            return make(*args)
        except PackError as exc:
            if problems is None:
                raise
            found.append(str(exc))
            return default

    def compile_all(where: str, value, flags: int = 0) -> tuple:
        patterns = attempt(_str_list, where, value, default=[])
        return tuple(p for p in (attempt(_compile, where, src, flags) for src in patterns) if p is not None)

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return attempt(_raise, f"{path}: not valid TOML: {exc}")
    attempt(_check_keys, path, data, _TOP_KEYS)
    name = data.get("name")
    if not isinstance(name, str) or not PACK_NAME.fullmatch(name):
        attempt(_raise, f"{path}: 'name' must be a lower-case identifier, got {name!r}")
    story = data.get("story", {})
    attempt(_check_keys, f"{path}: [story]", story, _STORY_KEYS)
    html = data.get("html", {})
    attempt(_check_keys, f"{path}: [html]", html, _HTML_KEYS)
    timezone = data.get("timezone")
    if timezone is not None and not regex.fullmatch(r"[+-]\d\d:\d\d", str(timezone)):
        attempt(_raise, f"{path}: 'timezone' must look like +07:00, got {timezone!r}")
    drops, fields = data.get("drop", []), data.get("field", [])
    if not isinstance(drops, list) or not isinstance(fields, list):
        attempt(_raise, f"{path}: 'drop' and 'field' must be arrays of tables ([[drop]], [[field]])")
        drops, fields = [], []
    pack = Pack(
        name=name,
        path=path,
        description=str(data.get("description", "")),
        languages=tuple(attempt(_str_list, f"{path}: languages", data.get("languages", []), default=[])),
        domains=tuple(d.lower().lstrip(".") for d in attempt(_str_list, f"{path}: domains", data.get("domains", []), default=[])),
        fingerprints=compile_all(f"{path}: fingerprints", data.get("fingerprints", []), regex.MULTILINE),
        timezone=timezone,
        story_start=compile_all(f"{path}: [story] start", story.get("start", [])),
        story_start_after=compile_all(f"{path}: [story] start_after", story.get("start_after", [])),
        head_category=str(story.get("head_category", "head")),
        drops=tuple(r for r in (attempt(_drop_rule, path, i, spec) for i, spec in enumerate(drops, 1)) if r),
        fields=tuple(r for r in (attempt(_field_rule, path, i, spec) for i, spec in enumerate(fields, 1)) if r),
        structure=attempt(_structure, path, data.get("structure", {}), default=Structure()),
        html=html,
        include=tuple(attempt(_str_list, f"{path}: include", data.get("include", []), default=[])),
    )
    return pack if len(found) == before else None


def _raise(message: str):
    raise PackError(message)


def check_packs(dirs: Iterable[str | Path]) -> tuple[list[str], list[str]]:
    """(pack names that load, every problem found) for the packs in `dirs`, all reported at once."""
    names, problems = [], []
    for directory in map(Path, dirs):
        if not directory.is_dir():
            problems.append(f"{directory}: not a directory of rule packs")
            continue
        for path in sorted(directory.glob("*.toml")):
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                problems.append(f"{path}: cannot read: {exc}")
                continue
            pack = parse_pack(text, str(path), problems)
            if pack is not None:
                names.append(pack.name)
    return names, problems


def load_pack(path: Path, shown_as: str | None = None) -> Pack:
    """One pack file; `shown_as` names it in messages and rule labels (built-ins: rules/x.toml)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError(f"{path}: cannot read: {exc}") from None
    return replace(parse_pack(text, shown_as or str(path)), file=str(path))


def builtin_rules_dir() -> Path:
    """The packs that ship with the package (installed as `cleaner/rules`), or the checkout's `rules/`."""
    installed = Path(__file__).resolve().parent / "rules"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parent.parent / "rules"


def load_packs(extra_dirs: Iterable[str | Path] = ()) -> dict[str, Pack]:
    """All packs by name: the built-in ones, then each extra dir's (a same-named pack replaces)."""
    packs: dict[str, Pack] = {}
    builtin = builtin_rules_dir()
    for directory in [builtin, *map(Path, extra_dirs)]:
        if not directory.is_dir():
            raise PackError(f"{directory}: not a directory of rule packs")
        for path in sorted(directory.glob("*.toml")):
            pack = load_pack(path, f"rules/{path.name}" if directory == builtin else None)
            packs[pack.name] = pack
    return {name: _with_prefilters(_resolve_includes(pack, packs)) for name, pack in sorted(packs.items())}


def _resolve_includes(pack: Pack, packs: dict[str, Pack]) -> Pack:
    """A pack that includes others gets their rules after its own (its own win on fields), and
    their structural rules when it sets none itself."""
    if not pack.include:
        return pack
    drops, fields = list(pack.drops), list(pack.fields)
    for name in pack.include:
        other = packs.get(name)
        if other is None:
            raise PackError(f"{pack.path}: includes unknown pack {name!r}")
        if other.include:
            raise PackError(f"{pack.path}: included pack {name!r} may not include others")
        drops += other.drops
        fields += other.fields
    # a pack without a [structure] section of its own takes its included pack's
    structure = pack.structure if pack.structure != Structure() else next(
        (packs[name].structure for name in pack.include if packs[name].structure != Structure()), pack.structure)
    return Pack(**{**pack.__dict__, "drops": tuple(drops), "fields": tuple(fields), "structure": structure})


def _combine(patterns: list[Pattern], where: str, flags: int = 0) -> Pattern | None:
    """One alternation of many patterns, used only to rule lines out: most story lines match
    none of a pack's rules, and one search says so instead of one per rule. It may over-match
    (an inline flag can widen, group names are dropped), never under-match."""
    parts = []
    for p in patterns:
        src = regex.sub(r"\(\?P<\w+>", "(?:", p.source)
        inline = regex.match(r"\(\?([a-zA-Z]+)\)", src)
        parts.append(f"(?{inline.group(1)}:{src[inline.end():]})" if inline else f"(?:{src})")
    if not parts:
        return None
    try:
        return Pattern("|".join(parts), where, regex.compile("|".join(parts), flags))
    except regex.error:  # e.g. a backreference by name: go without the shortcut
        return None


@dataclass(frozen=True)
class Prefilter:
    """Says "no rule can match this line" cheaply. Rules anchored at the line start are tried
    with one `match` at position 0, the others with one `search`; reverse-searching rules
    (`(?r)`, which start from the line end) one by one. Not `exact` when some pattern could not
    be combined: then every line is a maybe."""

    anchored: Pattern | None
    floating: Pattern | None
    singles: tuple[Pattern, ...]
    exact: bool

    def maybe(self, line: str) -> bool:
        if not self.exact:
            return True
        if self.anchored is not None and self.anchored.match(line):
            return True
        if self.floating is not None and self.floating.search(line) is not None:
            return True
        return any(p.search(line) is not None for p in self.singles)


def _prefilter(patterns: list[Pattern], where: str) -> Prefilter:
    flags = lambda p: (regex.match(r"\(\?([a-zA-Z]+)\)", p.source) or [None, ""])[1]  # noqa: E731
    singles = [p for p in patterns if "r" in flags(p)]
    rest = [p for p in patterns if p not in singles]
    anchored = [p for p in rest if regex.match(r"(?:\(\?[a-zA-Z]+\))?\^", p.source)]
    floating = [p for p in rest if p not in anchored]
    a, f = _combine(anchored, where), _combine(floating, where)
    exact = (a is not None or not anchored) and (f is not None or not floating)
    return Prefilter(a, f, tuple(singles), exact)


def _with_prefilters(pack: Pack) -> Pack:
    drops = [r.pattern for r in pack.drops if r.kind in ("line", "block") and r.where != "last" and not r.hints]
    ends = [r.pattern for r in pack.drops if r.kind == "from_line"]
    fields = [r.pattern or r.after for r in pack.fields]
    return Pack(**{
        **pack.__dict__,
        "prefilter": _prefilter(drops, f"{pack.path}: line rules"),
        "end_prefilter": _prefilter(ends, f"{pack.path}: end markers"),
        "field_prefilter": _prefilter(fields, f"{pack.path}: fields"),
        "any_prefilter": _prefilter(drops + ends + fields, f"{pack.path}: all rules"),
    })


# ---------------------------------------------------------------- applying a pack


@dataclass
class Stripped:
    """What a pack made of a page: kept lines, fields, and why each removed line went."""

    lines: list[str]
    fields: dict[str, str | None]
    removed: dict[str, int]
    trace: list[tuple[str, str | None, str | None]] | None  # with_trace: every line, (line, category, rule)


def _words(line: str) -> int:
    return len(line.split())


def is_story_line(line: str, min_words: int) -> bool:
    return line[-1:] in STORY_END and _words(line) >= min_words


def _story_bounds(pack: Pack, lines: list[str], min_words: int, candidate: list[bool]) -> tuple[int, int, bool, DropRule | None]:
    """(start, end, explicit, end rule): the story is lines[start:end].

    The start is the first dateline (`[story] start`), else the line after a byline
    (`[story] start_after`): then `explicit` is true and the head may be cut. Without either,
    the head is what comes before the first full sentence, and nothing is cut. The end is the
    first end-of-article marker (a `from_line` rule) after the start.
    """
    start = _first(lines, pack.story_start)
    explicit = start is not None
    if start is None:
        after = _first(lines, pack.story_start_after)
        if after is not None and after + 1 < len(lines):
            start, explicit = after + 1, True
    if start is None:
        start = next((i for i, line in enumerate(lines) if is_story_line(line, min_words)), 0)
    ends = [r for r in pack.drops if r.kind == "from_line"]
    for i in range(start + 1, len(lines)):
        if not candidate[i] or (pack.end_prefilter is not None and not pack.end_prefilter.maybe(lines[i])):
            continue
        for rule in ends:
            if rule.pattern.search(lines[i]):
                return start, i, explicit, rule
    return start, len(lines), explicit, None


def _first(lines: list[str], patterns) -> int | None:
    if patterns:
        for i, line in enumerate(lines):
            if len(line) <= LONG_LINE and any(p.search(line) for p in patterns):
                return i
    return None


def _in_scope(scope: str, i: int, start: int, end: int) -> bool:
    if scope == "all":
        return True
    if scope == "head":
        return i < start
    if scope == "tail":
        return i >= end
    return start <= i < end


def _field_value(rule: FieldRule, match) -> str:
    groups = match.groupdict()
    value = groups.get("value") or groups.get(rule.name) or match.group(0)
    return " ".join(value.split())


def apply_pack(pack: Pack, lines: list[str], known: dict[str, str | None] | None = None,
               with_trace: bool = False) -> Stripped:
    """Run the pack over normalised, non-empty lines. Pure: same lines in, same result out."""
    n = len(lines)
    why: list[tuple[str, str] | None] = [None] * n  # (category, rule label) once removed
    text = list(lines)
    fields: dict[str, str | None] = {name: (known or {}).get(name) for name in FIELD_NAMES}
    st = pack.structure
    candidate = [len(line) <= LONG_LINE and (pack.any_prefilter is None or pack.any_prefilter.maybe(line))
                 for line in lines]
    start, end, explicit, end_rule = _story_bounds(pack, lines, st.story_min_words, candidate)

    def drop(i: int, category: str, label: str) -> None:
        if why[i] is None:
            why[i] = (category, label)

    # 1. line and block rules, in pack order (head and tail cuts come after the fields); each rule
    #    is tried only on the lines the prefilter (or its hint words) left as possible
    maybe = [i for i, (c, line) in enumerate(zip(candidate, lines))
             if c and (pack.prefilter is None or pack.prefilter.maybe(line))]
    lowered: list[str] | None = None
    for rule in pack.drops:
        if rule.kind == "from_line" or rule.where == "last":
            continue
        if rule.hints:  # tried only where one of its literals occurs; the prefilter leaves it out
            lowered = lowered or [line.lower() for line in lines]
            hint = _hint_pattern(rule.hints)
            tried = [i for i, low in enumerate(lowered) if len(low) <= LONG_LINE and hint.search(low)]
        else:
            tried = maybe
        done_to = -1  # a block's lines are not tried again by the same rule
        for i in tried:
            if i <= done_to or why[i] is not None or not _in_scope(rule.where, i, start, end):
                continue
            if not rule.pattern.search(lines[i]):
                continue
            if rule.kind == "line":
                drop(i, rule.category, rule.label)
                continue
            last = _block_end(rule, lines, i)
            if last is not None:
                for j in range(i, last + 1):
                    drop(j, rule.category, rule.label)
                done_to = last

    # 2. structural rules on what is left before the end marker (the tail goes whole anyway)
    if st.caption_pairs:
        _caption_pairs(st, lines[:end], why, drop, start)
    if st.repeated_min_chars:
        _repeated_lines(st, lines[:end], why, drop)

    # 2b. `where = "last"` rules: only the closing run of the page, back to its last kept line
    closing = [r for r in pack.drops if r.where == "last" and r.kind == "line"]
    if closing:
        for i in range(end - 1, -1, -1):
            if why[i] is not None:
                continue
            rule = next((r for r in closing if len(lines[i]) <= LONG_LINE and r.pattern.search(lines[i])), None)
            if rule is None:
                break
            drop(i, rule.category, rule.label)

    # 3. fields: each rule takes one line (first, last or longest); the first rule to give
    #    a field its value wins, and the line (or just the match) leaves the text either way
    maybe_field = [(c or line != original) and (pack.field_prefilter is None or pack.field_prefilter.maybe(line))
                   for c, line, original in zip(candidate, text, lines)]
    for rule in pack.fields:
        if rule.name == "title" and known and known.get("title"):
            continue  # the input names the headline: only a line equal to it goes (below)
        found = _field_candidates(rule, lines, text, why, start, end, maybe_field)
        if not found:
            continue
        i, value, m, label_line = _pick(rule.pick, found)
        if fields.get(rule.name) is None:
            fields[rule.name] = value
        if m is not None:  # one line may carry several fields: `Name • 17 Januari 2024`
            for other, v in m.groupdict().items():
                if other in FIELD_NAMES and v and fields.get(other) is None:
                    fields[other] = " ".join(v.split())
        if label_line is not None:
            drop(label_line, rule.name, rule.label)
        if rule.remove == "line":
            drop(i, rule.name, rule.label)
        elif rule.remove == "match":
            text[i] = (text[i][: m.start()] + text[i][m.end():]).strip()
            if not text[i]:
                drop(i, rule.name, rule.label)
    if known and known.get("title"):  # the headline is not repeated in the text
        headline = " ".join(known["title"].split())
        for i in range(n):
            if why[i] is None and lines[i] == headline:
                drop(i, "title", "input title")

    # 4. the head before an explicit dateline, the tail from an end marker, short runs at the edges
    if explicit:
        for i in range(start):
            drop(i, pack.head_category, f"{pack.path}: [story]")
    if end_rule is not None:
        for i in range(end, n):
            drop(i, end_rule.category, end_rule.label)
    if st.nav_max_words:
        _nav_runs(st, lines, why, drop)

    if fields.get("date"):
        fields["date"] = parse_date(fields["date"], pack.timezone)
    kept, removed = [], {}
    for i in range(n):
        if why[i] is None:
            kept.append(text[i])
        else:
            category = why[i][0]
            removed[category] = removed.get(category, 0) + 1
    trace = [(text[i], None, None) if why[i] is None else (lines[i], *why[i]) for i in range(n)] if with_trace else None
    return Stripped(kept, fields, dict(sorted(removed.items())), trace)


@lru_cache(maxsize=None)
def _hint_pattern(hints: tuple[str, ...]):
    return re.compile("|".join(map(re.escape, hints)))  # plain literals: `re` finds them fastest


def _field_candidates(rule: FieldRule, lines, text, why, start: int, end: int, maybe) -> list[tuple]:
    """(line index, value, match, label line) for every line the rule matches."""
    found = []
    for i in range(len(lines)):
        if not maybe[i] or why[i] is not None or not _in_scope(rule.where, i, start, end):
            continue
        if rule.after is not None:
            if rule.after.search(lines[i]):
                nxt = next((j for j in range(i + 1, len(lines)) if why[j] is None), None)
                if nxt is not None:
                    found.append((nxt, " ".join(lines[nxt].split()), None, i))
            continue
        m = rule.pattern.search(text[i])
        if m:
            found.append((i, _field_value(rule, m), m, None))
    return found


def _pick(how: str, found: list[tuple]) -> tuple:
    if how == "longest":
        return max(found, key=lambda c: len(c[1]))
    return found[-1] if how == "last" else found[0]


def _block_end(rule: DropRule, lines: list[str], i: int) -> int | None:
    """Index of a block's last line, or None when an `end` block never closes (then nothing goes)."""
    limit = min(len(lines), i + 1 + rule.max_lines)
    if rule.end is not None:
        for j in range(i, limit):
            if rule.end.search(lines[j]):
                return j
        return None
    j = i
    while j + 1 < limit and rule.follow.search(lines[j + 1]):
        j += 1
    return j


def _caption_pairs(st: Structure, lines, why, drop, start: int) -> None:
    """A caption printed twice in a row goes in both copies: the second copy may add a credit
    (`caption_credit`), or both copies are the same line before the story or ending in a credit.
    The same sentence printed twice inside the story is a duplicated paragraph: one copy stays."""
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


def _repeated_lines(st: Structure, lines, why, drop) -> None:
    """A line printed more than once on a page. A full sentence printed twice (a layout that
    repeats its content) keeps its first copy. A short line (a kicker, a widget title, a table
    of contents entry) goes in every copy, except a last copy that heads a passage of story:
    that one is the sub-heading the table of contents pointed to."""
    seen: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        if why[i] is None and len(line) >= st.repeated_min_chars:
            seen.setdefault(line, []).append(i)
    for line, where in seen.items():
        if len(where) < 2:
            continue
        if is_story_line(line, st.story_min_words):
            gone = where[1:]
        else:
            last = where[-1]
            nxt = next((j for j in range(last + 1, len(lines)) if why[j] is None and lines[j] != line), None)
            heads_story = nxt is not None and is_story_line(lines[nxt], st.story_min_words)
            gone = where[:-1] if heads_story else where
        for i in gone:
            drop(i, "repeated", "structure: repeated_lines")


CONTINUES = regex.compile(r"^[\p{Ll}\p{P}]")  # a line that carries on the sentence before it
DANGLING = regex.compile(r"[-–—,:;(]$")  # a line whose sentence goes on in the next one


def _nav_runs(st: Structure, lines, why, drop) -> None:
    """Runs of very short lines before the first or after the last full sentence: menus, share
    bars, tag lists. A run that is part of a sentence broken across lines (a dateline split as
    `Jakarta` / `-`, words of a link on their own line) is kept: its last line dangles, or the
    next kept line carries on in lower case or punctuation. At the tail, all-lower-case lines of
    up to `tag_max_words` words are tags."""
    alive = [i for i in range(len(lines)) if why[i] is None]
    story = [i for i in alive if is_story_line(lines[i], st.story_min_words)]
    if not story:
        return
    rank = {i: k for k, i in enumerate(alive)}

    def short(i: int) -> bool:
        words = _words(lines[i])
        if lines[i][-1:] in STORY_END:
            return False
        return words <= st.nav_max_words or (i > story[-1] and words <= st.tag_max_words and lines[i].lower() == lines[i])

    edges = [i for i in alive if (i < story[0] or i > story[-1]) and short(i)]
    runs: list[list[int]] = []
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
