"""Cleaning a batch (`Cleaner.clean_many`, what the CLI does per chunk) gives each page exactly
what cleaning it alone gives, in order, rejects included."""

import signal
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.pipeline import Cleaner, Options, clean_records
from conftest import FIXTURES, read_jsonl


def test_a_batch_is_cleaned_as_its_pages_one_by_one():
    pages = read_jsonl(FIXTURES / "seeds.jsonl") + read_jsonl(FIXTURES / "indonews_sample.jsonl")
    pages[3:3] = [["not", "a", "page"], {"id": "empty", "text": ""}, {"id": "short", "text": "Terlalu pendek."}]
    cleaner = Cleaner(Options())
    alone = [cleaner.clean(page) for page in pages]
    assert cleaner.clean_many(pages) == alone
    assert clean_records(pages) == alone
    assert [r["reject"]["reason"] for _, r in alone[3:6]] == ["not_an_object", "no_content", "too_short"]
    assert sum(1 for record, _ in alone if record) > 40


def test_each_page_of_a_batch_has_its_own_time_limit():
    """A page past its limit is a `timeout` reject; the pages before and after it in the same
    batch (one alarm handler for all of them) are cleaned as they are alone."""
    pages = read_jsonl(FIXTURES / "indonews_sample.jsonl")[:6]
    # ~3 s on the 2026 dev machine, 10x the limit: still well past it on a machine 5x faster; the
    # limit leaves a normal page (~10 ms) room on a machine loaded several times over
    slow = {"id": "slow", "text": "\n".join(f"{p['text']}\nBaris {i}" for i, p in enumerate(pages * 2100))}
    alone = [Cleaner(Options(timeout=0)).clean(page) for page in pages]
    cleaner = Cleaner(Options(timeout=0.3))
    cleaner.clean(pages[0])  # the model and packs are loaded outside the batch's limits
    previous = signal.getsignal(signal.SIGALRM)
    start = time.monotonic()
    done = cleaner.clean_many(pages[:3] + [slow] + pages[3:])
    assert time.monotonic() - start < 2.5
    assert done[3][0] is None and done[3][1]["reject"] == {"reason": "timeout", "detail": "cleaning took longer than 0.3 s"}
    assert done[:3] + done[4:] == alone and all(record for record, _ in alone)
    assert signal.getsignal(signal.SIGALRM) is previous and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_json_lines_escape_c1_and_del_whatever_else_the_line_holds():
    """`dumps` writes DEL and C1 controls as \\u escapes on an ASCII line (the quick path), a
    Latin-1 line and a line with wider characters alike; a line without them is json.dumps's."""
    import json

    from cleaner.io import dumps

    for text, written in [("a\x7fb", "a\\u007fb"), ("caf\xe9\x85", "caf\xe9\\u0085"), ("“x”\x9b\x7f", "“x”\\u009b\\u007f"),
                          ("plain ascii", "plain ascii"), ("“kutipan” é", "“kutipan” é")]:
        assert dumps({"t": text}) == '{"t":"' + written + '"}\n'
        assert json.loads(dumps({"t": text})) == {"t": text}
    record = {"id": "a", "text": "“x” é\n\tb", "n": 1.5, "none": None, "nested": {"k": [1, "é", True]}}
    assert dumps(record) == json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
    with pytest.raises(ValueError):
        dumps({"x": float("nan")})


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5) | st.integers() | st.booleans(), inner, max_size=4),
    max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=6))
def test_dumps_is_json_dumps_with_its_options(record):
    import json

    from cleaner.io import dumps, escape_c1

    assert dumps(record) == escape_c1(json.dumps(record, ensure_ascii=False, separators=(",", ":"), allow_nan=False)) + "\n"


def test_dumps_refuses_what_json_dumps_refuses_with_its_words():
    import json

    from cleaner.io import dumps

    circular: dict = {"id": "x"}
    circular["self"] = [circular]
    for bad in ({"x": float("inf")}, circular, {"x": object()}, {(1, 2): "tuple key"}):
        with pytest.raises((ValueError, TypeError)) as ours:
            dumps(bad)
        with pytest.raises((ValueError, TypeError)) as theirs:
            json.dumps(bad, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        assert (type(ours.value), str(ours.value)) == (type(theirs.value), str(theirs.value))
    assert dumps({"a": 1}) == '{"a":1}\n'  # a refused record leaves nothing behind for the next one


def test_a_chunk_ends_at_its_line_count_or_at_its_bytes():
    """A task (a worker's, or -w 1's batch) is CHUNK lines, or fewer once it holds CHUNK_BYTES
    of input."""
    from cleaner.io import InputUnit
    from cleaner.parallel import CHUNK, CHUNK_BYTES, _chunk

    source = iter([InputUnit("t", i, raw="x" * 100 + "\n") for i in range(1, 1001)])
    assert [len(_chunk(source)), len(_chunk(source, 10))] == [CHUNK, 10] and CHUNK == 256
    assert _chunk(source)[0].number == CHUNK + 10 + 1
    large = iter([InputUnit("t", i, raw="x" * (CHUNK_BYTES // 4)) for i in range(1, 11)])
    assert len(_chunk(large)) == 4


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="[]{}\"ab\u00e9\u201c", max_size=40), st.integers(0, 12))
def test_the_bracket_count_before_the_nesting_check_is_str_count(raw, limit):
    from cleaner.io import _brackets_at_most

    assert _brackets_at_most(raw, limit) == (raw.count("[") + raw.count("{") <= limit)


def test_only_text_that_is_all_whitespace_is_no_content():
    cleaner = Cleaner(Options())
    for blank in ("", " ", "\u3000\n\t\x1c\x85"):
        record, rejected = cleaner.clean({"id": "x", "text": blank})
        assert rejected["reject"]["reason"] == "no_content" and blank.strip() == ""
    record, rejected = cleaner.clean({"id": "x", "text": "\u200b"})  # not whitespace: content, then nothing left
    assert rejected["reject"]["reason"] == "empty_after_cleaning"


def _decoded_or_error(decode, raw):
    import json

    try:
        return "value", decode(raw)
    except json.JSONDecodeError as exc:
        return "JSONDecodeError", exc.msg, exc.pos
    except (ValueError, RecursionError) as exc:
        return type(exc).__name__, str(exc)


JSON_LINE_PIECES = ['{"a":1}', "{", "}", "[", "]", '"x"', ":", ",", " ", "\n", "\r", "\t", "NaN", "1e400", "1.5", "-0",
                    '"\\ud800"', '"é“', "null", "x", "\\",
                    # what orjson reads otherwise than json (a float for an integer beyond 64 bits) or not at all
                    "18446744073709551616", "-9223372036854775809", "18446744073709551615", "1e-05", "01", "\f",
                    "\ufeff", '"\\ud83d\\ude00"', '"\\ude00\\ud83d"', "true", "[[[[", '{"a":1,"a":2}']


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(JSON_LINE_PIECES), max_size=12))
def test_reading_a_json_line_is_the_decoders_decode(pieces):
    """`decode_json` (json's scanner called directly on `{...}\\n`) gives what the strict decoder's
    `decode` gives, value or error, on every line: the fixtures' and made-up ones, whole, cut
    short, padded, with data after them."""
    import json

    from cleaner.io import _DECODER, decode_json

    lines = [path.read_text(encoding="utf-8").splitlines(True) for path in (FIXTURES / "seeds.jsonl",
                                                                         FIXTURES / "indonews_sample.jsonl")]
    made = "".join(pieces)
    for raw in [made, '{"a": ' + made, made + "\n", "{" + made + "}\n", lines[0][0], lines[1][0]]:
        for variant in (raw, raw.rstrip("\n"), " " + raw, raw + " ", raw + "x", raw + "\n", raw + "\r\n", raw[:len(raw) // 2]):
            assert _decoded_or_error(decode_json, variant) == _decoded_or_error(_DECODER.decode, variant)
    assert _decoded_or_error(decode_json, '{"a": [1, }\n') == ("JSONDecodeError", "Expecting value", 10)
    assert _decoded_or_error(decode_json, '{"a": 1} {"b": 2}\n') == ("JSONDecodeError", "Extra data", 9)
    assert json.loads(lines[1][0]) == decode_json(lines[1][0])


def test_every_fixture_line_reads_as_the_decoder_reads_it():
    from cleaner.io import _DECODER, decode_json

    for path in sorted(FIXTURES.glob("*.jsonl")):
        for raw in path.read_text(encoding="utf-8").splitlines(True):
            assert _decoded_or_error(decode_json, raw) == _decoded_or_error(_DECODER.decode, raw), (path.name, raw[:80])


@pytest.mark.parametrize("depth", [1, 2, 3, 499, 500, 501, 502, 1100])
def test_a_line_orjson_reads_is_known_not_to_nest_too_deeply(depth):
    """`InputUnit.parsed` counts no brackets in a line `_orjson_page` reads: it reads only lines
    nested at most MAX_JSON_DEPTH deep as `json_depth_exceeds` counts them, lists and objects."""
    import json

    from cleaner.io import MAX_JSON_DEPTH, InputUnit, _orjson_page, json_depth_exceeds

    for opening, closing in (("[", "]"), ('{"k": ', "}")):
        value = "1"
        for _ in range(depth - 1):
            value = opening + value + closing
        raw = '{"a": ' + value + "}\n"
        assert (_orjson_page(raw) is not None) == (not json_depth_exceeds(raw)) == (depth <= MAX_JSON_DEPTH)
        page, rejected = InputUnit("x", 1, raw=raw).parsed()
        if depth <= MAX_JSON_DEPTH:
            assert rejected is None and page == json.loads(raw)
        else:
            assert page is None and rejected["reject"]["detail"] == f"x line 1: nested more than {MAX_JSON_DEPTH} levels deep"


CHECKED_ALPHABET = "a\"\\\n\x00\x1f\x7f\x80\x85\x9f\xa0\xbf\xc2\xe9\u0100\u201c\ud800\udc00\udfff\U0001f600"


@settings(max_examples=800, deadline=None)
@given(st.dictionaries(st.text(alphabet=CHECKED_ALPHABET, max_size=6),
                       st.text(alphabet=CHECKED_ALPHABET, max_size=30) | st.lists(st.text(alphabet=CHECKED_ALPHABET, max_size=8), max_size=3),
                       max_size=4))
def test_a_checked_line_is_dumps_and_its_surrogate_search(record):
    """`dumps_checked` (a line that is not ASCII encoded to UTF-8 once, instead of two regex
    scans) gives `dumps`'s line and whether `SURROGATE` finds a lone surrogate in it, for
    records of C1 controls, DEL, the Latin-1 characters around them, wider ones and surrogates."""
    from cleaner.io import dumps, dumps_checked
    from cleaner.pipeline import SURROGATE

    line = dumps(record)
    assert dumps_checked(record) == (line, SURROGATE.search(line) is not None)
    _assert_encoded_as_written(record, line)


def _assert_encoded_as_written(record: dict, line: str) -> None:
    """`dumps_encoded` gives the line, or bytes: then the line as `Output.write` encodes it."""
    from cleaner.io import ENCODING, dumps_encoded

    encoded, surrogate = dumps_encoded(record)
    if type(encoded) is bytes:
        assert encoded == line.encode(*ENCODING) == line.encode("utf-8") and not surrogate
    else:
        assert encoded == line


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(min_value=-2 ** 70, max_value=2 ** 70)
    | st.floats() | st.text(alphabet=CHECKED_ALPHABET, max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(alphabet=CHECKED_ALPHABET, max_size=4), inner, max_size=3),
    max_leaves=8)


@settings(max_examples=800, deadline=None)
@given(st.dictionaries(st.text(alphabet=CHECKED_ALPHABET, max_size=6), JSON_VALUES, max_size=4))
def test_a_checked_line_of_any_json_values_is_dumps_or_its_error(record):
    """Numbers of every size and notation, NaN and infinities, nested lists and dicts: what orjson
    writes (`_plain_values`) is `dumps`'s line to the byte, and what it cannot write as json
    does goes the json way (the same line, or the same ValueError)."""
    from cleaner.io import dumps, dumps_checked
    from cleaner.pipeline import SURROGATE

    try:
        line = dumps(record)
    except ValueError as exc:  # NaN or an infinity: not JSON
        with pytest.raises(ValueError, match=str(exc)):
            dumps_checked(record)
        return
    assert dumps_checked(record) == (line, SURROGATE.search(line) is not None)
    _assert_encoded_as_written(record, line)


def test_orjson_writes_the_plain_records_and_json_the_rest():
    """orjson is installed with the project and passes its self-check; records it would write
    otherwise than json (a subclass, a tuple, a key that is not a string, an integer beyond 64
    bits, a float written with an exponent, a circular record) are written by json."""
    import enum

    from cleaner import io

    assert io._ORJSON_DUMPS is not None and io._ORJSON_LOADS is not None

    class Level(enum.IntEnum):
        HIGH = 3

    class Name(str):
        pass

    assert io._plain_values({"a": "x", "b": [1, None, True, {"c": 0.7508}], "d": 0.0}.values())
    for value in (Level.HIGH, Name("n"), ("t", 1), 1e-05, 1e16, float("nan"), float("inf"), b"x"):
        assert not io._plain_values({"v": value}.values()), value
        assert not io._plain_values({"v": [{"w": value}]}.values()), value
    for record in ({"v": Level.HIGH}, {"v": Name("n")}, {"v": ("t", 1)}, {1: "int key"}, {"v": 2 ** 64},
                   {"v": -2 ** 63 - 1}, {"v": 1e-05}, {"v": [1e22]}):
        assert io.dumps_checked(record) == (io.dumps(record), False), record
    circular: dict = {"a": 1}
    circular["self"] = circular
    with pytest.raises(ValueError, match="Circular reference"):
        io.dumps_checked(circular)


def test_the_fixture_records_are_checked_as_dumps_and_the_surrogate_search_check_them():
    from cleaner.io import dumps, dumps_checked
    from cleaner.pipeline import SURROGATE

    cleaner = Cleaner(Options())
    pages = read_jsonl(FIXTURES / "seeds.jsonl") + read_jsonl(FIXTURES / "indonews_sample.jsonl")
    records = [record for record, _ in map(cleaner.clean, pages) if record]
    records += [{**r, "note": extra} for r in records[:10] for extra in ("\x85", "\ud800", "\x7f", "\xa0", "é\ud83d")]
    checked = [dumps_checked(r) for r in records]
    assert checked == [(dumps(r), SURROGATE.search(dumps(r)) is not None) for r in records]
    assert sum(not line.isascii() for line, _ in checked) > 20 and sum(found for _, found in checked) == 20


def _units_of(path, limit, blocks):
    from cleaner.io import LineBlock, read_lines

    units = []
    for item in read_lines([str(path)], limit, blocks):
        units += item.units() if isinstance(item, LineBlock) else [item]
    return [(u.source, u.number, u.raw, u.page, u.error, u.reason) for u in units]


_BYTE_LINE = st.one_of(
    st.binary(max_size=30).map(lambda b: b.replace(b"\n", b"")),  # any bytes: invalid UTF-8 too
    st.text(max_size=20).map(lambda t: t.replace("\n", "").encode("utf-8", "surrogatepass")),
    st.sampled_from([b"", b" \t\r", b"\xef\xbb\xbf", b'{"a": "\xc3"}', b"\xe2\x82", b"\xf0\x9f\x98", b"x" * 40]))


@settings(max_examples=300, deadline=None)
@given(st.lists(_BYTE_LINE, max_size=25), st.booleans(), st.integers(1, 5), st.integers(1, 120))
def test_jsonl_lines_in_blocks_are_the_units_read_one_by_one(lines, final_lf, block_lines, block_bytes):
    """`read_lines(..., blocks)` (what the CLI sends to its workers) gives, once each LineBlock is
    decoded and split (`LineBlock.units`), the units `read_lines` gives line by line: the same
    numbers and text (invalid UTF-8 escaped the same way, a split multi-byte character at a
    line's end included), blank lines skipped, a first-line BOM dropped, a line past the limit
    (32 bytes here) a `too_large` reject between the blocks, a last line without LF kept."""
    import tempfile
    from pathlib import Path

    data = b"\n".join(lines) + (b"\n" if final_lf and lines else b"")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.jsonl"
        path.write_bytes(data)
        assert _units_of(path, 32, (block_lines, block_bytes)) == _units_of(path, 32, None)


def test_a_cut_gzip_in_blocks_gives_the_lines_before_the_cut_and_the_same_reject(tmp_path):
    import gzip

    from cleaner.io import LineBlock, read_lines

    lines = b"".join(b'{"id": "%d", "text": "%s"}\n' % (i, b"kata " * (i % 50)) for i in range(3000))
    data = gzip.compress(lines)
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(data[: len(data) // 2])
    by_line = _units_of(cut, 1 << 20, None)
    assert by_line[-1][4].startswith(f"{cut}: the input breaks off after line {len(by_line) - 1}:") and len(by_line) > 300
    assert _units_of(cut, 1 << 20, (256, 512 * 1024)) == by_line
    assert _units_of(cut, 1 << 20, (7, 100)) == by_line
    blocks = list(read_lines([str(cut)], 1 << 20, (256, 512 * 1024)))
    assert isinstance(blocks[0], LineBlock) and len(blocks[0].numbers) == 256


def test_a_chunk_cleaned_compact_is_its_lines_and_counts_one_by_one():
    """`DoneChunk` (a chunk's output as a worker sends it back) holds the chunk's output lines in
    order, records and rejects in runs, encoded as `Output.write` encodes them, and a Summary that
    `Summary.add_counts` adds to the same totals as `add_tally` of each line's tally."""
    import json

    from cleaner.io import InputUnit
    from cleaner.parallel import DoneChunk, clean_chunk
    from cleaner.stats import Summary

    pages = read_jsonl(FIXTURES / "seeds.jsonl") + read_jsonl(FIXTURES / "indonews_sample.jsonl")
    pages[3:3] = [["not", "a", "page"], {"id": "empty", "text": ""}, {"id": "short", "text": "Terlalu pendek."}]
    pages.append({"id": "bad\ud800", "text": pages[0]["text"]})  # written as an ASCII-escaped reject
    raws = [json.dumps(page) + "\n" for page in pages] + ["{not json\n", '{"id": "x", "text": 5}']
    units = [InputUnit("t", i, raw=raw) for i, raw in enumerate(raws, 1)]
    cleaner = Cleaner(Options())
    dones = clean_chunk(cleaner, units)
    one_by_one, compact = Summary(), Summary()
    for done in dones:
        one_by_one.add_tally(done.tally)
    halves = [DoneChunk(dones[:20]), DoneChunk(dones[20:])]
    for chunk in halves:
        compact.add_counts(chunk.counts)
    assert compact.to_dict() == one_by_one.to_dict() and one_by_one.rejects >= 6 and one_by_one.written > 40
    assert one_by_one.removed_by_site and compact.removed_by_site == one_by_one.removed_by_site
    runs = [run for chunk in halves for run in chunk.runs]
    assert [kept for kept, _ in runs] == [k for i, k in enumerate(d.kept for d in dones) if i in (0, 20) or k != dones[i - 1].kept]
    assert b"".join(data for _, data in runs) == "".join(d.json_line for d in dones).encode("utf-8", "replace")
    assert b"".join(data for kept, data in runs if kept) == "".join(d.json_line for d in dones if d.kept).encode()


def test_encoded_output_follows_the_text_written_before_it(tmp_path):
    from cleaner.io import Output

    out = Output(str(tmp_path / "o.jsonl"))
    out.write("a\n")
    out.write_encoded("é\n".encode())
    out.write("\ud800b\n")  # a lone surrogate: `replace`d, as write_encoded's bytes are made
    out.write_encoded(b"c\n")
    out.finish()
    out.commit()
    assert (tmp_path / "o.jsonl").read_bytes() == "a\né\n?b\nc\n".encode()


def test_the_last_chunks_in_pieces_are_the_same_units_in_order(tmp_path):
    """-w N hands the input's last chunks out in pieces (`_tail_in_pieces`, `LineBlock.pieces`):
    the same units in the same order, each piece at most TAIL_PIECE lines."""
    from cleaner.io import InputUnit, LineBlock, read_lines
    from cleaner.parallel import BLOCKS, TAIL_PIECE, _chunks, _tail_in_pieces, _units

    lines = [b'{"id": "%d", "text": "kata\xc3\xa9 %s"}' % (i, b"x" * (i % 97)) for i in range(700)]
    lines[5], lines[650] = b"  ", b"x" * 5000  # a blank line, and a line past the limit below
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join(lines))  # the last line without LF

    def units(chunks):
        return [(u.source, u.number, u.raw, u.error) for chunk in chunks for u in _units(chunk)]

    whole = list(_chunks(read_lines([str(path)], 4096, BLOCKS)))
    assert len(whole) == 3 and [len(b.numbers) for b in whole[0]] == [256]
    for held in (1, 2, 5):
        cut = list(_tail_in_pieces(_chunks(read_lines([str(path)], 4096, BLOCKS)), held))
        assert units(cut) == units(whole)
        assert [len(_units(c)) for c in cut[:max(0, 3 - held)]] == [len(_units(c)) for c in whole[:max(0, 3 - held)]]
        tail = cut[max(0, 3 - held):]
        assert all(len(c) == 1 and (len(c[0].numbers) <= TAIL_PIECE if isinstance(c[0], LineBlock) else True) for c in tail)
        assert any(isinstance(c[0], InputUnit) for c in tail) == (held >= 1)
    block = whole[0][0]
    assert [u.raw for p in block.pieces(7) for u in p.units()] == [u.raw for u in block.units()]
    assert len(units(whole)) == 699 and units(whole)[-1][2].endswith('"}')
