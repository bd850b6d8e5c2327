import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"  # the scripts that regenerate the sample data
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """A real SeaweedFS S3 server on 127.0.0.1, for the whole session."""
    from s3server import start_s3_server

    server = start_s3_server(tmp_path_factory.mktemp("seaweedfs"))
    yield server
    server.stop()


@pytest.fixture
def s3_env(s3_server, monkeypatch):
    """Point boto3 (through imi_lib.core.storage) at the test server; yields a fresh bucket URI."""
    from imi_lib.core import storage

    # after a restart the server listens on new ports: take the endpoint after the bucket exists
    bucket = s3_server.make_bucket_or_restart(f"t{os.getpid()}-{abs(hash(os.environ.get('PYTEST_CURRENT_TEST', ''))) % 10**8}")
    for k, v in s3_server.env().items():
        monkeypatch.setenv(k, v)
    storage.reset_client()
    yield f"s3://{bucket}"
    storage.reset_client()


# OpenMP threads that spin while waiting make torch 10-30x slower when other
# processes share the cores (2-core CI, parallel engineers); sleeping waits cost
# little when the machine is idle. Must be set before torch loads.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
# builtin:tiny and other caches live in the checkout (git-ignored), built once
os.environ.setdefault("IMI_CACHE_DIR", str(REPO / ".cache" / "imi"))
# nothing in the test suite may reach the Hugging Face hub
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")

# Property tests draw the same examples on every run (CI included), so a green run stays green;
# HYPOTHESIS_PROFILE=explore draws fresh random examples to hunt for new failures.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("imi", derandomize=True, deadline=None)
_hypothesis_settings.register_profile("explore", derandomize=False, deadline=None, max_examples=500)
_hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "imi"))
