"""Reading pages and writing records: JSONL (plain or .gz, files or stdin), plain page files."""

from __future__ import annotations

import gzip
import io
import json
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterable, Iterator

from .reject import RejectReason, reject

PAGE_SUFFIXES = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html"}


class InputError(OSError):
    """An input that cannot be opened or read at all (as opposed to a bad line inside it)."""


@dataclass(frozen=True)
class InputUnit:
    """One unit of input: a JSONL line (`raw`, parsed where it is cleaned, so parsing runs in the
    workers too) or a whole page file (`page`)."""

    source: str
    number: int
    raw: str | None = None
    page: object = None
    error: str | None = None  # the reader rejected this unit (a truncated .gz, a WARC record that is not a page) ...
    reason: RejectReason = RejectReason.TRUNCATED_INPUT  # ... for this reason

    def parsed(self) -> tuple[object, dict | None]:
        """(page, None), or (None, an `invalid_json` reject or the reader's)."""
        if self.error is not None:
            return None, reject(self.page, self.reason, self.error)
        if self.raw is None:
            return self.page, None
        try:
            return json.loads(self.raw), None
        except (json.JSONDecodeError, RecursionError) as exc:
            msg = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
            col = f" column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
            detail = f"{self.source} line {self.number}{col}: {msg}"
            return None, reject(self.raw.rstrip("\r\n"), RejectReason.INVALID_JSON, detail)


Line = InputUnit  # the name it had: `from cleaner.io import Line` keeps working


def _open_text(path: str) -> IO[str]:
    # surrogateescape: an invalid UTF-8 byte survives as a lone surrogate, and the page holding
    # it becomes an `invalid_unicode` reject instead of being silently altered
    # newline="\n": JSONL lines end at LF only; a stray CR inside a line must not split it
    if path == "-":
        return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="surrogateescape", newline="\n")
    try:
        raw = open(path, "rb")
    except OSError as exc:
        raise InputError(f"cannot open {path}: {exc.strerror or exc}") from None
    stream = gzip.open(raw) if path.endswith(".gz") else raw
    return io.TextIOWrapper(stream, encoding="utf-8", errors="surrogateescape", newline="\n")


def _page_kind(path: str) -> str | None:
    name = path[:-3] if path.endswith(".gz") else path
    return PAGE_SUFFIXES.get(Path(name).suffix.lower())


def read_lines(paths: Iterable[str]) -> Iterator[InputUnit]:
    """Every input unit of every path in order. Blank JSONL lines are skipped (they hold no page).

    A `.txt`/`.html` file (optionally .gz) is one page, with its file name as `id`; a `.warc`
    or `.warc.gz` file is a crawl archive (cleaner.warc); anything else is read as JSONL. `-` is standard input.
    """
    from .warc import is_warc, read_warc

    for path in paths:
        if is_warc(path):  # a crawl archive: its HTML responses are the pages
            yield from read_warc(path)
            continue
        kind = _page_kind(path)
        number = 0
        try:
            if kind == "html":  # raw page bytes: the page's own charset decides
                yield InputUnit(path, 1, page={"id": Path(path).name, "html": _read_html(path)})
                continue
            with _open_text(path) as stream:
                if kind is not None:
                    yield InputUnit(path, 1, page={"id": Path(path).name, kind: stream.read()})
                    continue
                for number, raw in enumerate(stream, 1):
                    if raw.strip():
                        yield InputUnit(path, number, raw=raw)
        except InputError:
            raise
        except (OSError, EOFError, zlib.error) as exc:
            if number == 0 and not isinstance(exc, EOFError):  # nothing readable at all
                raise InputError(f"cannot read {path}: {exc}") from None
            # the file breaks off: what came before stands, the break is a reject, the next file goes on
            yield InputUnit(path, number + 1, error=f"{path}: the input breaks off after line {number}: {exc}")


def _read_html(path: str) -> str:
    from .html import decode_html

    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            with open(path, "rb") as raw:
                data = raw.read()
        except OSError as exc:
            raise InputError(f"cannot open {path}: {exc.strerror or exc}") from None
    return decode_html(gzip.decompress(data) if path.endswith(".gz") else data)


def dumps(obj: dict) -> str:
    """One JSONL line: UTF-8 text, no ASCII escapes, compact, key order as built."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"


def open_output(path: str | None) -> IO[str]:
    """A text stream for records or rejects: a file (`.gz` compressed), or stdout for None/`-`."""
    if path in (None, "-"):
        return io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", errors="replace")
    try:
        if path.endswith(".gz"):
            return io.TextIOWrapper(gzip.open(path, "wb"), encoding="utf-8", errors="replace")
        return open(path, "w", encoding="utf-8", errors="replace")
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from None
