"""What a new user meets first: errors are one line with the README's exit status, options are
checked against what the tool can do, and what the tool prints points at things that exist."""

import json
import subprocess
from pathlib import Path

import pytest

from conftest import FIXTURES, command

SEEDS = FIXTURES / "seeds.jsonl"


@pytest.mark.parametrize("args, message", [
    (("--frobnicate", SEEDS), "Error: No such option '--frobnicate'. Try 'corpus-cleaner clean --help'."),
    (("--min-chars", "-5", SEEDS),
     "Error: Invalid value for '--min-chars': -5 is not in the range x>=0. Try 'corpus-cleaner clean --help'."),
    (("rules", "--frobnicate"), "Error: No such option '--frobnicate'. Try 'corpus-cleaner rules --help'."),
    (("rules", "frobnicate"), "Error: No such command 'frobnicate'. Try 'corpus-cleaner rules --help'."),
])
def test_a_bad_option_is_one_line_and_exit_2(run_cli, args, message):
    result = run_cli(*args)
    assert (result.returncode, result.stderr, result.stdout) == (2, message + "\n", "")


def test_a_missing_input_is_exit_1_before_any_output_is_opened(run_cli, tmp_path):
    out = tmp_path / "out.jsonl"
    result = run_cli(SEEDS, "missing.jsonl", "-o", out)
    assert (result.returncode, result.stderr) == (1, "Error: cannot open missing.jsonl: No such file or directory\n")
    assert not out.exists()
    explained = run_cli("explain", "missing.jsonl")
    assert (explained.returncode, explained.stderr) == (1, "Error: cannot open missing.jsonl: No such file or directory\n")


@pytest.mark.parametrize("backend, codes, bad, count", [
    ("fasttext", "indonesian", "'indonesian'", 183),  # lid.176's labels and the archipelago stage's
    ("fasttext", "id,xx", "'xx'", 183),
    ("langdetect", "id,yue", "'yue'", 65),  # lid.176 knows Cantonese, langdetect does not: every such page would go
])
def test_lang_codes_are_checked_against_the_detectors_labels(run_cli, backend, codes, bad, count):
    result = run_cli("--lang", codes, "--lang-backend", backend, SEEDS)
    examples = "id, en, ms, jv, su, es"
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (f"Error: Invalid value for '--lang': {bad}: not a language the {backend} detector knows "
                             f"({count} ISO 639 codes such as {examples}), or 'any'. Try 'corpus-cleaner clean --help'.\n")


def test_valid_codes_still_work_in_any_case(run_cli):
    result = run_cli("--lang", "ID,en", "-q", SEEDS)
    assert result.returncode == 0 and len(result.stdout.splitlines()) == 5
    regional = run_cli("--lang", "id,jv,ban", "--lang-backend", "langdetect", "-q", SEEDS)  # archipelago labels
    assert regional.returncode == 0 and len(regional.stdout.splitlines()) == 5


def test_rules_list_shows_files_that_exist(run_cli):
    result = run_cli("rules", "list")
    assert result.returncode == 0
    files = [line.rsplit("[", 1)[1].rstrip("]") for line in result.stdout.splitlines()]
    assert [Path(f).name for f in files] == ["generic.toml", "idntimes.toml", "medcom.toml", "tempo.toml", "tribunnews.toml"]
    assert all(Path(f).is_absolute() and Path(f).is_file() for f in files)


def test_rules_test_on_a_pack_without_cases_fails(run_cli, tmp_path):
    result = run_cli("rules", "test", "generic")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("Error: pack 'generic' has no test cases: put CASE.txt (or CASE.html) and "
                                    "CASE.expected.txt in ")
    assert result.stderr.rstrip().endswith(str(Path("rules") / "tests" / "generic"))
    (tmp_path / "mini.toml").write_text('name = "mini"\n[[drop]]\ncategory = "ad"\nline = "^Iklan$"\n')
    alone = run_cli("rules", "test", "mini", "--rules", tmp_path)
    assert alone.returncode == 1 and f"pack 'mini' has no test cases" in alone.stderr


def test_explain_in_colour_through_a_pager(tmp_path):
    """The README's `explain --color ... | less -R`: colour is asked for, so it survives the pipe."""
    piped = subprocess.run(f"'{command()}' explain --color '{SEEDS}' | cat", shell=True, capture_output=True,
                           text=True, cwd=tmp_path, timeout=120)
    assert piped.returncode == 0 and "\x1b[" in piped.stdout
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert "corpus-cleaner explain --color fixtures/seeds.jsonl | less -R" in readme
    assert "explain fixtures/seeds.jsonl | less -R" not in readme


def test_field_lines_are_moved_not_removed(run_cli):
    """Headline, byline and date lines go to fields and are counted under `moved`, never under `removed`."""
    records = [json.loads(line) for line in run_cli("-q", SEEDS).stdout.splitlines()]
    assert list(records[0]) == ["id", "url", "title", "text", "author", "editor", "date", "site", "lang",
                                "lang_score", "cleaner"]
    assert [(r["site"], r["cleaner"]["moved"]) for r in records] == [
        ("idntimes", {"editor": 1, "title": 1}), ("tribunnews", {"title": 1}), ("idntimes", {"title": 1}),
        ("medcom", {"date": 1, "title": 1}), ("tempo", {"editor": 2, "title": 1})]
    medcom, tempo = records[3], records[4]
    assert medcom["author"] == "Atika Pusagawanti" and medcom["date"] == "2024-01-17T13:54:00+07:00"
    assert tempo["editor"] == "Ida Rosdalina"
    for record in records:
        assert not {"title", "author", "editor", "date"} & set(record["cleaner"]["removed"])
