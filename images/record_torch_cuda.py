"""Record which CUDA runtime the pinned torch wheel needs, into images/torch-cuda.json.

    python images/record_torch_cuda.py          # after changing the torch pin in pyproject.toml

The gpu image has no CUDA toolkit of its own: the torch wheel from PyPI brings
its CUDA runtime (cuda-toolkit, nvidia-*-cuNN), and the node's driver must be new
enough for that runtime. tests/test_images.py compares this record with the pin
in pyproject.toml and with the gpu image's NVIDIA_REQUIRE_CUDA, so a torch bump
that moves to another CUDA major fails the tests until the image follows.

The wheel is ~500 MB and PyPI serves no separate metadata file for it, so this
reads only the zip's central directory and METADATA with HTTP range requests
(a few hundred kB). Needs network access to PyPI; the tests never run it.
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
import urllib.request
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RECORD = REPO / "images" / "torch-cuda.json"
INDEX = "https://pypi.org/simple/torch/"
# Minimum Linux driver per CUDA major (NVIDIA's CUDA release notes, "CUDA Toolkit and
# Minimum Required Driver Version for CUDA Minor Version Compatibility"): within a major
# every minor runs on this driver.
MIN_DRIVER = {12: "525.60.13", 13: "580.65.06"}


class RangeFile:
    """A read-only, seekable view of a remote file, read with HTTP Range requests (what zipfile needs)."""

    def __init__(self, url: str):
        self.url, self.pos = url, 0
        with urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=60) as r:
            self.size = int(r.headers["Content-Length"])

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.pos

    def seek(self, offset: int, whence: int = 0) -> int:
        self.pos = {0: offset, 1: self.pos + offset, 2: self.size + offset}[whence]
        return self.pos

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            n = self.size - self.pos
        if n == 0 or self.pos >= self.size:
            return b""
        end = min(self.pos + n, self.size) - 1
        request = urllib.request.Request(self.url, headers={"Range": f"bytes={self.pos}-{end}"})
        with urllib.request.urlopen(request, timeout=120) as r:
            data = r.read()
        self.pos += len(data)
        return data


def cuda_requirements(requires_dist: list[str]) -> list[str]:
    """The Requires-Dist lines that bring a CUDA runtime on Linux."""
    return [r for r in requires_dist if re.match(r"(cuda-toolkit|cuda-bindings|nvidia-[a-z-]+-cu\d+)\b", r)]


def cuda_major(requires: list[str]) -> int | None:
    """The CUDA major version those requirements pin (cuda-toolkit==13.0.3, nvidia-*-cu13): one, or None."""
    majors = {int(m) for r in requires for m in re.findall(r"^cuda-toolkit\S*==(\d+)\.|-cu(\d+)==", r) for m in m if m}
    if len(majors) > 1:
        raise ValueError(f"the torch wheel mixes CUDA majors {sorted(majors)}")
    return majors.pop() if majors else None


def main() -> int:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    pin = next(d for d in pyproject["project"]["dependencies"] if d.startswith("torch=="))
    version = pin.split("==", 1)[1]
    python = re.search(r"3\.(\d+)", pyproject["project"]["requires-python"]).group(1)
    filename = f"torch-{version}-cp3{python}-cp3{python}-manylinux_2_28_x86_64.whl"
    request = urllib.request.Request(INDEX, headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    with urllib.request.urlopen(request, timeout=60) as r:
        files = {f["filename"]: f for f in json.load(r)["files"]}
    wheel = files[filename]
    archive = zipfile.ZipFile(RangeFile(wheel["url"]))
    metadata = archive.read(next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))).decode()
    requires = [line.split(":", 1)[1].strip() for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    cuda = cuda_requirements(requires)
    major = cuda_major(cuda)
    RECORD.write_text(json.dumps({
        "pin": pin, "wheel": filename, "sha256": wheel["hashes"]["sha256"],
        "cuda_requires": cuda, "cuda_major": major, "min_driver_linux": MIN_DRIVER.get(major),
    }, indent=2) + "\n")
    print(f"{RECORD.relative_to(REPO)}: {pin} needs CUDA {major} (driver >= {MIN_DRIVER.get(major)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
