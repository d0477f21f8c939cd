"""The generic HTML path on real pages of sites without a pack (fixtures/html-id, hand-checked gold):
each failure kind of issue 13 on the page that showed it, and the pure helpers behind the fixes."""

import gzip
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Cleaner, Options
from cleaner.dates import parse_date
from cleaner.html import decode_html, parse_page
from cleaner.restore import BULLET, NON_WORD, _key, repeats_story, restore_story
from cleaner.rulepack import apply_pack
from cleaner.tables import readable_tables
from cleaner.titles import clean_author, clean_title
from conftest import FIXTURES, read_jsonl

PAGES = FIXTURES / "html-id"
GOLD = {row["id"]: row for row in read_jsonl(PAGES / "gold.jsonl")}
URLS = {row["id"]: row["url"] for row in read_jsonl(PAGES / "sources.jsonl")}


@pytest.fixture(scope="module")
def cleaner():
    return Cleaner(Options(languages=(), min_chars=0, min_words=0))


def clean(cleaner, name):
    page_id = next(i for i in GOLD if i.startswith(name))
    page = {"html": decode_html(gzip.decompress((PAGES / "pages" / f"{page_id}.gz").read_bytes()))}
    if URLS[page_id]:
        page["url"] = URLS[page_id]
    record, rejected = cleaner.clean(page)
    assert rejected is None
    return record, GOLD[page_id]


@pytest.mark.parametrize("name", sorted(GOLD))
def test_every_page_gets_its_headline_without_the_site_name(cleaner, name):
    record, gold = clean(cleaner, name)
    assert record["title"] == gold["title"]


@pytest.mark.parametrize("name", [
    "kompas-diancam",  # a related-stories box printed above the story; fast mode returned the whole page
    "okezone",  # a "BERITA LAINNYA" teaser list of nine headlines with their blurbs
    "detik",  # "BeritaTerbaru Index »" and "MustRead" lists with timestamps, contact lines
    "liputan6",  # a photo gallery: the story is its captions, the rest "Rate artikel ini", "Like (0)"
    "kompas-menteri",  # a layout table of byline rows and a photo caption above the lead
    "kapanlagi",  # a lead paragraph the precise extraction skips; a teaser list inside the story
    "republika-nxc",  # title "... | Republika Online"
])
def test_the_story_is_the_gold_paragraphs_exactly(cleaner, name):
    record, gold = clean(cleaner, name)
    assert record["text"].split("\n") == gold["paragraphs"]


def test_a_gallery_page_is_its_captions_without_credits(cleaner):
    record, gold = clean(cleaner, "liputan6")
    assert record["cleaner"]["method"] == "captions+generic-text"
    assert "(REUTERS / Danny Moloshok)" not in record["text"] and "Like (0)" not in record["text"]


def test_a_layout_table_of_bylines_becomes_the_author(cleaner):
    record, _ = clean(cleaner, "kompas-menteri")
    assert record["author"] == "Nabilla Tashandra"
    assert "|" not in record["text"]


def test_the_teaser_timestamp_is_not_the_date_but_the_page_stamp_is(cleaner):
    record, _ = clean(cleaner, "detik")
    assert record["date"] == "2016-02-23T15:32:00+07:00"


def test_a_related_box_above_the_story_takes_only_its_headlines(cleaner):
    story = [f"Kalimat cerita nomor {n} ini cukup panjang untuk dihitung sebagai paragraf berita yang utuh." for n in range(4)]
    box = ["Berita Terkait", "Judul berita lain pertama", "Judul berita lain kedua"]
    tail = ["Berita Terkait", "Judul di bawah cerita", "Satu kalimat penutup kotak yang cukup panjang juga untuk dihitung."]
    generic = cleaner.packs["generic"]
    assert apply_pack(generic, [*box, *story, *tail]).lines == story  # a box at the top
    assert apply_pack(generic, [story[0], *box, *story[1:], *tail]).lines == story  # a box after the lead


def test_tables_become_lines_a_reader_can_use():
    rows = ["Intro.", "| Penulis | : Nabilla Tashandra |", "| Editor | : Bayu Galih |", "Between.",
            "| Name | Age |", "|---|---|", "| Ann Lee | 31 |", "| | |", "Gap.",
            "| 1 | 2 | 3 |", "| 4 | 5 | 6 |", "Gap.", "| Headline of a linked story |", "| A sentence in a cell. |"]
    assert readable_tables(rows) == [
        "Intro.", "Penulis: Nabilla Tashandra", "Editor: Bayu Galih", "Between.", "Name: Ann Lee; Age: 31", "Gap.",
        "Gap.", "| Headline of a linked story |", "A sentence in a cell."]


@pytest.mark.parametrize("candidates, sitename, url, title", [
    (["Diancam Lewat Dunia Maya - Kompas.com"], "KOMPAS.com", "http://internasional.kompas.com/read/x", "Diancam Lewat Dunia Maya"),
    (["Sejak Jadi Tersangka | Republika Online"], "Republika Online", None, "Sejak Jadi Tersangka"),
    (["Kapanlagi.com: Musik - Bikin Gaduh Kota", "Bikin Gaduh Kota - KapanLagi.com"], "KapanLagi.com", None, "Bikin Gaduh Kota"),
    (["Der neue BMW M3 im Test | autozeitung.de"], None, None, "Der neue BMW M3 im Test"),
    (["Cara Jaga Keromantisan : Okezone Celebrity"], None, "http://celebrity.okezone.com/read/1", "Cara Jaga Keromantisan"),
    (["Update | Deceased crash victims identified"], "Jamaica Gleaner", "https://jamaica-gleaner.com/a", "Update | Deceased crash victims identified"),
])
def test_titles_lose_the_site_name_and_nothing_else(candidates, sitename, url, title):
    assert clean_title(candidates, sitename, url) == title


@pytest.mark.parametrize("author, sitename, url, expected", [
    ("von AUTO ZEITUNG", "autozeitung.de", "https://www.autozeitung.de/test.html", None),
    ("BBC News", "BBC News", "https://www.bbc.com/news/1", None),
    ("Kompas Cyber Media", "KOMPAS.com", "https://www.kompas.com/read/1", None),
    ("KOMPAS.com", None, "https://www.kompas.com/read/1", None),
    ("By Jane Doe", "KOMPAS.com", None, "Jane Doe"),
    ("Vania Ika Aldida", "celebrity.okezone.com", None, "Vania Ika Aldida"),
    ("Tim Cook", None, "https://example.com/a", "Tim Cook"),
])
def test_authors_are_people_not_publications(author, sitename, url, expected):
    assert clean_author(author, sitename, url) == expected


@pytest.mark.parametrize("text, iso", [
    ("2022-05-04T00:44:52.000Z", "2022-05-04T00:44:52+00:00"),
    ("2022-05-04T00:44:52.123456+02:00", "2022-05-04T00:44:52+02:00"),
    ("Selasa, 23/02/2016 15:32 WIB", "2016-02-23T15:32:00+07:00"),
    ("Senin (27/10/2025)", None),
])
def test_dates_keep_their_zone(text, iso):
    assert parse_date(text) == iso


@pytest.mark.parametrize("html, expected", [
    ('<html><head><script type="application/ld+json">{"headline": "LD headline", "datePublished": "2021-03-04T05:06:07+07:00",'
     ' "author": {"name": "Ani Rahma"}}</script><script>var x = 1</script></head><body><svg><title>Icon</title></svg><p>x</p></body></html>',
     {"title": "LD headline", "author": "Ani Rahma", "date": "2021-03-04T05:06:07+07:00", "url": None, "sitename": None}),
    ('<html><head><title> Head  title </title><link rel="canonical" href=" "><link rel="canonical" href="https://ex.com/a"></head>'
     '<body><h1>First <b>h1</b></h1><div itemprop="datePublished" datetime="2019-05-06"></div>'
     '<time class="published" datetime="2018-01-01"></time><p>x</p></body></html>',
     {"title": "Head title", "author": None, "date": "2019-05-06", "url": "https://ex.com/a", "sitename": None}),
    ('<html><head><meta property="og:url" content="https://ex.com/og"></head><body><h1>Only <i>h1</i></h1><h1>Second</h1>'
     '<time datetime="2017-01-01"></time><time class="post-published" datetime="2016-02-03"></time><p>x</p></body></html>',
     {"title": "Only h1", "author": None, "date": "2016-02-03", "url": "https://ex.com/og", "sitename": None}),
])
def test_markup_fields_come_from_their_elements_in_page_order(html, expected):
    # JSON-LD only from ld+json scripts; the title from <head>'s <title> (not an icon's), else the first <h1>;
    # the first non-blank canonical link; a date from itemprop before one from a <time> marked as published
    assert parse_page(html)[1] == expected


def test_restored_lines_come_back_in_place_and_teasers_do_not():
    precise = ["Second paragraph of the story, which the precise extractor kept in full.",
               "Fourth paragraph, also kept by the precise extractor as it should be."]
    wide = ["Menu", "The lead paragraph that sits in another element and holds the first facts of it all.",
            precise[0], "A third paragraph skipped in the middle.", "Share", precise[1], "Teaser headline",
            "A blurb after the story that reads like a sentence of some length and more."]
    assert restore_story(precise, wide) == [wide[1], precise[0], "A third paragraph skipped in the middle.", precise[1]]


def test_a_page_the_precise_runs_miss_gets_the_story_from_the_recall_run(cleaner):
    # fixtures/trafeval/README.md: favor_precision and resiliparse see only a browser warning
    html = decode_html(gzip.decompress((FIXTURES / "trafeval" / "homify.de-Tischdecke.html.gz").read_bytes()))
    record, rejected = cleaner.clean({"html": html, "url": "https://www.homify.de/diy/20546/wie-man-eine-runde-tischdecke-in-nur-7-schritten-herstellt"})
    assert rejected is None and record["cleaner"]["method"] == "trafilatura+generic-text"
    flat = " ".join(record["text"].split())
    assert all(s in flat for s in ["den Durchmesser (das ist das Maß,", "wie du eine runde Tischdecke"])
    assert not any(s in flat for s in ["Kommentare", "Die Seedball Manufaktur", "Ernährungsworkshop", "Dein Browser ist leider veraltet"])
    assert record["text"].count("\n") == 7


def test_a_standfirst_repeating_the_description_is_not_restored_as_a_lead():
    precise = ["The first paragraph of the story, long enough to be an anchor of the text here.",
               "The second paragraph of the story, also long enough to be an anchor of it."]
    standfirst = "A summary of the story printed above it, as the page's description states it too."
    lead = "A lead paragraph the precise extractor skipped, which the page's description does not repeat."
    wide = [standfirst, lead, *precise]
    assert restore_story(precise, wide) == [standfirst, lead, *precise]
    assert restore_story(precise, wide, (), [standfirst + " More."]) == [lead, *precise]
    assert restore_story(precise, wide, (), lambda: ["Another page summary entirely, not printed above."]) == [standfirst, lead, *precise]


def _clean_fixture(cleaner, path, url):
    record, rejected = cleaner.clean({"html": decode_html(gzip.decompress(path.read_bytes())), "url": url})
    assert rejected is None and record["cleaner"]["method"] == "trafilatura+generic-text"
    return record


def test_a_lead_paragraph_the_page_also_uses_as_its_description_comes_back(cleaner):
    # fixtures/trafeval/README.md: three sentences with their own content (date, place), not a standfirst
    record = _clean_fixture(cleaner, FIXTURES / "trafeval" / "ahlen.de.reparaturcafe.html.gz",
                            "https://www.ahlen.de/start/aktuelles/aktuelle/information/nachricht/aus-ahlen/reparaturcafe-am-31-januar/")
    assert record["title"] == "Reparaturcafé am 31. Januar"
    assert record["text"].split("\n") == [
        "Jede Menge Spaß bereitet es den ehrenamtlichen Experten im Reparaturcafé, wenn sie defekte Hausgeräte wieder "
        "flott bekommen. Die regelmäßigen Besucherinnen und Besucher wissen das schon lange. Gelegenheit zu einem Besuch "
        "im Reparaturcafé bietet sich am Freitag, 31. Januar, in der Zeit von 15.00 bis 18.00 Uhr in den Räumen des "
        "Gruppenergänzenden Dienstes des St. Vinzenz am Park (Kampstraße 13-15).",
        "Ins Reparaturcafé kann jeder reparaturbedürftige Gegenstände gebracht werden, um ihn von einem kompetenten und "
        "engagierten Team reparieren zu lassen. Elektriker, Tischler und Schneiderinnen: viele Experten bieten kostenlos "
        "ihre Dienste an. Besucher des St. Vinzenz können Hosen kürzen, Radios reparieren oder Handtaschen flicken lassen. "
        "Im Reparaturcafé geht es aber nicht nur ums Handwerken. Auch die Geselligkeit und das Miteinander bei Kaffee und "
        "Kuchen sind ein guter Grund, mal vorbeizuschauen.",
        "Das Projekt ist eine Kooperationsveranstaltung der Stadt Ahlen mit der Caritas Ahlen sowie dem Verein Anti-Rost "
        "Kreis Warendorf. Schon jetzt vormerken: Das Reparaturcafé öffnet auch am 27. März, 15. Mai, 18. September, "
        "30. Oktober und 27. November jeweils von 15.00 bis 18.00 Uhr. Alle Interessierten sind herzlich eingeladen.",
        "Weitere Informationen erteilt Anne Althaus in der Leitstelle „Älter werden in Ahlen“ unter Tel. 02382 59743 "
        "(althausa@stadt.ahlen.de).",
    ]


def test_a_standfirst_of_two_sentences_that_repeats_the_story_stays_out(cleaner):
    # fixtures/trafeval/README.md: the page's description, printed above the story, repeats its opening
    record = _clean_fixture(cleaner, FIXTURES / "trafeval" / "tagesspiegel.de.abstandsregeln.html.gz",
                            "https://www.tagesspiegel.de/wirtschaft/abstandsregeln-und-fieberkontrollen-wie-firmen-ihre-"
                            "beschaeftigten-vor-dem-coronavirus-schuetzen/25784520.html")
    lines = record["text"].split("\n")
    assert lines[0] == ("Hinein kommt nur, wer die richtigen Werte hat. Bei dem Unternehmen TDK in Zehlendorf, das "
                        "elektronische Bauteile herstellt, hängt am Eingang eine Wärmebildkamera. Bei jedem misst sie die "
                        "Körpertemperatur. Ist es erlaubt, die Schwelle zu übertreten, gilt Maskenpflicht. Auf dem ganzen Werksgelände.")
    assert len(lines) == 21 and "Spuckschutz bis zur Kontrolle" not in record["text"]


def test_a_one_sentence_standfirst_stays_out(cleaner):
    # fixtures/aeb/README.md: the benchmark's article body, which leaves the dek out, exactly
    expected = json.loads((FIXTURES / "aeb" / "aljazeera-helicopter-crash.expected.json").read_text(encoding="utf-8"))
    record = _clean_fixture(cleaner, FIXTURES / "aeb" / "aljazeera-helicopter-crash.html.gz",
                            "https://www.aljazeera.com/news/2019/11/service-members-killed-afghanistan-helicopter-crash-191120070028895.html")
    assert record["title"] == expected["title"]
    assert record["text"].split("\n") == expected["paragraphs"]


def test_a_description_is_a_standfirst_when_one_sentence_or_repeating_the_story():
    precise = ["Der Stadtrat hat am Montag den neuen Haushalt beschlossen, mit deutlich mehr Geld für Schulen.",
               "Die Opposition stimmte dagegen und kritisierte vor allem die neuen Schulden der Stadt."]
    one = "Der Haushalt bringt den Schulen der Stadt mehr Geld als je zuvor, sagen die Fraktionen."
    own = "Am Freitag öffnet das Rathaus von 15 bis 18 Uhr. Alle Bürgerinnen und Bürger sind eingeladen."
    repeating = "Der Stadtrat hat den neuen Haushalt beschlossen. Die Opposition kritisierte die neuen Schulden."
    for line, back in ((one, False), (own, True), (repeating, False)):
        assert restore_story(precise, [line, *precise], (), [line]) == ([line] if back else []) + precise
    assert repeats_story(repeating, precise) and not repeats_story(own, precise)
    assert not repeats_story("", precise) and not repeats_story("Und 2024 ist es so.", precise)


KEY_CHARACTERS = "- –•·*1.)_ \t\u00a0\u2013\u201e\u201c\u00e9\u00df\u00b2\u00bd\u0301\u0930\u093e\ud800\U0001f600Aa9"


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(alphabet=KEY_CHARACTERS, max_size=40), st.text(max_size=120)))
def test_a_line_key_is_its_letters_and_digits_as_the_plain_definition_gives(line):
    # restore.py's fast key (bytes translation, non-ASCII characters one by one) against the definition;
    # combining marks, superscripts, fractions, a lone surrogate and astral characters included
    assert _key(line) == NON_WORD.sub("", BULLET.sub("", line)).casefold()
