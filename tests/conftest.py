import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import fields, is_dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
# CI sets this: the suite must test the installed package, never the source tree beside it
INSTALLED_ONLY = os.environ.get("CORPUS_CLEANER_TEST_INSTALLED") == "1"
# the suite keeps its pack cache (cleaner/packcache.py) apart from the user's, and every command it runs too
TEST_CACHE = os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="corpus-cleaner-tests-")


def pytest_report_header(config):
    import cleaner

    return f"cleaner under test: {Path(cleaner.__file__).parent}"


def pytest_sessionstart(session):
    import cleaner

    if INSTALLED_ONLY and Path(cleaner.__file__).resolve().parent == ROOT / "cleaner":
        raise pytest.UsageError(f"cleaner was imported from the checkout ({cleaner.__file__}), not the installed package: "
                                "run pytest from outside the checkout")


def pytest_sessionfinish(session):
    shutil.rmtree(TEST_CACHE, ignore_errors=True)


def read_jsonl(path):
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def pack_patterns(value):
    """Every pattern a loaded pack (or any part of one) holds, in order: its `Pattern`s, and the
    bare regexes of span rules (markers, closes), compiled or deferred."""
    import regex
    from cleaner.rulepack import DeferredRegex, Pattern

    if isinstance(value, (Pattern, DeferredRegex, regex.Pattern)):
        yield value
    elif isinstance(value, tuple):
        for v in value:
            yield from pack_patterns(v)
    elif is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            yield from pack_patterns(getattr(value, f.name))


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(row if isinstance(row, str) else json.dumps(row, ensure_ascii=False) + "\n")
    return path


def command():
    """The installed console script next to this interpreter (what a user runs after pip install)."""
    exe = Path(sys.executable).parent / ("corpus-cleaner.exe" if os.name == "nt" else "corpus-cleaner")
    assert exe.exists(), f"corpus-cleaner is not installed next to {sys.executable}: pip install '.[test]'"
    return str(exe)


@pytest.fixture
def run_cli(tmp_path):
    """Run the installed command from an empty folder, so only the installed package is used."""

    def run(*args, stdin=None):
        return subprocess.run(
            [command(), *map(str, args)], input=stdin, capture_output=True, text=True,
            cwd=tmp_path, timeout=120, encoding="utf-8",
        )

    return run


@pytest.fixture(scope="session")
def cleaner():
    from cleaner import Cleaner

    return Cleaner()


STORY_WORDS = "pemerintah kota warga jalan banjir perbaikan dinas anggaran pekan desa pasar harga".split()


def learn_kotabaru(run_cli, tmp_path, make_page, seed: int, pages: int = 60):
    """`rules learn --site kotabaru` on `pages` generated pages (`make_page(rng, story_sentence)` gives a
    page's lines): (the pages, the command's result, the draft pack's text)."""
    import random

    rng = random.Random(seed)
    sentence = lambda: " ".join(rng.choice(STORY_WORDS) for _ in range(14)).capitalize() + "."  # noqa: E731
    rows = [{"id": str(i), "url": f"https://news.kotabaru.co.id/{i}", "text": "\n".join(make_page(rng, sentence))}
            for i in range(pages)]
    src = write_jsonl(tmp_path / "sample.jsonl", rows)
    (tmp_path / "learned").mkdir()
    result = run_cli("rules", "learn", "--site", "kotabaru", src, "-o", tmp_path / "learned" / "kotabaru.toml")
    assert result.returncode == 0, result.stderr
    return rows, result, (tmp_path / "learned" / "kotabaru.toml").read_text()
