"""The hand annotation behind `fixtures/glued_lines.jsonl`: glued lines of
`../shared/real/indonews/dev.jsonl` and the exact spans a reader would cut out of them.

    python bench/glued_annotation.py [--data ../shared/real/indonews/dev.jsonl]

Each entry was written by reading the line (not by running the cleaner): `cuts` are
(first words of the boilerplate, last words of it or None = to the end of the line), found left to
right. A look-alike has no cuts and must come out unchanged. The expected text follows the
annotation standard (guide/BOILERPLATE.md, "Inside a line"): what is left around a cut is joined
by one space, or by a line break where the boilerplate was glued to the text before it without a
space (two paragraphs the scrape glued together); an entry whose `expected` is "" is boilerplate
as a whole line. The split (dev / heldout, 30%) is by page id, fixed before any rule was written.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from cleaner.textnorm import split_lines  # noqa: E402
from indonews_oracle import site_of  # noqa: E402
from shared_data import require  # noqa: E402


END = None

# key "page id:line index" -> cuts; [] marks a look-alike that must stay as it is
GLUED = {
    # ---- Tribun network: desk marks and credits after the last sentence, channel calls
    "a9b4ede11344bf04:10": [("(Tribunlampung.co.id/", END)],
    "80d1118d7c58da7c:10": [("(*)", END)],
    "3c4e358eb239bc14:16": [("(kompas/msr)", END)],
    "7d1c9ce99fd5e0a8:17": [("(*)", END)],
    "e0d70c11795d10e4:8": [("(tribunpekanbaru.com/", END)],
    "b781c918c1fa47ac:18": [("(*)", END)],
    "694b0609f5f82108:16": [("(*)", END)],
    "83861285e4543dcc:16": [("(*)", END)],
    "1ce71ca06d4d5d88:15": [("(*)", END)],
    "4523e7918905f168:10": [("(*)", END)],
    "aa3e99e061951110:12": [("(*)", END)],
    "a4a9d0ba3cb1e4f4:9": [("(*)", END)],
    "9d8e5dcc9cbc7938:14": [("(*)", END)],
    "11eab362e88bfbf8:11": [("(TribunPadang.com/", END)],
    "5d5eeb7d5338d958:12": [("(TribunPadang.com/", END)],
    "4b63fc2bd3ca83a4:12": [("(Tribunpadang.com/", END)],
    "98cc17565359dc64:14": [("(Tribunbatam.id/", END)],
    "5a2732cde6d7b3e4:11": [("(*)", END)],
    "74368fe4872e5eb8:18": [("(*)", END)],
    "f883cbc05920c9f0:15": [("(*)", END)],
    "d2e34d48d0f5a87c:12": [("(*)", END)],
    "a79a894a12cb01fc:12": [("(*)", END)],
    "080af46ad48cf7b8:10": [("(*)", END)],
    "728430fa065dee58:15": [("(*)", END)],
    "e522e50ab91c9a30:9": [("(Bangkapos.com/", END)],
    "42f8da8298cb77c0:13": [("(*)", END)],
    "50111140aa42af9c:13": [("(*)", END)],
    "0659df89cee48380:18": [("(*)", END)],
    "7c728b8deae87ee0:12": [("(*)", END)],
    "3f0a69f0ac881320:15": [("(*)", END)],
    "f40fce08e232c83c:10": [("Akses TribunJakarta.com", END)],
    "668973cfeac14598:13": [("- Baca Berita", END)],
    "1df0548c44a4da44:3": [("Baca juga:", END)],
    # ---- Sindonews: a read-also headline inside the paragraph, the story going on after it
    "a74b76495ebd1474:0": [("Baca Juga: Los Angeles", "Garda Nasional")],
    "2bb04a6acc354770:0": [("Baca Juga: Masa Depan", "BRICS Jadi Pilihan")],
    "b242b3ddcb985c08:0": [("Baca Juga: 30 Korporasi", "Skala Menengah")],
    "c75441e432a6cd04:0": [("Baca juga: Libur Panjang", "Wilayah Timur Jawa"),
                           ("Baca juga: Wilmar", "Swasembada Pangan"), ("(poe)", END)],
    "3914c937b9e8eff4:0": [("Baca Juga: RI Krisis", "Proyek Gasifikasi?")],
    "7d2359f2bb1562d4:0": [("Baca juga: Izin Tambang", "Ini Perintah Prabowo"),
                           ("Baca juga: 4 Izin Tambang", END)],
    "173ce0747c0bf41c:0": [("View this post on Instagram", "(@sindonews)"),
                           ("Baca Juga: Hasil Jepang", "di Babak Pertama")],
    "fab0bd72258b339c:0": [("Baca Juga: Prediksi Jepang", "Skuad Garuda di Suita!")],
    "9db208967b3f1734:0": [("Baca juga: Seleksi Mandiri", "Beasiswa dan KIP Kuliah")],
    "1dc03e5888b05ae0:0": [("Baca Juga: Daftar Susunan", "Timnas Indonesia vs Jepang")],
    "2e672275d3ed14ec:0": [("Baca juga: MNC Vision", "Rumah Harapan Indonesia"), ("(cip)", END)],
    "1dea9acd29d965c4:0": [("Baca juga: Mau Jadi", "Sepi Peminat Ini"),
                           ("Baca juga: 4 Sekolah", "dan Jadi PNS"),
                           ("Baca juga: 5 Sekolah", "Perwira atau CPNS?")],
    "1b1ff6d95ffd6690:0": [("Baca Juga: Bos IAEA", "Ini Penjelasannya")],
    "142f5031a65bf6e4:0": [("BACA JUGA - Soal Mobil", "Luluhkan Eropa")],
    "ae30a7f770998ca0:0": [("Baca juga: ITS Buka", "Daftar di Jalur Mandiri"),
                           ("Baca juga: Universitas Kristen", "Sarjana Arsitektur")],
    "cd127e05bec94d08:0": [("Baca juga: Penampakan Fiona", "Penuhi Panggilan Kejagung")],
    "40b5b9b5d0136c60:0": [("View this post on Instagram", "Dicoret Patrick Kluivert")],
    "a9aaea5054f0f160:0": [("Baca juga: Polres Brebes", "Anak Bawah Umur")],
    "467d23757a7b9e94:0": [("Baca juga: Lulus Cumlaude", "Jadi Wisudawan Termuda")],
    "e4a4c7ca28849bd0:0": [("BACA JUGA - 10 Konsol", "Paling Laris Sepanjang Masa")],
    "77c9212c9b8d194c:0": [("Baca Juga: Trump Telepon", "Tarif, Apa Hasilnya?")],
    "d52b568240c06504:0": [("Baca juga: Berapa Gaji", "Sesuai Aturan Terbaru")],
    "b751728b57155690:0": [("Baca Juga: Presiden Trump", "Los Angeles dari Kerusuhan")],
    "e779f4a4604939c4:0": [("Baca Juga: Los Angeles", "Sokong 2.000 Garda Nasional")],
    "37708bde70c3f31c:0": [("Baca Juga: Status Raymond", "Juara Kelas Ringan IBF")],
    "b6804de1a4d2c148:0": [("Baca juga: Sosok Pramodhawardani", "Kerajaan Mataram Kuno"),
                           ("Baca juga: Ratu Sanjaya", END)],
    "322031743ed94d0c:0": [("BACA JUGA - Bersaing", "Siap Menjual Denso")],
    "0be614e700b84bc8:0": [("Baca Juga: Los Angeles", "Sokong 2.000 Garda Nasional")],
    "cbdd5d87ca8bbe28:0": [("BACA JUGA - Kacamata Pintar", "Seperti Kacamata Biasa")],
    "c7de92b73cf3b104:0": [("Baca Juga: Sinopsis The Haunted", END)],
    "f900924870b02e68:0": [("Baca juga: Intip Gaji", "AD dan Tunjangannya")],
    "86d14bccf317bb1c:0": [("Baca Juga: Daftar Susunan", "Jepang vs Timnas Indonesia")],
    "9d148ce3ecaae0b0:0": [("Baca Juga: Lebih dari 50", "Yuan, Rupee, dan Rubel")],
    "1c9345841929a7bc:0": [("BACA JUGA - Lifan", "China Bertampang Sangar")],
    "9178af5ac12f497c:0": [("Baca Juga: Eks Pejabat", END)],
    "f63519af8a8db1b8:0": [("Baca Juga: Status Raymond", "Juara Kelas Ringan IBF")],
    "de6723c0fcefecc0:0": [("Baca juga: Penuhi Panggilan", "Lukminto Datangi Kejagung")],
    "cd4fc257ff0bda70:0": [("Baca juga: Misteri Cahaya", END)],
    "3559801616362080:0": [("Baca juga: Tata Cara", END)],
    "ab33bf2694440554:0": [("BACA JUGA - Kisah Buaya", "dan Suku Dayak Tunjung")],
    "ed6bab48cfb4f750:0": [("Baca juga: Petani Lampung", "Bersama Pupuk Subsidi")],
    "b392741a40bacf04:0": [("Baca Juga: Tandukan Daichi", "Jepang Unggul 2-0")],
    "9cbbd42f1f73e1dc:0": [("Baca juga: Ini Riwayat", "Presiden Indonesia, Sudah Tahu?"),
                           ("Baca juga: Riwayat Pendidikan Erick", END)],
    "ad5c45b224ca201c:0": [("Baca Juga: Heboh Rencana", "Kami Akan Minta Penjelasan")],
    "96c6c24e84fbcaec:0": [("Baca juga: 2 Sekolah", "Calon PNS 2025"),
                           ("Baca juga: Pendaftaran Sekolah", END)],
    "42c0b9dbbeb2b228:0": [("Baca juga: Nadiem Siap", "Kemendikbudristek Rp9,9 Triliun")],
    "dabe422a1e8d7c10:0": [("Baca juga: ITS Terima", "Jalur SNBT 2025")],
    "dfb71f7689807e38:0": [("Baca Juga: Aliansi Eropa", "di Ujung Tanduk")],
    "77330bdb25ea73e4:0": [("BACA JUGA - Telur Ayam", "Omega, Apa Bedanya?"), ("(wbs)", END)],
    "39533a294fd6fb74:0": [("BACA JUGA - Bangun Ulang", "Menimbulkan Malapetaka")],
    "9786b7d2b058e80c:0": [("Baca Juga: Charly Van Houten", "Foto/Instagram @charly_setiaku")],
    "e92846044c0950c8:0": [("Baca Juga: Pramono Minta", "Kapuk Muara Dipermudah"), ("Foto/Danandaya", END)],
    "5cdbb91ae3b86608:0": [("Baca Juga: Siapa Pemilik", "di Balik Surga Raja Ampat")],
    "a768cf6ef71d1614:0": [("Baca juga: Kisah 3 Lulusan", "Skripsi Sudah Biasa")],
    "63ab070867cb5818:0": [("Baca Juga: 10 Jam Diperiksa", "Dicecar 20 Pertanyaan")],
    "9dd10c58a27d77dc:0": [("Baca juga: Bongkar Ijazah", "Ngaku Dapat Intimidasi")],
    "84833cf29613ff38:0": [("Baca Juga: Kemiskinan di Indonesia", "Juta Jiwa versi Bank Dunia")],
    "28acc1a3dcd46f14:0": [("Baca Juga: Suporter Indonesia", "Stadion Suita Rasa Pakansari")],
    "7cf297c2802642ec:0": [("Baca Juga: Hasil Akhir:", "di Kualifikasi Piala Dunia 2026")],
    "8387ebe4075621f4:0": [("Baca Juga: Hadapi Tantangan", "Portofolio Bisnis Berkelanjutan")],
    "f50486f7db599b8c:0": [("Baca Juga: Pencipta Lagu", END)],
    "3c97cfb4a453d5c8:0": [("Baca juga: Indo Defence", "Industri Pertahanan")],
    "f9217b18072435b0:0": [("Baca juga: Mobil Tabrak", "3 Orang Tewas"), ("(jon)", END)],
    "17c89dd17db3bec0:0": [("Baca juga: Kisah Cinta", "Pernikahan Jawa dan Sunda")],
    "04293bb8ffa10a60:0": [("Baca juga: 5 Teknologi", "Pendingin hingga Keamanan")],
    "8cc17311cf9f8b7c:0": [("Baca Juga: Sinopsis Original", "Kehilangan Karier Musiknya")],
    # ---- Okezone: "Baca Juga:" glued on both sides
    "fb40a5b71c512894:0": [("Baca Juga:Senator", "Perang Melawan Rusia")],
    "d279b68b76fa4198:0": [("Baca Juga:Link Live", "Saksikan di Vision+")],
    "4ffecc108978f1fc:0": [("Baca Juga:Penampakan", "Gila Bola Memang Beda")],
    "3ae2fadb79feba74:0": [("Baca Juga:Ribuan Orang", "ke Gaza pada 15 Juni")],
    "8b55afb7d0f6cdfc:0": [("Baca Juga:Penembakan", "Tewas Termasuk Pelaku")],
    "77593721b55e8f94:0": [("Baca Juga:Penampakan", "Gila Bola Memang Beda")],
    "92f6a9e03d87102c:0": [("Baca Juga:Link Live", "Saksikan di Vision+")],
    "b5cd83b2a51518dc:0": [("Baca Juga:Kerusuhan Los", "Gubernur California Ditangkap")],
    "de64a23214ddb53c:0": [("Baca Juga:Anti Ribet!", "Timnas Indonesia Vs Jepang"),
                           ("Baca Juga:Prediksi Ayah", END)],
    # ---- KapanLagi, Liputan6-syndicated: slogans, read-also, credits
    "d0f7266094e9c400:0": [("Kalau bukan sekarang, KapanLagi?", END)],
    "5f474d1542c4c0f0:0": [("Baca juga berita lainnya", END)],
    "5171a2bc7bc450f0:0": [("Baca juga berita lainnya", END)],
    "dde6d2232ab95cc4:32": [("Masih banyak rekomendasi drama", END)],
    # ---- Republika: the channel call and the photo source after the last sentence
    "da736fc594bef5bc:2": [("Ikuti Whatsapp Channel", END)],
    "f9c38edcbf1d2184:20": [("Ikuti Whatsapp Channel", END)],
    "2865c3fe30c258fc:2": [("Ikuti Whatsapp Channel", END)],
    "596b1eb56b3ad484:18": [("Ikuti Whatsapp Channel", END)],
    "e2fb07ccd8193ed4:20": [("Ikuti Whatsapp Channel", END)],
    "f04a6a4d9f188d34:26": [("Ikuti Whatsapp Channel", END)],
    "2a9b10f46e07f408:14": [("Ikuti Whatsapp Channel", END)],
    "75af9a5a76014060:22": [("Ikuti Whatsapp Channel", END)],
    "0b47f2180ea876c4:24": [("Ikuti Whatsapp Channel", END)],
    # ---- detik, posmetro, Kompas: syndication notes, desk marks with tags, credit lines
    "0c346d04c78de5f8:15": [("(adv/adv)", END)],
    "a10811cc069ce500:7": [("(rea/rrd)", END)],
    "f323580a7b6d9138:11": [("Artikel ini sudah tayang", END)],
    "f8f090ed6c444048:7": [("sumber:", END)],
    "29396bb8cd1b1e14:10": [("Reporter:", END)],
    "9ac8d8e84c7f24ac:16": [("(Reporter:", END)],
    # ---- look-alikes: story that only looks like a marker
    "e0a26113c2e2ef64:7": [],    # "Kita lihat juga ..." in a quote
    "d135f98f5b40ee54:2": [],    # "Terlihat juga ..."
    "6ea83ededb672db0:12": [],   # "Terlihat juga genangan air ..."
    "ab0531d90b2bc5a4:3": [],    # "Simak juga petualangan ..." inside the story
    "d3a195d0a458533c:6": [],    # "Yuk simak dilansir Healthline."
    "685cd2fd5490199c:4": [],
    "c4dde3b69d439798:0": [],
    "f805335dc2522afc:1": [],
    "a14fec2709b2348c:1": [],
    "7e4b39484176be2c:6": [],    # "dari berbagai sumber pada Senin (9/6/2025)"
    "b43bdb4c324ca750:3": [],    # "dari berbagai sumber pada tanggal ..."
    "165fe9e2435290a0:8": [],    # "sumber daya alam" in a quote
    "5ca6f93dfe0e1700:4": [],    # "sumber air alami"
    "a1b54a23de8377f8:6": [],    # "Masih dikutip dari sumber yang sama"
    "244ff69b926b59fc:16": [],   # "Seorang sumber mengatakan ..."
    "db4ca628f0636614:8": [],    # "dari sumber utama. “Kalau ..."
    "a0d1952583d0d7fc:3": [],    # "usai sumber Reuters menyebut ..."
    "8eeb0e9b3ab48df0:6": [],    # "(Fajar/Rian)" inside a quote
    "6be0af2e2d708354:0": [],    # "pada Senin (09/06), Atta menyebut ..."
    "c0bba6d8d6d8d10c:0": [],    # "(KD/KMP)", "(SABHA)"
    "0cbf87ef8f8ab208:7": [],    # "(SMA/SMK)"
    "e57bc2bc02b5d2c0:17": [],   # "(TPB/SDGs)."
    "1f94acc0c0836804:0": [],    # "(IKM/UMKM)"
    "e9fc15a2cf2d1660:1": [],    # "(dibaca: ak-so-la-tul)"
    "020663b770be725c:1": [],    # "(2024/2025)"
    "9bb1236ff363ee9c:22": [],   # "Rabu (30/10)."
    "df32e5460422c6e0:4": [],    # "Pimpinan/Perwakilan K/L"
}


def cut(line: str, cuts) -> str:
    """Apply hand-written cuts: each (start, end) is found left to right; what is left around a
    cut is joined by one space, or a line break where the cut was glued to the text before it."""
    pieces, pos = [], 0
    glue = []
    for start, end in cuts:
        a = line.index(start, pos)
        b = len(line) if end is None else line.index(end, a) + len(end)
        pieces.append(line[pos:a])
        glue.append(a > 0 and not line[a - 1].isspace())
        pos = b
    pieces.append(line[pos:])
    out = pieces[0].rstrip()
    for glued, piece in zip(glue, pieces[1:]):
        piece = piece.strip()
        if not piece:
            continue
        if not out:
            out = piece
        else:
            out += ("\n" if glued else " ") + piece
    return out


def split_of(page_id: str) -> str:
    return "heldout" if int(hashlib.sha1(page_id.encode()).hexdigest(), 16) % 10 < 3 else "dev"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "real" / "indonews" / "dev.jsonl")
    ap.add_argument("--out", type=Path, default=ROOT / "fixtures" / "glued_lines.jsonl")
    args = ap.parse_args()
    wanted = {key.split(":")[0] for key in GLUED}
    lines_of = {}
    for raw in require(args.data, "--data").open(encoding="utf-8"):
        page = json.loads(raw)
        if page["id"] in wanted:
            lines_of[page["id"]] = (site_of(page["url"]), split_lines(page["text"]))
    rows = []
    for key, cuts in GLUED.items():
        page_id, index = key.split(":")
        site, lines = lines_of[page_id]
        site = "tribunnews" if "tribun" in site or site in ("bangkapos.com",) else site
        line = lines[int(index)]
        rows.append({"id": key, "site": site, "kind": "glued" if cuts else "lookalike",
                     "split": split_of(page_id), "line": line, "expected": cut(line, cuts)})
    with args.out.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    kinds = {}
    for row in rows:
        k = (row["kind"], row["split"])
        kinds[k] = kinds.get(k, 0) + 1
    print(f"{len(rows)} lines -> {args.out}: {kinds}")


if __name__ == "__main__":
    main()
