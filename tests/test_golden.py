"""The five seed pages against their hand-written expected output, field by field."""

import json

import pytest

from conftest import FIXTURES, read_jsonl

SEEDS = read_jsonl(FIXTURES / "seeds.jsonl")
EXPECTED = {row["id"]: row for row in read_jsonl(FIXTURES / "seeds.expected.jsonl")}
FIELDS = ("id", "url", "title", "text", "author", "editor", "date", "site", "lang")
URLS = {
    "idntimes": "https://www.idntimes.com/news/world/putin-bertemu-menlu-korea-utara",
    "tribunnews": "https://www.tribunnews.com/internasional/2025/10/28/putin-bertemu-menlu-korea-utara",
    "medcom": "https://www.medcom.id/internasional/dunia/apresiasi-persahabatan",
    "tempo": "https://dunia.tempo.co/read/putin-kunjungi-korea-utara",
}


def clean_all(cleaner, pages):
    out = []
    for page in pages:
        record, reject = cleaner.clean(page)
        assert reject is None, reject["reject"]
        out.append(record)
    return out


@pytest.mark.parametrize("page", SEEDS, ids=[p["id"] for p in SEEDS])
def test_seed_matches_the_standard(cleaner, page):
    record, reject = cleaner.clean(page)
    assert reject is None
    expected = EXPECTED[page["id"]]
    for field in FIELDS:
        assert record[field] == expected[field], field
    assert record["cleaner"]["method"] == f"rules:{expected['site']}"
    assert 0.5 < record["lang_score"] <= 1.0


def test_seed_output_is_stable_under_urls_crlf_and_blank_lines(cleaner):
    plain = clean_all(cleaner, SEEDS)
    with_urls = clean_all(cleaner, [{**p, "url": URLS[e["site"]]} for p, e in zip(SEEDS, EXPECTED.values())])
    crlf = clean_all(cleaner, [{**p, "text": p["text"].replace("\n", "\r\n")} for p in SEEDS])
    blank = clean_all(cleaner, [{**p, "text": "\n\n" + p["text"].replace("\n", "\n\n \n") + "\n\n"} for p in SEEDS])
    for a, b, c, d in zip(plain, with_urls, crlf, blank):
        assert {**b, "url": None} == a
        assert c == a
        assert d == a


def test_removed_counts_add_up(cleaner):
    for page in SEEDS:
        record, _ = cleaner.clean(page)
        lines = [line for line in page["text"].splitlines() if line.strip()]
        kept = record["text"].count("\n") + 1
        removed = sum(record["cleaner"]["removed"].values())
        moved = sum(record["cleaner"]["moved"].values())  # headline, byline, date lines: now fields
        assert kept + removed + moved == len(lines), page["id"]


def test_no_boilerplate_line_survives(cleaner):
    import re

    bad = re.compile(
        r"baca juga|^iklan$|scroll untuk melanjutkan|rekomendasi artikel|lupa kata sandi|disclaimer: this summary"
        r"|ringkasan berita|isi komentar|cek berita dan artikel|google news|^\(wil\)$|^\|", re.I | re.M)
    for record in clean_all(cleaner, SEEDS):
        assert not bad.search(record["text"]), record["id"]
        assert json.dumps(record, ensure_ascii=False)


@pytest.mark.parametrize("keep_html", [False, True])
def test_a_record_carries_the_input_fields_it_does_not_make_and_sorted_counts(keep_html):
    """Our fields first; then every input field but text, url, id (and html unless kept), as it
    was, in its order; removed and moved line counts sorted by category, the moved ones being
    the fields' own (title, author, editor, date)."""
    from cleaner.pipeline import Cleaner, Options
    from cleaner.rulepack import FIELD_NAMES

    cleaner = Cleaner(Options(keep_html=keep_html, text_field="body", url_field="link", id_field="key"))
    ours = ["id", "url", "title", "text", "author", "editor", "date", "site", "lang", "lang_score", "cleaner"]
    for seed in SEEDS:
        page = {"zeta": [1], "key": seed["id"], "html": "<p>x</p>", "link": URLS["tempo"], "body": seed["text"],
                "text": "not the text field", "url": "not the url field", "alpha": {"b": None}}
        record, reject = cleaner.clean(page)
        assert reject is None, reject
        assert list(record) == ours + ["zeta"] + (["html"] if keep_html else []) + ["alpha"]
        assert record["zeta"] == [1] and record["alpha"] == {"b": None} and record["id"] == seed["id"]
        assert record["text"] != "not the text field" and record["url"] == URLS["tempo"]
        removed, moved = record["cleaner"]["removed"], record["cleaner"]["moved"]
        assert list(removed) == sorted(removed) and not set(removed) & set(FIELD_NAMES)
        assert list(moved) == sorted(moved) and set(moved) <= set(FIELD_NAMES)
        assert all(n > 0 for n in {**removed, **moved}.values())
