"""The same cleaning inside datatrove (LocalPipelineExecutor) and Ray Data (local Ray): same records as the CLI."""

import gzip
import json

import pytest

from conftest import FIXTURES, read_jsonl, write_jsonl

PAGES = read_jsonl(FIXTURES / "seeds.jsonl") + read_jsonl(FIXTURES / "indonews_sample.jsonl")
SHORT = {"id": "short", "text": "Jakarta - Harga cabai naik lagi hari ini di pasar induk."}


def cli_output(run_cli, src, tmp_path):
    result = run_cli(src, "-o", tmp_path / "cli.jsonl", "--rejects", tmp_path / "cli-rejects.jsonl", "--no-progress")
    assert result.returncode == 0, result.stderr
    return read_jsonl(tmp_path / "cli.jsonl"), read_jsonl(tmp_path / "cli-rejects.jsonl")


def test_datatrove_step_under_the_local_executor(run_cli, tmp_path):
    pytest.importorskip("datatrove")
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    from cleaner.integrations.datatrove import CorpusCleaner

    (tmp_path / "in").mkdir()
    src = write_jsonl(tmp_path / "in" / "pages.jsonl", PAGES + [SHORT])
    LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(tmp_path / "in")),
            CorpusCleaner(exclusion_writer=JsonlWriter(str(tmp_path / "dropped"))),
            JsonlWriter(str(tmp_path / "out")),
        ],
        tasks=1, logging_dir=str(tmp_path / "logs"),
    ).run()
    docs = [json.loads(line) for path in sorted((tmp_path / "out").glob("*.jsonl.gz"))
            for line in gzip.open(path, "rt", encoding="utf-8")]
    dropped = [json.loads(line) for path in sorted((tmp_path / "dropped").glob("*.jsonl.gz"))
               for line in gzip.open(path, "rt", encoding="utf-8")]
    records, rejects = cli_output(run_cli, src, tmp_path)
    assert [d["id"] for d in docs] == [r["id"] for r in records]
    assert [d["text"] for d in docs] == [r["text"] for r in records]
    for doc, record in zip(docs, records):
        for field in ("title", "author", "editor", "date", "site", "lang", "cleaner"):
            assert doc["metadata"][field] == record[field]
    assert [d["id"] for d in dropped] == [r["id"] for r in rejects] == ["short"]
    assert dropped[0]["metadata"]["filter_reason"] == "too_short"


def test_ray_data_adapter_on_a_local_ray(run_cli, tmp_path):
    ray = pytest.importorskip("ray")
    from cleaner.integrations.ray import clean, read_jsonl_lines, write_jsonl as ray_write

    rows = PAGES + [SHORT]
    src = tmp_path / "pages.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows) + '{"broken"\n', encoding="utf-8")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, ignore_reinit_error=True)
    try:
        ray.data.DataContext.get_current().execution_options.preserve_order = True
        ds = clean(read_jsonl_lines(str(src)))
        written, rejected = ray_write(ds, str(tmp_path / "ray.jsonl"), str(tmp_path / "ray-rejects.jsonl"))
    finally:
        ray.shutdown()
    cli_output(run_cli, src, tmp_path)
    assert (tmp_path / "ray.jsonl").read_bytes() == (tmp_path / "cli.jsonl").read_bytes()
    assert written + rejected == len(rows) + 1
    reasons = [r["reject"]["reason"] for r in read_jsonl(tmp_path / "ray-rejects.jsonl")]
    assert reasons == ["too_short", "invalid_json"]
