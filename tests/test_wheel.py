"""The installed package is the product: build the wheel, install it into a fresh venv, and from an
empty directory run `imi compile` and a small `imi run`, with no checkout on the path.

The venv reuses the dependencies already installed for the tests: a `.pth` file in its
site-packages names this interpreter's site-packages as a plain path entry (not a site dir, so the
editable install of the checkout that lives there is never activated). Only the wheel's own
`imi_lib` is new, and the test checks that it is the one imported.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from imi_lib.core.provenance import RESULTS_FILE

REPO = Path(__file__).resolve().parents[1]
# what the wheel is built from; the rest of the checkout (tests/, pipelines/, components/) stays behind
BUILD_INPUTS = ("pyproject.toml", "README.md", "imi_lib")


def _clean_env(tmp: Path) -> dict:
    """No PYTHONPATH (it would put the checkout's imi_lib first) and a HOME/cache of our own."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env.update(HOME=str(tmp / "home"), HF_HUB_OFFLINE="1", PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(venv bin directory, wheel path, environment): the wheel built from a copy of the sources and installed."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    src.mkdir()
    for name in BUILD_INPUTS:
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(path, src / name)
    env = _clean_env(tmp)
    dist = tmp / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist),
                    str(src)], check=True, env=env, capture_output=True, text=True, timeout=300)
    (wheel,) = dist.glob("imi_train-*.whl")

    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, env=env, timeout=120)
    target_python = venv / "bin" / "python"
    purelib = subprocess.run([str(target_python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True, env=env).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(purelib, "_imi_test_dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(target_python), "install", "--no-deps", "-q",
                    str(wheel)], check=True, env=env, capture_output=True, text=True, timeout=300)
    return venv / "bin", wheel, env


def _imi(installed, cwd: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    bindir, _, env = installed
    return subprocess.run([str(bindir / "imi"), *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


def test_the_wheel_carries_the_pipeline_components_tables_and_sample_data(installed):
    _, wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("imi_lib/kfp/pipeline.py", "imi_lib/kfp/components/train.py",
                   "imi_lib/data/synthetic/tables/triage.yaml", "imi_lib/data/synthetic/tables/conditions.yaml",
                   "imi_lib/training/assets/tiny_corpus.txt", "imi_lib/data/names/names.txt.gz",
                   "imi_lib/data/names/words.txt.gz", "imi_lib/data/names/word_names.txt"):
        assert needed in names, needed
    assert any(n.startswith("imi_lib/sample_data/hub/") and n.endswith(".parquet") for n in names)
    assert any(n.startswith("imi_lib/sample_data/pdfs/") and n.endswith(".pdf") for n in names)
    # the checkout's scaffolding is not part of the product
    assert not any(n.startswith(("tests/", "pipelines/", "components/")) for n in names)


def test_installed_imi_imports_the_wheel_not_the_checkout(installed, tmp_path):
    bindir, _, env = installed
    where = subprocess.run([str(bindir / "python"), "-c", "import imi_lib, kfp; print(imi_lib.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert Path(where).is_relative_to(bindir.parent) and not Path(where).is_relative_to(REPO)
    help_text = _imi(installed, tmp_path, "--help")
    assert help_text.returncode == 0 and "synthesize" in help_text.stdout
    for command in ("submit", "schedule", "synthesize", "train"):
        r = _imi(installed, tmp_path, command, "--help")
        assert r.returncode == 0, (command, r.stderr)


@pytest.mark.slow
def test_installed_imi_compiles_and_runs_the_pipeline_from_an_empty_directory(installed, tmp_path):
    work = tmp_path / "empty"
    work.mkdir()
    compiled = _imi(installed, work, "compile", "--output", "pipeline.yaml")
    assert compiled.returncode == 0, compiled.stderr
    committed = (REPO / "pipelines" / "imi_training.yaml").read_text()
    assert (work / "pipeline.yaml").read_text() == committed  # the same pipeline the checkout compiles

    ran = _imi(installed, work, "run", "--output-dir", "runs", "--adapters", "education", "--num-examples", "60",
               "--max-steps", "2", "--eval-samples", "1", "--eval-max-items", "2")
    log = work / "runs" / "imi-run.log"
    assert ran.returncode == 0, ran.stderr[-3000:] + (log.read_text()[-3000:] if log.exists() else "")
    results = [json.loads(p.read_text()) for p in (work / "runs").rglob(RESULTS_FILE)]
    assert results and {r["adapter"] for r in results} == {"education"}  # evaluated (and published if it passed)
    assert (work / "runs" / "report.html").is_file()
