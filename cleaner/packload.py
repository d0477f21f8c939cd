"""Reading rule packs: TOML text -> validated, compiled `Pack`s; `rules check` reports every problem.

Every problem is a `PackError` naming the file, the rule and the reason. Loading stops at the
first; checking (`parse_pack(..., problems=[...])`, `check_packs`) records them all and goes on.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Iterable

import regex

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.9/3.10 only
    import tomli as tomllib

from .prefilter import with_prefilters
from .rulepack import (
    FIELD_NAMES, PACK_NAME, PICKS, REGEX_TIMEOUT, REMOVES, SCOPES, DropRule, FieldRule, HtmlRules, Pack,
    PackError, Pattern, Structure,
)

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


def _drop_rule(label: str, i: int, spec: dict) -> DropRule:
    base = f"{label}: [[drop]] #{i}"
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


def _field_rule(label: str, i: int, spec: dict) -> FieldRule:
    base = f"{label}: [[field]] #{i}"
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
    if remove not in REMOVES:
        raise PackError(f"{where}: 'remove' must be line, match or none, got {remove!r}")
    return FieldRule(
        name, _scope(where, spec.get("where", "all")), where,
        _compile(f"{where} line", spec["line"]) if "line" in spec else None,
        _compile(f"{where} after_line", spec["after_line"]) if "after_line" in spec else None,
        pick, remove,
    )


def _structure(label: str, spec: dict) -> Structure:
    where = f"{label}: [structure]"
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


def _html(label: str, spec: dict) -> HtmlRules:
    where = f"{label}: [html]"
    _check_keys(where, spec, _HTML_KEYS)
    body, drop = spec.get("body"), tuple(spec.get("drop", []))
    return HtmlRules(body, drop, _css(f"{where} body", body) if body else None,
                     tuple(_css(f"{where} drop", css) for css in drop))


def _css(where: str, css: str):
    from lxml.cssselect import CSSSelector  # only packs with [html] rules need lxml at load

    return CSSSelector(css)


def parse_pack(text: str, label: str, problems: list[str] | None = None) -> Pack | None:
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
        return attempt(_raise, f"{label}: not valid TOML: {exc}")
    attempt(_check_keys, label, data, _TOP_KEYS)
    name = data.get("name")
    if not isinstance(name, str) or not PACK_NAME.fullmatch(name):
        attempt(_raise, f"{label}: 'name' must be a lower-case identifier, got {name!r}")
    story = data.get("story", {})
    attempt(_check_keys, f"{label}: [story]", story, _STORY_KEYS)
    timezone = data.get("timezone")
    if timezone is not None and not regex.fullmatch(r"[+-]\d\d:\d\d", str(timezone)):
        attempt(_raise, f"{label}: 'timezone' must look like +07:00, got {timezone!r}")
    drops, fields = data.get("drop", []), data.get("field", [])
    if not isinstance(drops, list) or not isinstance(fields, list):
        attempt(_raise, f"{label}: 'drop' and 'field' must be arrays of tables ([[drop]], [[field]])")
        drops, fields = [], []
    pack = Pack(
        name=name,
        label=label,
        description=str(data.get("description", "")),
        languages=tuple(attempt(_str_list, f"{label}: languages", data.get("languages", []), default=[])),
        domains=tuple(d.lower().lstrip(".") for d in attempt(_str_list, f"{label}: domains", data.get("domains", []), default=[])),
        fingerprints=compile_all(f"{label}: fingerprints", data.get("fingerprints", []), regex.MULTILINE),
        timezone=timezone,
        story_start=compile_all(f"{label}: [story] start", story.get("start", [])),
        story_start_after=compile_all(f"{label}: [story] start_after", story.get("start_after", [])),
        head_category=str(story.get("head_category", "head")),
        drops=tuple(r for r in (attempt(_drop_rule, label, i, spec) for i, spec in enumerate(drops, 1)) if r),
        fields=tuple(r for r in (attempt(_field_rule, label, i, spec) for i, spec in enumerate(fields, 1)) if r),
        structure=attempt(_structure, label, data.get("structure", {}), default=Structure()),
        html=attempt(_html, label, data.get("html", {}), default=HtmlRules()),
        include=tuple(attempt(_str_list, f"{label}: include", data.get("include", []), default=[])),
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
    return {name: with_prefilters(_resolve_includes(pack, packs)) for name, pack in sorted(packs.items())}


def _resolve_includes(pack: Pack, packs: dict[str, Pack]) -> Pack:
    """A pack that includes others gets their rules after its own (its own win on fields), and
    their structural rules when it sets none itself."""
    if not pack.include:
        return pack
    drops, fields = list(pack.drops), list(pack.fields)
    for name in pack.include:
        other = packs.get(name)
        if other is None:
            raise PackError(f"{pack.label}: includes unknown pack {name!r}")
        if other.include:
            raise PackError(f"{pack.label}: included pack {name!r} may not include others")
        drops += other.drops
        fields += other.fields
    # a pack without a [structure] section of its own takes its included pack's
    structure = pack.structure if pack.structure != Structure() else next(
        (packs[name].structure for name in pack.include if packs[name].structure != Structure()), pack.structure)
    return replace(pack, drops=tuple(drops), fields=tuple(fields), structure=structure)
