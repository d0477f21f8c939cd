"""The pack cache (`cleaner/packcache.py`): what the packs cost to derive is kept between runs in
the user's cache folder, and a cache that is missing, stale, corrupt or unwritable changes
nothing a run writes or says."""

from __future__ import annotations

import ast
import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest
import regex
from conftest import FIXTURES, command, read_jsonl

from cleaner import packcache, packload, regexes
from cleaner.literals import gate as literal_gate
from cleaner.packload import _pack_files, load_packs, read_pack_text

SEEDS = FIXTURES / "seeds.jsonl"


def clean(tmp_path: Path, cache: str | None, *args) -> subprocess.CompletedProcess:
    """The installed command on the seed pages, from an empty folder, with XDG_CACHE_HOME=`cache`
    (None: the cache turned off)."""
    env = {k: v for k, v in os.environ.items() if k not in ("XDG_CACHE_HOME", "CORPUS_CLEANER_NO_CACHE")}
    if cache is None:
        env["CORPUS_CLEANER_NO_CACHE"] = "1"
    else:
        env["XDG_CACHE_HOME"] = cache
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    return subprocess.run([command(), str(SEEDS), "-w", "1", "-q", *map(str, args)], capture_output=True, text=True,
                          cwd=work, env=env, timeout=120, encoding="utf-8")


@pytest.fixture(scope="module")
def uncached(tmp_path_factory) -> str:
    """What the seed pages become with the cache turned off (they all give a record)."""
    result = clean(tmp_path_factory.mktemp("uncached"), None)
    assert result.returncode == 0 and result.stderr == "" and result.stdout.count("\n") == 5
    return result.stdout


def cache_files(cache: Path) -> list[Path]:
    return sorted((cache / "corpus-cleaner").glob("*"))


def test_a_run_keeps_the_packs_in_the_cache_folder_and_the_next_run_writes_the_same_bytes(tmp_path, uncached):
    cache = tmp_path / "xdg"
    first = clean(tmp_path, str(cache))
    assert (first.returncode, first.stdout, first.stderr) == (0, uncached, "")
    kept = cache_files(cache)
    assert [p.name.startswith("packs-") and p.suffix == ".marshal" for p in kept] == [True]
    assert os.listdir(tmp_path / "work") == []  # nothing beside the run: the cache lives in XDG_CACHE_HOME
    stamp = kept[0].stat().st_mtime_ns
    second = clean(tmp_path, str(cache))
    assert (second.returncode, second.stdout, second.stderr) == (0, uncached, "")
    assert cache_files(cache) == kept and kept[0].stat().st_mtime_ns == stamp  # read, not rewritten


def test_a_run_that_writes_an_entry_removes_stale_entries_and_left_over_temporary_files(tmp_path, uncached):
    folder = tmp_path / "xdg" / "corpus-cleaner"
    folder.mkdir(parents=True)
    old = 40 * 86400
    files = {  # name -> (age in seconds, kept after the run)
        "packs-00000000-5.marshal": (old, False),  # an install that is gone
        "packs-11111111-5.marshal": (3600, True),  # another install's, in use
        "packs-00000000-5.marshal.123.abcd.tmp": (7200, False),  # a killed run's
        "packs-11111111-5.marshal.456.ef01.tmp": (10, True),  # a run writing right now
        "notes.txt": (old, True),  # not ours
    }
    for name, (age, _) in files.items():
        (folder / name).write_bytes(b"x")
        stamp = (folder / name).stat().st_mtime - age
        os.utime(folder / name, (stamp, stamp))
    result = clean(tmp_path, str(tmp_path / "xdg"))
    assert (result.returncode, result.stdout, result.stderr) == (0, uncached, "")
    left = {p.name for p in folder.iterdir()}
    assert {name for name, (_, kept) in files.items() if kept} <= left
    assert not {name for name, (_, kept) in files.items() if not kept} & left
    assert len(left - set(files)) == 1  # the run's own entry


@pytest.mark.parametrize("damage", [b"", b"\x00garbage", "truncated"])
def test_a_corrupt_cache_is_derived_anew_without_a_word(tmp_path, uncached, damage):
    cache = tmp_path / "xdg"
    assert clean(tmp_path, str(cache)).returncode == 0
    [kept] = cache_files(cache)
    good = kept.read_bytes()
    kept.write_bytes(good[: len(good) // 2] if damage == "truncated" else damage)
    result = clean(tmp_path, str(cache))
    assert (result.returncode, result.stdout, result.stderr) == (0, uncached, "")
    assert cache_files(cache) == [kept] and same_entry(kept.read_bytes(), good)  # written again, whole


def same_entry(data: bytes, other: bytes) -> bool:
    """Two cache entries hold the same: the compiled patterns' engine code may differ in the order
    of a set's members (the `regex` compiler walks some sets in hash order, which differs from
    one process to the next), so those are compared by pattern only."""
    entry, other_entry = marshal.loads(data), marshal.loads(other)
    compiled, other_compiled = entry.pop("compiled"), other_entry.pop("compiled")
    return entry == other_entry and [c[:2] for c in compiled] == [c[:2] for c in other_compiled]


def test_an_unwritable_cache_folder_changes_nothing(tmp_path, uncached):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be")
    result = clean(tmp_path, str(blocked))
    assert (result.returncode, result.stdout, result.stderr) == (0, uncached, "")
    assert blocked.read_text() == "a file where the cache folder would be"


def test_a_changed_user_pack_is_read_anew(tmp_path, uncached):
    """The cache holds the packs' texts and is used only for exactly those: an edit to a user's
    pack takes effect on the next run, and a broken edit is the one-line error it always was."""
    cache, rules = tmp_path / "xdg", tmp_path / "rules"
    rules.mkdir()
    pack = rules / "idntimes.toml"
    pack.write_text(read_pack_text(dict((p.name, p) for p, _ in _pack_files([]))["idntimes.toml"]), encoding="utf-8")
    before = clean(tmp_path, str(cache), "--rules", rules)
    assert (before.returncode, before.stdout) == (0, uncached)
    # a rule that drops every line holding "dan" or "yang": most of the IDN Times pages' story lines
    pack.write_text(pack.read_text(encoding="utf-8") + '\n[[drop]]\ncategory = "promo"\nline = "(?i)\\\\b(?:dan|yang)\\\\b"\n',
                    encoding="utf-8")
    after = clean(tmp_path, str(cache), "--rules", rules)
    uncached = clean(tmp_path, None, "--rules", rules)
    assert after.returncode == 0 and after.stdout != uncached
    assert (after.stdout, after.stderr) == (uncached.stdout, uncached.stderr)
    pack.write_text(pack.read_text(encoding="utf-8") + "\n[[drop]\n", encoding="utf-8")
    broken = clean(tmp_path, str(cache), "--rules", rules)
    assert broken.returncode != 0 and broken.stdout == ""
    assert broken.stderr.count("\n") == 1 and f"{pack}: not valid TOML" in broken.stderr


def _in_process_cache(tmp_path, monkeypatch):
    """The built-in pack files, their names and texts, with this process's cache folder in
    `tmp_path` (empty) and its packs to be loaded again (this process loaded them already)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("CORPUS_CLEANER_NO_CACHE", raising=False)
    files = _pack_files([])
    monkeypatch.setattr(packload, "_LOADED", {})
    return files, [str(p) for p, _ in files], [read_pack_text(p) for p, _ in files]


def test_cached_gates_are_the_gates_the_patterns_have(tmp_path, monkeypatch):
    """Every gate read back from the cache equals `literals.gate` of its pattern, and an entry
    written for other pack texts is not used."""
    files, names, texts = _in_process_cache(tmp_path, monkeypatch)
    packs = load_packs()
    monkeypatch.setattr(packcache, "_GATES", {})
    tables = packcache.read(names, texts)
    assert tables is not None and len(tables) == len(files)
    prefiltered = [r.pattern.source for pack in packs.values() for r in pack.drops
                   if r.kind == "from_line" or (r.scope != "last" and not r.hints)]
    assert len(prefiltered) > 50 and set(prefiltered) <= set(packcache._GATES)
    for source, found in packcache._GATES.items():
        assert found == literal_gate(source), source
    assert packcache.read(names, texts[:-1] + [texts[-1] + "\n# edited\n"]) is None


def test_cached_line_edges_are_what_the_patterns_say(tmp_path, monkeypatch):
    """Every line end and letterless start read back from the cache equals what `literals` derives
    of its pattern, for every built-in rule's pattern and span marker a run asks about."""
    from cleaner.literals import line_end, may_start_with_letter, starts_line
    _, names, texts = _in_process_cache(tmp_path, monkeypatch)
    monkeypatch.setattr(packcache, "_EDGES", {})
    packs = load_packs()  # no entry yet: derived, and kept
    monkeypatch.setattr(packcache, "_EDGES", {})
    assert packcache.read(names, texts) is not None
    asked = {r.pattern.source for pack in packs.values() for r in pack.drops if r.kind != "from_line"}
    asked |= {r.marker.pattern for pack in packs.values() for r in pack.spans}
    assert len(asked) > 50 and asked <= set(packcache._EDGES)
    assert sum(end is not None for end, _ in packcache._EDGES.values()) >= 5
    for source, (end, letterless) in packcache._EDGES.items():
        assert (end, letterless) == (line_end(source), starts_line(source) and not may_start_with_letter(source)), source
    assert sum(letterless for _, letterless in packcache._EDGES.values()) >= 2  # the lines of marks


def test_kept_compiled_patterns_behave_as_freshly_compiled_ones(tmp_path, monkeypatch):
    """What the cache keeps of every compiled pattern (the packs' own, their prefilters' and the
    site detector's) makes a pattern that finds what `regex.compile` of its source finds, with
    the same flags and groups; and a run's patterns are all among them."""
    _, names, texts = _in_process_cache(tmp_path, monkeypatch)
    monkeypatch.setattr(regexes, "ENGINE_ARGS", {})
    monkeypatch.setattr(regexes, "_COMPILED", {})
    packs = load_packs()  # no entry yet: every pattern is compiled, and kept
    monkeypatch.setattr(regexes, "ENGINE_ARGS", {})
    assert packcache.read(names, texts) is not None
    kept = regexes.ENGINE_ARGS
    own = {r.pattern.source for pack in packs.values() for r in pack.drops}
    combined = {p.source for pack in packs.values() for p in (pack.prefilters.any.anchored, pack.prefilters.any.floating,
                                                               pack.prefilters.any.letterless) if p is not None}
    assert len(own) > 50 and own | combined <= {source for source, _ in kept}
    lines = [line for page in read_jsonl(SEEDS) for line in page["text"].splitlines()][:120]
    lines += ["", "Baca juga: Ini Judulnya", "foto: ANTARA", "12/03/2024 10:15 WIB", "a" * 300 + "!"]
    for (source, flags), args in kept.items():
        made, fresh = regexes.ENGINE.compile(*args), regex.compile(source, flags)
        assert (made.pattern, made.flags, made.groupindex, made.groups) == (fresh.pattern, fresh.flags, fresh.groupindex,
                                                                            fresh.groups), source
        for line in lines:
            assert [(m.span(), m.groups()) for m in made.finditer(line)] == \
                   [(m.span(), m.groups()) for m in fresh.finditer(line)], (source, line)


def test_a_run_that_reads_the_cache_compiles_none_of_the_packs_patterns(tmp_path, uncached):
    """The second run hands every pack pattern it uses to the engine as the first run compiled
    it: the `regex` compiler (Python) sees none of them, and the output is the same."""
    cache = tmp_path / "xdg"
    assert clean(tmp_path, str(cache)).returncode == 0
    [entry] = cache_files(cache)
    kept = {source for source, _, _ in marshal.loads(entry.read_bytes())["compiled"]}
    script = tmp_path / "watch.py"
    script.write_text(
        "import sys, regex._main as m\n"
        "from cleaner.cli import main\n"
        "seen, compile = [], m._compile\n"
        "def watched(pattern, *args):\n"
        "    seen.append(pattern)\n"
        "    return compile(pattern, *args)\n"
        "m._compile = watched\n"
        f"main([{str(SEEDS)!r}, '-w', '1', '-q', '-o', sys.argv[1]])\n"
        "print(repr(seen))\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "CORPUS_CLEANER_NO_CACHE"}
    env["XDG_CACHE_HOME"] = str(cache)
    out = tmp_path / "out.jsonl"
    result = subprocess.run([sys.executable, str(script), str(out)], capture_output=True, text=True, env=env,
                            cwd=tmp_path, timeout=120, encoding="utf-8")
    assert result.returncode == 0 and result.stderr == ""
    compiled = set(ast.literal_eval(result.stdout))
    assert len(kept) > 100 and not compiled & kept
    assert out.read_text(encoding="utf-8") == uncached
