"""What the rule packs cost to derive, kept between runs: their TOML read into tables, their
patterns' literal gates (`literals.gate`, which parses every pattern) and, for the patterns
without one, whether every match holds a digit (`literals.needs_digit`), what a line they match
may end or start with (`line_edges`), and every pattern
compiled (what the `regex` module's compiler, written in Python, hands its C engine: `regexes`),
in one file per set of pack files under the user's cache folder.

    $XDG_CACHE_HOME/corpus-cleaner/ (default ~/.cache/corpus-cleaner/), one small file per set of
    pack files a run loaded (the built-in ones, plus those of each `--rules` folder list) and Python

An entry is used only when it was written for the same pack texts (compared in full, not by a
hash), by the same package version, Python and gate-reading code; otherwise it is derived
anew and rewritten. A cache that is missing, corrupt, unreadable or unwritable is never an
error: the run derives what it needs, as it would without a cache, and the output is the same
bytes either way. The folder may be deleted at any time. `CORPUS_CLEANER_NO_CACHE=1` turns it off.
A run that writes an entry removes the entries no run has written for `STALE_DAYS` days (those of
removed installs and old versions: each install location keeps its own) and temporary files a
killed run left.
"""

from __future__ import annotations

import marshal
import os
import sys
import zlib
from pathlib import Path

import regex

from . import __version__, regexes
from .literals import Gate, gate as literal_gate, line_edges as literal_line_edges, needs_digit as literal_needs_digit

ENTRY_FORMAT = 4
STALE_DAYS = 30  # an entry not rewritten for this long belongs to an install that is gone, or is rewritten at once
STALE_TEMP_SECONDS = 3600  # a temporary file this old is not being written by a live run
_GATES: dict[str, Gate | None] = {}  # pattern source -> its gate: read from the cache, or derived here
_DIGITS: dict[str, bool] = {}  # pattern source -> `literals.needs_digit`: the same
_EDGES: dict[str, tuple] = {}  # pattern source -> `line_edges`: the same


def _derived(table: dict, derive, source: str):
    """`derive(source)`, once per process: kept in `table`, which the cache also fills."""
    try:
        return table[source]
    except KeyError:
        found = table[source] = derive(source)
        return found


def gate(source: str) -> Gate | None:
    """`literals.gate(source)`, derived once per process (or read from the cache)."""
    return _derived(_GATES, literal_gate, source)


def needs_digit(source: str) -> bool:
    """`literals.needs_digit(source)`, derived once per process (or read from the cache)."""
    return _derived(_DIGITS, literal_needs_digit, source)


def line_edges(source: str) -> tuple[str | None, bool]:
    """`literals.line_edges(source)`, derived once per process (or read from the cache)."""
    return _derived(_EDGES, literal_line_edges, source)


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is off (or no home folder is known)."""
    if os.environ.get("CORPUS_CLEANER_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if not os.path.isabs(base):  # the XDG rule: a relative path is ignored
        home = os.path.expanduser("~")
        if home == "~":
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "corpus-cleaner"


def _salt() -> tuple:
    """What the derived data depends on besides the pack texts."""
    code = Path(__file__).resolve().parent / "literals.py"
    return (ENTRY_FORMAT, __version__, sys.version, marshal.version, _toml_reader(), zlib.crc32(code.read_bytes()),
            regex.__version__, getattr(regexes.ENGINE, "MAGIC", None))


def _toml_reader() -> str:
    if sys.version_info >= (3, 11):
        return "tomllib"
    import tomli  # pragma: no cover - Python 3.9/3.10 only

    return f"tomli {getattr(tomli, '__version__', '?')}"  # pragma: no cover


def _path(files: list[str]) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    # named by the files and the Python (two Pythons sharing a home keep an entry each); an edited
    # pack or a new package version rewrites the same file
    name = "\0".join([sys.version, *files]).encode("utf-8", "surrogatepass")
    return folder / f"packs-{zlib.crc32(name):08x}-{len(files)}.marshal"


def read(files: list[str], texts: list[str]) -> list[dict] | None:
    """The TOML tables of these pack files (paths, texts) as an earlier run read them, with the
    gates it derived put in place for `gate`; None when there is no entry for exactly these
    texts. Never raises."""
    try:
        path = _path(files)
        if path is None:
            return None
        entry = marshal.loads(path.read_bytes())
        if entry["salt"] != list(_salt()) or entry["files"] != files or entry["texts"] != texts:
            return None
        tables = [marshal.loads(t) for t in entry["tables"]]
        gates = {source: None if g is None else Gate(*g) for source, g in entry["gates"].items()}
        digits = {source: bool(d) for source, d in entry["digits"].items()}
        edges = {source: (end, bool(letterless)) for source, (end, letterless) in entry["edges"].items()}
        compiled = {(source, flags): args for source, flags, args in entry["compiled"]}
    except Exception:  # noqa: BLE001 - a missing, stale or corrupt cache: derive everything anew
        return None
    _GATES.update(gates)
    _DIGITS.update(digits)
    _EDGES.update(edges)
    regexes.ENGINE_ARGS.update(compiled)
    return tables


def write(files: list[str], texts: list[str], tables: list[bytes]) -> None:
    """Keep these pack files' tables (each `marshal.dumps`ed when read) and every gate derived
    so far. Written to a temporary file and renamed into place (a reader sees the old entry or
    the new one, never half of one). Never raises."""
    temp = None
    try:
        path = _path(files)
        if path is None:
            return
        entry = {"salt": list(_salt()), "files": files, "texts": texts, "tables": tables,
                 "gates": {source: None if g is None else tuple(g) for source, g in _GATES.items()},
                 "digits": dict(_DIGITS),
                 "edges": {source: list(edges) for source, edges in _EDGES.items()},
                 "compiled": [(source, flags, args) for (source, flags), args in regexes.ENGINE_ARGS.items()]}
        data = marshal.dumps(entry)
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f"{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
        temp.write_bytes(data)
        os.replace(temp, path)
        temp = None
        prune(path.parent, keep=path)
    except Exception:  # noqa: BLE001 - an unwritable cache only means the next run derives again
        pass
    finally:
        if temp is not None:
            try:
                temp.unlink()
            except OSError:
                pass


def prune(folder: Path, keep: Path, now: float | None = None) -> None:
    """Remove the entries of `folder` not written for STALE_DAYS days and temporary files a killed
    run left, except `keep`. Only files this module names (`packs-*`); never raises."""
    import time

    now = time.time() if now is None else now
    try:
        candidates = list(folder.glob("packs-*"))
    except OSError:
        return
    for path in candidates:
        try:
            age = now - path.stat().st_mtime
            stale = age > (STALE_TEMP_SECONDS if path.name.endswith(".tmp") else STALE_DAYS * 86400)
            if stale and path != keep:
                path.unlink()
        except OSError:  # gone already (another run pruned it), or not ours to remove
            pass
