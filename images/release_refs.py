"""Which images a CI retraining run compiles the pipeline against (.github/workflows/retrain.yml).

    python images/release_refs.py changed BASE HEAD      # prints build=true|false
    python images/release_refs.py pick --cpu-digest D --gpu-digest D   # freshly pushed images
    python images/release_refs.py pick                    # reuse the last released images

KFP caches on the image string, and the tasks run whatever `imi_lib` their
image holds, so a run must name its images by digest:

- when the code changed (imi_lib/, images/, pyproject.toml; components and the
  pipeline live in imi_lib/kfp/), CI builds and pushes both targets and the run
  uses their new digests;
- when only data or configs changed (or on the weekly schedule), CI reuses the
  images of the last successful retraining: the release tags
  (`<repository>:<version>-cpu|-gpu`, which CI moves to an image only after a run
  with it succeeded), resolved to their digests here.

`pick` prints `IMI_IMAGE_CPU=...@sha256:...` and `IMI_IMAGE_GPU=...` lines for
$GITHUB_ENV; `imi submit` then compiles against them.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys

# Paths whose change means the images must be rebuilt: everything the Dockerfile copies
# (.dockerignore admits exactly these) plus the Dockerfile itself.
CODE_PATHS = ("imi_lib/", "images/", "pyproject.toml", "README.md")
DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")


def code_changed(files: list[str]) -> bool:
    return any(f == p or f.startswith(p) for f in files for p in CODE_PATHS)


def changed_files(base: str, head: str) -> list[str] | None:
    """Files changed between two commits; None when base is unknown (first push, force push, manual run)."""
    if not base or set(base) == {"0"}:
        return None
    result = subprocess.run(["git", "diff", "--name-only", base, head], capture_output=True, text=True)
    return result.stdout.split() if result.returncode == 0 else None


def image_names() -> tuple[str, str]:
    from imi_lib.kfp.components import images

    return images.IMAGE_REPOSITORY, images.IMAGE_VERSION


def released_digest(reference: str, run=subprocess.run) -> str:
    """The digest a release tag points at, from the registry (docker buildx imagetools inspect)."""
    result = run(["docker", "buildx", "imagetools", "inspect", reference, "--format", "{{json .Manifest}}"],
                 capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"cannot resolve {reference}: {result.stderr.strip()[:300]} "
                         "(no released image yet? run the workflow once with a code change, or by hand)")
    digest = json.loads(result.stdout)["digest"]
    if not DIGEST.match(digest):
        raise SystemExit(f"{reference}: registry answered {digest!r}, not a sha256 digest")
    return digest


def pick(cpu_digest: str | None, gpu_digest: str | None, run=subprocess.run) -> dict[str, str]:
    repository, version = image_names()
    refs = {}
    for target, given in (("cpu", cpu_digest), ("gpu", gpu_digest)):
        digest = given or released_digest(f"{repository}:{version}-{target}", run)
        if not DIGEST.match(digest):
            raise SystemExit(f"--{target}-digest {digest!r} is not sha256:<64 hex>")
        refs[f"IMI_IMAGE_{target.upper()}"] = f"{repository}@{digest}"
    return refs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    changed = sub.add_parser("changed", help="print build=true when the code changed between two commits")
    changed.add_argument("base")
    changed.add_argument("head")
    picked = sub.add_parser("pick", help="print IMI_IMAGE_CPU/GPU digest references")
    picked.add_argument("--cpu-digest")
    picked.add_argument("--gpu-digest")
    args = parser.parse_args(argv)
    if args.command == "changed":
        files = changed_files(args.base, args.head)
        print(f"build={'true' if files is None or code_changed(files) else 'false'}")
        return 0
    if bool(args.cpu_digest) != bool(args.gpu_digest):
        raise SystemExit("give both digests (freshly built) or neither (reuse the released images)")
    for key, value in pick(args.cpu_digest, args.gpu_digest).items():
        print(f"{key}={value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
