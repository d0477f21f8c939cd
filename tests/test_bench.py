"""The benchmark scripts as a user's checkout has them: without ../shared they stop with one line."""

import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

NEEDS_SHARED = {
    "fallback.py": "real/indonews/dev.jsonl",
    "html_speed.py": "bench/trafeval-dev",
    "instructions.py": "real/indonews/dev.jsonl",
    "learn.py": "real/indonews/dev.jsonl",
    "extraction.py": "real/html-id",
    "throughput.py": "real/indonews/dev.jsonl",
    "startup.py": "real/indonews/dev.jsonl",
}


@pytest.fixture(scope="module")
def lone_checkout(tmp_path_factory):
    """A copy of the checkout's bench/ and fixtures/ with no shared/ folder beside it."""
    checkout = tmp_path_factory.mktemp("lone") / "corpus-cleaner"
    for folder in ("bench", "fixtures"):
        shutil.copytree(ROOT / folder, checkout / folder, ignore=shutil.ignore_patterns("__pycache__", "out"))
    return checkout


@pytest.mark.parametrize("script", sorted(NEEDS_SHARED))
def test_a_benchmark_without_the_shared_data_says_so_in_one_line(lone_checkout, script):
    result = subprocess.run([sys.executable, str(lone_checkout / "bench" / script)], capture_output=True, text=True,
                            cwd=lone_checkout, timeout=120)
    missing = lone_checkout.parent / "shared" / NEEDS_SHARED[script]
    assert result.returncode == 1
    assert result.stderr.startswith(f"{script}: {missing} not found: this benchmark reads the shared data beside the checkout")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
