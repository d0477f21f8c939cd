"""Bad packs: `rules check` finds each one and loading refuses it, with file, rule and reason,
never a traceback. Limits on pack size and regex complexity. Engine tests through the compiled,
prefiltered path a run uses."""

import pytest

from cleaner import Cleaner, Options
from cleaner.packkeys import MAX_PACK_BYTES, MAX_RULES
from cleaner.packload import check_packs, compile_pack, load_packs, parse_pack
from cleaner.rulepack import PackError
from cleaner.strip import apply_pack
from conftest import FIXTURES

# (files of a rules folder, the one problem `rules check` and loading report, after the folder)
BAD_PACKS = {
    "include of a pack that does not exist": (
        {"a.toml": 'name = "a"\ninclude = ["nosuch"]\n'},
        "a.toml: include: no pack named 'nosuch' (known: a, generic, idntimes, medcom, tempo, tribunnews)"),
    "include cycle": (
        {"a.toml": 'name = "a"\ninclude = ["b"]\n', "b.toml": 'name = "b"\ninclude = ["a"]\n'},
        "a.toml: include: 'a' -> 'b' -> 'a' is a cycle"),
    "a pack that includes itself": (
        {"a.toml": 'name = "a"\ninclude = ["a"]\n'},
        "a.toml: include: 'a' -> 'a' -> 'a' is a cycle"),
    "a word where a number goes": (
        {"a.toml": 'name = "a"\n[structure]\nstory_min_words = "ten"\n'},
        "a.toml: [structure]: 'story_min_words' must be an integer, got 'ten'"),
    "a list where a number goes": (
        {"a.toml": 'name = "a"\n[structure]\nnav_runs = {max_words = [1]}\n'},
        "a.toml: [structure] nav_runs: 'max_words' must be an integer, got [1]"),
    "a block rule limited to the last lines": (
        {"a.toml": 'name = "a"\n[[drop]]\ncategory = "x"\nwhere = "last"\nblock = {start = "^a$", end = "^b$"}\n'},
        "a.toml: [[drop]] #1 (x): 'where = \"last\"' is for line rules only (a block rule would do nothing)"),
    "a scope on an end marker": (
        {"a.toml": 'name = "a"\n[[drop]]\ncategory = "x"\nwhere = "head"\nfrom_line = "^Baca$"\n'},
        "a.toml: [[drop]] #1 (x): 'where' does not apply to a from_line rule (an end marker is sought after the story start)"),
    "a bad CSS selector": (
        {"a.toml": 'name = "a"\n[html]\nbody = "div[[["\n'},
        "a.toml: [html] body: bad CSS selector 'div[[[': Expected ident or '*', got <DELIM '[' at 4>"),
    "a string where a list of selectors goes": (
        {"a.toml": 'name = "a"\n[html]\nbody = "article"\ndrop = "div.ads"\n'},
        "a.toml: [html]: 'drop' must be a list of strings, got 'div.ads'"),
    "an [html] key that does nothing": (
        {"a.toml": 'name = "a"\n[html]\ntitle = "h1"\n'},
        "a.toml: [html]: unknown key 'title' (allowed: body, drop)"),
    "TOML nested 100,000 deep": (
        {"a.toml": 'name = "a"\nx = ' + "[" * 100_000 + "]" * 100_000 + "\n"},
        "a.toml: not valid TOML: arrays or tables nested too deeply"),
    "a regex that would take gigabytes to compile": (
        {"a.toml": 'name = "a"\n[[drop]]\ncategory = "x"\nline = \'(?:a{60000}){60000}\'\n'},
        "a.toml: [[drop]] #1 (x) line: counted repeats in '(?:a{60000}){60000}' expand to 3,600,000,000 copies"
        " (at most 1,000 in one repeat and 10,000 nested)"),
    "nested repeats that multiply past the limit": (
        {"a.toml": 'name = "a"\n[[drop]]\ncategory = "x"\nline = \'^(?:(?:ab{30}){30}c){30}$\'\n'},
        "a.toml: [[drop]] #1 (x) line: counted repeats in '^(?:(?:ab{30}){30}c){30}$' expand to 27,000 copies"
        " (at most 1,000 in one repeat and 10,000 nested)"),
    "a field limited to the last lines": (
        {"a.toml": 'name = "a"\n[[field]]\nname = "date"\nwhere = "last"\nline = "^\\\\d+$"\n'},
        "a.toml: [[field]] #1 (date): 'where = \"last\"' is for [[drop]] line rules only"),
    "a field without a name": (
        {"a.toml": 'name = "a"\n[[field]]\nline = "^x$"\n'},
        "a.toml: [[field]] #1: 'name' is missing (one of title, author, editor, date)"),
    "a section that is not a table": (
        {"a.toml": 'name = "a"\nstory = "x"\n'},
        "a.toml: 'story' must be a table, got 'x'"),
}


def _folder(tmp_path, files):
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("case", sorted(BAD_PACKS))
def test_rules_check_finds_the_bad_pack_and_loading_refuses_it(tmp_path, case):
    files, message = BAD_PACKS[case]
    folder = _folder(tmp_path, files)
    names, problems = check_packs([folder])
    assert problems[0] == f"{folder}/{message}"
    with pytest.raises(PackError) as err:
        load_packs([folder])
    assert str(err.value) == f"{folder}/{message}"


def test_the_cli_reports_every_bad_pack_without_a_traceback(tmp_path, run_cli):
    for i, case in enumerate(sorted(BAD_PACKS)):
        folder = tmp_path / f"pack{i}"
        folder.mkdir()
        _folder(folder, BAD_PACKS[case][0])
        check = run_cli("rules", "check", folder)
        assert check.returncode == 1 and f"{folder}/{BAD_PACKS[case][1]}" in check.stdout, case
        run = run_cli("--rules", folder, FIXTURES / "seeds.jsonl")
        assert run.returncode == 1 and run.stdout == "", case
        assert run.stderr == f"Error: {folder}/{BAD_PACKS[case][1]}\n", case


def test_limits_on_pack_size_rule_count_and_pattern_length(tmp_path):
    big = tmp_path / "big"
    big.mkdir()
    (big / "a.toml").write_text('name = "a"\n' + "# padding\n" * (MAX_PACK_BYTES // 10 + 1))
    size = (big / "a.toml").stat().st_size
    assert size == 1_048_591 > MAX_PACK_BYTES
    with pytest.raises(PackError, match=r"a\.toml: 1,048,591 bytes is too large for a pack \(at most 1,048,576\)"):
        load_packs([big])
    many = tmp_path / "many"
    many.mkdir()
    (many / "a.toml").write_text('name = "a"\n' + '[[drop]]\ncategory = "x"\nline = "^y$"\n' * (MAX_RULES + 1))
    assert check_packs([many])[1] == [f"{many}/a.toml: 10,001 rules is too many for a pack (at most 10,000)"]
    with pytest.raises(PackError, match=r"pattern of 2,001 characters \(at most 2,000\)"):
        parse_pack('name = "a"\n[[drop]]\ncategory = "x"\nline = "' + "a" * 2001 + '"\n', "a.toml")


def test_a_pack_within_the_limits_checks_and_runs(tmp_path, run_cli):
    (tmp_path / "ok.toml").write_text(
        'name = "ok"\ninclude = ["generic"]\n[structure]\nstory_min_words = 8\nnav_runs = {max_words = 2}\n'
        '[[drop]]\ncategory = "date_line"\nline = \'^\\d{1,2} (?:\\p{L}+ ){1,2}\\d{4}$\'\n'
        '[[drop]]\ncategory = "promo"\nwhere = "last"\nline = "^Ikuti kami"\n'
        '[html]\nbody = "article"\ndrop = ["div.ads"]\n')
    check = run_cli("rules", "check", tmp_path)
    assert check.returncode == 0 and check.stdout == "ok: 1 pack(s): ok\n"
    pack = load_packs([tmp_path])["ok"]
    assert pack.html.body_css == "article" and pack.html.drop_css == ("div.ads",)
    assert len(pack.drops) == 2 + len(load_packs()["generic"].drops)


# -- the engine, through the compiled and prefiltered path of a run ------------------------------

def _compiled(body: str):
    return compile_pack(parse_pack('name = "t"\n' + body, "t.toml"), {})


def test_a_parsed_pack_is_not_applied_without_its_prefilters():
    with pytest.raises(ValueError, match="t.toml: not compiled"):
        apply_pack(parse_pack('name = "t"\n', "t.toml"), ["x"])


def test_the_prefilter_never_rules_out_a_line_a_rule_matches():
    # inline flags, an anchored and a floating rule, a reverse search (tried alone), a named
    # backreference (cannot be combined: every line is a maybe), hint words, an end marker
    pack = _compiled(
        '[[drop]]\ncategory = "ad"\nline = "(?i)^iklan$"\n'
        '[[drop]]\ncategory = "share"\nline = "bagikan ke"\n'
        '[[drop]]\ncategory = "tail_tag"\nline = "(?r)#\\\\w+$"\n'
        '[[drop]]\ncategory = "echo"\nline = "^(?P<w>\\\\w+) (?P=w)$"\n'
        '[[drop]]\ncategory = "social"\nline = "WhatsApp"\nhint = ["whatsapp"]\n'
        '[[drop]]\ncategory = "related"\nfrom_line = "^Baca juga$"\n')
    lines = ["IKLAN", "Cerita pertama yang panjang sekali untuk sebuah berita hari ini.", "Silakan bagikan ke teman",
             "Kalimat cerita dengan tagar #banjir", "lagi lagi", "Gabung grup WhatsApp kami",
             "Cerita kedua yang panjang sekali untuk sebuah berita hari ini.", "Baca juga", "Judul lain"]
    out = apply_pack(pack, lines)
    assert out.lines == [lines[1], lines[6]]
    assert out.removed == {"ad": 1, "echo": 1, "related": 2, "share": 1, "social": 1, "tail_tag": 1}
    assert pack.prefilters.lines.exact is False  # the backreference: the shortcut is off, not wrong


def test_closing_rules_remove_only_the_last_run_of_the_page():
    pack = _compiled('[[drop]]\ncategory = "promo"\nwhere = "last"\nline = "^Ikuti "\n')
    lines = ["Ikuti kami di awal.", "Cerita yang panjang sekali untuk sebuah berita di hari ini.",
             "Ikuti kami di Instagram", "Ikuti kami di X"]
    out = apply_pack(pack, lines)
    assert out.lines == lines[:2] and out.removed == {"promo": 2}


def test_a_user_pack_with_selectors_takes_the_story_from_its_container(tmp_path):
    (tmp_path / "kotabaru.toml").write_text(
        'name = "kotabaru"\nlanguages = ["id"]\ndomains = ["kotabaru.co.id"]\n'
        '[html]\nbody = "div.isi"\ndrop = ["div.iklan"]\n')
    story = "Warga kota berkumpul di alun-alun untuk merayakan hari jadi kota yang ke seratus tahun."
    html = (f"<html><body><nav>Menu</nav><div class='isi'><p>{story}</p><div class='iklan'>Iklan sepatu</div>"
            f"<p>{story.replace('Warga', 'Pedagang')}</p></div><footer>Hak cipta</footer></body></html>")
    cleaner = Cleaner(Options(rules_dirs=(str(tmp_path),), min_chars=0, min_words=0, languages=()))
    record, _ = cleaner.clean({"url": "https://kotabaru.co.id/a", "html": html})
    assert record["cleaner"]["method"] == "html+rules:kotabaru"
    assert record["text"] == f"{story}\n{story.replace('Warga', 'Pedagang')}"
