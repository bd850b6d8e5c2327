import json
import os

import pytest

from imi_lib.core import storage


def test_local_tree_roundtrip_with_manifest(tmp_path):
    src = tmp_path / "src"
    (src / "a").mkdir(parents=True)
    (src / "a" / "x.json").write_text('{"k": 1}\n')
    (src / "y.txt").write_text("hello")
    storage.upload_tree(src, str(tmp_path / "dst"))
    assert storage.is_complete(str(tmp_path / "dst"))
    out = storage.download_tree(str(tmp_path / "dst"), tmp_path / "back", require_manifest=True)
    assert (out / "a" / "x.json").read_text() == '{"k": 1}\n'


def test_corrupt_copy_is_detected(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "f.bin").write_bytes(b"abc")
    storage.upload_tree(src, str(tmp_path / "dst"))
    (tmp_path / "dst" / "f.bin").write_bytes(b"abd")
    with pytest.raises(storage.StorageError, match="checksum mismatch"):
        storage.download_tree(str(tmp_path / "dst"), tmp_path / "back")


def test_tree_without_manifest_is_incomplete(tmp_path):
    (tmp_path / "half").mkdir()
    (tmp_path / "half" / "f").write_text("x")
    with pytest.raises(storage.StorageError, match="incomplete"):
        storage.download_tree(str(tmp_path / "half"), tmp_path / "back", require_manifest=True)


def test_s3_roundtrip_and_listing(s3_env, tmp_path):
    uri = storage.join(s3_env, "run1", "data")
    src = tmp_path / "src"
    (src / "final").mkdir(parents=True)
    (src / "final" / "education_train.json").write_text(json.dumps({"a": 1}) + "\n")
    storage.upload_tree(src, uri)
    assert storage.list_files(uri) == [storage.MANIFEST, "final/education_train.json"]
    back = storage.download_tree(uri, tmp_path / "back", require_manifest=True)
    assert json.loads((back / "final" / "education_train.json").read_text()) == {"a": 1}
    assert storage.read_text(storage.join(uri, "final", "education_train.json")).strip() == '{"a": 1}'
    assert not storage.exists(storage.join(uri, "nope"))
    with pytest.raises(FileNotFoundError):
        storage.read_bytes(storage.join(uri, "nope"))


def test_s3_wrong_credentials_refused(s3_env, monkeypatch):
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wrong-secret")
    storage.reset_client()
    with pytest.raises(storage.StorageError, match="access denied|S3 error"):
        storage.write_text(storage.join(s3_env, "x.txt"), "nope")


def test_the_test_server_takes_more_buckets_than_free_disk_would_allow(s3_server):
    """Every bucket is a SeaweedFS collection with its own volume. With the volume
    count left to free disk / volume size, a CI machine with a small disk ran out
    of volumes part-way through the suite and later tests failed on their first
    write. The server is started with a fixed count of small, unallocated volumes."""
    import shutil

    free_gib = shutil.disk_usage(s3_server.workdir).free / 2**30
    n = min(200, max(45, int(free_gib) + 5))   # more than 1 GiB volumes would give here
    for i in range(n):
        s3_server.make_bucket(f"many-{i}")
    listed = {b["Name"] for b in s3_server.client().list_buckets()["Buckets"]}
    assert {f"many-{i}" for i in range(n)} <= listed


def test_the_test_server_is_restarted_when_it_stops_answering(tmp_path):
    """A SeaweedFS that stops answering once cost a CI job its whole time budget: every later
    S3 test waited 60 s x 3 attempts per call. The fixture now gives up on a call in seconds,
    restarts the server on the same data directory once, and what was stored survives."""
    import signal

    from s3server import start_s3_server

    server = start_s3_server(tmp_path / "weed")
    try:
        server.make_bucket("kept")
        server.client().put_object(Bucket="kept", Key="a.txt", Body=b"stored before the hang")
        old_pid, old_endpoint = server.process.pid, server.endpoint
        os.killpg(old_pid, signal.SIGSTOP)   # the server hangs: connections open, nothing answers
        try:
            server.make_bucket_or_restart("after", read_timeout=2)
        finally:
            try:
                os.killpg(old_pid, signal.SIGCONT)
            except ProcessLookupError:
                pass
        assert server.process.pid != old_pid and server.endpoint != old_endpoint
        c = server.client()
        assert c.get_object(Bucket="kept", Key="a.txt")["Body"].read() == b"stored before the hang"
        assert {"kept", "after"} <= {b["Name"] for b in c.list_buckets()["Buckets"]}
    finally:
        server.stop()


def test_the_test_servers_ports_lie_outside_the_ephemeral_range():
    """A CI run failed when weed's filer could not bind its port: the port came from
    bind(0), i.e. the ephemeral range, and an outgoing connection took it before the
    filer started. Ports are now drawn from below that range and are bindable."""
    import socket

    import s3server

    lo, hi = s3server._ephemeral_range()
    ports = [s3server.free_port() for _ in range(50)]
    assert len(set(ports)) == 50
    for port in ports:
        assert not lo <= port <= hi
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", port))


def test_a_start_whose_port_was_taken_is_retried_on_new_ports(tmp_path, monkeypatch):
    """Something else binds the filer's port between choosing and starting: weed dies with
    "address already in use", and the start is tried again on fresh ports."""
    import socket

    import s3server

    squatter = socket.socket()
    squatter.bind(("127.0.0.1", s3server.free_port()))
    squatter.listen()
    taken = squatter.getsockname()[1]
    real, calls = s3server.free_port, []

    def first_filer_port_taken():
        calls.append(1)
        return taken if len(calls) == 6 else real()   # the 6th port of the first try is filer.port
    monkeypatch.setattr(s3server, "free_port", first_filer_port_taken)
    try:
        server = s3server.start_s3_server(tmp_path / "weed")
    finally:
        squatter.close()
    try:
        assert len(calls) == 20   # two tries of ten ports each
        log = (tmp_path / "weed" / "weed.log").read_text()
        assert f"port {taken} for Filer" in log or f"127.0.0.1:{taken}: bind: address already in use" in log
        server.make_bucket("works")
    finally:
        server.stop()


def test_a_server_that_fails_after_a_restart_is_reported_with_its_log_and_free_disk(tmp_path, monkeypatch):
    from s3server import start_s3_server

    server = start_s3_server(tmp_path / "weed")
    try:
        from s3server import S3ServerError

        def refuse(name, read_timeout=20):
            raise S3ServerError("InternalError: no writable volumes")
        monkeypatch.setattr(server, "make_bucket", refuse)
        with pytest.raises(S3ServerError, match=r"failed twice \(InternalError: no writable volumes.*disk free [0-9.]+ GiB.*weed\.log ends"):
            server.make_bucket_or_restart("x")
    finally:
        server.stop()


def test_no_test_may_run_past_twenty_minutes(pytestconfig):
    """pytest-timeout (pyproject.toml): a hung server or process fails one test, not the CI job's time budget."""
    assert float(pytestconfig.getini("timeout")) == 1200
