""".github/workflows/retrain.yml ships the code it retrains with, and images/release_refs.py picks the images.

The workflow cannot run here (no GitHub runner, no Docker engine); what can be proven is its shape:
the steps and their order, that a code change builds and pushes both images and the pipeline is
compiled against their digests before anything is submitted, that a config-only trigger reuses the
last released digests, and that images are released only after the run succeeded. release_refs.py,
which makes those decisions, runs for real against a fake `docker` and a real git repository.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
WORKFLOW = yaml.safe_load((REPO / ".github" / "workflows" / "retrain.yml").read_text())
(JOB,) = WORKFLOW["jobs"].values()
STEPS = JOB["steps"]
sys.path.insert(0, str(REPO / "images"))
import release_refs  # noqa: E402

sys.path.remove(str(REPO / "images"))


def index(predicate) -> int:
    (i,) = [i for i, step in enumerate(STEPS) if predicate(step)]
    return i


def runs(step) -> str:
    return step.get("run", "")


def test_steps_run_in_order_test_build_pick_digests_preflight_submit_release():
    setup = index(lambda s: runs(s).strip() == "make setup")
    test = index(lambda s: runs(s).strip() == "make test")
    fresh = index(lambda s: runs(s).strip() == "make check-compiled")
    changes = index(lambda s: s.get("id") == "changes")
    build_cpu = index(lambda s: s.get("id") == "cpu")
    build_gpu = index(lambda s: s.get("id") == "gpu")
    pick = index(lambda s: "release_refs.py pick" in runs(s))
    preflight = index(lambda s: "imi doctor" in runs(s))
    submit = index(lambda s: "imi submit" in runs(s))
    release = index(lambda s: "imagetools create" in runs(s))
    assert setup < test < fresh < changes < build_cpu < build_gpu < pick < preflight < submit < release
    assert release == len(STEPS) - 1  # nothing after it: a failed run never reaches it (no `if: always()`)
    assert "always()" not in json.dumps(STEPS) and "failure()" not in json.dumps(STEPS)


def test_a_code_change_builds_and_pushes_both_targets_from_the_dockerfile():
    for target in ("cpu", "gpu"):
        step = STEPS[index(lambda s, t=target: s.get("id") == t)]
        assert step["uses"].startswith("docker/build-push-action@")
        assert step["if"] == "steps.changes.outputs.build == 'true'"
        assert step["with"]["file"] == "images/Dockerfile" and step["with"]["target"] == target
        assert step["with"]["push"] is True and step["with"]["context"] == "."
    assert WORKFLOW["permissions"]["packages"] == "write"
    login = STEPS[index(lambda s: s.get("uses", "").startswith("docker/login-action@"))]
    assert login["with"]["password"] == "${{ secrets.GITHUB_TOKEN }}"


def test_submit_compiles_against_the_picked_digests_never_a_tag_or_a_repository_variable():
    pick = STEPS[index(lambda s: "release_refs.py pick" in runs(s))]
    assert pick["env"] == {"CPU_DIGEST": "${{ steps.cpu.outputs.digest }}", "GPU_DIGEST": "${{ steps.gpu.outputs.digest }}"}
    assert runs(pick).count('>> "$GITHUB_ENV"') == 2  # both branches export IMI_IMAGE_CPU/GPU to later steps
    submit = STEPS[index(lambda s: "imi submit" in runs(s))]
    assert not {"IMI_IMAGE_CPU", "IMI_IMAGE_GPU"} & set(submit["env"])  # would override the picked digests
    assert "--version-name" in runs(submit) and "${cpu::12}" in runs(submit) and "${gpu::12}" in runs(submit)
    release = STEPS[-1]
    assert release["if"] == "steps.changes.outputs.build == 'true'"
    assert '"$IMI_IMAGE_CPU"' in runs(release) and '"$IMI_IMAGE_GPU"' in runs(release)


def test_triggers_code_configs_schedule_and_by_hand():
    triggers = WORKFLOW.get("on", WORKFLOW.get(True))
    assert {"configs/**", "imi_lib/**", "images/**", "pyproject.toml"} <= set(triggers["push"]["paths"])
    (cron,) = triggers["schedule"]
    assert len(cron["cron"].split()) == 5  # GitHub cron: five fields, minute first
    assert triggers["workflow_dispatch"]["inputs"]["build_images"]["type"] == "boolean"
    changes = STEPS[index(lambda s: s.get("id") == "changes")]
    assert "release_refs.py changed" in runs(changes)


# ---- release_refs.py, for real -------------------------------------------------------------

@pytest.mark.parametrize("files, build", [
    (["imi_lib/training/train.py"], True),
    (["images/Dockerfile"], True),
    (["pyproject.toml", "docs/training.md"], True),
    (["configs/train_meditron7b_qlora.yaml"], False),
    (["docs/kubeflow.md", "tests/test_train.py"], False),
    ([], False),
])
def test_only_changes_to_what_the_image_holds_rebuild_it(files, build):
    assert release_refs.code_changed(files) is build


def test_changed_compares_two_real_commits(tmp_path):
    def git(*args):
        return subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True,
                              text=True).stdout.strip()

    git("init", "-q")
    git("config", "user.email", "t@example.com")
    git("config", "user.name", "t")
    (tmp_path / "configs").mkdir()
    (tmp_path / "configs" / "a.yaml").write_text("epochs: 1\n")
    git("add", "-A")
    git("commit", "-qm", "one")
    first = git("rev-parse", "HEAD")
    (tmp_path / "configs" / "a.yaml").write_text("epochs: 2\n")
    git("commit", "-qam", "config only")
    second = git("rev-parse", "HEAD")
    (tmp_path / "imi_lib").mkdir()
    (tmp_path / "imi_lib" / "x.py").write_text("x = 1\n")
    git("add", "-A")
    git("commit", "-qm", "code")
    third = git("rev-parse", "HEAD")
    script = str(REPO / "images" / "release_refs.py")

    def changed(base, head):
        out = subprocess.run([sys.executable, script, "changed", base, head], cwd=tmp_path, capture_output=True,
                             text=True, check=True)
        return out.stdout.strip()

    assert changed(first, second) == "build=false"
    assert changed(second, third) == "build=true"
    assert changed("0" * 40, third) == "build=true"  # first push of a branch: nothing to compare, build


def test_pick_uses_fresh_digests_or_resolves_the_release_tags(monkeypatch):
    from imi_lib.kfp.components import images

    cpu, gpu = "sha256:" + "1" * 64, "sha256:" + "2" * 64
    assert release_refs.pick(cpu, gpu) == {"IMI_IMAGE_CPU": f"{images.IMAGE_REPOSITORY}@{cpu}",
                                           "IMI_IMAGE_GPU": f"{images.IMAGE_REPOSITORY}@{gpu}"}
    asked = []

    def docker(argv, **kwargs):
        asked.append(argv)
        digest = cpu if argv[4].endswith("-cpu") else gpu
        return subprocess.CompletedProcess(argv, 0, stdout=json.dumps({"digest": digest, "size": 1}), stderr="")

    refs = release_refs.pick(None, None, run=docker)
    assert refs == {"IMI_IMAGE_CPU": f"{images.IMAGE_REPOSITORY}@{cpu}", "IMI_IMAGE_GPU": f"{images.IMAGE_REPOSITORY}@{gpu}"}
    assert [a[4] for a in asked] == [f"{images.IMAGE_REPOSITORY}:{images.IMAGE_VERSION}-cpu",
                                     f"{images.IMAGE_REPOSITORY}:{images.IMAGE_VERSION}-gpu"]
    assert asked[0][:4] == ["docker", "buildx", "imagetools", "inspect"]

    def missing(argv, **kwargs):
        return subprocess.CompletedProcess(argv, 1, stdout="", stderr="ERROR: not found")

    with pytest.raises(SystemExit, match="no released image yet"):
        release_refs.pick(None, None, run=missing)
    with pytest.raises(SystemExit, match="is not sha256"):
        release_refs.pick("latest", gpu)


def test_readme_and_kubeflow_docs_recommend_this_one_mechanism():
    readme = (REPO / "README.md").read_text()
    kubeflow = (REPO / "docs" / "kubeflow.md").read_text()
    assert "`.github/workflows/retrain.yml` is the recommended mechanism" in readme
    assert "**Retrain with `.github/workflows/retrain.yml`: it is the recommended way.**" in kubeflow
    for other in ("imi schedule", "CronJob", "KFP UI", "imi submit"):
        assert other in kubeflow.split("## 1. Cluster setup")[0]  # each alternative has its "when" up front
