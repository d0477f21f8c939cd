"""The installed command end to end: the filter, its options, accounting, errors, determinism."""

import gzip
import json
import subprocess
import sys

from conftest import FIXTURES, read_jsonl, write_jsonl

SEEDS = FIXTURES / "seeds.jsonl"
GOOD_TEXT = FIXTURES / "real" / "tribunnews_pages_m-nasional-jokowi-macet.txt"


def test_filter_from_stdin_to_stdout(run_cli):
    result = run_cli("--no-progress", stdin=SEEDS.read_text(encoding="utf-8"))
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    expected = read_jsonl(FIXTURES / "seeds.expected.jsonl")
    assert [r["id"] for r in records] == [e["id"] for e in expected]
    assert [r["text"] for r in records] == [e["text"] for e in expected]
    assert "5 read, 5 written, 0 rejected" in result.stderr
    assert "\\u" not in result.stdout  # UTF-8 as is, no ASCII escapes


def test_python_dash_m_is_the_same_command(tmp_path):
    out = subprocess.run([sys.executable, "-m", "cleaner", "--no-progress", "-q", str(SEEDS)],
                         capture_output=True, text=True, cwd=tmp_path, encoding="utf-8")
    assert out.returncode == 0, out.stderr
    assert len(out.stdout.splitlines()) == 5
    assert out.stderr == ""


def test_gzip_input_files_output_and_stats(run_cli, tmp_path):
    gz = tmp_path / "seeds.jsonl.gz"
    gz.write_bytes(gzip.compress(SEEDS.read_bytes()))
    result = run_cli(gz, SEEDS, "-o", tmp_path / "out.jsonl.gz", "--stats", tmp_path / "stats.json", "--no-progress")
    assert result.returncode == 0, result.stderr
    lines = gzip.decompress((tmp_path / "out.jsonl.gz").read_bytes()).decode().splitlines()
    assert len(lines) == 10
    stats = json.loads((tmp_path / "stats.json").read_text())
    assert stats["read"] == 10 and stats["written"] == 10 and stats["rejected"] == 0
    assert stats["by_site"] == {"idntimes": 4, "medcom": 2, "tempo": 2, "tribunnews": 2}


def test_every_bad_line_is_a_reject_with_its_reason(run_cli, tmp_path):
    good = read_jsonl(SEEDS)
    english = ("The central bank kept its benchmark rate unchanged on Thursday, saying inflation had eased "
               "for a third month while the currency stayed stable against the dollar. ") * 3
    rows = [
        good[0],
        '{"id": "broken", "text": "unterminated\n',
        '[1, 2, 3]\n',
        {"id": "no-content", "url": "https://example.com/x"},
        {"id": "not-a-string", "text": 42},
        {"id": "all-boilerplate", "text": "Baca juga: sesuatu\nIklan\nADVERTISEMENT\n"},
        {"id": "short", "text": "Jakarta - Harga cabai naik lagi hari ini di pasar induk."},
        {"id": "english-on-tempo", "url": "https://nasional.tempo.co/read/1", "text": english},
        "\n",  # a blank line holds no page and is not counted
        good[1],
    ]
    src = write_jsonl(tmp_path / "mixed.jsonl", rows)
    rejects = tmp_path / "rejects.jsonl"
    result = run_cli(src, "--rejects", rejects, "--lang", "id", "--no-progress")
    assert result.returncode == 0, result.stderr
    written = result.stdout.splitlines()
    rejected = read_jsonl(rejects)
    assert len(written) + len(rejected) == 9  # records read = written + rejected
    assert len(written) == 2
    reasons = {r["id"]: r["reject"]["reason"] for r in rejected if "id" in r}
    assert reasons == {
        "no-content": "no_content",
        "not-a-string": "no_content",
        "all-boilerplate": "empty_after_cleaning",
        "short": "too_short",
        "english-on-tempo": "language_mismatch",
    }
    assert sorted(r["reject"]["reason"] for r in rejected if "raw" in r) == ["invalid_json", "not_an_object"]
    by_reason = {r["reject"]["reason"]: r for r in rejected}
    assert by_reason["invalid_json"]["raw"].startswith('{"id": "broken"')
    assert "line 2" in by_reason["invalid_json"]["reject"]["detail"]
    assert by_reason["not_an_object"]["raw"] == [1, 2, 3]
    assert "detected en" in by_reason["language_mismatch"]["reject"]["detail"]
    assert "9 read, 2 written, 7 rejected" in result.stderr


def test_two_runs_are_byte_identical(run_cli, tmp_path):
    a = run_cli(SEEDS, "-o", tmp_path / "a.jsonl", "--no-progress")
    b = run_cli(SEEDS, "-o", tmp_path / "b.jsonl", "--no-progress")
    assert a.returncode == b.returncode == 0
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()


def test_unknown_fields_pass_through_and_field_names_are_options(run_cli, tmp_path):
    page = {"doc": "d-1", "link": "https://www.tribunnews.com/x", "body": GOOD_TEXT.read_text(), "crawl": {"ts": 1}}
    src = write_jsonl(tmp_path / "in.jsonl", [page])
    result = run_cli(src, "--text-field", "body", "--url-field", "link", "--id-field", "doc", "--no-progress")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["id"] == "d-1" and record["url"] == "https://www.tribunnews.com/x"
    assert record["crawl"] == {"ts": 1} and "body" not in record and "link" not in record
    assert record["site"] == "tribunnews" and record["editor"] == "Hasanudin Aco"
    assert list(record)[:11] == ["id", "url", "title", "text", "author", "editor", "date", "site", "lang", "lang_score", "cleaner"]


def test_a_plain_text_file_is_one_page(run_cli):
    result = run_cli(GOOD_TEXT, "--no-progress")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["id"] == GOOD_TEXT.name
    assert record["title"] == "Presiden Jokowi: Tadi ke Sini Macet, Setengah Jam Berhenti"


def test_site_option_forces_a_pack(run_cli):
    result = run_cli("--site", "generic", "--no-progress", SEEDS)
    assert result.returncode == 0
    assert {json.loads(line)["cleaner"]["method"] for line in result.stdout.splitlines()} == {"generic-text"}


def test_lang_any_accepts_everything(run_cli, tmp_path):
    text = "Die Bundesregierung hat am Mittwoch ein neues Gesetz zur Förderung erneuerbarer Energien beschlossen. " * 4
    src = write_jsonl(tmp_path / "de.jsonl", [{"id": "de", "text": text}])
    assert json.loads(run_cli(src, "--no-progress").stdout)["lang"] == "de"  # German is a generic language
    assert run_cli(src, "--lang", "id", "--no-progress").stdout == ""
    assert json.loads(run_cli(src, "--lang", "any", "--no-progress").stdout)["lang"] == "de"


def test_usage_errors_are_one_line_without_traceback(run_cli, tmp_path):
    cases = [
        (("missing.jsonl",), "cannot open missing.jsonl: No such file or directory"),
        (("--site", "nosuchsite", str(SEEDS)), "unknown pack 'nosuchsite'"),
        (("--min-chars", "-5", str(SEEDS)), "--min-chars"),
        (("--lang-backend", "cld9", str(SEEDS)), "cld9"),
        (("--lang", ",", str(SEEDS)), "language codes"),
    ]
    for args, message in cases:
        result = run_cli(*args)
        assert result.returncode != 0, args
        assert message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr


def test_unreadable_gzip_is_a_clear_error(run_cli, tmp_path):
    bad = tmp_path / "bad.jsonl.gz"
    bad.write_bytes(b"this is not gzip")
    result = run_cli(bad, "--no-progress")
    assert result.returncode == 1
    assert "cannot read" in result.stderr and "bad.jsonl.gz" in result.stderr
    assert "Traceback" not in result.stderr


def test_help_explains_each_option(run_cli):
    text = run_cli("clean", "--help").stdout
    for option in ("--rejects", "--site", "--rules", "--lang", "--lang-backend", "--min-chars", "--text-field",
                   "--html-field", "--url-field", "--id-field", "--keep-html", "--progress", "--stats", "--output"):
        assert option in text
    assert "rules" in run_cli("--help").stdout


def test_rules_list_finds_the_installed_packs(run_cli):
    result = run_cli("rules", "list")
    assert result.returncode == 0, result.stderr
    names = [line.split()[0] for line in result.stdout.splitlines()]
    assert names == ["generic", "idntimes", "medcom", "tempo", "tribunnews"]
    assert "idntimes.com" in result.stdout


def test_progress_bar_goes_to_stderr(run_cli):
    result = run_cli("--progress", SEEDS)
    assert result.returncode == 0
    assert "pages" in result.stderr and len(result.stdout.splitlines()) == 5


def test_workers_keep_order_accounting_and_bytes(run_cli, tmp_path):
    sample = (FIXTURES / "indonews_sample.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    bad = ['{"id": "broken"\n', "[1]\n", '{"id": "empty", "text": ""}\n']
    rows = (sample + bad) * 6  # 258 lines: several chunks per worker
    src = tmp_path / "many.jsonl"
    src.write_text("".join(rows), encoding="utf-8")
    outputs = {}
    for n in (1, 2, 3):
        result = run_cli(src, "-w", n, "-o", tmp_path / f"out{n}.jsonl", "--rejects", tmp_path / f"rej{n}.jsonl",
                         "--stats", tmp_path / f"stats{n}.json", "--no-progress")
        assert result.returncode == 0, result.stderr
        outputs[n] = [(tmp_path / f"{kind}{n}.jsonl").read_bytes() for kind in ("out", "rej")]
        stats = json.loads((tmp_path / f"stats{n}.json").read_text())
        assert stats.pop("run")["inputs"] == [str(src)]  # when and how long differ from run to run; the counts do not
        outputs[n].append(stats)
        written = len((tmp_path / f"out{n}.jsonl").read_text().splitlines())
        rejected = len((tmp_path / f"rej{n}.jsonl").read_text().splitlines())
        assert written + rejected == len(rows)
    assert outputs[1] == outputs[2] == outputs[3]
    ids = [json.loads(line)["id"] for line in (tmp_path / "out2.jsonl").read_text().splitlines()]
    assert ids == [json.loads(row)["id"] for row in sample] * 6


def test_explain_marks_each_removed_line_with_its_rule(run_cli):
    text = run_cli("explain", "--no-color", SEEDS).stdout
    assert "-  [promo] Baca artikel IDN Times lainnya di IDN App   <- rules/idntimes.toml: [[drop]] #1 (promo)" in text
    assert "-  [login_prompt] Lupa Kata Sandi? Klik di Sini" in text
    assert "   TEMPO.CO, Jakarta - Presiden Rusia Vladimir Putin akan mengunjungi Korea Utara" in text
    assert "\x1b[" not in text
    pages = [json.loads(line) for line in run_cli("explain", "--format", "json", SEEDS).stdout.splitlines()]
    expected = read_jsonl(FIXTURES / "seeds.expected.jsonl")
    for page, want in zip(pages, expected):
        kept = [line["text"] for line in page["lines"] if line["removed"] is None]
        assert "\n".join(kept) == want["text"]
        assert all(line["rule"] for line in page["lines"] if line["removed"])
    assert "\x1b[" in run_cli("explain", "--color", SEEDS).stdout


def test_rules_show_and_the_shipped_pack_tests(run_cli, tmp_path):
    shown = run_cli("rules", "show", "tempo")
    assert shown.returncode == 0 and 'name = "tempo"' in shown.stdout and "# languages: id, en" in shown.stdout
    assert run_cli("rules", "show", "nope").returncode == 1
    result = run_cli("rules", "test")
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().endswith("13 passed, 0 failed")


def test_rules_test_shows_a_diff_on_failure(run_cli, tmp_path):
    (tmp_path / "mini.toml").write_text('name = "mini"\n[[drop]]\ncategory = "ad"\nline = "^Iklan$"\n')
    (tmp_path / "tests" / "mini").mkdir(parents=True)
    (tmp_path / "tests" / "mini" / "a.txt").write_text("Satu baris cerita.\nIklan\nBaca juga: lain\n")
    (tmp_path / "tests" / "mini" / "a.expected.txt").write_text("Satu baris cerita.\n")
    result = run_cli("rules", "test", "mini", "--rules", tmp_path)
    assert result.returncode == 1
    assert "FAIL mini/a.txt" in result.stdout and "+Baca juga: lain" in result.stdout
    assert result.stdout.strip().endswith("0 passed, 1 failed")



def test_the_program_ends_at_once_but_main_called_from_python_returns(tmp_path):
    """`corpus-cleaner` and `python -m cleaner` end the process as soon as the command is done
    (`cleaner.__main__.run`: no interpreter teardown), with every record written and flushed; code that
    calls `cleaner.cli.main` itself gets control back."""
    many = tmp_path / "many.jsonl"
    many.write_text(SEEDS.read_text(encoding="utf-8") * 40, encoding="utf-8")

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "cleaner", *map(str, args)], capture_output=True, text=True,
                              cwd=tmp_path, timeout=300, encoding="utf-8")

    once, piped = cli(SEEDS, "-w", "1"), cli(many, "-w", "1", "--stats", tmp_path / "stats.json")
    assert once.returncode == piped.returncode == 0 and once.stdout.count("\n") == 5
    assert piped.stdout == once.stdout * 40
    assert piped.stderr.startswith("corpus-cleaner: 200 read, 200 written, 0 rejected")
    assert json.loads((tmp_path / "stats.json").read_text(encoding="utf-8"))["written"] == 200
    embedded = subprocess.run([sys.executable, "-c", "from cleaner.cli import main; main(['rules', 'list']); print('back')"],
                              capture_output=True, text=True, cwd=tmp_path, timeout=120, encoding="utf-8")
    assert embedded.returncode == 0 and embedded.stdout.endswith("back\n") and "generic" in embedded.stdout
