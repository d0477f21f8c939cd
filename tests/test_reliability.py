"""Reliability: bad inputs of every kind become rejects with a reason; nothing hangs, nothing is lost."""

import gzip
import json
import re
import signal
import socket
import subprocess
import time

import pytest

from cleaner import Cleaner, Options
from conftest import FIXTURES, command, read_jsonl

SAMPLE = (FIXTURES / "indonews_sample.jsonl").read_text(encoding="utf-8")
STORY = json.loads(SAMPLE.splitlines()[0])["text"]


def run(run_cli, tmp_path, raw: bytes, *args):
    src = tmp_path / "in.jsonl"
    src.write_bytes(raw)
    result = run_cli(src, "--rejects", tmp_path / "rej.jsonl", "--no-progress", *args)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    rejects = read_jsonl(tmp_path / "rej.jsonl")
    return result.stdout.splitlines(), rejects


def reasons(rejects):
    return [r["reject"]["reason"] for r in rejects]


def test_the_catalogue_of_bad_records(run_cli, tmp_path):
    html_deep = "<html><body>" + "<div>" * 100_000 + "kata " * 50 + "</div>" * 100_000 + "</body></html>"
    rows = [
        b'{"id": "broken", "text": \n',                                          # invalid JSON
        b'"just a string"\n',                                                     # not an object
        b'{"id": "no-text"}\n',                                                   # missing text/html
        b'{"id": "num", "text": 12}\n',                                           # non-string text
        b'{"id": "bad-utf8", "text": "Kata \xff\xfe rusak"}\n',                   # invalid UTF-8
        b'{"id": "surrogate", "text": "lone \\ud800 here"}\n',                    # lone surrogate
        json.dumps({"id": "nul", "text": STORY + "\x00"}).encode() + b"\n",       # NUL
        json.dumps({"id": "controls", "text": "\x01\x02" + STORY + "\x1f"}).encode() + b"\n",  # other controls: stripped
        json.dumps({"id": "empty", "html": ""}).encode() + b"\n",                 # empty page
        json.dumps({"id": "markup", "html": "<html><body><div><span></span></div></body></html>"}).encode() + b"\n",
        json.dumps({"id": "repeated", "text": "a" * 5000}).encode() + b"\n",      # one repeated character
        json.dumps({"id": "deep", "html": html_deep}).encode() + b"\n",           # 100,000 levels of nesting
        json.dumps({"id": "huge", "text": "kata " * 10_000_000}).encode() + b"\n",  # a 50 MB record
        json.dumps({"id": "good", "text": STORY}).encode() + b"\n",
    ]
    written, rejects = run(run_cli, tmp_path, b"".join(rows), "-w", "2")
    assert len(written) + len(rejects) == len(rows)
    by_id = {r.get("id", str(r.get("raw"))[:14]): r["reject"]["reason"] for r in rejects}
    assert by_id == {
        '{"id": "broken': "invalid_json", "just a string": "not_an_object", "no-text": "no_content",
        "num": "no_content", "bad-utf8": "invalid_unicode", "surrogate": "invalid_unicode", "nul": "binary_content",
        "empty": "no_content", "markup": "no_content", "repeated": "too_short", "deep": by_id.get("deep"),
        "huge": "too_large",
    }
    assert by_id["deep"] in ("bad_html", "no_content", "too_short", "timeout")
    assert [json.loads(line)["id"] for line in written] == ["controls", "good"]
    assert "\x01" not in json.loads(written[0])["text"]
    for reject in rejects:
        assert reject["reject"]["detail"]


def test_html_with_a_wrong_charset_and_a_binary_file(run_cli, tmp_path):
    page = (FIXTURES / "html" / "idntimes-2021-kisah-inspiratif.html").read_text(encoding="utf-8")
    lying = tmp_path / "lying.html"
    lying.write_bytes(page.replace("<head>", '<head><meta charset="iso-8859-1">', 1).encode("utf-8"))
    binary = tmp_path / "binary.html"
    binary.write_bytes(bytes(range(256)) * 400)
    result = run_cli(lying, binary, "--rejects", tmp_path / "rej.jsonl", "--no-progress")
    assert result.returncode == 0 and "Traceback" not in result.stderr
    record = json.loads(result.stdout)
    assert "“Jadi manfaatnya" in record["text"]  # UTF-8 bytes read as UTF-8, not as the declared Latin-1
    assert reasons(read_jsonl(tmp_path / "rej.jsonl")) == ["binary_content"]


def test_a_gzip_file_cut_short_is_a_reject_and_the_next_file_goes_on(run_cli, tmp_path):
    data = gzip.compress(SAMPLE.encode())
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(data[: len(data) // 2])
    result = run_cli(cut, FIXTURES / "seeds.jsonl", "--rejects", tmp_path / "rej.jsonl", "--no-progress")
    assert result.returncode == 0, result.stderr
    rejects = read_jsonl(tmp_path / "rej.jsonl")
    assert reasons(rejects)[-1] == "truncated_input" and "cut.jsonl.gz" in rejects[-1]["reject"]["detail"]
    written = result.stdout.splitlines()
    read = int(re.search(r"(\d+) read", result.stderr).group(1))
    assert read == len(written) + len(rejects)
    assert [json.loads(line)["id"] for line in written][-5:] == [p["id"] for p in read_jsonl(FIXTURES / "seeds.jsonl")]


def test_a_runaway_user_regex_is_a_timeout_reject(tmp_path):
    (tmp_path / "slow.toml").write_text(
        'name = "slow"\nlanguages = ["id"]\n[[drop]]\ncategory = "ad"\nline = \'(?:(?:a|a)+)+b\'\n')
    cleaner = Cleaner(Options(rules_dirs=(str(tmp_path),), site="slow", min_chars=0, min_words=0))
    start = time.monotonic()
    record, reject = cleaner.clean({"id": "x", "text": "a" * 60})
    assert reject["reject"]["reason"] == "timeout" and "slow.toml" in reject["reject"]["detail"]
    assert time.monotonic() - start < 5


def test_a_pipe_closed_early_ends_quietly(tmp_path):
    src = tmp_path / "many.jsonl"
    src.write_text(SAMPLE * 40, encoding="utf-8")
    shell = f"'{command()}' -w 2 '{src}' | head -c 200 > /dev/null; echo ${{PIPESTATUS[0]}} >&2"
    result = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, timeout=120)
    assert result.stderr.strip().splitlines()[-1] == "0"
    assert "Traceback" not in result.stderr and "Error" not in result.stderr


def wait_for_records(folder, name, timeout=60):
    """Wait until records are being written (to the temporary file beside NAME)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(part.stat().st_size for part in folder.glob(f".{name}.*.part")):
            return
        time.sleep(0.1)
    raise AssertionError("no records written")


@pytest.mark.parametrize("sig, workers", [(signal.SIGINT, 1), (signal.SIGTERM, 1), (signal.SIGINT, 2)])
def test_an_interrupt_keeps_whole_records_and_prints_the_summary(tmp_path, sig, workers):
    src = tmp_path / "many.jsonl"
    src.write_text(SAMPLE * 500, encoding="utf-8")  # 20,000 pages: far more work than the test waits for
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen([command(), "-w", str(workers), str(src), "-o", str(out), "--no-progress"],
                            stderr=subprocess.PIPE, text=True)
    wait_for_records(tmp_path, "out.jsonl")
    proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert not list(tmp_path.glob(".out.jsonl.*")), "the temporary file is renamed into place"
    assert "interrupted before the end of the input" in stderr and "Traceback" not in stderr
    raw = out.read_text(encoding="utf-8")
    assert raw.endswith("\n")
    lines = raw.splitlines()
    assert all(json.loads(line)["text"] for line in lines)
    written = int(re.search(r"(\d+) written", stderr).group(1))
    assert written == len(lines) < 20000


def test_no_network_is_touched(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    html = (FIXTURES / "html" / "idntimes-2021-kisah-inspiratif.html").read_text(encoding="utf-8")
    for backend in ("fasttext", "langdetect"):
        cleaner = Cleaner(Options(lang_backend=backend))
        assert cleaner.clean({"id": "t", "text": STORY})[0] is not None
        assert cleaner.clean({"id": "h", "html": html, "url": "https://example.com/a"})[0] is not None
