"""Every README block marked `python example` or `bash example` runs as written, against the
installed package, in an empty folder that holds only the files the examples name."""

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, read_jsonl

README = (ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLES = [(m.group(1), m.group(2)) for m in re.finditer(r"^```(python|bash) example\n(.*?)^```$", README, re.M | re.S)]


def example_id(example) -> str:
    kind, code = example
    words = re.findall(r"[A-Za-z]\w+", next(line for line in code.splitlines() if line and not line.startswith("#")))
    return f"{kind}-{README.index(code)}-{'-'.join(words[:3])}"


def gz(path: Path, source: Path) -> None:
    path.write_bytes(gzip.compress(source.read_bytes()))


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """The files the examples name: pages, crawl parts, a page file, a pack folder, crawl archives."""
    from test_warc import html_responses, write_warc  # real pages as a crawler's WARC (warcio writes it)

    work = tmp_path_factory.mktemp("readme")
    sample, seeds = FIXTURES / "indonews_sample.jsonl", FIXTURES / "seeds.jsonl"
    shutil.copy(sample, work / "pages.jsonl")
    gz(work / "pages.jsonl.gz", sample)
    (work / "crawl").mkdir()
    gz(work / "crawl" / "part-0.jsonl.gz", seeds)
    gz(work / "crawl" / "part-1.jsonl.gz", sample)
    gz(work / "crawl-1.jsonl.gz", seeds)
    gz(work / "crawl-2.jsonl.gz", sample)
    shutil.copy(FIXTURES / "real" / "tribunnews_pages_m-nasional-jokowi-macet.txt", work / "page.txt")
    (work / "my-rules").mkdir()
    (work / "my-rules" / "mysite.toml").write_text(
        'name = "mysite"\ndomains = ["mysite.example"]\nlanguages = ["id"]\n\n'
        '[[drop]]\ncategory = "promo"\nline = "^Ikuti kami di .+$"\n', encoding="utf-8")
    (work / "warcs").mkdir()
    write_warc(work / "warcs" / "CC-MAIN-test-00000.warc.gz", html_responses())
    shutil.copy(work / "warcs" / "CC-MAIN-test-00000.warc.gz", work / "CC-MAIN-test-00000.warc.gz")
    return work


def test_the_readme_has_its_examples_marked():
    kinds = [kind for kind, _ in EXAMPLES]
    assert kinds.count("python") == 5 and kinds.count("bash") == 3
    assert all("if __name__ == \"__main__\":" in code for _, code in EXAMPLES if "LocalPipelineExecutor(" in code)


@pytest.mark.parametrize("example", EXAMPLES, ids=[example_id(e) for e in EXAMPLES])
def test_a_readme_example_runs_as_written(workdir, example, tmp_path):
    kind, code = example
    work = tmp_path / "work"
    shutil.copytree(workdir, work)
    script = work / ("example.py" if kind == "python" else "example.sh")
    script.write_text(code, encoding="utf-8")
    bin_dir = str(Path(sys.executable).parent)  # the installed corpus-cleaner and python come first
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    env.pop("PYTHONPATH", None)
    argv = [sys.executable, script.name] if kind == "python" else ["bash", "-e", "-o", "pipefail", script.name]
    result = subprocess.run(argv, cwd=work, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    check_outputs(code, work, result)


def docs_in(folder: Path) -> list[dict]:
    return [json.loads(line) for path in sorted(folder.glob("*.jsonl.gz")) for line in gzip.open(path, "rt", encoding="utf-8")]


def check_outputs(code: str, work: Path, result) -> None:
    """What each example says it makes is there (the cleaning itself is tested elsewhere)."""
    expected_records = len(read_jsonl(work / "pages.jsonl"))
    if "JsonlReader(\"crawl/\")" in code:
        clean, dropped = docs_in(work / "clean"), docs_in(work / "rejects")
        assert clean and len(clean) + len(dropped) == 5 + expected_records
        assert all(d["metadata"]["lang"] == "id" for d in clean)
    elif "WarcReader(" in code:
        clean = docs_in(work / "warc-clean")
        assert len(clean) + len(docs_in(work / "warc-rejects")) == 12
        assert all(d["id"].startswith("<urn:uuid:") and d["metadata"]["cleaner"]["method"].startswith(("trafilatura+", "captions+"))
                   or d["metadata"]["site"] for d in clean)
    elif "cleaner.integrations.ray" in code:
        written = len(read_jsonl(work / "articles.jsonl"))
        rejected = len(read_jsonl(work / "rejects.jsonl"))
        assert written and written + rejected == 5 + expected_records
    elif "clean_files(" in code:
        assert len(read_jsonl(work / "articles.jsonl")) + len(read_jsonl(work / "rejects.jsonl")) == expected_records
        assert result.stdout.startswith("corpus-cleaner: ")
    elif "clean_records(" in code:
        assert result.stdout.strip()
    elif "report run-1.json" in code:
        assert (work / "report.html").stat().st_size > 5000
    elif "rules check my-rules/" in code:
        assert len(read_jsonl(work / "articles.jsonl")) > 0
        assert "ok: 1 pack(s): mysite" in result.stdout
    elif "CC-MAIN-*.warc.gz" in code:
        records = [json.loads(line) for line in gzip.decompress((work / "articles.jsonl.gz").read_bytes()).splitlines()]
        rejects = read_jsonl(work / "rejects.jsonl")
        assert records and len(records) + len(rejects) == 12
        assert all(r["id"].startswith("<urn:uuid:") and r["crawl_date"] for r in records)
    else:
        raise AssertionError(f"an example without a check: {code[:80]!r}")
