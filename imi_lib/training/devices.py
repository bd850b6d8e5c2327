"""Whether a GPU stage has the GPU it needs, and what is missing when it has not.

train and evaluate are GPU tasks on the cluster, and without a usable CUDA
device they would not fail on their own: torch falls back to the CPU and
bitsandbytes (>= 0.50) quantizes there too, so a 7B model would "train" for
days on a few cores. The train and evaluate components therefore call
`require_cuda()` before anything else. It raises a one-line UserError naming
what is missing (a CPU-only torch build, no GPU in the container, a driver too
old for the CUDA runtime the torch wheel brings, bitsandbytes without its CUDA
library), unless the run explicitly allows the CPU (the pipeline parameter
`allow_cpu`, which `imi run` sets for the tiny built-in model).

`imi train`/`imi evaluate` on a laptop never require CUDA; asking them for a
quantized precision there prints one note that the work runs on the CPU
(`note_cpu_quantization`, called where the precision is resolved).

Everything the checks look at is gathered by `probe()` into a `CudaProbe`, so
`diagnose()` is a pure function that the tests drive with made-up machines.
"""

from __future__ import annotations

import re
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

from imi_lib.core.errors import UserError

# Minimum Linux driver per CUDA major (NVIDIA's CUDA release notes: within a major,
# minor-version compatibility runs every 13.x on the 13.0 minimum). images/torch-cuda.json
# records which CUDA the pinned torch wheel brings (13) and the same minimum.
MIN_DRIVER = {12: "525.60.13", 13: "580.65.06"}
DRIVER_VERSION_FILE = Path("/proc/driver/nvidia/version")
QUANTIZED = ("4bit", "8bit")


@dataclass(frozen=True)
class CudaProbe:
    """What this process can see of CUDA."""

    torch_version: str
    torch_cuda: str | None  # torch.version.cuda; None for a CPU-only build
    available: bool  # torch.cuda.is_available()
    device_count: int
    init_error: str | None  # what torch warned when CUDA initialisation failed
    driver: str | None  # the kernel driver's version, e.g. "580.82.07"; None when no driver is loaded
    bnb_cuda: bool | None  # bitsandbytes loaded a CUDA library; None when not asked (full precision)
    bnb_error: str | None = None


def _version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", version))


def read_driver_version(path: Path = DRIVER_VERSION_FILE) -> str | None:
    """The NVIDIA kernel module's version ("NVRM version: NVIDIA UNIX x86_64 Kernel Module  580.82.07 ...")."""
    try:
        text = path.read_text()
    except OSError:
        return None
    m = re.search(r"Kernel Module\s+(?:for \S+\s+)?(\d+\.\d+(?:\.\d+)?)", text)
    return m.group(1) if m else None


def probe(precision: str = "full") -> CudaProbe:
    """Look at torch, the driver and (for quantized precisions) bitsandbytes."""
    import torch

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        available = bool(torch.cuda.is_available())
    init_error = next((str(w.message).splitlines()[0] for w in caught if "CUDA" in str(w.message)), None)
    bnb_cuda, bnb_error = None, None
    if precision in QUANTIZED:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                from bitsandbytes import cextension
            bnb_cuda = bool(getattr(cextension.lib, "compiled_with_cuda", False))
            if not bnb_cuda:
                bnb_error = f"it loaded its {cextension.BNB_BACKEND} library without CUDA"
        except Exception as e:  # ImportError, or a native library that fails to load
            bnb_cuda, bnb_error = False, f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
    return CudaProbe(torch_version=torch.__version__, torch_cuda=torch.version.cuda, available=available,
                     device_count=torch.cuda.device_count() if available else 0, init_error=init_error,
                     driver=read_driver_version(), bnb_cuda=bnb_cuda, bnb_error=bnb_error)


def diagnose(p: CudaProbe, precision: str = "full") -> str | None:
    """What stands between this process and training on CUDA, as one sentence; None when nothing does."""
    if p.torch_cuda is None:
        return (f"this torch build ({p.torch_version}) has no CUDA support; the task must run the gpu image "
                "(images/Dockerfile --target gpu), which installs the CUDA build")
    major = int(p.torch_cuda.split(".")[0])
    needed = MIN_DRIVER.get(major)
    if p.driver and needed and _version_tuple(p.driver) < _version_tuple(needed):
        return (f"the node's NVIDIA driver {p.driver} is too old for CUDA {p.torch_cuda}, which this torch build "
                f"uses (it needs driver >= {needed}); upgrade the driver or schedule on nodes that have it")
    if not p.available:
        if p.driver is None:
            return ("no CUDA device in this container (no NVIDIA driver is loaded): the task must request "
                    "nvidia.com/gpu and the node needs the NVIDIA device plugin (the GPU operator installs it)")
        detail = f": {p.init_error}" if p.init_error else ""
        return f"CUDA is not usable although NVIDIA driver {p.driver} is loaded{detail}"
    if precision in QUANTIZED and p.bnb_cuda is False:
        return (f"precision {precision} needs bitsandbytes with CUDA, but {p.bnb_error or 'it has no CUDA library'}; "
                "use the gpu image, or precision full")
    return None


_cpu_noted: set[str] = set()


def require_cuda(stage: str, precision: str = "full", *, allow_cpu: bool = False, probe_fn=probe) -> str:
    """'cuda' when this process can run `stage` on a GPU; otherwise a UserError, or 'cpu' when allowed."""
    problem = diagnose(probe_fn(precision), precision)
    if problem is None:
        return "cuda"
    if allow_cpu:
        print(f"imi {stage}: no usable CUDA device ({problem}); running on the CPU because allow_cpu is set",
              file=sys.stderr, flush=True)
        return "cpu"
    raise UserError(f"{stage} needs a CUDA GPU and has none it can use: {problem}. "
                    "Set the pipeline parameter allow_cpu=true to run on the CPU anyway.")


def note_cpu_quantization(precision: str) -> None:
    """Say once per process that a quantized precision runs on the CPU (slow, but what was asked for)."""
    if precision in QUANTIZED and not _cpu_noted:
        _cpu_noted.add(precision)
        print(f"imi: note: no CUDA device, so {precision} runs on the CPU (bitsandbytes quantizes there too, "
              "slower than full precision); a 7B model would take days this way: use a GPU machine for it",
              file=sys.stderr, flush=True)
