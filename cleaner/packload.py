"""Reading rule packs: TOML text -> validated, compiled `Pack`s; `rules check` reports every problem.

Every problem is a `PackError` naming the file, the rule and the reason, never a traceback.
Loading stops at the first; checking (`parse_pack(..., problems=[...])`, `check_packs`) records
them all and goes on. Keys, types and defaults come from `packkeys.KEYS`; a pack is then built
the same way for a run and for a test: `compile_pack` (includes resolved, prefilters built).
"""

from __future__ import annotations

import marshal
import sys
from contextvars import ContextVar
from dataclasses import fields, is_dataclass, replace
from pathlib import Path
from typing import Iterable

import regex

from . import packcache, regexes
from .packkeys import KEYS, MAX_PACK_BYTES, MAX_RULES, check_keys, check_pattern, get
from .prefilter import with_prefilters
from .rulepack import PACK_NAME, REGEX_TIMEOUT, DeferredRegex, DeferredSelector, DropRule, FieldRule, HtmlRules, Pack, PackError, Pattern, Structure
from .spans import SpanRule

CATEGORY = regexes.lazy(r"[a-z][a-z0-9_]*")
TIMEZONE = regexes.lazy(r"[+-]\d\d:\d\d")


# True while a built-in pack is read: its patterns compile on first use (`DeferredRegex`) and are vetted
_BUILT_IN: ContextVar[bool] = ContextVar("built_in_pack", default=False)


def _compile(where: str, source, flags: int = 0) -> Pattern:
    if not isinstance(source, str) or not source:
        raise PackError(f"{where}: a pattern must be a non-empty string, got {source!r}")
    if _BUILT_IN.get():
        return Pattern(source, where, DeferredRegex(source, flags), vetted=True)
    check_pattern(where, source)
    try:
        compiled = regexes.compile(source, flags)
    except regex.error as exc:
        raise PackError(f"{where}: bad regex {source!r}: {exc}") from None
    except (MemoryError, RecursionError, OverflowError):
        raise PackError(f"{where}: regex {source[:60]!r} is too complex to compile") from None
    try:
        empty = compiled.search("", timeout=REGEX_TIMEOUT) is not None
    except TimeoutError:
        empty = False
    if empty:
        raise PackError(f"{where}: regex {source!r} matches the empty string, so it would match every line")
    return Pattern(source, where, compiled)


def _categorised(label: str, kind: str, i: int, spec) -> tuple[str, str]:
    """A [[drop]] or [[span]] rule's checked keys and category, and how messages name the rule."""
    base = f"{label}: [[{kind}]] #{i}"
    check_keys(base, spec, kind)
    category = spec.get("category")
    if not isinstance(category, str) or not CATEGORY.fullmatch(category):
        raise PackError(f"{base}: 'category' must be a snake_case name, got {category!r}")
    return category, f"{base} ({category})"


def _drop_rule(label: str, i: int, spec) -> DropRule:
    category, where = _categorised(label, "drop", i, spec)
    kinds = [k for k in ("line", "block", "from_line") if k in spec]
    if len(kinds) != 1:
        raise PackError(f"{where}: give exactly one of line, block, from_line")
    kind = kinds[0]
    scope = get(where, spec, "drop", "where")
    if scope == "last" and kind != "line":
        raise PackError(f"{where}: 'where = \"last\"' is for line rules only (a {kind} rule would do nothing)")
    if "where" in spec and kind == "from_line":
        raise PackError(f"{where}: 'where' does not apply to a from_line rule (an end marker is sought after the story start)")
    hints = tuple(h.lower() for h in get(where, spec, "drop", "hint"))
    if hints and kind != "line":
        raise PackError(f"{where}: 'hint' is for line rules only")
    if kind != "block":
        return DropRule(category, kind, scope, where, _compile(f"{where} {kind}", get(where, spec, "drop", kind)), hints=hints)
    block = get(where, spec, "drop", "block")
    check_keys(f"{where} block", block, "block")
    if "start" not in block or ("end" in block) == ("while" in block):
        raise PackError(f"{where}: a block needs 'start' and exactly one of 'end' or 'while'")
    return DropRule(
        category, "block", scope, where,
        _compile(f"{where} block.start", block["start"]),
        end=_compile(f"{where} block.end", block["end"]) if "end" in block else None,
        follow=_compile(f"{where} block.while", block["while"]) if "while" in block else None,
        max_lines=get(f"{where} block", block, "block", "max_lines"),
    )


def _span_rule(label: str, i: int, spec) -> SpanRule:
    category, where = _categorised(label, "span", i, spec)
    end = get(where, spec, "span", "end")
    if (end == "close") != ("close" in spec):
        raise PackError(f"{where}: 'close' is needed with end = \"close\" and only there")
    marker = _compile(f"{where} marker", get(where, spec, "span", "marker"))
    close = _compile(f"{where} close", get(where, spec, "span", "close")).compiled if end == "close" else None
    return SpanRule(category, where, marker.compiled, end, close, get(where, spec, "span", "max_chars"), vetted=marker.vetted)


def _field_rule(label: str, i: int, spec) -> FieldRule:
    base = f"{label}: [[field]] #{i}"
    check_keys(base, spec, "field")
    name = get(base, spec, "field", "name")
    if name is None:
        raise PackError(f"{base}: 'name' is missing (one of title, author, editor, date)")
    where = f"{base} ({name})"
    if ("line" in spec) == ("after_line" in spec):
        raise PackError(f"{where}: give exactly one of 'line' or 'after_line'")
    scope = get(where, spec, "field", "where")
    if scope == "last":
        raise PackError(f"{where}: 'where = \"last\"' is for [[drop]] line rules only")
    line, after = get(where, spec, "field", "line"), get(where, spec, "field", "after_line")
    return FieldRule(
        name, scope, where,
        _compile(f"{where} line", line) if line is not None else None,
        _compile(f"{where} after_line", after) if after is not None else None,
        get(where, spec, "field", "pick"), get(where, spec, "field", "remove"),
    )


def _structure(label: str, spec) -> Structure:
    where = f"{label}: [structure]"
    check_keys(where, spec, "structure")
    nav = get(where, spec, "structure", "nav_runs")
    check_keys(f"{where} nav_runs", nav, "nav_runs")
    credit = get(where, spec, "structure", "caption_credit")
    return Structure(
        caption_pairs=get(where, spec, "structure", "caption_pairs"),
        caption_credit=_compile(f"{where} caption_credit", credit) if credit else None,
        repeated_min_chars=get(where, spec, "structure", "repeated_lines"),
        nav_max_words=get(f"{where} nav_runs", nav, "nav_runs", "max_words"),
        nav_min_run=get(f"{where} nav_runs", nav, "nav_runs", "min_run"),
        tag_max_words=get(f"{where} nav_runs", nav, "nav_runs", "tag_max_words"),
        story_min_words=get(where, spec, "structure", "story_min_words"),
    )


def _html(label: str, spec) -> HtmlRules:
    where = f"{label}: [html]"
    check_keys(where, spec, "html")
    body, drop = get(where, spec, "html", "body"), tuple(get(where, spec, "html", "drop"))
    return HtmlRules(body, drop, _css(f"{where} body", body) if body is not None else None,
                     tuple(_css(f"{where} drop", css) for css in drop))


def _css(where: str, css: str):
    if _BUILT_IN.get():
        return DeferredSelector(css)
    from cssselect import SelectorError
    from lxml.cssselect import CSSSelector  # only packs with [html] rules need lxml at load

    try:
        return CSSSelector(css)
    except SelectorError as exc:
        raise PackError(f"{where}: bad CSS selector {css!r}: {exc}") from None


def read_toml(text: str, label: str) -> dict:
    """The tables of a pack file's text (`label` names it in errors), or a PackError."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_PACK_BYTES:
        raise PackError(f"{label}: {len(text):,} characters is too large for a pack (at most {MAX_PACK_BYTES:,} bytes)")
    if sys.version_info >= (3, 11):  # imported here: a run whose packs are cached never parses TOML
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.9/3.10 only
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PackError(f"{label}: not valid TOML: {exc}") from None
    except RecursionError:
        raise PackError(f"{label}: not valid TOML: arrays or tables nested too deeply") from None


def parse_pack(text: str, label: str, problems: list[str] | None = None, tables: dict | None = None) -> Pack | None:
    """Validate and compile one pack's TOML text. Raises PackError naming file and rule; with a
    `problems` list, records every problem there instead, goes on, and returns None if any.
    `tables`: the text already read as TOML (`packcache`). The pack's includes are not
    resolved yet, nor its prefilters built: see `compile_pack`."""
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

    def value(key: str, section: str = "pack", table=None, where: str = label):
        return attempt(get, where, data if table is None else table, section, key, default=KEYS[section][key].default)

    def compile_all(where: str, patterns: list, flags: int = 0) -> tuple:
        return tuple(p for p in (attempt(_compile, where, src, flags) for src in patterns) if p is not None)

    data = attempt(read_toml, text, label) if tables is None else tables
    if data is None:
        return None
    attempt(check_keys, label, data, "pack")
    name = data.get("name")
    if not isinstance(name, str) or not PACK_NAME.fullmatch(name):
        attempt(_raise, f"{label}: 'name' must be a lower-case identifier, got {name!r}")
    story = value("story")
    attempt(check_keys, f"{label}: [story]", story, "story")
    timezone = data.get("timezone")
    if timezone is not None and not TIMEZONE.fullmatch(str(timezone)):
        attempt(_raise, f"{label}: 'timezone' must look like +07:00, got {timezone!r}")
    drops, fields, spans = value("drop"), value("field"), value("span")
    if len(drops) + len(fields) + len(spans) > MAX_RULES:
        attempt(_raise, f"{label}: {len(drops) + len(fields) + len(spans):,} rules is too many for a pack (at most {MAX_RULES:,})")
        drops, fields, spans = [], [], []
    pack = Pack(
        name=name,
        label=label,
        description=str(data.get("description", "")),
        languages=tuple(value("languages")),
        domains=tuple(d.lower().lstrip(".") for d in value("domains")),
        fingerprints=compile_all(f"{label}: fingerprints", value("fingerprints"), regex.MULTILINE),
        timezone=timezone,
        story_start=compile_all(f"{label}: [story] start", value("start", "story", story, f"{label}: [story]")),
        story_start_after=compile_all(f"{label}: [story] start_after",
                                      value("start_after", "story", story, f"{label}: [story]")),
        head_category=value("head_category", "story", story, f"{label}: [story]"),
        drops=tuple(r for r in (attempt(_drop_rule, label, i, spec) for i, spec in enumerate(drops, 1)) if r),
        fields=tuple(r for r in (attempt(_field_rule, label, i, spec) for i, spec in enumerate(fields, 1)) if r),
        structure=attempt(_structure, label, value("structure"), default=Structure()),
        html=attempt(_html, label, value("html"), default=HtmlRules()),
        include=tuple(value("include")),
        spans=tuple(r for r in (attempt(_span_rule, label, i, spec) for i, spec in enumerate(spans, 1)) if r),
    )
    return pack if len(found) == before else None


def _raise(message: str):
    raise PackError(message)


def read_pack_text(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_PACK_BYTES:
            raise PackError(f"{path}: {path.stat().st_size:,} bytes is too large for a pack (at most {MAX_PACK_BYTES:,})")
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError(f"{path}: cannot read: {exc}") from None


def builtin_rules_dir() -> Path:
    """The packs that ship with the package (installed as `cleaner/rules`), or the checkout's `rules/`."""
    installed = Path(__file__).resolve().parent / "rules"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parent.parent / "rules"


def _pack_files(dirs: Iterable[str | Path]) -> list[tuple[Path, str | None]]:
    """(path, label) of every pack file: the built-in ones (labelled rules/x.toml), then each
    extra dir's in name order."""
    builtin = builtin_rules_dir()
    found = []
    for directory in [builtin, *map(Path, dirs)]:
        if not directory.is_dir():
            raise PackError(f"{directory}: not a directory of rule packs")
        found += [(path, f"rules/{path.name}" if directory == builtin else None) for path in sorted(directory.glob("*.toml"))]
    return found


def load_pack(path: Path, shown_as: str | None = None, vetted: bool = False, text: str | None = None,
              tables: dict | None = None) -> Pack:
    """One pack file, its includes not resolved; `shown_as` names it in messages and rule labels.
    `vetted` (the built-in packs only): its patterns run without a per-match time limit.
    `text`, `tables`: the file's text and its TOML tables, when the caller has them."""
    text = read_pack_text(path) if text is None else text
    built_in = _BUILT_IN.set(vetted)  # its patterns and span rules are made vetted (`_compile`, `_span_rule`)
    try:
        return replace(parse_pack(text, shown_as or str(path), tables=tables), file=str(path))
    finally:
        _BUILT_IN.reset(built_in)


def load_packs(extra_dirs: Iterable[str | Path] = ()) -> dict[str, Pack]:
    """All packs by name, ready to run: the built-in ones, then each extra dir's (a same-named
    pack replaces). Loaded once per process for the same files (worker processes share it)."""
    files = _pack_files(extra_dirs)
    key = tuple((str(path), label, *_stamp(path)) for path, label in files)
    if key not in _LOADED:
        names, texts = [str(path) for path, _ in files], _texts(files)
        cached = packcache.read(names, texts) if texts is not None else None
        packs: dict[str, Pack] = {}
        kept: list[bytes | None] = []  # each file's tables as `packcache` keeps them
        for i, (path, label) in enumerate(files):
            text, tables = (texts[i] if texts is not None else None), (cached[i] if cached is not None else None)
            if tables is None and text is not None:
                tables = read_toml(text, label or str(path))
                kept.append(_marshalled(tables))
            pack = load_pack(path, label, vetted=label is not None, text=text, tables=tables)  # a label: a built-in pack
            packs[pack.name] = pack
        compiled = {name: compile_pack(pack, packs) for name, pack in sorted(packs.items())}
        if cached is None and texts is not None and None not in kept:
            for pack in compiled.values():
                pack.prefilters.gates  # every gate its prefilters need, derived now to be kept
                pack.prefilters.read_digit_needs()  # ... and which patterns without a gate need a digit
            _compile_every_pattern(compiled)  # ... and every pattern a run may compile
            packcache.write(names, texts, kept)
        _LOADED.clear()  # one pack set at a time: a changed file or folder list loads anew
        _LOADED[key] = compiled
    return dict(_LOADED[key])


def _compile_every_pattern(packs: dict[str, Pack]) -> None:
    """Compile now every pattern a run of these packs may need (each pack's own, its prefilters'
    combined ones, the site detector's), so that `packcache` keeps them all: a run that reads
    the cache then compiles none, whatever its pages. Built-in patterns otherwise compile on
    their first use (`DeferredRegex`)."""
    from .site import SiteDetector

    def compile_in(value) -> None:
        if isinstance(value, DeferredRegex):
            value.search  # noqa: B018 - its first use compiles it
        elif isinstance(value, tuple):
            for item in value:
                compile_in(item)
        elif is_dataclass(value) and not isinstance(value, type):
            for field in fields(value):
                compile_in(getattr(value, field.name))

    for pack in packs.values():
        compile_in(pack)
        pack.prefilters.compile_all()
    SiteDetector(packs)
    compile_in(tuple(regexes.LAZY))  # the modules' own


def _texts(files: list[tuple[Path, str | None]]) -> list[str] | None:
    """Every pack file's text, or None when one cannot be read (then each is read, and the
    first problem reported, in turn)."""
    try:
        return [read_pack_text(path) for path, _ in files]
    except PackError:
        return None


def _marshalled(tables: dict) -> bytes | None:
    """The tables as `packcache` keeps them, or None for tables `marshal` cannot keep exactly
    (TOML dates and times)."""
    try:
        return marshal.dumps(tables)
    except ValueError:
        return None


_LOADED: dict[tuple, dict[str, Pack]] = {}


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (-1, -1)
    return (stat.st_mtime_ns, stat.st_size)


def compile_pack(pack: Pack, packs: dict[str, Pack]) -> Pack:
    """A parsed pack made ready to run: its includes (looked up in `packs`) resolved and its
    prefilters built. Every run and every engine test goes through here."""
    return with_prefilters(_resolve_includes(pack, packs))


def _resolve_includes(pack: Pack, packs: dict[str, Pack]) -> Pack:
    """A pack that includes others gets their rules after its own (its own win on fields), and
    their structural rules when it sets none itself. An included pack includes nothing itself."""
    if not pack.include:
        return pack
    drops, fields, spans = list(pack.drops), list(pack.fields), list(pack.spans)
    for name in pack.include:
        other = packs.get(name)
        if other is None:
            raise PackError(f"{pack.label}: include: no pack named {name!r} (known: {', '.join(sorted(packs))})")
        if name == pack.name or pack.name in other.include:
            raise PackError(f"{pack.label}: include: {pack.name!r} -> {name!r} -> {pack.name!r} is a cycle")
        if other.include:
            raise PackError(f"{pack.label}: include: included pack {name!r} may not include others "
                            f"(it includes {', '.join(map(repr, other.include))})")
        drops += other.drops
        fields += other.fields
        spans += other.spans
    # a pack without a [structure] section of its own takes its included pack's
    structure = pack.structure if pack.structure != Structure() else next(
        (packs[name].structure for name in pack.include if packs[name].structure != Structure()), pack.structure)
    return replace(pack, drops=tuple(drops), fields=tuple(fields), spans=tuple(spans), structure=structure)


def check_packs(dirs: Iterable[str | Path]) -> tuple[list[str], list[str]]:
    """(pack names that load, every problem found) for the packs in `dirs`, all reported at once.
    Includes are resolved against these packs and the built-in ones."""
    names, problems, parsed = [], [], {}
    for directory in map(Path, dirs):
        if not directory.is_dir():
            problems.append(f"{directory}: not a directory of rule packs")
            continue
        for path in sorted(directory.glob("*.toml")):
            try:
                pack = parse_pack(read_pack_text(path), str(path), problems)
            except PackError as exc:
                problems.append(str(exc))
                continue
            if pack is not None:
                parsed[path] = pack
    known = {**_builtin_packs(), **{pack.name: pack for pack in parsed.values()}}
    for path, pack in parsed.items():
        try:
            _resolve_includes(pack, known)  # (prefilters cannot fail: they are built at load only)
        except PackError as exc:
            problems.append(str(exc))
            continue
        names.append(pack.name)
    return names, problems


def _builtin_packs() -> dict[str, Pack]:
    packs = {}
    for path, label in _pack_files(()):
        try:
            pack = load_pack(path, label)
        except PackError:  # reported when the built-in folder itself is checked
            continue
        packs[pack.name] = pack
    return packs
