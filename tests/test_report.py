"""The HTML report of a run: its numbers, its charts, and how it looks in a real browser."""

import json
import shutil
import subprocess
import sys

import pytest
from lxml import html as lxml_html

from conftest import FIXTURES, ROOT


def make_report(run_cli, tmp_path):
    stats = []
    for name in ("seeds", "indonews_sample"):
        out = tmp_path / f"{name}.stats.json"
        assert run_cli(FIXTURES / f"{name}.jsonl", "-o", tmp_path / "out.jsonl", "--stats", out, "-q").returncode == 0
        stats.append(out)
    page = tmp_path / "report.html"
    result = run_cli("report", *stats, "-o", page)
    assert result.returncode == 0, result.stderr
    return stats, page


def test_report_adds_up_the_runs(run_cli, tmp_path):
    stats, page = make_report(run_cli, tmp_path)
    runs = [json.loads(p.read_text()) for p in stats]
    doc = lxml_html.fromstring(page.read_text(encoding="utf-8"))
    cards = [c.text_content() for c in doc.cssselect(".card .n")]
    assert cards[0] == f"{sum(r['read'] for r in runs):,}" and cards[1] == f"{sum(r['written'] for r in runs):,}"
    titles = [h.text_content() for h in doc.cssselect("h3")]
    for title in ("Rejected, by reason", "Written, by site", "Removed lines, by category", "Records by language",
                  "Records by length (characters)", "Removed lines, by site and category"):
        assert title in titles
    assert len(doc.cssselect(".chart .bar")) > 20
    assert not doc.cssselect("script") and not doc.cssselect("link")  # self-contained
    read_also = sum(r["removed_lines_by_category"].get("read_also", 0) for r in runs)
    assert f"{read_also:,}" in page.read_text(encoding="utf-8")


def runs_table(page):
    doc = lxml_html.fromstring(page.read_text(encoding="utf-8"))
    rows = doc.cssselect("table.runs-table tr")
    head = [c.text_content() for c in rows[0]]
    return head, {row[0].text_content(): [c.text_content() for c in row[1:]] for row in rows[1:]}


def test_report_names_each_run_with_its_date_duration_version_and_inputs(run_cli, tmp_path):
    from cleaner import __version__

    stats, page = make_report(run_cli, tmp_path)
    runs = [json.loads(p.read_text()) for p in stats]
    head, rows = runs_table(page)
    assert head == ["", "seeds.stats.json", "indonews_sample.stats.json", "all runs"]  # one column per stats file
    assert rows["version"] == [__version__, __version__, ""]
    assert rows["inputs"] == [str(FIXTURES / "seeds.jsonl"), str(FIXTURES / "indonews_sample.jsonl"), ""]
    for run, started, took in zip(runs, rows["started"], rows["duration"]):
        assert started == run["run"]["started"].replace("T", " ").replace("+00:00", " UTC")
        assert took == f"{run['run']['duration_s']:.1f} s" and 0 < run["run"]["duration_s"] < 120
    assert rows["records in"] == ["5", "40", "45"]
    assert rows["site: tempo"] == [str(runs[0]["by_site"]["tempo"]), str(runs[1]["by_site"]["tempo"]),
                                   str(runs[0]["by_site"]["tempo"] + runs[1]["by_site"]["tempo"])]


def test_stats_files_of_the_same_name_are_told_apart(run_cli, tmp_path):
    paths = []
    for folder, name in (("a", "seeds"), ("b", "indonews_sample")):
        (tmp_path / folder).mkdir()
        paths.append(tmp_path / folder / "stats.json")
        assert run_cli(FIXTURES / f"{name}.jsonl", "-o", tmp_path / "out.jsonl", "--stats", paths[-1], "-q").returncode == 0
    assert run_cli("report", *paths, paths[0], "-o", tmp_path / "r.html").returncode == 0
    head, rows = runs_table(tmp_path / "r.html")
    assert head == ["", f"{paths[0]} (1)", str(paths[1]), f"{paths[0]} (2)", "all runs"]
    assert rows["records in"] == ["5", "40", "5", "50"]
    single = run_cli("report", paths[1], "-o", tmp_path / "one.html")
    assert single.returncode == 0
    head, rows = runs_table(tmp_path / "one.html")
    assert head == ["", "stats.json"] and rows["records in"] == ["40"]


def test_report_refuses_a_file_that_is_not_stats(run_cli, tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text("[1, 2]")
    result = run_cli("report", bad)
    assert result.returncode == 1 and "not a --stats file" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.skipif(not shutil.which("chromium"), reason="Debian's chromium is not installed")
def test_report_renders_in_headless_chromium(tmp_path):
    png = tmp_path / "report.png"
    subprocess.run([sys.executable, str(ROOT / "bench" / "report_screenshot.py"), "--out", str(png)],
                   check=True, timeout=300, cwd=tmp_path)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000  # a real, non-blank page
