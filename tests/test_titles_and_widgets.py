"""Real Tribun pages with the widget and promo lines a reader meets on the network's sites
inserted where they stand (a promo above the headline, a widget heading with its headlines
mid-story, a Google News call glued after a sentence, the network footer), and title picking
that refuses a promo line or a story sentence."""

from pathlib import Path

import pytest

from cleaner import Cleaner, Options
from cleaner.packload import load_packs
from cleaner.structure import reads_as_story
from conftest import FIXTURES

PAGE = FIXTURES / "real" / "tribunnews_pages_m-nasional-jokowi-macet.txt"
URL = "https://m.tribunnews.com/nasional/2019/11/28/presiden-jokowi-tadi-ke-sini-macet-setengah-jam-berhenti"
HEADLINE = "Presiden Jokowi: Tadi ke Sini Macet, Setengah Jam Berhenti"
PROMO = "Nikmati berita interaktif dan LIVE report 24 jam hanya di Tribunnews.com"  # 12 words: longer than the headline


@pytest.fixture(scope="module")
def cleaner():
    return Cleaner(Options())


@pytest.fixture(scope="module")
def page_lines():
    return PAGE.read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="module")
def story():
    """The page's expected clean text, as its pack test case has it."""
    case = Path(load_packs()["tribunnews"].file).parent / "tests" / "tribunnews" / "real-m-nasional-jokowi-macet.expected.txt"
    return case.read_text(encoding="utf-8").rstrip("\n")


def clean(cleaner, lines):
    record, rejected = cleaner.clean({"id": "p", "url": URL, "text": "\n".join(lines)})
    assert rejected is None, rejected
    return record


def test_the_page_as_crawled(cleaner, page_lines, story):
    record = clean(cleaner, page_lines)
    assert (record["title"], record["text"]) == (HEADLINE, story)


def test_widgets_mid_story_glued_and_in_the_footer_go_and_the_story_stays(cleaner, page_lines, story):
    lines = list(page_lines)
    lines[6] += "Cek Berita dan Artikel yang lain di Google News"  # glued after the sentence
    lines[13] += "BERITA REKOMENDASI Cita-cita Jokowi: Jadikan Indonesia Pusat Industri Mobil Listrik Dunia " + lines.pop(14)
    lines[6:6] = ["BERITA REKOMENDASI",  # the widget between two paragraphs, with its headlines
                  "Paman Presiden Jokowi Meninggal Dunia di Pesawat Saat Hendak Pulang",
                  "Jokowi Resmikan Tol Trans Sumatera Ruas Bakauheni-Terbanggi Besar"]
    lines += ["Breaking News: Gempa Magnitudo 5,1 Guncang Bengkulu, Tidak Berpotensi Tsunami",
              "Tribun Network", "Tribunnews.com", "TribunJakarta.com", "Surya.co.id"]
    record = clean(cleaner, [PROMO] + lines)
    assert (record["title"], record["text"]) == (HEADLINE, story)
    # related: the widget heading and its 2 headlines, the glued one, the ticker, the footer's 4 lines
    assert record["cleaner"]["removed"] == {"promo": 2, "read_also": 3, "related": 9, "teaser": 1}


def test_a_promo_line_above_the_headline_is_not_the_title(cleaner, page_lines, story):
    record = clean(cleaner, [PROMO] + page_lines)
    assert (record["title"], record["text"]) == (HEADLINE, story)
    record = clean(cleaner, [PROMO] + page_lines[1:])  # no headline printed: no title rather than the promo
    assert (record["title"], record["text"]) == (None, story)


def test_a_standfirst_that_reads_as_a_story_sentence_is_not_the_title(cleaner, page_lines, story):
    standfirst = ("Presiden Joko Widodo (Jokowi) harus terjebak kemacetan Jakarta saat ingin menghadiri acara Pertemuan "
                  "Tahunan Bank Indonesia 2019 dan bercerita di hadapan para bankir yang berkumpul di Ciputra Artpeneur")
    assert page_lines[1].endswith(".")  # as crawled, the full stop already keeps it from the title
    lines = [page_lines[0], standfirst] + page_lines[2:]  # 29 words without a full stop: longer than the headline
    record = clean(cleaner, lines)
    assert (record["title"], record["text"]) == (HEADLINE, story)
    record = clean(cleaner, lines[1:])
    assert (record["title"], record["text"]) == (None, story)


@pytest.mark.parametrize("line, story_like", [
    (HEADLINE, False),
    ("Putin Terima Kunjungan Menlu Korut, Bahas Apa?", False),
    ("Dua Gebrakan Dokter Terawan Setelah 2 Minggu Jabat Menkes, Bikin Pencetus 'Cuci Otak' Makin Disegani", False),
    ("Ramai-ramai Tolak Kebijakan Baru...", False),  # an ellipsis is a headline's, not a full stop
    ("Hal tersebut ia ceritakan saat sampai di lokasi acara dan bicara di hadapan para bankir yang berkumpul.", True),
    ('"Tadi ke sini macet, setengah jam berhenti," ujarnya di Ciputra Artpeneur.', True),
    ("“Jadi kita meminta Pemerintah Aceh tegas terhadap empat pulau ini dan menolak usulan pengelolaan bersama yang "
     "ditawarkan Provinsi Sumut. Jelas-jelas milik Aceh kok kelola bersama? Azhari Cage, Anggota DPD RI Asal Aceh", True),
    ("TRIBUNNEWS.COM, JAKARTA - Presiden Joko Widodo (Jokowi) harus terjebak kemacetan Jakarta", True),
])
def test_reads_as_story(line, story_like):
    datelines = load_packs()["tribunnews"].story_start
    assert reads_as_story(line, datelines) is story_like
