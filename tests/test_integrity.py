"""The publication protocol and its readers; expected failures as one line; racing registry publishes.

docs/integrity.md states what these tests prove.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from imi_lib.core import storage
from imi_lib.evaluation import publish, report

REPO = Path(__file__).resolve().parents[1]
HUB = REPO / "imi_lib" / "sample_data" / "hub"
PDFS = REPO / "imi_lib" / "sample_data" / "pdfs"


def imi(*args, env=None, **kw) -> subprocess.CompletedProcess:
    # this checkout's imi_lib whatever the working directory
    env = {**(env or os.environ), "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "imi_lib.cli", *map(str, args)], capture_output=True, text=True,
                          env=env, **kw)


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    """The single error line of a run that must end with exit code 2 and no traceback."""
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-3000:])
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    lines = [line for line in proc.stderr.splitlines() if ": error: " in line]
    assert len(lines) == 1, proc.stderr[-3000:]
    return lines[0]


# ---- the protocol, locally ----------------------------------------------------------

def test_failed_publish_leaves_the_previous_directory_and_no_staging(tmp_path):
    out = tmp_path / "final"
    with storage.publish_dir(out, stage="t", rebuild="imi t") as d:
        (d / "a.json").write_text("old\n")
    with pytest.raises(RuntimeError):
        with storage.publish_dir(out, stage="t", rebuild="imi t") as d:
            (d / "a.json").write_text("new\n")
            raise RuntimeError("the stage failed half-way")
    assert (out / "a.json").read_text() == "old\n"
    assert storage.require_complete(out, rebuild="-")["files"]["a.json"]["size"] == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == ["final"]


def test_marker_lists_every_file_and_readers_refuse_any_change(tmp_path):
    out = tmp_path / "raw"
    with storage.publish_dir(out, stage="collect", rebuild="imi collect --data-dir D") as d:
        (d / "eval").mkdir()
        (d / "eval" / "x.jsonl").write_text("{}\n")
        (d / "medqa.jsonl").write_text("{}\n")
    marker = json.loads((out / storage.MANIFEST).read_text())
    assert set(marker["files"]) == {"eval/x.jsonl", "medqa.jsonl"} and marker["stage"] == "collect"
    (out / "medqa.jsonl").write_text("{}\n{}\n")
    with pytest.raises(storage.IncompleteOutput, match=r"raw: medqa.jsonl does not match its sha256 .*"
                                                       r"rebuild it with `imi collect --data-dir D`"):
        storage.require_complete(out, rebuild="x")
    (out / "medqa.jsonl").write_text("{}\n")
    (out / "stray.jsonl").write_text("{}\n")
    with pytest.raises(storage.IncompleteOutput, match="stray.jsonl is not listed"):
        storage.require_complete(out, rebuild="x")
    (out / "stray.jsonl").unlink()
    (out / "eval" / "x.jsonl").unlink()
    with pytest.raises(storage.IncompleteOutput, match="eval/x.jsonl is listed in .* but missing"):
        storage.require_complete(out, rebuild="x")
    (out / storage.MANIFEST).unlink()
    with pytest.raises(storage.IncompleteOutput, match=r"incomplete \(no _IMI_COMPLETE.json"):
        storage.require_complete(out, rebuild="imi collect")


def test_update_adds_files_beside_a_verified_directory_and_keeps_checkpoints(tmp_path):
    out = tmp_path / "adapter"
    with storage.publish_dir(out, stage="train", rebuild="imi train") as d:
        (d / "adapter_model.safetensors").write_bytes(b"w" * 100)
    (out / "checkpoints" / "checkpoint-1").mkdir(parents=True)
    (out / "checkpoints" / "checkpoint-1" / "state.json").write_text("{}")
    with storage.publish_dir(out, stage="evaluate", rebuild="imi evaluate", update=True) as d:
        storage.write_text(d / "evaluation_results.json", "{}")
    marker = storage.require_complete(out, rebuild="-")
    assert set(marker["files"]) == {"adapter_model.safetensors", "evaluation_results.json"}
    assert (out / "checkpoints" / "checkpoint-1" / "state.json").read_text() == "{}"
    # a new training run replaces the directory whole; checkpoints still move over
    with storage.publish_dir(out, stage="train", rebuild="imi train") as d:
        (d / "adapter_model.safetensors").write_bytes(b"v" * 100)
    assert not (out / "evaluation_results.json").exists()
    assert (out / "checkpoints" / "checkpoint-1" / "state.json").is_file()


def test_s3_publish_is_a_new_version_behind_one_marker(s3_env):
    uri = storage.join(s3_env, "data", "final")
    for text in ("one\n", "two\n"):
        with storage.publish_dir(uri, stage="prepare", rebuild="imi prepare") as d:
            (d / "x_train.json").write_text(text)
    assert storage.read_text(storage.join(uri, "x_train.json")) == "two\n"  # logical paths resolve
    keys = storage.list_files(uri)
    assert keys == [storage.MANIFEST, "x_train.json"]
    bucket, key = storage.split_s3(uri)
    raw = storage.s3_client().list_objects_v2(Bucket=bucket, Prefix=key + "/")["Contents"]
    assert len([o for o in raw if o["Key"].endswith("x_train.json")]) == 1  # the replaced version is gone
    with pytest.raises(RuntimeError):
        with storage.publish_dir(uri, stage="prepare", rebuild="imi prepare") as d:
            (d / "x_train.json").write_text("three\n")
            raise RuntimeError
    with storage.open_verified(uri, rebuild="-") as d:
        assert (d / "x_train.json").read_text() == "two\n"


def test_dotdot_in_s3_keys_is_refused_everywhere(s3_env):
    for uri in (f"{s3_env}/a/../b", f"{s3_env}/../x", f"{s3_env}/a/./b"):
        with pytest.raises(storage.StorageError, match=r"may not contain '\.' or '\.\.'"):
            storage.write_text(uri, "x")
        with pytest.raises(storage.StorageError, match=r"'\.\.'"):
            with storage.publish_dir(uri, stage="t", rebuild="-"):
                pass
    proc = imi("synthesize", "--data-dir", f"{s3_env}/run/../escape", "--num-examples", "5")
    assert "may not contain" in one_line_error(proc)


# ---- readers refuse, in one line -------------------------------------------------------

@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("integrity") / "data"
    assert imi("collect", "--hub-mirror", HUB, "--data-dir", d).returncode == 0
    assert imi("synthesize", "--data-dir", d, "--num-examples", "120").returncode == 0
    assert imi("prepare", "--data-dir", d, "--workers", "1").returncode == 0
    return d


def test_prepare_refuses_a_changed_or_unfinished_input(data_dir, tmp_path):
    import shutil

    d = tmp_path / "data"
    shutil.copytree(data_dir, d)
    with open(d / "raw" / "medqa.jsonl", "a") as fh:
        fh.write('{"instruction": "planted"}\n')
    line = one_line_error(imi("prepare", "--data-dir", d))
    assert f"{d / 'raw'}: medqa.jsonl does not match its sha256" in line and "imi collect" in line
    (d / "raw" / storage.MANIFEST).unlink()
    line = one_line_error(imi("prepare", "--data-dir", d))
    assert "raw: incomplete" in line and "imi collect --data-dir" in line
    assert storage.require_complete(d / "final", rebuild="-")  # the old final/ is untouched


def test_prepare_refuses_an_input_changed_in_place_and_publishes_nothing(data_dir, tmp_path):
    """A record file whose size is right but whose bytes are not (its sha256 is confirmed while prepare reads
    it, not before): the same one-line refusal, and final/ stays the previous complete one."""
    import shutil

    d = tmp_path / "data"
    shutil.copytree(data_dir, d)
    before = {p.name: p.read_bytes() for p in (d / "final").iterdir() if p.is_file()}
    path = d / "raw" / "medqa.jsonl"
    data = bytearray(path.read_bytes())
    at = data.index(b"patient") if b"patient" in data else data.index(b"the")
    data[at] ^= 0x20  # one letter's case: same size, other bytes
    path.write_bytes(bytes(data))
    line = one_line_error(imi("prepare", "--data-dir", d))
    assert f"{d / 'raw'}: medqa.jsonl does not match its sha256" in line and "imi collect" in line
    assert {p.name: p.read_bytes() for p in (d / "final").iterdir() if p.is_file()} == before
    assert storage.require_complete(d / "final", rebuild="-")
    assert not [p for p in d.iterdir() if storage._STAGING_TAG in p.name]  # no staging left behind


def test_train_refuses_unverified_final_before_loading_a_model(data_dir, tmp_path):
    import shutil

    d = tmp_path / "data"
    shutil.copytree(data_dir, d)
    path = d / "final" / "patient_triage_train.json"
    path.write_bytes(path.read_bytes()[:-40])  # cut mid-record
    line = one_line_error(imi("train", "--data-dir", d, "--adapter", "patient_triage", "--base-model", "builtin:tiny",
                              "--output-dir", tmp_path / "adapters"))
    assert "patient_triage_train.json does not match its sha256" in line and "imi prepare" in line
    (d / "final" / storage.MANIFEST).unlink()
    line = one_line_error(imi("train", "--data-dir", d, "--adapter", "patient_triage", "--base-model", "builtin:tiny",
                              "--output-dir", tmp_path / "adapters"))
    assert "final: incomplete" in line
    assert not (tmp_path / "adapters").exists()


def test_evaluate_and_publish_refuse_an_adapter_dir_without_its_marker(data_dir, tmp_path):
    a = tmp_path / "adapters" / "patient_triage"
    a.mkdir(parents=True)
    (a / "adapter_config.json").write_text("{}")
    (a / "adapter_model.safetensors").write_bytes(b"")
    (a / "evaluation_results.json").write_text(json.dumps({"adapter": "patient_triage", "passed_gate": True}))
    line = one_line_error(imi("evaluate", "--data-dir", data_dir, "--output-dir", tmp_path / "adapters",
                              "--adapter", "patient_triage"))
    assert "adapters/patient_triage: incomplete" in line and "imi train --adapter patient_triage" in line
    line = one_line_error(imi("publish", "--adapters-dir", tmp_path / "adapters", "--registry-uri", tmp_path / "reg"))
    assert "patient_triage: incomplete" in line
    assert not (tmp_path / "reg").exists()


# ---- the errors list: one line, exit 2, no traceback ---------------------------------------

def test_data_dir_pointing_at_a_file(tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    assert "a file is in the way" in one_line_error(imi("collect", "--hub-mirror", HUB, "--data-dir", f))
    assert "a file is in the way" in one_line_error(imi("synthesize", "--data-dir", f, "--num-examples", "3"))
    assert "a file is in the way" in one_line_error(imi("prepare", "--data-dir", f))
    assert "final: does not exist" in one_line_error(imi("train", "--data-dir", f, "--adapter", "education"))


@pytest.mark.parametrize("content, needle", [
    (b"seed: [1,\nnum_examples: 2\n", "not valid YAML (line 3"),
    (b"seed: \xff\xfe\n", "not UTF-8 text"),
    (b"seed: !!python/object/apply:os.system ['touch PWNED']\n", "could not determine a constructor"),
])
def test_bad_yaml_config_is_one_line_and_runs_nothing(tmp_path, content, needle):
    cfg = tmp_path / "c.yaml"
    cfg.write_bytes(content)
    proc = imi("synthesize", "--config", cfg, "--data-dir", tmp_path / "d", cwd=tmp_path)
    assert needle in one_line_error(proc)
    assert not (tmp_path / "PWNED").exists() and not (tmp_path / "d").exists()


def test_debug_shows_the_traceback(tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_bytes(b"seed: [\n")
    for proc in (imi("--debug", "synthesize", "--config", cfg),
                 imi("synthesize", "--config", cfg, env={**os.environ, "IMI_DEBUG": "1"})):
        assert proc.returncode == 2 and "Traceback" in proc.stderr and "not valid YAML" in proc.stderr


@pytest.mark.parametrize("value", ["1000000000", "-1"])
def test_num_examples_out_of_range_is_refused_up_front(tmp_path, value):
    line = one_line_error(imi("synthesize", "--data-dir", tmp_path, "--num-examples", value))
    assert "must be between 0 and 1,000,000" in line
    assert not (tmp_path / "synthetic").exists()


def test_interrupted_synthesize_leaves_nothing_behind(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "imi_lib.cli", "synthesize", "--data-dir", tmp_path,
                             "--num-examples", "1000000"], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob(".synthetic.imi-staging-*/*.partial")) and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1.0)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no staging directory, no .partial, no lock


def _mirror_with(tmp_path, hub_id: str, mutate) -> Path:
    import shutil

    root = tmp_path / "mirror"
    shutil.copytree(HUB / hub_id, root / hub_id)
    mutate(root / hub_id)
    return root


def test_mirror_text_column_holding_integers_is_quarantined_not_stringified(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    def ints(d):
        f = next((d / "data").glob("*.parquet"))
        t = pq.read_table(f)
        pq.write_table(t.set_column(t.schema.get_field_index("output"), "output",
                                    pa.array(range(len(t)), pa.int64())), f)

    mirror = _mirror_with(tmp_path, "lavita/ChatDoctor-HealthCareMagic-100k", ints)
    proc = imi("collect", "--hub-mirror", mirror, "--data-dir", tmp_path / "d", "--sources", "healthcaremagic")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "d" / "raw" / "healthcaremagic.jsonl").read_text() == ""
    reasons = [json.loads(line)["reason"] for line in (tmp_path / "d" / "raw" / "quarantine.jsonl").open()]
    assert len(reasons) == 25 and all(r.startswith("schema: column 'output' holds int") for r in reasons)


def test_medqa_answer_idx_as_integer_is_quarantined(tmp_path):
    def int_answers(d):
        for f in d.glob("*.jsonl"):
            rows = [json.loads(line) for line in f.read_text().splitlines() if line.strip()]
            for r in rows:
                r["answer_idx"] = "ABCD".index(r["answer_idx"]) if r.get("answer_idx") in list("ABCD") else 0
            f.write_text("".join(json.dumps(r) + "\n" for r in rows))

    mirror = _mirror_with(tmp_path, "GBaker/MedQA-USMLE-4-options", int_answers)
    proc = imi("collect", "--hub-mirror", mirror, "--data-dir", tmp_path / "d", "--sources", "medqa")
    assert proc.returncode == 0, proc.stderr
    reasons = [json.loads(line)["reason"] for line in (tmp_path / "d" / "raw" / "quarantine.jsonl").open()]
    assert reasons and all(r.startswith("schema: column 'answer_idx' holds int") for r in reasons)


def test_pdf_folder_oddities_are_reported_never_followed_or_skipped(tmp_path):
    import shutil

    pdfs, outside = tmp_path / "pdfs", tmp_path / "outside"
    pdfs.mkdir()
    outside.mkdir()
    shutil.copy(next(PDFS.glob("ICH*.pdf")), outside / "secret.pdf")
    shutil.copy(next(PDFS.glob("EMA*.pdf")), pdfs / "EMA.pdf")
    shutil.copy(next(PDFS.glob("FDA*.pdf")), os.fsencode(pdfs) + b"/caf\xe9.pdf")
    (pdfs / "escape.pdf").symlink_to(outside / "secret.pdf")
    (pdfs / "folder.pdf").mkdir()
    (pdfs / "loop.pdf").symlink_to("loop.pdf")
    proc = imi("ingest", "--pdf-dir", pdfs, "--out-dir", tmp_path / "out", "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    report_ = json.loads((tmp_path / "out" / "ingest_report.json").read_text(encoding="utf-8"))
    status = {f["file"]: (f["status"], f["reason"]) for f in report_["files"]}
    assert status["EMA.pdf"] == ("ok", None) and status["caf\\xe9.pdf"] == ("ok", None)
    assert status["escape.pdf"] == ("failed", "refused: symlink resolves outside the PDF folder")
    assert status["folder.pdf"] == ("failed", "refused: a directory, not a PDF file")
    assert status["loop.pdf"] == ("failed", "refused: symlink loop")
    text = (tmp_path / "out" / "pdf_regulatory_qa.jsonl").read_text(encoding="utf-8")
    assert {json.loads(line)["lineage"]["file"] for line in text.splitlines()} == {"EMA.pdf", "caf\\xe9.pdf"}


def test_registry_version_must_be_a_safe_name(tmp_path):
    for bad in ("..", "../../x", "a/b", ".hidden"):
        if bad:
            line = one_line_error(imi("publish", "--adapters-dir", tmp_path, "--registry-uri", tmp_path / "reg",
                                      "--version", bad))
            assert "is not a safe name" in line
    assert not (tmp_path / "reg").exists() and not (tmp_path.parent / "x").exists()


def test_s3_outage_credentials_and_bucket_are_one_line_each_and_keep_the_old_output(s3_env, s3_server, tmp_path):
    data = storage.join(s3_env, "d")
    assert imi("synthesize", "--data-dir", data, "--num-examples", "20").returncode == 0
    before = storage.read_bytes(storage.join(data, "synthetic", storage.MANIFEST))
    cases = {
        "access denied": {"AWS_SECRET_ACCESS_KEY": "wrong"},
        "cannot reach S3": {"AWS_ENDPOINT_URL": "http://127.0.0.1:9", "AWS_MAX_ATTEMPTS": "1"},
    }
    for needle, override in cases.items():
        line = one_line_error(imi("synthesize", "--data-dir", data, "--num-examples", "30",
                                  env={**os.environ, **override}))
        assert needle in line
    assert "bucket does not exist" in one_line_error(imi("synthesize", "--data-dir", "s3://no-such-bucket-imi/d",
                                                         "--num-examples", "3"))
    assert storage.read_bytes(storage.join(data, "synthetic", storage.MANIFEST)) == before


def test_read_only_disk_is_one_line(tmp_path):
    mnt = tmp_path / "ro"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mnt)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here (needs root and mount rights)")
    try:
        assert imi("synthesize", "--data-dir", mnt, "--num-examples", "5").returncode == 0
        subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
        line = one_line_error(imi("synthesize", "--data-dir", mnt, "--num-examples", "6"))
        assert "read-only file system" in line
        storage.require_complete(mnt / "synthetic", rebuild="-")
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


# ---- 50 racing publishes ------------------------------------------------------------------

def _adapter(root: Path) -> Path:
    d = root / "patient_triage"
    with storage.publish_dir(d, stage="train", rebuild="-") as out:
        (out / "adapter_config.json").write_text("{}")
        (out / "adapter_model.safetensors").write_bytes(b"weights")
        (out / report.RESULTS_FILE).write_text(json.dumps({"adapter": "patient_triage", "passed_gate": True,
                                                           "perplexity": {"base": 9.0, "adapter": 5.0}}))
    return root


def _publish_one(args):
    adapters, registry, version, env = args
    os.environ.update(env)
    storage.reset_client()
    publish.run(publish.PublishConfig(adapters_dir=str(adapters), registry_uri=registry, version=version))
    return version


def _race(adapters: Path, registry: str, n: int = 50) -> dict:
    env = {k: v for k, v in os.environ.items() if k.startswith("AWS_")}
    storage.reset_client()
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(n) as pool:
        done = pool.map(_publish_one, [(adapters, registry, f"v{i}", env) for i in range(n)], chunksize=1)
    storage.reset_client()
    index = json.loads(storage.read_text(storage.join(registry, publish.INDEX_FILE)))
    return {"published": sorted(done), "indexed": sorted(index["adapters"]["patient_triage"]["versions"])}


def test_fifty_racing_local_publishes_lose_no_index_entry(tmp_path):
    result = _race(_adapter(tmp_path / "adapters"), str(tmp_path / "registry"))
    assert result["indexed"] == result["published"] and len(result["indexed"]) == 50
    for v in result["indexed"]:
        storage.require_complete(tmp_path / "registry" / "patient_triage" / v, rebuild="-")


def test_fifty_racing_s3_publishes_lose_no_index_entry(tmp_path, s3_env):
    registry = storage.join(s3_env, "registry")
    result = _race(_adapter(tmp_path / "adapters"), registry)
    assert result["indexed"] == result["published"] and len(result["indexed"]) == 50
    for v in result["indexed"]:
        with storage.open_verified(storage.join(registry, "patient_triage", v), rebuild="-") as d:
            assert (d / "adapter_model.safetensors").read_bytes() == b"weights"
