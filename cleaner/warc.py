"""Reading crawl archives (WARC, plain or .gz, e.g. Common Crawl's CC-MAIN-*.warc.gz) as pages.

Each `response` record is one input unit: an HTML page with HTTP status 200 becomes
`{"id": WARC-Record-ID, "url": WARC-Target-URI, "crawl_date": WARC-Date, "html": ...}`, the
same page a JSONL line would hold; any other response is a reject (`http_status`, `not_html`).
Request, metadata, warcinfo and revisit records are not pages and are skipped. A record cut
short (an archive that breaks off, a gzip member cut in the middle) is a `truncated_input`
reject and ends the file, as a truncated .gz of JSONL does.

The records are read with fastwarc (the `warc` extra); the HTTP head is parsed here, so the
WARC block's length can be checked against its Content-Length (fastwarc returns a cut
record's bytes without complaint).
"""

from __future__ import annotations

import zlib
from typing import Iterator

from .io import InputError, InputUnit
from .reject import RejectReason

WARC_SUFFIXES = (".warc", ".warc.gz")
HTML_TYPES = ("text/html", "application/xhtml+xml")


def is_warc(path: str) -> bool:
    return path.lower().endswith(WARC_SUFFIXES)


def require_reader(path: str) -> None:
    """Raise InputError when WARC input cannot be read here (checked before any output is opened)."""
    try:
        import fastwarc.warc  # noqa: F401
    except ImportError:
        raise InputError(f"cannot read {path}: WARC input needs fastwarc: pip install 'corpus-cleaner[warc]'") from None


def read_warc(path: str) -> Iterator[InputUnit]:
    """One input unit per response record of the archive at `path`, in order."""
    require_reader(path)
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    try:
        stream = open(path, "rb")
    except OSError as exc:
        raise InputError(f"cannot open {path}: {exc.strerror or exc}") from None
    number = 0
    with stream:
        records = ArchiveIterator(stream, record_types=WarcRecordType.response, parse_http=False)
        try:
            for record in records:
                number += 1
                block = record.reader.read()
                if len(block) < record.content_length:
                    yield InputUnit(path, number, page=_warc_fields(record.headers), error=f"{path}: the input breaks off in record {number} "
                               f"({record.headers.get('WARC-Target-URI')}): {len(block):,} of {record.content_length:,} bytes")
                    return
                yield response_line(path, number, record.headers, block)
        except OSError as exc:  # a gzip member that is not gzip, a WARC head that does not parse
            if number == 0:
                raise InputError(f"cannot read {path}: not a WARC file ({exc})") from None
            yield InputUnit(path, number + 1, error=f"{path}: the input breaks off after record {number}: {exc}")
            return
    if number == 0 and _not_a_warc(path):
        raise InputError(f"cannot read {path}: not a WARC file")


def response_line(path: str, number: int, warc_headers, block: bytes) -> InputUnit:
    """A WARC response record's block (HTTP head and body) -> a page, or a reject with its reason."""
    page = _warc_fields(warc_headers)
    try:
        status, headers, body = parse_http(block)
    except ValueError as exc:
        return InputUnit(path, number, page=page, reason=RejectReason.BAD_HTTP, error=f"record {number}: {exc}")
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    if status != 200:
        return InputUnit(path, number, page=page, reason=RejectReason.HTTP_STATUS, error=f"HTTP status {status}")
    if content_type not in HTML_TYPES:
        return InputUnit(path, number, page=page, reason=RejectReason.NOT_HTML, error=f"content type {content_type or '(none)'}")
    try:
        body = decode_body(body, headers)
    except (ValueError, OSError, EOFError, zlib.error) as exc:
        return InputUnit(path, number, page=page, reason=RejectReason.BAD_HTTP, error=f"record {number}: the body does not decode: {exc}")
    from .html import decode_html

    return InputUnit(path, number, page={**page, "html": decode_html(body)})


def _warc_fields(warc_headers) -> dict:
    return {"id": warc_headers.get("WARC-Record-ID"), "url": warc_headers.get("WARC-Target-URI"),
            "crawl_date": warc_headers.get("WARC-Date")}


def parse_http(block: bytes) -> tuple[int, dict[str, str], bytes]:
    """(status, headers with lower-case names, body) of an HTTP response as a WARC block holds it."""
    end = block.find(b"\r\n\r\n")
    head, body = (block[:end], block[end + 4:]) if end >= 0 else block.partition(b"\n\n")[::2]
    lines = head.decode("latin-1").splitlines()
    parts = lines[0].split(None, 2) if lines else []
    if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
        raise ValueError(f"not an HTTP response: {lines[0][:80] if lines else '(empty)'!r}")
    headers = {}
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if colon:
            headers[name.strip().lower()] = value.strip()
    return int(parts[1]), headers, body


def decode_body(body: bytes, headers: dict[str, str]) -> bytes:
    """Undo the transfer and content encodings a crawler kept (Common Crawl stores bodies decoded
    and renames these headers, so there they are absent)."""
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = _dechunk(body)
    encoding = headers.get("content-encoding", "").strip().lower()
    if encoding in ("gzip", "x-gzip"):
        import gzip  # here: every run checks its inputs' names with this module, few read a WARC

        return gzip.decompress(body)
    if encoding == "deflate":
        try:
            return zlib.decompress(body)
        except zlib.error:
            return zlib.decompress(body, -zlib.MAX_WBITS)  # raw deflate, as some servers send it
    if encoding == "br":
        import brotli  # a dependency of fastwarc

        return brotli.decompress(body)
    return body


def _dechunk(body: bytes) -> bytes:
    out, pos = [], 0
    while True:
        end = body.find(b"\r\n", pos)
        if end < 0:
            raise ValueError("chunked body breaks off")
        size = int(body[pos:end].split(b";")[0] or b"0", 16)
        if size == 0:
            return b"".join(out)
        out.append(body[end + 2:end + 2 + size])
        pos = end + 2 + size + 2


def _not_a_warc(path: str) -> bool:
    import gzip

    with open(path, "rb") as fh:
        compressed = fh.read(2) == b"\x1f\x8b"
    try:
        with (gzip.open if compressed else open)(path, "rb") as fh:
            start = fh.read(5)
    except (OSError, EOFError):
        return True
    return start not in (b"", b"WARC/")  # an empty archive is an empty input
