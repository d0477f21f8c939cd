"""HTML input: the selector route and the trafilatura route of every pack, metadata, broken pages."""

import html as H
import json

import pytest

from cleaner import Cleaner, Options
from conftest import FIXTURES, read_jsonl, write_jsonl

IDN_PAGE = FIXTURES / "html" / "idntimes-2021-kisah-inspiratif.html"
SEEDS = read_jsonl(FIXTURES / "seeds.jsonl")
EXPECTED = {row["id"]: row for row in read_jsonl(FIXTURES / "seeds.expected.jsonl")}
# each pack's body container as its [html] section names it; a plain <article> makes the selectors miss
CONTAINERS = {
    "idntimes": '<article id="article-content">{}</article>',
    "tribunnews": '<div class="side-article txt-article">{}<p class="baca">Baca juga: Judul lain</p></div>',
    "medcom": '<div class="text">{}</div>',
    "tempo": '<div id="isi">{}</div>',
}
MISSING = '<div class="redesigned"><article class="post">{}</article></div>'


def seed_as_html(seed, expected, container):
    paragraphs = "".join(f"<p>{H.escape(line)}</p>" for line in seed["text"].splitlines() if line.strip())
    title = H.escape(expected["title"])
    return (f'<html><head><meta charset="utf-8"><meta property="og:title" content="{title}"></head>'
            f"<body><nav><a href='/'>Home</a></nav><h1>{title}</h1>{container.format(paragraphs)}"
            f"<footer>Copyright 2025</footer></body></html>")


@pytest.mark.parametrize("route", ["selectors", "trafilatura"])
@pytest.mark.parametrize("seed", SEEDS, ids=[s["id"] for s in SEEDS])
def test_seed_pages_as_html_come_out_as_clean_as_text(cleaner, seed, route):
    expected = EXPECTED[seed["id"]]
    container = CONTAINERS[expected["site"]] if route == "selectors" else MISSING
    record, reject = cleaner.clean({"id": seed["id"], "html": seed_as_html(seed, expected, container)})
    assert reject is None, reject["reject"]
    assert record["text"] == expected["text"]
    assert record["title"] == expected["title"]
    assert record["site"] == expected["site"]
    prefix = "html" if route == "selectors" else "trafilatura"
    assert record["cleaner"]["method"] == f"{prefix}+rules:{expected['site']}"


def idn_record(cleaner, html):
    record, reject = cleaner.clean({"id": "idn", "html": html})
    assert reject is None, reject and reject["reject"]
    return record


def test_the_real_idntimes_page_golden(cleaner):
    from cleaner.html import decode_html

    record = idn_record(cleaner, decode_html(IDN_PAGE.read_bytes()))
    expected = json.loads((FIXTURES / "html" / "idntimes-2021-kisah-inspiratif.expected.json").read_text(encoding="utf-8"))
    for field in ("url", "title", "text", "author", "date", "site", "lang"):
        assert record[field] == expected[field], field
    lines = record["text"].splitlines()
    headings = [line for line in lines if line[:2] in ("1.", "2.", "3.", "4.")]
    assert len(lines) == 33 and len(headings) == 4
    assert record["cleaner"]["method"] == "html+rules:idntimes"
    for junk in ("Baca Juga", "Editor’s picks", "googletag", "Lanjutkan membaca", "Bisnis cetak kartu vaksinasi Dapur Pro"):
        assert junk not in record["text"]


def test_the_real_idntimes_page_through_trafilatura_when_the_layout_changes(cleaner):
    from cleaner.html import decode_html

    page = decode_html(IDN_PAGE.read_bytes())
    by_selectors = idn_record(cleaner, page)
    by_trafilatura = idn_record(cleaner, page.replace('id="article-content"', 'id="article-body-2025"'))
    assert by_trafilatura["cleaner"]["method"] == "trafilatura+rules:idntimes"
    assert by_trafilatura["text"] == by_selectors["text"]


def test_unknown_site_goes_through_trafilatura_and_the_generic_rules(cleaner):
    story = ["Pemerintah kota mulai memperbaiki jalan yang rusak akibat banjir pekan lalu di kawasan utara.",
             "Baca juga: Banjir Rendam Ratusan Rumah di Kawasan Utara",
             "Kepala dinas mengatakan perbaikan ditargetkan selesai dalam dua minggu ke depan bila cuaca mendukung.",
             "Warga berharap perbaikan juga menyentuh saluran air yang selama ini tersumbat sampah rumah tangga.",
             "ADVERTISEMENT",
             "Dana perbaikan berasal dari anggaran tanggap darurat yang sudah disetujui dewan kota bulan ini."]
    page = ("<html><head><title>Jalan Rusak Diperbaiki</title><meta property='article:published_time' "
            "content='2025-06-09T10:00:00+07:00'><link rel='canonical' href='https://kabarkota.example/jalan'></head>"
            "<body><article>" + "".join(f"<p>{line}</p>" for line in story) + "</article></body></html>")
    record, reject = cleaner.clean({"html": page})
    assert reject is None
    assert record["cleaner"]["method"] == "trafilatura+generic-text"
    assert record["site"] is None and record["url"] == "https://kabarkota.example/jalan"
    assert record["date"] == "2025-06-09T10:00:00+07:00"
    assert record["text"].splitlines() == [story[0], story[2], story[3], story[5]]


def test_a_few_nul_bytes_between_tags_are_padding_not_a_binary_file():
    page = IDN_PAGE.read_text(encoding="utf-8")
    padded = page.replace("</p>", "</p>\x00", 5)  # 5 NULs in a page of tens of thousands of characters
    cleaner = Cleaner(Options(languages=()))
    record, reject = cleaner.clean({"id": "padded", "html": padded})
    assert reject is None
    assert record["text"] == cleaner.clean({"id": "clean", "html": page})[0]["text"]
    many = "<html><body><p>" + "kata " * 50 + "\x00" * 10 + "</p></body></html>"  # one NUL in 26 characters
    assert cleaner.clean({"id": "binary", "html": many})[1]["reject"]["reason"] == "binary_content"


def test_broken_pages_are_rejects_and_the_stream_goes_on(run_cli, tmp_path):
    good = IDN_PAGE.read_text(encoding="utf-8")
    rows = [
        {"id": "nul", "html": "<html><body><p>a\x00b</p></body></html>"},
        {"id": "empty", "html": "   "},
        {"id": "no-text", "html": "<html><body><div><img src='x.png'></div></body></html>"},
        {"id": "garbage", "html": "<<<>>>&&&;;;"},
        {"id": "deep", "html": "<div>" * 5000 + "kata " * 10 + "</div>" * 5000},
        {"id": "good", "html": good},
    ]
    src = write_jsonl(tmp_path / "broken.jsonl", rows)
    rejects = tmp_path / "rejects.jsonl"
    result = run_cli(src, "--rejects", rejects, "--no-progress")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    written = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    rejected = {r["id"]: r["reject"]["reason"] for r in read_jsonl(rejects)}
    assert written == ["good"]
    assert len(written) + len(rejected) == len(rows)
    assert rejected["nul"] == "binary_content" and rejected["empty"] == "no_content"
    assert set(rejected.values()) <= {"bad_html", "binary_content", "no_content", "empty_after_cleaning", "too_short"}


def test_a_slow_page_is_a_timeout_reject():
    cleaner = Cleaner(Options(timeout=0.001))
    page = "<html><body>" + "<div><p>Kalimat panjang di sini untuk diuji.</p></div>" * 20000 + "</body></html>"
    record, reject = cleaner.clean({"id": "slow", "html": page})
    assert record is None and reject["reject"]["reason"] == "timeout"


def test_raw_html_file_with_a_declared_charset(run_cli, tmp_path):
    page = IDN_PAGE.read_text(encoding="utf-8").replace("<head>", '<head><meta charset="windows-1252">', 1)
    path = tmp_path / "page.html"
    path.write_bytes(page.encode("cp1252", errors="replace"))
    result = run_cli(path, "--no-progress")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["id"] == "page.html" and record["site"] == "idntimes"
    assert "“Jadi manfaatnya" in record["text"]  # curly quotes decoded from cp1252 bytes
