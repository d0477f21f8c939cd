"""Pack test cases: a page and its expected clean text, kept beside the pack (`tests/NAME/`)."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Iterable

from .html import decode_html
from .io import PAGE_SUFFIXES
from .packload import load_packs
from .pipeline import Cleaner, Options
from .rulepack import PackError, unknown_pack


def cases(pack_dir: Path, name: str) -> list[tuple[Path, Path]]:
    """(page, expected) pairs of pack `name` in `pack_dir/tests/name/`."""
    folder = pack_dir / "tests" / name
    found = []
    for page in sorted(folder.glob("*")) if folder.is_dir() else []:
        if page.suffix in PAGE_SUFFIXES and not page.name.endswith(".expected.txt"):
            found.append((page, page.with_name(page.stem + ".expected.txt")))
    return found


def run_case(cleaner: Cleaner, page: Path, expected: Path) -> str | None:
    """None when the case passes, else a unified diff of expected and actual text."""
    if not expected.is_file():
        return f"missing expected text: {expected}"
    key = PAGE_SUFFIXES[page.suffix]
    body = decode_html(page.read_bytes()) if key == "html" else page.read_text(encoding="utf-8")
    record, rejected = cleaner.clean({"id": page.name, key: body})
    actual = record["text"] if record else f"(reject: {rejected['reject']['reason']}: {rejected['reject']['detail']})"
    want = expected.read_text(encoding="utf-8").rstrip("\n")
    if actual == want:
        return None
    return "\n".join(difflib.unified_diff(want.splitlines(), actual.splitlines(), str(expected), "actual", lineterm=""))


def run_pack_tests(names: Iterable[str], rules_dirs: Iterable[str] = ()) -> tuple[int, list[tuple[str, str]]]:
    """(cases passed, [(case, diff)] failed) for the named packs, or for every pack with cases."""
    packs = load_packs(rules_dirs)
    wanted = list(names) or list(packs)
    unknown = [n for n in wanted if n not in packs]
    if unknown:
        raise unknown_pack(unknown[0], packs)
    passed, failures = 0, []
    for name in wanted:
        pack_dir = Path(packs[name].file).parent
        found = cases(pack_dir, name)
        if not found:
            if names:  # asked for by name: "0 passed" would read as success
                raise PackError(f"pack {name!r} has no test cases: put CASE.txt (or CASE.html) and "
                                f"CASE.expected.txt in {pack_dir / 'tests' / name}")
            continue
        # cases test the pack alone: its site is forced, any language, no length minimum
        cleaner = Cleaner(Options(site=name, rules_dirs=tuple(rules_dirs), languages=(), min_chars=0, min_words=0))
        for page, expected in found:
            diff = run_case(cleaner, page, expected)
            if diff is None:
                passed += 1
            else:
                failures.append((f"{name}/{page.name}", diff))
    if not passed and not failures:
        raise PackError("no pack has test cases (tests/NAME/CASE.txt and CASE.expected.txt beside the pack)")
    return passed, failures

