"""imi_lib.training.devices: GPU tasks refuse to start without a usable CUDA device, and say what is missing."""

from __future__ import annotations

import dataclasses

import pytest

from imi_lib.core.errors import UserError
from imi_lib.training import devices

GOOD = devices.CudaProbe(torch_version="2.13.0+cu130", torch_cuda="13.0", available=True, device_count=1,
                         init_error=None, driver="580.82.07", bnb_cuda=True)


def machine(**changes) -> devices.CudaProbe:
    return dataclasses.replace(GOOD, **changes)


def test_a_working_gpu_passes_for_every_precision():
    for precision in ("full", "8bit", "4bit", "auto"):
        assert devices.diagnose(GOOD, precision) is None
        assert devices.require_cuda("train", precision, probe_fn=lambda p: GOOD) == "cuda"


@pytest.mark.parametrize("probe, precision, words", [
    (machine(torch_version="2.13.0+cpu", torch_cuda=None, available=False, device_count=0, driver=None),
     "4bit", ["has no CUDA support", "gpu image"]),
    (machine(available=False, device_count=0, driver=None, init_error=None),
     "full", ["no CUDA device in this container", "nvidia.com/gpu", "device plugin"]),
    (machine(available=False, device_count=0, driver="570.86.15",
             init_error="CUDA initialization: The NVIDIA driver on your system is too old (found version 12080)."),
     "4bit", ["driver 570.86.15 is too old for CUDA 13.0", ">= 580.65.06"]),
    (machine(available=False, device_count=0, driver="580.82.07", init_error="CUDA unknown error"),
     "full", ["CUDA is not usable although NVIDIA driver 580.82.07 is loaded", "CUDA unknown error"]),
    (machine(bnb_cuda=False, bnb_error="it loaded its cpu library without CUDA"),
     "4bit", ["precision 4bit needs bitsandbytes with CUDA", "cpu library without CUDA"]),
])
def test_each_missing_piece_is_named_in_one_line(probe, precision, words):
    with pytest.raises(UserError) as info:
        devices.require_cuda("train", precision, probe_fn=lambda p: probe)
    message = str(info.value)
    assert "\n" not in message and message.startswith("train needs a CUDA GPU")
    for word in words:
        assert word in message
    assert "allow_cpu=true" in message  # and how to run anyway


def test_bitsandbytes_without_cuda_is_fine_in_full_precision():
    assert devices.diagnose(machine(bnb_cuda=False), "full") is None


def test_allow_cpu_runs_on_the_cpu_and_says_why(capsys):
    cpu = machine(torch_cuda=None, available=False, device_count=0, driver=None)
    assert devices.require_cuda("evaluate", "full", allow_cpu=True, probe_fn=lambda p: cpu) == "cpu"
    err = capsys.readouterr().err
    assert "imi evaluate: no usable CUDA device" in err and "allow_cpu is set" in err


def test_the_real_probe_on_this_machine_refuses_without_allow_cpu():
    """This machine has the CPU-only torch wheel and no GPU: the real probe must say so."""
    probe = devices.probe("4bit")
    assert probe.available is False
    with pytest.raises(UserError, match="train needs a CUDA GPU"):
        devices.require_cuda("train", "4bit")
    assert devices.require_cuda("train", "4bit", allow_cpu=True) == "cpu"


def test_driver_version_is_read_from_the_kernel_module_line(tmp_path):
    f = tmp_path / "version"
    f.write_text("NVRM version: NVIDIA UNIX x86_64 Kernel Module  580.82.07  Fri Aug  8 2025\n"
                 "GCC version:  gcc version 12.2.0\n")
    assert devices.read_driver_version(f) == "580.82.07"
    f.write_text("NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  570.86.15  Release Build\n")
    assert devices.read_driver_version(f) == "570.86.15"
    assert devices.read_driver_version(tmp_path / "absent") is None


def test_driver_minimum_matches_the_recorded_torch_wheel():
    """The minimum this module enforces is the one images/torch-cuda.json records for the pinned wheel."""
    import json
    from pathlib import Path

    record = json.loads((Path(__file__).resolve().parents[1] / "images" / "torch-cuda.json").read_text())
    assert devices.MIN_DRIVER[record["cuda_major"]] == record["min_driver_linux"]


def test_quantized_training_on_the_cpu_is_noted_once(capsys, monkeypatch):
    monkeypatch.setattr(devices, "_cpu_noted", set())
    devices.note_cpu_quantization("full")
    assert capsys.readouterr().err == ""
    devices.note_cpu_quantization("4bit")
    devices.note_cpu_quantization("4bit")
    devices.note_cpu_quantization("8bit")
    err = capsys.readouterr().err
    assert err.count("runs on the CPU") == 1 and "imi: note: no CUDA device, so 4bit runs on the CPU" in err


def test_imi_train_4bit_on_this_cpu_says_once_that_it_trains_on_the_cpu(capsys, monkeypatch):
    """resolve_precision (train and evaluate both call it) is where the note is given."""
    from imi_lib.training import modeling

    monkeypatch.setattr(devices, "_cpu_noted", set())
    assert modeling.resolve_precision("4bit") == "4bit"
    assert modeling.resolve_precision("4bit") == "4bit"
    assert modeling.resolve_precision("auto") == "full"  # auto never quantizes on a CPU: nothing to say
    assert capsys.readouterr().err.count("4bit runs on the CPU") == 1


def test_compiled_pipeline_passes_allow_cpu_off_by_default_to_train_and_evaluate():
    from pathlib import Path

    import yaml

    spec = next(yaml.safe_load_all((Path(__file__).resolve().parents[1] / "pipelines" / "imi_training.yaml").read_text()))
    root = spec["root"]["inputDefinitions"]["parameters"]["allow_cpu"]
    assert root["defaultValue"] is False and root["parameterType"] == "BOOLEAN"
    assert "what is missing" in root["description"]
    loop = next(t for t in spec["root"]["dag"]["tasks"].values() if "componentRef" in t and "for-loop" in t["componentRef"]["name"])
    inner = spec["components"][loop["componentRef"]["name"]]["dag"]["tasks"]
    for name in ("train", "evaluate"):
        wired = inner[name]["inputs"]["parameters"]["allow_cpu"]
        assert wired == {"componentInputParameter": "pipelinechannel--allow_cpu"}
        source = spec["deploymentSpec"]["executors"][f"exec-{name}"]["container"]["command"][-1]
        assert f'devices.require_cuda("{name}", precision, allow_cpu=allow_cpu)' in source
