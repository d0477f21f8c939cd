"""Packs as data: validation messages, user packs, the regex time limit, fields and structure."""

import json

import pytest

from cleaner import Cleaner, Options
from cleaner.packload import compile_pack, load_packs, parse_pack
from cleaner.rulepack import PackError
from cleaner.strip import apply_pack
from conftest import FIXTURES, STORY_WORDS, learn_kotabaru

MINIMAL = 'name = "mini"\nlanguages = ["id"]\n'


def test_bad_toml_names_the_file():
    with pytest.raises(PackError, match=r"mini\.toml: not valid TOML"):
        parse_pack('name = "mini"\n[[drop]\ncategory = 1', "mini.toml")


def test_bad_regex_names_file_rule_and_pattern():
    text = MINIMAL + '[[drop]]\ncategory = "ad_marker"\nline = "^(Iklan"\n'
    with pytest.raises(PackError) as err:
        parse_pack(text, "rules/mini.toml")
    assert "rules/mini.toml: [[drop]] #1 (ad_marker) line: bad regex '^(Iklan'" in str(err.value)


@pytest.mark.parametrize("body, message", [
    ('[[drop]]\ncategory = "ad"\nline = "x"\nfrom_line = "y"\n', "exactly one of line, block, from_line"),
    ('[[drop]]\ncategory = "Ad Marker"\nline = "x"\n', "snake_case"),
    ('[[drop]]\ncategory = "ad"\nlien = "x"\n', "unknown key 'lien'"),
    ('[[drop]]\ncategory = "ad"\nblock = { start = "a" }\n', "exactly one of 'end' or 'while'"),
    ('[[drop]]\ncategory = "ad"\nline = "x"\nwhere = "middle"\n', "'where' must be one of"),
    ('[[field]]\nname = "subtitle"\nline = "x"\n', "'name' must be one of"),
    ('[structure]\nrepeated_lines = -1\n', "repeated_lines"),
    ('timezone = "WIB"\n', "timezone"),
    ('colour = "red"\n', "unknown key 'colour'"),
])
def test_validation_messages(body, message):
    with pytest.raises(PackError, match=message):
        parse_pack(MINIMAL + body, "mini.toml")


def test_a_user_pack_replaces_a_builtin_one_and_the_cli_reports_a_bad_one(tmp_path, run_cli):
    (tmp_path / "tempo.toml").write_text('name = "tempo"\nlanguages = ["id"]\ndomains = ["tempo.co"]\n')
    packs = load_packs([tmp_path])
    assert packs["tempo"].file == str(tmp_path / "tempo.toml") and not packs["tempo"].drops
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "x.toml").write_text('name = "x"\n[[drop]]\ncategory = "ad"\nline = "(("\n')
    result = run_cli("--rules", bad, FIXTURES / "seeds.jsonl")
    assert result.returncode == 1
    assert "x.toml: [[drop]] #1 (ad) line: bad regex '(('" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_runaway_regex_is_a_reject_not_a_hang(tmp_path):
    (tmp_path / "slow.toml").write_text(
        'name = "slow"\nlanguages = ["id"]\n[[drop]]\ncategory = "ad"\nline = \'(?:(?:a|a)+)+b\'\n')
    cleaner = Cleaner(Options(rules_dirs=(str(tmp_path),), site="slow", min_chars=0))
    record, reject = cleaner.clean({"id": "x", "text": "a" * 40 + "\nkalimat biasa saja di sini."})
    assert record is None
    assert reject["reject"]["reason"] == "timeout"
    assert "slow.toml" in reject["reject"]["detail"]


def _pack(body):
    """A pack as a run gets it: parsed, includes resolved, prefilters built."""
    pack = compile_pack(parse_pack(MINIMAL + body, "t.toml"), {})
    assert pack.prefilters is not None
    return pack


def test_block_with_end_and_with_while():
    pack = _pack('[[drop]]\ncategory = "summary"\nblock = { start = "^S:$", while = "^- " }\n'
                 '[[drop]]\ncategory = "login"\nblock = { start = "^A$", end = "^B$" }\n')
    out = apply_pack(pack, ["S:", "- one", "- two", "story.", "A", "x", "B", "A", "never closed"])
    assert out.lines == ["story.", "A", "never closed"]
    assert out.removed == {"login": 3, "summary": 3}


def test_end_marker_only_after_the_story_starts():
    pack = _pack('[story]\nstart = ["^KOTA -"]\n[[drop]]\ncategory = "related"\nfrom_line = "^Terkait$"\n')
    out = apply_pack(pack, ["Terkait", "Judul", "KOTA - Cerita.", "Lanjutan.", "Terkait", "Link 1", "Link 2"])
    assert out.lines == ["KOTA - Cerita.", "Lanjutan."]
    assert out.removed == {"head": 2, "related": 3}


def test_fields_from_one_line_and_from_the_next_line():
    pack = _pack('timezone = "+07:00"\n[story]\nstart = ["^KOTA:"]\n'
                 '[[field]]\nname = "date"\nline = \'^(?P<author>[\\p{L} ]+) • (?P<value>.+)$\'\n'
                 '[[field]]\nname = "editor"\nafter_line = "^Editor$"\n'
                 '[[field]]\nname = "title"\nline = "^\\\\S+(?: \\\\S+){3,}$"\nwhere = "head"\npick = "longest"\n')
    lines = ["Judul Berita yang Cukup Panjang", "Editor", "Budi Santoso", "Ani Wijaya • 5 Juni 2024 09.30", "KOTA: Cerita."]
    out = apply_pack(pack, lines)
    assert out.fields == {"title": "Judul Berita yang Cukup Panjang", "author": "Ani Wijaya",
                          "editor": "Budi Santoso", "date": "2024-06-05T09:30:00+07:00"}
    assert out.lines == ["KOTA: Cerita."]


def test_structure_caption_pairs_repeats_and_nav_runs():
    pack = _pack('[structure]\ncaption_pairs = true\ncaption_credit = "^\\\\(.+\\\\)$"\nrepeated_lines = 10\n'
                 'nav_runs = { max_words = 3, min_run = 2 }\n')
    story = "Ini adalah kalimat cerita yang cukup panjang untuk dianggap sebagai isi berita."
    lines = ["Home", "Berita", "Foto seorang warga.", "Foto seorang warga. (Dok. Warga)", "Topik Pilihan Hari Ini",
             story, "Subjudul", story.replace("Ini", "Itu"), "Topik Pilihan Hari Ini", "Tag", "Share"]
    out = apply_pack(pack, lines)
    assert out.lines == [story, "Subjudul", story.replace("Ini", "Itu")]
    assert out.removed == {"caption": 2, "navigation": 4, "repeated": 2}


def test_python_api_single_and_batch_forms_agree():
    from cleaner import clean_record, clean_records

    pages = [json.loads(line) for line in (FIXTURES / "seeds.jsonl").read_text(encoding="utf-8").splitlines()]
    pages.append({"id": "short", "text": "Terlalu pendek."})
    batch = clean_records(pages, languages=["id"], min_chars=50)
    assert batch == [clean_record(p, languages=("id",), min_chars=50) for p in pages]
    assert [r is None for r, _ in batch] == [False] * 5 + [True]
    assert batch[-1][1]["reject"]["reason"] == "too_short"


def test_a_regex_that_matches_the_empty_string_is_refused():
    with pytest.raises(PackError, match="matches the empty string"):
        parse_pack(MINIMAL + '[[drop]]\ncategory = "ad"\nline = "x*"\n', "mini.toml")


def test_rules_check_reports_every_problem_at_once(run_cli, tmp_path):
    (tmp_path / "a.toml").write_text(
        'name = "a"\ncolour = 1\n[[drop]]\ncategory = "ad"\nline = "(("\n'
        '[[drop]]\ncategory = "x"\nline = ".*"\n[[field]]\nname = "subtitle"\nline = "x"\n')
    (tmp_path / "b.toml").write_text('name = "b"\n[[drop\n')
    (tmp_path / "good.toml").write_text('name = "good"\n[[drop]]\ncategory = "ad"\nline = "^Iklan$"\n')
    result = run_cli("rules", "check", tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any("a.toml: unknown key 'colour'" in line for line in lines)
    assert any("a.toml: [[drop]] #1 (ad) line: bad regex '(('" in line for line in lines)
    assert any("a.toml: [[drop]] #2 (x) line: regex '.*' matches the empty string" in line for line in lines)
    assert any("a.toml: [[field]] #1: 'name' must be one of" in line for line in lines)
    assert any("b.toml: not valid TOML" in line for line in lines)
    assert len(lines) == 5 and "1 pack(s) loaded cleanly" in result.stderr
    assert run_cli("rules", "check").stdout.startswith("ok: 5 pack(s)")


def test_pack_text_is_data_never_code(tmp_path):
    (tmp_path / "evil.toml").write_text('name = "__import__(\'os\').system(\'touch pwned\')"\n')
    with pytest.raises(PackError, match="lower-case identifier"):
        load_packs([tmp_path])
    assert not (tmp_path / "pwned").exists()


def test_learn_drafts_a_pack_that_loads_and_removes_recurring_boilerplate(run_cli, tmp_path):
    def page(rng, sentence):
        story = [sentence() for _ in range(6)]
        return [f"KOTABARU.COM - {story[0]}", story[1], f"Baca juga: {' '.join(rng.sample(STORY_WORDS, 4)).title()}",
                story[2], "SCROLL UNTUK LANJUT", story[3], story[4], story[5], f"({rng.choice(['Ani Wijaya', 'Budi Santoso', 'Citra Dewi Lestari'])})"]

    pages, result, draft = learn_kotabaru(run_cli, tmp_path, page, seed=7)
    assert 'domains = ["kotabaru.co.id"]' in draft and "# support: 60/60 pages" in draft
    assert "line = '''^SCROLL UNTUK LANJUT$'''" in draft
    assert "^Baca juga:" in draft and r"^\(\p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}+)*\)$" in draft
    assert "would remove in the sample: 0" in result.stderr
    cleaner = Cleaner(Options(rules_dirs=(str(tmp_path / "learned"),), min_chars=0, min_words=0, languages=()))
    record, _ = cleaner.clean({"url": "https://www.kotabaru.co.id/x", "text": pages[0]["text"]})
    assert record["site"] == "kotabaru"
    lines = record["text"].split("\n")
    assert len(lines) == 6 and lines[0].startswith("KOTABARU.COM - ")
