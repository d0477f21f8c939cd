"""Reading pages and writing records: JSONL (plain or .gz, files or stdin), plain page files."""

from __future__ import annotations

import codecs
import io
import json
import math
import os
import stat
import sys
import zlib
from json.encoder import c_encode_basestring, c_make_encoder
from pathlib import Path
from typing import IO, Iterable, Iterator

from .limits import MAX_LINE_BYTES
from .records import slots_repr
from .regexes import DeferredRe, lazy
from .reject import RejectReason, reject

PAGE_SUFFIXES = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html"}
MAX_JSON_DEPTH = 500  # deeper input is `invalid_json` in every process alike (the stack left differs)
RAW_PREFIX = 1000  # characters of an over-long line kept in its reject, to find it again


class InputError(OSError):
    """An input that cannot be opened or read at all (as opposed to a bad line inside it)."""


class OutputError(OSError):
    """An output that cannot be opened or written (a full disk, a missing folder, an input's path)."""


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:40]} is out of range")
    return value


# Strict JSON: NaN/Infinity and numbers out of float range are refused, so that every record
# written is JSON for any parser (Python's default would read them and write `NaN` back out).
_DECODER = json.JSONDecoder(parse_constant=_refuse_constant, parse_float=_finite_float)
_SCAN = _DECODER.scan_once  # (raw, index) -> (value, end): what `decode` calls, as `raw_decode` does
_JSON_STRING = DeferredRe(r'"[^"\\]*(?:\\.[^"\\]*)*"')  # unrolled: each character has one way in, so no runaway backtracking
_BRACKET = DeferredRe(r"[\[\]{}]")


def decode_json(raw: str):
    """`_DECODER.decode(raw)`. A JSONL line is mostly an object from its first character to its
    line feed: orjson reads it (`_orjson_page`), or else json's C scanner directly, without
    `decode`'s two whitespace matches and Python frames around it; anything else (leading
    space, trailing data, an error) goes through `decode`, which gives the same value or raises
    the same error."""
    page = _orjson_page(raw)
    return _json_decode(raw) if page is None else page


def _orjson_page(raw: str) -> dict | None:
    """`_DECODER.decode(raw)` of a line that orjson reads as an object holding no float and
    nested at most MAX_JSON_DEPTH levels deep (so `json_depth_exceeds(raw)` is false: for valid
    JSON, its bracket count is the nesting), else None. (orjson reads an integer beyond 64 bits
    as a float; what orjson refuses and json reads, or the error, is json's to say.)"""
    if raw[:1] != "{" or _ORJSON_LOADS is None:
        return None
    try:
        page = _ORJSON_LOADS(raw)
    except ValueError:  # (orjson.JSONDecodeError)
        return None
    return page if _plain_values(page.values(), False, MAX_JSON_DEPTH - 1) else None


def _json_decode(raw: str):
    """`_DECODER.decode(raw)`: json's C scanner called directly on a `{...}` line."""
    if raw[:1] == "{":
        try:
            page, end = _SCAN(raw, 0)
        except Exception:  # noqa: BLE001 - `decode` below raises it again, in its own words
            pass
        else:
            if end == len(raw) or (end == len(raw) - 1 and raw[end] == "\n"):
                return page
    return _DECODER.decode(raw)


def json_depth_exceeds(raw: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when the JSON text nests more than `limit` levels (strings skipped)."""
    if _brackets_at_most(raw, limit):
        return False
    depth = 0
    for bracket in _BRACKET.findall(_JSON_STRING.sub("", raw)):
        depth += 1 if bracket in "[{" else -1
        if depth > limit:
            return True
    return False


def _brackets_at_most(raw: str, limit: int) -> bool:
    """`raw.count("[") + raw.count("{") <= limit`, found with `str.find` (memchr), which a record
    with a few brackets passes at once (str.count tests every character in a loop)."""
    found = 0
    for bracket in "[{":
        at = raw.find(bracket)
        while at >= 0:
            found += 1
            if found > limit:
                return False
            at = raw.find(bracket, at + 1)
    return True


class InputUnit:
    """One unit of input: a JSONL line (`raw`, parsed where it is cleaned, so parsing runs in the
    workers too) or a whole page file (`page`). (A plain class, not a dataclass: making one costs
    about a millisecond of every start-up.)"""

    __slots__ = ("source", "number", "raw", "page", "error", "reason")

    def __init__(self, source: str, number: int, raw: str | None = None, page: object = None, error: str | None = None,
                 reason: RejectReason = RejectReason.TRUNCATED_INPUT):
        self.source, self.number, self.raw, self.page = source, number, raw, page
        self.error = error  # the reader rejected this unit (a truncated .gz, a WARC record that is not a page, a line too long) ...
        self.reason = reason  # ... for this reason

    __repr__ = slots_repr

    def parsed(self) -> tuple[object, dict | None]:
        """(page, None), or (None, an `invalid_json` reject or the reader's)."""
        if self.error is not None:  # the page, or the start of an over-long line (`raw`)
            return None, reject(self.page if self.page is not None else self.raw, self.reason, self.error)
        if self.raw is None:
            return self.page, None
        page = _orjson_page(self.raw)  # (most lines: read, and known not to nest too deeply, at once)
        if page is not None:
            return page, None
        if json_depth_exceeds(self.raw):
            detail = f"{self.source} line {self.number}: nested more than {MAX_JSON_DEPTH} levels deep"
            return None, reject(self.raw.rstrip("\r\n"), RejectReason.INVALID_JSON, detail)
        try:
            return _json_decode(self.raw), None
        except json.JSONDecodeError as exc:
            detail = f"{self.source} line {self.number} column {exc.colno}: {exc.msg}"
        except (ValueError, RecursionError) as exc:  # NaN, 1e400, an integer of thousands of digits
            detail = f"{self.source} line {self.number}: {exc if isinstance(exc, ValueError) else 'nested too deeply'}"
        return None, reject(self.raw.rstrip("\r\n"), RejectReason.INVALID_JSON, detail)


Line = InputUnit  # the name it had: `from cleaner.io import Line` keeps working


def _open_binary(path: str) -> IO[bytes]:
    if path == "-":
        if sys.stdin is None:
            raise InputError("standard input is closed")
        return sys.stdin.buffer
    try:
        raw = open(path, "rb")
    except OSError as exc:
        raise InputError(f"cannot open {path}: {exc.strerror or exc}") from None
    if path.endswith(".gz"):
        import gzip  # here: importing it (and what it imports) is a part of a start-up

        return gzip.open(raw)
    return raw


def _decode(data: bytes) -> str:
    # surrogateescape: an invalid UTF-8 byte survives as a lone surrogate, and the page holding
    # it becomes an `invalid_unicode` reject instead of being silently altered
    return data.decode("utf-8", "surrogateescape")


def _page_kind(path: str) -> str | None:
    name = path[:-3] if path.endswith(".gz") else path
    return PAGE_SUFFIXES.get(Path(name).suffix.lower())


def _too_large(path: str, number: int, start: bytes, limit: int, what: str) -> InputUnit:
    prefix = _decode(start[:RAW_PREFIX * 4])[:RAW_PREFIX]
    return InputUnit(path, number, raw=prefix, error=f"{path} {what} is longer than {limit:,} bytes (--max-line-bytes)",
                reason=RejectReason.TOO_LARGE)


def _jsonl(stream: IO[bytes], path: str, limit: int, blocks: tuple[int, int] | None = None) -> Iterator:
    """Lines split at LF only (a stray CR inside a line must not split it), each read with at
    most `limit` bytes held: the rest of a longer line is skipped in pieces, never held whole.

    With `blocks` (lines, bytes), the lines that are not rejects come as `LineBlock`s of at most
    that many lines, each ended once it holds that many bytes or more: a block is one bytes
    object where it goes, and is decoded and split into the same units where it is cleaned."""
    number = 0
    numbers: list[int] = []
    datas: list[bytes] = []
    size = 0
    while True:
        try:
            data = stream.readline(limit + 1)
        except (OSError, EOFError, zlib.error):  # the input breaks off: the lines before it stand
            if numbers:
                yield LineBlock(path, numbers, b"".join(datas))
            raise
        if not data:
            if numbers:
                yield LineBlock(path, numbers, b"".join(datas))
            return
        number += 1
        if number == 1 and data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8):]
        if len(data) > limit and not data.endswith(b"\n"):
            if numbers:
                yield LineBlock(path, numbers, b"".join(datas))
                numbers, datas, size = [], [], 0
            rest = data
            while rest and not rest.endswith(b"\n"):
                rest = stream.readline(1 << 20)
            yield _too_large(path, number, data, limit, f"line {number}")
        elif data and not data.isspace():  # (`data.strip()`: the same ASCII whitespace, without a copy; a lone BOM leaves b"")
            if blocks is None:
                yield InputUnit(path, number, raw=_decode(data))
                continue
            numbers.append(number)
            datas.append(data)
            size += len(data)
            if len(numbers) >= blocks[0] or size >= blocks[1]:
                yield LineBlock(path, numbers, b"".join(datas))
                numbers, datas, size = [], [], 0


class LineBlock:
    """Consecutive JSONL lines of one input (`read_lines` with `blocks`): their line numbers, and
    their bytes as read (each line with its LF, but for a file's last line without one), as one
    bytes object, which costs little to send to a worker process."""

    __slots__ = ("source", "numbers", "data")

    def __init__(self, source: str, numbers: list[int], data: bytes):
        self.source, self.numbers, self.data = source, numbers, data

    __repr__ = slots_repr

    def units(self) -> list[InputUnit]:
        """The lines as `read_lines` without `blocks` gives them: each line's bytes, found by
        its LF (or the end, for a file's last line without one), decoded alone. (Decoding the
        whole block at once would make it as wide as its widest character, and every line
        cut from it would be scanned to be made narrow again.)"""
        data, source, units = self.data, self.source, []
        start = 0
        for number in self.numbers:
            end = data.find(b"\n", start) + 1 or len(data)
            units.append(InputUnit(source, number, raw=_decode(data[start:end])))
            start = end
        return units

    def pieces(self, lines: int) -> list["LineBlock"]:
        """The block cut into blocks of at most `lines` lines: the same lines, in order."""
        data, pieces, start = self.data, [], 0
        for at in range(0, len(self.numbers), lines):
            numbers = self.numbers[at:at + lines]
            end = start
            for _ in numbers:
                end = data.find(b"\n", end) + 1 or len(data)
            pieces.append(LineBlock(self.source, numbers, data[start:end]))
            start = end
        return pieces


def read_lines(paths: Iterable[str], max_line_bytes: int = MAX_LINE_BYTES,
               blocks: tuple[int, int] | None = None) -> Iterator[InputUnit]:
    """Every input unit of every path in order. Blank JSONL lines are skipped (they hold no page).
    With `blocks` (lines, bytes), a JSONL file's lines come in `LineBlock`s instead (`_jsonl`).

    A `.txt`/`.html` file (optionally .gz) is one page, with its file name as `id`; a `.warc`
    or `.warc.gz` file is a crawl archive (cleaner.warc); anything else is read as JSONL. `-` is standard input.
    A line or page file longer than `max_line_bytes` is a `too_large` reject, read past without holding it.
    """
    from .warc import is_warc, read_warc

    for path in paths:
        if is_warc(path):  # a crawl archive: its HTML responses are the pages
            yield from read_warc(path)
            continue
        kind = _page_kind(path)
        number = 0
        try:
            stream = _open_binary(path)
            try:
                if kind is not None:
                    data = stream.read(max_line_bytes + 1)
                    number = 1
                    if len(data) > max_line_bytes:
                        yield _too_large(path, 1, data, max_line_bytes, "(one page)")
                    elif kind == "html":  # raw page bytes: the page's own charset decides
                        from .html import decode_html

                        yield InputUnit(path, 1, page={"id": Path(path).name, "html": decode_html(data)})
                    else:
                        text = _decode(data.removeprefix(codecs.BOM_UTF8))
                        yield InputUnit(path, 1, page={"id": Path(path).name, "text": text})
                    continue
                for line in _jsonl(stream, path, max_line_bytes, blocks):
                    number = line.number if type(line) is not LineBlock else line.numbers[-1]
                    yield line
            finally:
                if path != "-":
                    stream.close()
        except InputError:
            raise
        except (OSError, EOFError, zlib.error) as exc:
            if number == 0 and not isinstance(exc, EOFError):  # nothing readable at all
                raise InputError(f"cannot read {path}: {exc}") from None
            # the file breaks off: what came before stands, the break is a reject, the next file goes on
            yield InputUnit(path, number + 1, error=f"{path}: the input breaks off after line {number}: {exc}")


_C1 = lazy("[\x7f-\x9f]")  # the regex module scans a long line for a class ~5x faster than re


def dumps(obj: dict) -> str:
    """One JSONL line: UTF-8 text, no ASCII escapes, compact, key order as built; strict JSON
    (NaN and Infinity refused: ValueError). C1 control characters are escaped too (`\\u009b`),
    so no line can drive a terminal it is printed on (json escapes C0 controls itself)."""
    return escape_c1(_encode(obj)) + "\n"


# what `json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)` makes anew on
# every call (json keeps only the default one): built once
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _encode(obj: dict) -> str:
    """`_ENCODER.encode(obj)` of a dict: json's C encoder, made as `JSONEncoder.iterencode` makes
    it (a new `markers` dict each time: a circular record is a ValueError), without the Python
    layers around it, which cost more than encoding a small record (a third of `dumps`)."""
    if c_make_encoder is None or c_encode_basestring is None:  # a Python without json's C speed-ups
        return _ENCODER.encode(obj)
    e = _ENCODER
    return "".join(c_make_encoder({}, e.default, c_encode_basestring, None, e.key_separator, e.item_separator,
                                  e.sort_keys, e.skipkeys, e.allow_nan)(obj, 0))


def dumps_checked(obj: dict) -> tuple[str, bool]:
    """`(dumps(obj), whether the line holds a lone surrogate)`: `dumps_encoded`'s line as str."""
    line, surrogate = dumps_encoded(obj)
    return (line if type(line) is str else line.decode()), surrogate


def dumps_encoded(obj: dict) -> tuple[str | bytes, bool]:
    """`dumps_checked(obj)`, its line as bytes wherever it was encoded on the way: the line's
    UTF-8, as `Output.write_encoded` takes it (`ENCODING`; such a line holds no surrogate), which
    a chunk's output needs and a decode would only undo.

    A record of plain values (`_plain_values`) is written by orjson, whose bytes are then
    json's to the byte (the same escapes, separators and key order; a float in the range where
    both write digits without an exponent) at a quarter of the cost; orjson refuses a lone
    surrogate and an integer beyond 64 bits, and such a record goes the json way. A json line
    that is not ASCII is encoded to UTF-8 once, instead of being searched twice (C1 controls,
    then surrogates: each regex scan costs more than the encoding): the encoding fails exactly
    when the line holds a surrogate (the only code points UTF-8 cannot write). Without a C2 or
    7F byte, a line holds no C1 control (U+0080-U+009F is C2 80-9F) and no DEL to escape."""
    try:
        data = _ORJSON_DUMPS(obj, None, _ORJSON_NEWLINE) if _ORJSON_DUMPS is not None and _plain_values(obj.values()) else None
    except (TypeError, RecursionError):  # (orjson.JSONEncodeError): a surrogate, a huge integer, a deep nest
        data = None
    if data is not None:  # (no surrogate in it: orjson refuses one)
        if 0xC2 not in data and 0x7F not in data:  # (int in bytes: memchr; a bytes needle first fails as an int)
            return data, False
        return escape_c1(data.decode()), False  # (its "\n" is no C1 control)
    json_text = _encode(obj)
    if json_text.isascii():
        return escape_c1(json_text) + "\n", False
    try:
        data = json_text.encode("utf-8")
    except UnicodeEncodeError:
        return escape_c1(json_text) + "\n", True
    if 0xC2 in data or 0x7F in data:
        return escape_c1(json_text) + "\n", False
    return data + b"\n", False


def _plain_values(values, floats: bool = True, levels: int = MAX_JSON_DEPTH) -> bool:
    """Whether these values, at any depth, are only dicts, lists, strings, integers, booleans,
    None, and (with `floats`) floats that orjson and json both write without an exponent
    (1e-4 <= |x| < 1e16, or 0; orjson writes 1e-05 as 0.00001, and NaN as null where json
    refuses it), in dicts and lists nested at most `levels` deep. Exact types only: a subclass
    (an IntEnum, a str subclass) or any other type is json's to write or refuse. Without
    `floats`, a page read by orjson is kept only when it holds no float: orjson reads an
    integer beyond 64 bits as a float, json as an int."""
    for v in values:
        kind = type(v)
        if kind is str or v is None or kind is int or kind is bool:
            continue
        if kind is float:
            if not (floats and (1e-4 <= abs(v) < 1e16 or v == 0.0)):
                return False
        elif kind is dict:
            if levels < 1 or not _plain_values(v.values(), floats, levels - 1):
                return False
        elif kind is list:
            if levels < 1 or not _plain_values(v, floats, levels - 1):
                return False
        else:
            return False
    return True


def _orjson():
    """orjson's `(loads, dumps)`, if orjson is installed (else `(None, None)`), and its `dumps`
    if it writes floats and strings as `dumps` does (checked once, on numbers around the edges
    of json's notation and on every kind of escape: an orjson that wrote them otherwise is not
    used to write). orjson reads and writes JSON lines at a quarter of json's cost."""
    try:
        import orjson
    except ImportError:
        return None, None
    probes = [0.0, -0.0, 1e-4, 0.1, 0.5, 0.7508, 1.0, 0.30000000000000004, 123456789.125, 9999999999999998.0,
              -2.5, 1 / 3]
    if any(orjson.dumps(x) != float.__repr__(x).encode() for x in probes):
        return orjson.loads, None
    strings = {"a\n\"\x01é": "\n\r\t\b\f\"\\\x00\x01\x1a\x1f\x7f/\u2028\u00e9\U0001f600", "b": [1, -2, True, None, {}, []]}
    if orjson.dumps(strings) != _encode(strings).encode():
        return orjson.loads, None
    return orjson.loads, orjson.dumps


_ORJSON_LOADS, _ORJSON_DUMPS = _orjson()
_ORJSON_NEWLINE = 1024  # orjson.OPT_APPEND_NEWLINE: a JSONL line's "\n" written with it
if _ORJSON_DUMPS is not None and _ORJSON_DUMPS({"a": 1}, None, _ORJSON_NEWLINE) != b'{"a":1}\n':  # (the option's number, checked)
    _ORJSON_DUMPS = None


def escape_c1(json_text: str) -> str:
    """JSON text with its C1 control characters written as `\\u0080`-style escapes (same data)."""
    if json_text.isascii() and "\x7f" not in json_text:  # most lines: nothing to look for
        return json_text
    return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text) if _C1.search(json_text) else json_text


def same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


ENCODING = ("utf-8", "replace")  # of every output file (`Output.write`; `Output.write_encoded` takes bytes so encoded)


class Output:
    """Where records go: standard output (`None` or `-`), or a file.

    A regular file (or a new one) is written to a temporary file beside it, `.NAME.*.part`, and
    renamed over NAME by `commit` when the run ends (completed or interrupted): an earlier file
    stays whole until then, a run that fails leaves it untouched, and two runs writing the same
    path each leave a whole file. A device or pipe (`/dev/null`, a FIFO) is written directly.
    A `.gz` name is compressed. Every write fault is an OutputError naming the file.
    """

    def __init__(self, path: str | None):
        self.path = path
        self.name = "standard output" if path in (None, "-") else path
        self.temp: str | None = None
        self.target: str | None = None
        if path in (None, "-"):
            if sys.stdout is None:
                raise OutputError("standard output is closed")
            raw = sys.stdout.buffer
        else:
            raw = self._open_file(path)
        self.binary = raw
        if path and path.endswith(".gz"):
            import gzip

            self.binary = gzip.GzipFile(filename="", fileobj=raw, mode="wb")
        self.raw = raw
        self.text = io.TextIOWrapper(self.binary, encoding=ENCODING[0], errors=ENCODING[1], newline="\n")
        self.text_pending = False  # `write` took text the wrapper may still hold

    def _open_file(self, path: str):
        target = os.path.realpath(path)  # a symlink keeps pointing at the new file
        try:
            info = os.stat(target)
        except FileNotFoundError:
            info = None
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
        try:
            if info is not None and not stat.S_ISREG(info.st_mode):
                return open(target, "wb")  # a device or a pipe: nothing to replace
            folder, base = os.path.split(target)
            self.temp = os.path.join(folder, f".{base}.{os.urandom(4).hex()}.part")
            fd = os.open(self.temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            if info is not None:
                os.chmod(self.temp, stat.S_IMODE(info.st_mode))
            self.target = target
            return os.fdopen(fd, "wb")
        except OSError as exc:
            self.temp = None
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None

    def _fault(self, exc: OSError) -> OSError:
        if isinstance(exc, BrokenPipeError):
            return exc
        return OutputError(f"cannot write {self.name}: {exc.strerror or exc}")

    def write(self, line: str) -> None:
        try:
            self.text.write(line)
        except OSError as exc:
            raise self._fault(exc) from None
        self.text_pending = True

    def write_encoded(self, data: bytes) -> None:
        """Write lines already encoded as `write` encodes them (`ENCODING`), after what `write` took."""
        try:
            if self.text_pending:
                self.text.flush()
                self.text_pending = False
            self.binary.write(data)
        except OSError as exc:
            raise self._fault(exc) from None

    def finish(self) -> None:
        """Flush and close everything (a fault, such as a full disk, is an OutputError)."""
        try:
            self.text.flush()
            self.text.detach()  # the wrapper must not close standard output when it is collected
            if self.path in (None, "-"):
                return
            if self.binary is not self.raw:
                self.binary.close()  # writes the gzip trailer; the file itself stays open
            self.raw.flush()
            if self.temp is not None:
                os.fsync(self.raw.fileno())
            self.raw.close()
        except OSError as exc:
            raise self._fault(exc) from None

    def commit(self) -> None:
        """Put the finished file in place of the target (after `finish`)."""
        if self.temp is not None:
            try:
                os.replace(self.temp, self.target)
            except OSError as exc:
                raise self._fault(exc) from None
            self.temp = None

    def discard(self) -> None:
        """Drop what was written (the run failed): an earlier file at the path is left as it was."""
        steps = [self.text.flush, self.text.detach]
        if self.path not in (None, "-"):
            steps += [self.binary.close, self.raw.close]
        for step in steps:
            try:
                step()
            except (OSError, ValueError):
                pass
        if self.temp is not None:
            try:
                os.unlink(self.temp)
            except OSError:
                pass
            self.temp = None
