"""The container images every component runs in: the one place they are named.

Components pass these as `base_image`; nothing else spells an image reference.

KFP's cache key includes the image *string*, not what a tag points to at run
time: after `:0.1.0-cpu` is rebuilt, tasks would still hit results cached from
the old image. Release builds therefore compile with digest-pinned references:

    IMI_IMAGE_CPU=ghcr.io/imi-health/imi-train@sha256:<digest> \
    IMI_IMAGE_GPU=ghcr.io/imi-health/imi-train@sha256:<digest> \
    imi compile --output dist/imi_training.yaml

The environment is read once, when this module is imported (compile time);
the committed `pipelines/imi_training.yaml` uses the defaults below.
"""

from __future__ import annotations

import os

IMAGE_REPOSITORY = "ghcr.io/imi-health/imi-train"
IMAGE_VERSION = "0.1.0"  # keep equal to pyproject's version; images/Dockerfile builds both tags

# CPU image (target `cpu` in images/Dockerfile): collect, ingest, synthesize, prepare, report, publish.
IMAGE_CPU: str = os.environ.get("IMI_IMAGE_CPU") or f"{IMAGE_REPOSITORY}:{IMAGE_VERSION}-cpu"
# CUDA image (target `gpu`): train and evaluate, with bitsandbytes for 8-bit/4-bit loading.
IMAGE_GPU: str = os.environ.get("IMI_IMAGE_GPU") or f"{IMAGE_REPOSITORY}:{IMAGE_VERSION}-gpu"
