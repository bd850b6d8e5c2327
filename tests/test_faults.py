"""Fault injection against the publication protocol: SIGKILL, a dying object store, a full disk.

    pytest -m faults tests/test_faults.py                    # CI size: 3 kill points per stage and backend
    IMI_FAULT_KILLS=10 pytest -m faults tests/test_faults.py  # the full campaign (>= 10 per stage and backend)

After every fault the output directory must be byte-identical to the
previous complete run or be the new complete run (marker verified, record
files equal to an uninterrupted run's), and the next consumer must run on it
or refuse it with one line. Outcomes are printed (`-s`) and, with
IMI_FAULT_LOG=path, appended to a JSON Lines file.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from imi_lib.core import storage

pytestmark = pytest.mark.faults

REPO = Path(__file__).resolve().parents[1]
HUB = REPO / "imi_lib" / "sample_data" / "hub"
PDFS = REPO / "imi_lib" / "sample_data" / "pdfs"
KILLS = int(os.environ.get("IMI_FAULT_KILLS", "3"))
RNG = random.Random(int(os.environ.get("IMI_FAULT_SEED", "7")))


def _log(entry: dict) -> None:
    print(json.dumps(entry))
    if os.environ.get("IMI_FAULT_LOG"):
        with open(os.environ["IMI_FAULT_LOG"], "a") as fh:
            fh.write(json.dumps(entry) + "\n")


def imi(*args, env=None, check=True, **kw) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "imi_lib.cli", *map(str, args)], capture_output=True, text=True,
                          env=env, **kw)
    if check and proc.returncode != 0:
        raise AssertionError(f"imi {args[0]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return proc


def assert_one_line_refusal(proc: subprocess.CompletedProcess, *needles: str) -> None:
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    errors = [line for line in proc.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 1, proc.stderr[-2000:]
    for needle in needles:
        assert needle in errors[0], errors[0]


# ---- what a directory holds -----------------------------------------------------

def snapshot(uri: str) -> dict | None:
    """{relative path: sha256} of everything a reader can see in the directory (marker included); None if absent.

    Locally every file (a mix would show); on s3 the marker and the files it
    names, each verified against it (a mix would fail the check).
    """
    if not storage.is_s3(uri):
        root = Path(uri)
        if not root.exists():
            return None
        return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(root.rglob("*")) if p.is_file()}
    try:
        marker = storage.read_bytes(storage.join(uri, storage.MANIFEST))
    except FileNotFoundError:
        return None
    out = {storage.MANIFEST: hashlib.sha256(marker).hexdigest()}
    with storage.open_verified(uri, rebuild="-") as d:
        for p in sorted(d.rglob("*")):
            if p.is_file():
                out[str(p.relative_to(d))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


RECORD_SUFFIXES = (".jsonl", "_train.json", "_val.json")


def records_of(snap: dict) -> dict:
    """The deterministic part of a snapshot: record files (summaries and markers hold times)."""
    return {k: v for k, v in snap.items() if k.endswith(RECORD_SUFFIXES)}


def classify(uri: str, before: dict | None, new_run: dict) -> str:
    """'old' (byte-identical to before), 'new' (complete, records equal to an uninterrupted new run) or fail."""
    after = snapshot(uri)
    if after == before:
        if before is not None and not storage.is_s3(uri):
            storage.require_complete(uri, rebuild="-")
        return "old"
    assert after is not None, f"{uri}: vanished"
    if not storage.is_s3(uri):
        storage.require_complete(uri, rebuild="-")  # s3: snapshot() verified it
    assert records_of(after) == records_of(new_run), f"{uri}: neither the previous nor the new complete output"
    return "new"


# ---- the stages -------------------------------------------------------------------

def stage_plans(data: str, pdf_small: Path) -> dict:
    """stage -> (output dir, args of the 'old' run, args of the 'new' run)."""
    return {
        "collect": (storage.join(data, "raw"),
                    ["collect", "--hub-mirror", HUB, "--data-dir", data, "--sources", "medqa,pubmedqa"],
                    ["collect", "--hub-mirror", HUB, "--data-dir", data, "--workers", "1"]),
        "ingest": (storage.join(data, "processed"),
                   ["ingest", "--pdf-dir", pdf_small, "--data-dir", data, "--workers", "1"],
                   ["ingest", "--pdf-dir", PDFS, "--data-dir", data, "--workers", "1"]),
        "synthesize": (storage.join(data, "synthetic"),
                       ["synthesize", "--data-dir", data, "--num-examples", "100", "--seed", "1"],
                       ["synthesize", "--data-dir", data, "--num-examples", "4000", "--seed", "2"]),
        "prepare": (storage.join(data, "final"),
                    ["prepare", "--data-dir", data, "--seed", "1", "--workers", "1"],
                    ["prepare", "--data-dir", data, "--seed", "2", "--val-fraction", "0.3", "--workers", "1"]),
    }


def consume(stage: str, data: str, tmp: Path) -> str:
    """Run the next consumer of the stage's output: 'ran' or 'refused' (one line), anything else fails."""
    if stage == "prepare":
        from imi_lib.training.train import read_split

        try:
            for adapter in ("patient_triage", "education", "research"):
                read_split(storage.join(data, "final"), adapter, "train", required=True, limit=None)
            return "ran"
        except storage.IncompleteOutput as e:
            assert "\n" not in str(e)
            return "refused"
    out = tmp / f"consumer-{RNG.random()}"
    proc = imi("prepare", "--data-dir", data, "--out-dir", out, "--workers", "1", check=False)
    if proc.returncode == 0:
        return "ran"
    assert_one_line_refusal(proc)
    return "refused"


def _publication_started(out: str) -> bool:
    if storage.is_s3(out):
        bucket, key = storage.split_s3(out)
        listing = storage.s3_client().list_objects_v2(Bucket=bucket, Prefix=f"{key}/{storage.VERSIONS_DIR}/")
        return listing.get("KeyCount", 0) > 0
    parent, name = Path(out).parent, Path(out).name
    return any((d / storage.MANIFEST).exists() for d in parent.glob(f".{name}.imi-staging-*") if d.is_dir())


def _wait_for_publication(out: str, proc: subprocess.Popen, timeout: float) -> None:
    """Return as soon as the run starts to publish (or ends, or the timeout passes)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end and proc.poll() is None:
        if _publication_started(out):
            return
        time.sleep(0.002)


def kill_campaign(stage: str, data: str, tmp: Path, pdf_small: Path, kills: int = KILLS) -> dict:
    out, old_args, new_args = stage_plans(data, pdf_small)[stage]
    imi(*old_args)
    t0 = time.monotonic()
    imi(*new_args)
    full = time.monotonic() - t0
    new_run = snapshot(out)
    imi(*old_args)
    outcomes = {"old": 0, "new": 0}
    consumers = {"ran": 0, "refused": 0}
    for i in range(kills):
        before = snapshot(out)
        proc = subprocess.Popen([sys.executable, "-m", "imi_lib.cli", *map(str, new_args)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if i % 2 == 0:  # anywhere in the run
            time.sleep(full * RNG.uniform(0.05, 1.0))
        else:  # the moment publication starts: the marker in the staging dir, or the first upload of a version
            _wait_for_publication(out, proc, timeout=3 * full + 30)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        outcome = classify(out, before, new_run)
        outcomes[outcome] += 1
        consumers[consume(stage, data, tmp)] += 1
        if outcome == "new":
            imi(*old_args)  # back to the old output, so the next kill can tell the two apart
    # a later run cleans what the killed ones left aside, and succeeds
    imi(*new_args)
    if not storage.is_s3(out):
        leftovers = [p.name for p in Path(out).parent.iterdir() if ".imi-staging-" in p.name]
        assert leftovers == [], leftovers
    result = {"stage": stage, "backend": "s3" if storage.is_s3(out) else "local", "kills": kills,
              "outcomes": outcomes, "consumer": consumers, "full_run_s": round(full, 2)}
    _log(result)
    return result


@pytest.fixture
def pdf_small(tmp_path):
    d = tmp_path / "pdfs-small"
    d.mkdir()
    for p in sorted(PDFS.glob("*.pdf"))[:2]:
        shutil.copy(p, d / p.name)
    return d


@pytest.mark.parametrize("stage", ["collect", "ingest", "synthesize", "prepare"])
def test_sigkill_leaves_old_or_new_output_locally(stage, tmp_path, pdf_small):
    data = str(tmp_path / "data")
    if stage == "prepare":
        imi("collect", "--hub-mirror", HUB, "--data-dir", data)
        imi("synthesize", "--data-dir", data, "--num-examples", "300")
    result = kill_campaign(stage, data, tmp_path, pdf_small)
    assert sum(result["outcomes"].values()) == KILLS


@pytest.mark.parametrize("stage", ["collect", "ingest", "synthesize", "prepare"])
def test_sigkill_leaves_old_or_new_output_on_s3(stage, tmp_path, pdf_small, s3_server, s3_env):
    data = storage.join(s3_env, "data")
    if stage == "prepare":
        imi("collect", "--hub-mirror", HUB, "--data-dir", data)
        imi("synthesize", "--data-dir", data, "--num-examples", "300")
    result = kill_campaign(stage, data, tmp_path, pdf_small)
    assert sum(result["outcomes"].values()) == KILLS


# ---- the object store dies mid-upload -----------------------------------------------

def test_object_store_killed_mid_upload_keeps_the_previous_output(tmp_path):
    from s3server import start_s3_server

    work = tmp_path / "weed"
    server = start_s3_server(work)
    tries = max(4, KILLS)
    outcomes = {"old": 0, "new": 0}
    try:
        bucket = server.make_bucket("outage")
        data = f"s3://{bucket}/data"
        env = {**os.environ, **server.env()}
        local = tmp_path / "local"
        imi("collect", "--hub-mirror", HUB, "--data-dir", local)
        imi("synthesize", "--data-dir", local, "--num-examples", "3000", "--seed", "5")
        imi("prepare", "--data-dir", local, "--out-dir", tmp_path / "new-final", "--seed", "9", "--workers", "1")
        new_run = snapshot(str(tmp_path / "new-final"))
        new_args = ["prepare", "--data-dir", local, "--out-dir", f"{data}/final", "--seed", "9", "--workers", "1"]
        for i in range(tries):
            imi("prepare", "--data-dir", local, "--out-dir", f"{data}/final", "--seed", "1", "--workers", "1",
                env=env)
            _point_storage_at(server)
            before = snapshot(f"{data}/final")
            t0 = time.monotonic()
            proc = subprocess.Popen([sys.executable, "-m", "imi_lib.cli", *map(str, new_args)], env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            time.sleep(RNG.uniform(0.5, 2.5))
            server.stop()  # the store goes away, mid-upload or before it
            _, err = proc.communicate(timeout=300)
            elapsed = time.monotonic() - t0
            if proc.returncode != 0:
                assert proc.returncode == 2 and "Traceback" not in err, err[-2000:]
                assert len([line for line in err.splitlines() if ": error: " in line]) == 1, err[-2000:]
            server = start_s3_server(work)  # same data directory: what was stored survives
            env = {**os.environ, **server.env()}
            _point_storage_at(server)
            outcome = classify(f"{data}/final", before, new_run)
            outcomes[outcome] += 1
            _log({"fault": "s3 outage", "try": i, "rc": proc.returncode, "outcome": outcome,
                  "seconds": round(elapsed, 2)})
    finally:
        server.stop()
        storage.reset_client()
    assert sum(outcomes.values()) == tries


def _point_storage_at(server) -> None:
    os.environ.update(server.env())
    storage.reset_client()


# ---- a full disk ----------------------------------------------------------------------

@pytest.fixture
def small_disk(tmp_path):
    mnt = tmp_path / "tmpfs"
    mnt.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=20m", "tmpfs", str(mnt)], capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a 20 MB tmpfs here (needs root and mount rights): {proc.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def _fill(disk: Path, leave_bytes: int) -> None:
    """A ballast file that leaves about `leave_bytes` free."""
    st = os.statvfs(disk)
    free = st.f_bavail * st.f_frsize
    with open(disk / "ballast", "wb") as fh:
        fh.write(b"\0" * max(0, free - leave_bytes))


@pytest.mark.parametrize("stage", ["collect", "ingest", "synthesize", "prepare"])
def test_full_disk_is_one_line_and_leaves_the_previous_output(stage, small_disk, tmp_path, pdf_small):
    data = small_disk / "data"
    if stage == "prepare":
        imi("collect", "--hub-mirror", HUB, "--data-dir", data)
        imi("synthesize", "--data-dir", data, "--num-examples", "300")
    out, old_args, new_args = stage_plans(str(data), pdf_small)[stage]
    imi(*old_args)
    before = snapshot(out)
    size = sum(p.stat().st_size for p in Path(out).rglob("*") if p.is_file())
    # room for less than a second copy: the new output cannot be built beside the old one
    _fill(small_disk, leave_bytes=size // 3)
    proc = imi(*new_args, check=False)
    assert_one_line_refusal(proc, "disk full")
    assert snapshot(out) == before
    storage.require_complete(out, rebuild="-")
    assert [p.name for p in Path(out).parent.iterdir() if ".imi-staging-" in p.name] == []
    assert not [p for p in small_disk.rglob("*.partial")]
    _log({"fault": "disk full", "stage": stage, "stderr": [line for line in proc.stderr.splitlines() if "error" in line]})
