"""Crawl archives read directly: WARC files written here (by warcio, not by the reader's library)
from real pages give the same records as the same pages given as JSONL."""

import gzip
import io
import json

import pytest

from conftest import FIXTURES, read_jsonl, write_jsonl

warcio = pytest.importorskip("warcio")
pytest.importorskip("fastwarc")
from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

CRAWL_DATE = "2024-03-01T10:00:00Z"


def real_pages():
    """(url, HTML bytes) of the real pages in fixtures: the IDN Times page and the generic-path pages."""
    pages = [("https://www.idntimes.com/life/inspiration/kisah-inspiratif",
              (FIXTURES / "html" / "idntimes-2021-kisah-inspiratif.html").read_bytes())]
    for path in sorted((FIXTURES / "real" / "html-id").glob("*.html.gz")):
        pages.append((f"https://news.example.id/{path.name[:-8]}", gzip.decompress(path.read_bytes())))
    return pages


def write_warc(path, responses, compress=True):
    """A crawler's archive: warcinfo, then per page a request and a response record. `responses`
    holds (url, status, content_type, body, extra_headers). Returns the response records' ids."""
    ids = []
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=compress)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for url, status, content_type, body, extra in responses:
            writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
            http = StatusAndHeaders(status, [("Content-Type", content_type), *extra], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                               warc_headers_dict={"WARC-Date": CRAWL_DATE,  # as Common Crawl writes them
                                                                  "WARC-Identified-Payload-Type": content_type.split(";")[0]})
            ids.append(record.rec_headers.get_header("WARC-Record-ID"))
            writer.write_record(record)
    return ids


def html_responses():
    return [(url, "200 OK", "text/html; charset=UTF-8", body, []) for url, body in real_pages()]


@pytest.mark.parametrize("compress", [True, False], ids=["warc.gz", "warc"])
def test_a_warc_gives_the_records_of_the_same_pages_as_jsonl(run_cli, tmp_path, compress):
    warc = tmp_path / ("crawl.warc.gz" if compress else "crawl.warc")
    ids = write_warc(warc, html_responses(), compress)
    jsonl = write_jsonl(tmp_path / "crawl.jsonl", [
        {"id": id_, "url": url, "crawl_date": CRAWL_DATE, "html": body.decode("utf-8")}
        for id_, (url, body) in zip(ids, real_pages())])
    for src, name in ((warc, "from-warc"), (jsonl, "from-jsonl")):
        result = run_cli(src, "-o", tmp_path / f"{name}.jsonl", "--rejects", tmp_path / f"{name}.rejects.jsonl", "-w", "1")
        assert result.returncode == 0, result.stderr
    assert (tmp_path / "from-warc.jsonl").read_bytes() == (tmp_path / "from-jsonl.jsonl").read_bytes()
    if compress:  # worker processes give the same bytes
        assert run_cli(warc, "-o", tmp_path / "w2.jsonl", "-w", "2", "-q").returncode == 0
        assert (tmp_path / "w2.jsonl").read_bytes() == (tmp_path / "from-jsonl.jsonl").read_bytes()
    assert (tmp_path / "from-warc.rejects.jsonl").read_bytes() == (tmp_path / "from-jsonl.rejects.jsonl").read_bytes()
    records = read_jsonl(tmp_path / "from-warc.jsonl")
    rejects = read_jsonl(tmp_path / "from-warc.rejects.jsonl")
    assert len(records) + len(rejects) == len(ids) == 12  # one unit per response; warcinfo and requests are not pages
    first = records[0]
    assert first["id"] == ids[0] and first["id"].startswith("<urn:uuid:")
    assert first["url"] == "https://www.idntimes.com/life/inspiration/kisah-inspiratif"
    assert first["crawl_date"] == CRAWL_DATE and first["site"] == "idntimes"
    assert first["cleaner"]["method"] == "html+rules:idntimes"


def test_responses_that_are_not_pages_are_rejects_with_a_reason(run_cli, tmp_path):
    url, body = real_pages()[1]
    chunked_gzip = gzip.compress(body)
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in
                       (chunked_gzip[:1000], chunked_gzip[1000:])) + b"0\r\n\r\n"
    responses = [
        (url, "200 OK", "text/html", body, []),
        ("https://news.example.id/gone", "404 Not Found", "text/html", b"<html><body>Not found</body></html>", []),
        ("https://news.example.id/moved", "301 Moved Permanently", "text/html", b"", [("Location", "/new")]),
        ("https://news.example.id/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n", []),
        ("https://news.example.id/feed", "200 OK", "application/json", b"{}", []),
        (url + "?encoded", "200 OK", "text/html", chunked, [("Transfer-Encoding", "chunked"), ("Content-Encoding", "gzip")]),
    ]
    warc = tmp_path / "crawl.warc.gz"
    ids = write_warc(warc, responses)
    result = run_cli(warc, "-o", tmp_path / "out.jsonl", "--rejects", tmp_path / "rejects.jsonl", "-w", "1",
                     "--stats", tmp_path / "stats.json")
    assert result.returncode == 0, result.stderr
    records = read_jsonl(tmp_path / "out.jsonl")
    rejects = read_jsonl(tmp_path / "rejects.jsonl")
    assert [r["url"] for r in records] == [url, url + "?encoded"]
    assert records[0]["text"] == records[1]["text"]  # the chunked, gzip-encoded body decoded to the same page
    assert [(r["id"], r["url"], r["crawl_date"], r["reject"]) for r in rejects] == [
        (ids[1], "https://news.example.id/gone", CRAWL_DATE, {"reason": "http_status", "detail": "HTTP status 404"}),
        (ids[2], "https://news.example.id/moved", CRAWL_DATE, {"reason": "http_status", "detail": "HTTP status 301"}),
        (ids[3], "https://news.example.id/logo.png", CRAWL_DATE, {"reason": "not_html", "detail": "content type image/png"}),
        (ids[4], "https://news.example.id/feed", CRAWL_DATE, {"reason": "not_html", "detail": "content type application/json"}),
    ]
    stats = json.loads((tmp_path / "stats.json").read_text())
    assert stats["read"] == 6 and stats["written"] == 2
    assert stats["rejected"] == 4 and stats["rejected_by_reason"] == {"http_status": 2, "not_html": 2}


def test_an_archive_cut_in_the_middle_of_a_gzip_member(run_cli, tmp_path):
    """The records before the cut are cleaned, the cut record is one `truncated_input` reject, the next file goes on."""
    whole = tmp_path / "whole.warc.gz"
    write_warc(whole, html_responses())
    data = whole.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[:len(data) // 2])  # half-way: inside some record's gzip member
    result = run_cli(cut, whole, "-o", tmp_path / "out.jsonl", "--rejects", tmp_path / "rejects.jsonl", "-w", "1")
    assert result.returncode == 0, result.stderr
    records = read_jsonl(tmp_path / "out.jsonl")
    rejects = read_jsonl(tmp_path / "rejects.jsonl")
    truncated = [r for r in rejects if r["reject"]["reason"] == "truncated_input"]
    assert len(truncated) == 1
    detail = truncated[0]["reject"]["detail"]
    assert detail.startswith(f"{cut}: the input breaks off in record ") and " bytes" in detail
    cut_at = int(detail.split("in record ")[1].split()[0])
    assert 1 < cut_at < 12
    assert truncated[0]["url"] == html_responses()[cut_at - 1][0]
    assert len(records) + len(rejects) == (cut_at - 1) + 1 + 12  # before the cut, the cut, the whole next file
    assert records[-1]["url"] == real_pages()[-1][0]  # the next file was read to its end


def test_a_file_that_is_not_a_warc_stops_the_run(run_cli, tmp_path):
    fake = tmp_path / "crawl.warc.gz"
    fake.write_bytes(gzip.compress(b'{"text": "not a crawl archive"}\n'))
    result = run_cli(fake)
    assert result.returncode == 1
    assert result.stderr == f"Error: cannot read {fake}: not a WARC file (Invalid WARC header)\n"
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_without_fastwarc_a_warc_input_stops_before_any_output(tmp_path):
    """Without the warc extra: one line naming it, exit 1, and no output file opened."""
    import subprocess
    import sys

    warc = tmp_path / "crawl.warc.gz"
    write_warc(warc, html_responses()[:1])
    out = tmp_path / "out.jsonl"
    no_fastwarc = ("import sys; sys.modules['fastwarc'] = sys.modules['fastwarc.warc'] = None; "
                   "from cleaner.cli import main; main()")
    result = subprocess.run([sys.executable, "-c", no_fastwarc, str(warc), "-o", str(out)], capture_output=True,
                            text=True, cwd=tmp_path, timeout=120)
    assert result.returncode == 1
    assert result.stderr == f"Error: cannot read {warc}: WARC input needs fastwarc: pip install 'corpus-cleaner[warc]'\n"
    assert not out.exists()
