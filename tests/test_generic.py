"""The generic fallback on real article bodies of sites without a pack, and its phrase lists."""

import sys

import pytest

from cleaner import Cleaner, Options
from cleaner.textnorm import split_lines
from conftest import FIXTURES, ROOT, read_jsonl

sys.path.insert(0, str(ROOT / "bench"))
from indonews_oracle import boilerplate, is_story_line, site_of  # noqa: E402

SAMPLE = read_jsonl(FIXTURES / "indonews_sample.jsonl")  # 4 real pages each of 10 Indonesian sites


@pytest.fixture(scope="module")
def generic():
    return Cleaner(Options(site="generic"))


@pytest.mark.parametrize("page", SAMPLE, ids=[f"{site_of(p['url'])}-{p['id']}" for p in SAMPLE])
def test_real_pages_lose_their_boilerplate_and_keep_their_story(generic, page):
    site = site_of(page["url"])
    lines = split_lines(page["text"])
    marked = boilerplate(site, lines)
    story = {line for i, line in enumerate(lines) if i not in marked and is_story_line(line)}
    record, reject = generic.clean(page)
    assert reject is None
    out = record["text"].split("\n")
    assert [out[i] for i in sorted(boilerplate(site, out))] == []
    assert sorted(story - set(out)) == []
    assert record["cleaner"]["method"] == "generic-text" and record["site"] is None


def test_bylines_and_credits_become_fields(generic):
    story = ("Pemerintah kota mulai memperbaiki jalan yang rusak akibat banjir pekan lalu di kawasan utara kota. "
             "Perbaikan ditargetkan selesai dalam dua minggu ke depan bila cuaca mendukung pekerjaan.")
    page = {"text": f"Laporan Wartawan Tribun Batam, Birri Fikrudin\n{story}\n{story.replace('kota', 'desa')}\n(Fitra Iskandar)\nEditor: Oki Budiman"}
    record, _ = generic.clean(page)
    assert (record["author"], record["editor"]) == ("Birri Fikrudin", "Oki Budiman")
    assert record["text"].count("\n") == 1


@pytest.mark.parametrize("line", [
    "Baca juga: Banjir Rendam Ratusan Rumah", "Read more: Markets fall", "Lee también: El Gobierno aprueba",
    "Leia também: Governo anuncia", "Lire aussi : Le gouvernement annonce", "Lesen Sie auch: Regierung plant",
    "ADVERTISEMENT", "Publicidad", "Anzeige", "SCROLL TO CONTINUE WITH CONTENT", "[Gambas:Video 20detik]",
    "Ikuti kami di Google News", "Follow us on Instagram", "Síguenos en Twitter", "Suivez-nous sur Facebook",
    "Folgen Sie uns auf Instagram", "Sertai saluran Telegram kami", "Artikel ini telah tayang di Kompas.com",
    "(kpl/eri)", "(WIL)", "(*)", "https://www.whatsapp.com/channel/0029Va", "Simak juga Video: Harga Emas Naik",
    # photo credits, change stamps, comment notices, paywall / app / letters prompts, sponsored notices,
    # widget headings: lines of trafilatura's evaluation pages (tuning half)
    "Titelbild: Geyres Christophe/ABACA/picture-alliance", "Crédits photos : Bestimage",
    "Fot. Lukasz Nowaczyk / Agencja Gazeta", "Letzte Änderung 14.02.2019",
    "Keine Kommentare (Kommentare erscheinen erst nach unserer Freigabe)",
    "To view the full story, please subscribe to The Haitian Times. You can choose a monthly or annual plan.",
    "For the latest stories and breaking news updates download the Nationnews apps for iOS and Android.",
    "Submit your letter to the editor via this form. Read more Letters to the Editor.",
    "*Werbung. Dieser Beitrag enthält Werbung für MYMARINI.", "Weitere aktuelle Themen aus der Arbeitswelt",
    "Beiträge aus dem Forum", "LE PUEDE INTERESAR: La ficha de Juan Orlando Hernández en el MDC de Nueva York",
    # ... and of AEB pages
    "Chat with us in Facebook Messenger. Find out what's happening in the world as it unfolds.",
    "Let our news meet your inbox. The news and stories that matters, delivered weekday mornings.",
    "More:", "Also:", "SOURCE: News agencies", "Quelle: dpa", "Filed under: Syi'ah |",
    "Follow The New York Times Opinion section on Facebook, Twitter (@NYTopinion) and Instagram.",
    "Follow AP's full coverage of Brexit and British politics at https://www.apnews.com/Brexit",
])
def test_boilerplate_phrases_in_many_languages(generic, line):
    story = ("Pemerintah kota mulai memperbaiki jalan yang rusak akibat banjir pekan lalu di kawasan utara kota, "
             "dan perbaikan ditargetkan selesai dalam dua minggu ke depan bila cuaca mendukung.")
    record, _ = generic.clean({"text": f"{story}\n{line}\n{story.replace('kota', 'desa')}"})
    assert line not in record["text"].split("\n")
    assert record["text"].count("\n") == 1


@pytest.mark.parametrize("line", [
    "3. Aktifkan notifikasi dan akses lokasi pada aplikasi Travoy mendapatkan update informasi terbaru seputar jalan tol.",
    '"AH mengunggah ulang video tersebut di status WhatsApp. Video diperoleh lewat download aplikasi," kata polisi.',
    "Laporan reporter lapangan kantor berita Lebanon, Al Mayadeen, mengatakan serangan telah terjadi di Teheran.",
    "Berita terpopuler lainnya di kanal News Liputan6.com adalah terkait kunjungan Wakil Presiden ke Papua pekan ini.",
])
def test_story_lines_that_look_like_boilerplate_stay(generic, line):
    story = ("Pemerintah kota mulai memperbaiki jalan yang rusak akibat banjir pekan lalu di kawasan utara kota, "
             "dan perbaikan ditargetkan selesai dalam dua minggu ke depan bila cuaca mendukung.")
    record, _ = generic.clean({"text": f"{story}\n{line}\n{story.replace('kota', 'desa')}"})
    assert line in record["text"].split("\n")


GERMAN_STORY = ("Die Stadt hat am Dienstag beschlossen, die beschädigten Straßen im Norden bis zum Ende des Monats "
                "zu reparieren, wenn das Wetter es zulässt.")
ENGLISH_STORY = ("The city council decided on Tuesday to repair the damaged roads in the north of the town by the end "
                 "of the month, if the weather allows it.")


@pytest.mark.parametrize("story, line", [
    (GERMAN_STORY, "Fotos zeigen, wie die Stadt nach dem Sturm aussah, und viele Leser schickten eigene Bilder an die Redaktion."),
    (GERMAN_STORY, "Werbung macht nach Angaben des Verbands inzwischen fast die Hälfte der Einnahmen der Zeitungen aus."),
    (ENGLISH_STORY, "Netflix said it had added more subscribers than expected, and its shares rose after the report on Tuesday."),
    (ENGLISH_STORY, "Photo agencies said the pictures had been taken by a local resident who sent them to the newsroom."),
    (ENGLISH_STORY, "Scammers are flooding your inbox with fake invoices, the police warned on Monday."),
    (ENGLISH_STORY, "Source: the council said the work would cost more than planned."),
    (ENGLISH_STORY, "Follow-up inspections found that two bridges also needed work, the council said in a statement."),
])
def test_story_sentences_that_start_like_the_credit_and_promo_labels_stay(generic, story, line):
    record, _ = generic.clean({"text": f"{story}\n{line}\n{story}"})
    assert line in record["text"].split("\n")


def test_a_split_dateline_and_link_fragments_are_not_navigation(generic):
    story = ("Asosiasi Penambang Nikel Indonesia mengungkapkan perusahaan telah memenuhi seluruh persyaratan "
             "legal dan teknis sebagai perusahaan tambang di pulau itu.")
    record, _ = generic.clean({"text": f"Jakarta\n-\n{story}\n{story}x\nSimak\nbreaking news\nraja ampat\ntambang nikel"})
    lines = record["text"].split("\n")
    assert lines[:2] == ["Jakarta", "-"]
    assert lines[-1] == story + "x"
